"""One scale for the −∇f arrows of a picture: an arrow is s·(−∇f), s in data units per unit of gradient.

s draws the median |∇f| over the map's grid about SHARE of the domain's smaller side, rounded to the nearest
1, 2 or 5 × 10ᵏ so that a key can state it. It depends on the function and the domain only, not on the
step: lengths compare across steps, and an arrow shrinks to nothing at a stationary point.
"""
from __future__ import annotations

import math

import numpy as np

SHARE = 0.15   # the median |∇f| is drawn about this much of the domain's smaller side
NICE = (1.0, 2.0, 5.0, 10.0)


def nice_number(value: float) -> float:
    """The 1, 2 or 5 × 10ᵏ nearest `value` on a log scale (0 for 0 or anything not finite and positive)."""
    if not (math.isfinite(value) and value > 0):
        return 0.0
    power = 10.0 ** math.floor(math.log10(value))
    mantissa = value / power
    best = min(NICE, key=lambda m: abs(math.log(mantissa / m)))
    return best * power


def gradient_scale(x, y, gx, gy, share: float = SHARE) -> float:
    """s for a grid's picture (x, y: its axes; gx, gy: ∇f on it); 0 where ∇f is zero or undefined everywhere."""
    norms = np.hypot(np.asarray(gx, float), np.asarray(gy, float))
    norms = norms[np.isfinite(norms) & (norms > 0)]
    if not norms.size:
        return 0.0
    side = min(float(np.ptp(np.asarray(x, float))), float(np.ptp(np.asarray(y, float))))
    return nice_number(share * side / float(np.median(norms)))


_last = (None, 0.0)   # the last map asked about and its scale: every view of one picture asks, every step


def map_scale(cmap) -> float:
    """`gradient_scale` of a CurvatureMap (0 for anything without a gradient, such as a field's picture)."""
    global _last
    if cmap is None or not hasattr(cmap, "gx"):
        return 0.0
    if _last[0] is not cmap:
        _last = cmap, gradient_scale(cmap.x, cmap.y, cmap.gx, cmap.gy)
    return _last[1]
