"""Line searches along a descent direction p from x: backtracking (Armijo) and strong Wolfe.

phi(t) = f(x + t p). Armijo (sufficient decrease): phi(t) <= phi(0) + c1 t phi'(0).
Strong Wolfe adds the curvature condition |phi'(t)| <= c2 |phi'(0)| (Nocedal & Wright, Alg. 3.5/3.6).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


class LineSearchFailed(Exception):
    """No step along the direction gave the required decrease."""


@dataclass(frozen=True)
class LineSearchResult:
    t: float
    point: np.ndarray
    value: float
    gradient: np.ndarray


ValueAndGradient = Callable[[np.ndarray], tuple[float, np.ndarray]]


def backtracking(value: Callable[[np.ndarray], float], x, f0: float, g0, p, c1: float = 1e-4,
                 shrink: float = 0.5, max_halvings: int = 60) -> tuple[float, np.ndarray, float]:
    """Largest t in 1, ½, ¼, ... with Armijo decrease; returns (t, x + t p, f(x + t p))."""
    slope = float(np.dot(g0, p))
    if not slope < 0:
        raise LineSearchFailed("the direction does not go downhill")
    t = 1.0
    for _ in range(max_halvings):
        x_new = x + t * p
        f_new = value(x_new)
        if np.isfinite(f_new) and f_new <= f0 + c1 * t * slope:
            return t, x_new, f_new
        t *= shrink
    raise LineSearchFailed("no step along the direction decreases f")


def strong_wolfe(value_and_gradient: ValueAndGradient, x, f0: float, g0, p, c1: float = 1e-4,
                 c2: float = 0.9, t_max: float = 1e6, max_iterations: int = 40) -> LineSearchResult:
    """A step length satisfying the strong Wolfe conditions (bracketing, then zoom)."""
    slope0 = float(np.dot(g0, p))
    if not slope0 < 0:
        raise LineSearchFailed("the direction does not go downhill")

    def phi(t):
        xt = x + t * p
        ft, gt = value_and_gradient(xt)
        return xt, ft, gt, float(np.dot(gt, p))

    def zoom(lo, hi):
        for _ in range(max_iterations):
            # bisection is slower than interpolation but cannot be fooled by non-finite values
            t = 0.5 * (lo[0] + hi[0])
            xt, ft, gt, st = phi(t)
            if not np.isfinite(ft) or ft > f0 + c1 * t * slope0 or ft >= lo[2]:
                hi = (t, xt, ft, gt, st)
            else:
                if abs(st) <= -c2 * slope0:
                    return LineSearchResult(t, xt, ft, gt)
                if st * (hi[0] - lo[0]) >= 0:
                    hi = lo
                lo = (t, xt, ft, gt, st)
        if lo[0] > 0:  # best point with sufficient decrease, curvature condition not met
            return LineSearchResult(lo[0], lo[1], lo[2], lo[3])
        raise LineSearchFailed("the line search did not converge")

    prev = (0.0, x, f0, np.asarray(g0), slope0)
    t = 1.0
    for i in range(max_iterations):
        xt, ft, gt, st = phi(t)
        current = (t, xt, ft, gt, st)
        if not np.isfinite(ft) or ft > f0 + c1 * t * slope0 or (i > 0 and ft >= prev[2]):
            return zoom(prev, current)
        if abs(st) <= -c2 * slope0:
            return LineSearchResult(t, xt, ft, gt)
        if st >= 0:
            return zoom(current, prev)
        prev, t = current, min(2.0 * t, t_max)
    raise LineSearchFailed("the line search found no acceptable step")
