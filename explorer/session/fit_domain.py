"""View → Fit to runs: the smallest domain (grown from the current one) that holds every start and path.

Qt-free. A diverged run can wander to |x| ~ 10⁸; a domain that held it would show nothing else, so
the domain grows at most MAX_GROWTH times its current size about its centre, and the points
beyond are named as left out. The new domain keeps the current one inside it and adds MARGIN of
its size on each side, so paths do not run along the edge.
"""
from __future__ import annotations

import numpy as np

MARGIN = 0.08       # of the new size, on each side
MAX_GROWTH = 20.0   # the new domain is at most this many times the current one along each axis


def domain_holding(points, x_range, y_range) -> tuple[tuple[float, float], tuple[float, float], int]:
    """(x_range, y_range, left_out): the current domain widened to hold the finite `points` (k, 2).

    left_out counts the finite points that lie beyond MAX_GROWTH and so stay outside.
    """
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    new, left_out = [], 0
    for axis, (lo, hi) in enumerate((x_range, y_range)):
        centre, half = 0.5 * (lo + hi), 0.5 * (hi - lo)
        reach = MAX_GROWTH * half
        values = pts[:, axis]
        inside = np.abs(values - centre) <= reach
        left_out = max(left_out, int(np.count_nonzero(~inside)))
        values = values[inside]
        a = min(lo, values.min()) if values.size else lo
        b = max(hi, values.max()) if values.size else hi
        if (a, b) == (lo, hi):
            new.append((float(lo), float(hi)))
            continue
        sides = (a < lo) + (b > hi)          # each widened side gets MARGIN of the new size
        pad = MARGIN * (b - a) / (1 - sides * MARGIN)
        new.append((float(max(a - pad, centre - reach)) if a < lo else float(lo),
                    float(min(b + pad, centre + reach)) if b > hi else float(hi)))
    return new[0], new[1], left_out
