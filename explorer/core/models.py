"""Local models of f at a point: the linear and quadratic Taylor models, as functions of the offset d.

    linear:     m(d) = f + g·d
    quadratic:  m(d) = f + g·d + ½ dᵀH d

Both take the offset's coordinates as separate arrays, m(dx, dy), and broadcast over them, so a
view can evaluate a model on a whole grid of offsets at once.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from explorer.core.calculus import PointAnalysis

Model = Callable[..., np.ndarray]


def _offsets(analysis: PointAnalysis, d) -> list[np.ndarray]:
    if len(d) != len(analysis.gradient):
        raise ValueError(f"expected {len(analysis.gradient)} offset coordinates, got {len(d)}")
    return [np.asarray(c, dtype=float) for c in d]


def linear_model(analysis: PointAnalysis) -> Model:
    """m(d) = f + g·d at the analysed point."""
    f, g = float(analysis.value), np.asarray(analysis.gradient, dtype=float)

    def model(*d):
        d = _offsets(analysis, d)
        return f + sum(gi * di for gi, di in zip(g, d)) + 0.0 * sum(d)   # 0·d: the offsets' shape

    return model


def quadratic_model(analysis: PointAnalysis) -> Model:
    """m(d) = f + g·d + ½ dᵀH d at the analysed point (H symmetrised)."""
    linear = linear_model(analysis)
    h = np.asarray(analysis.hessian, dtype=float)
    h = 0.5 * (h + h.T)

    def model(*d):
        d = _offsets(analysis, d)
        curvature = sum(h[i, j] * d[i] * d[j] for i in range(len(d)) for j in range(len(d)))
        return linear(*d) + 0.5 * curvature

    return model
