"""Line searches along a descent direction p from x: backtracking (Armijo) and strong Wolfe.

phi(t) = f(x + t p). Armijo (sufficient decrease): phi(t) <= phi(0) + c1 t phi'(0).
Strong Wolfe adds the curvature condition |phi'(t)| <= c2 |phi'(0)| (Nocedal & Wright, Alg. 3.5/3.6).
Trial steps come from cubic interpolation of phi and phi' at two points (N&W eq. 3.59), with
safeguards; a non-finite phi or phi' counts as "too far" and the step shrinks.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, NamedTuple

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

# extrapolation: t_next - t in [1.1, 20] x (t - t_prev); Moré & Thuente use [1.1, 4], but the cubic is
# exact on a quadratic, so it is trusted further (fewer clamped, inexact steps for CG)
EXTRAPOLATE_MIN, EXTRAPOLATE_MAX = 1.1, 20.0
ZOOM_MARGIN = 0.01        # a zoom trial keeps this fraction of the bracket from either end
ZOOM_SHRINK = 0.66        # bisect when the last two zoom trials did not shrink the bracket by this


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


class _Trial(NamedTuple):
    """phi at one step length: t, the point, f, ∇f and the slope phi'(t) = ∇f·p."""

    t: float
    point: np.ndarray
    value: float
    gradient: np.ndarray
    slope: float

    @property
    def finite(self) -> bool:
        return bool(np.isfinite(self.value) and np.isfinite(self.slope))

    def result(self) -> LineSearchResult:
        return LineSearchResult(self.t, self.point, self.value, self.gradient)


def cubic_minimizer(a: float, fa: float, da: float, b: float, fb: float, db: float) -> float:
    """Minimizer of the cubic with values fa, fb and slopes da, db at a and b; nan if it has none.

    N&W (3.59):  d1 = φ'(a) + φ'(b) − 3 (φ(a) − φ(b)) / (a − b)
                 d2 = sign(b − a) √(d1² − φ'(a) φ'(b))
                 t  = b − (b − a) (φ'(b) + d2 − d1) / (φ'(b) − φ'(a) + 2 d2)
    Exact for a quadratic phi. The result may lie outside [a, b] (used to extrapolate).
    """
    if a == b:
        return math.nan
    with np.errstate(all="ignore"):
        d1 = da + db - 3.0 * (fa - fb) / (a - b)
        radicand = d1 * d1 - da * db
        if not (np.isfinite(radicand) and radicand >= 0):
            return math.nan
        d2 = math.copysign(math.sqrt(radicand), b - a)
        denominator = db - da + 2.0 * d2
        if denominator == 0:
            return math.nan
        return float(b - (b - a) * (db + d2 - d1) / denominator)


def quadratic_minimizer(a: float, fa: float, da: float, b: float, fb: float) -> float:
    """Minimizer of the parabola with value fa and slope da at a and value fb at b; nan if concave.

    N&W (3.57-3.58): t = a − φ'(a) (b − a)² / (2 (φ(b) − φ(a) − φ'(a) (b − a)))
    """
    with np.errstate(all="ignore"):
        h = b - a
        curvature = fb - fa - da * h
        if not (np.isfinite(curvature) and curvature > 0):
            return math.nan
        return float(a - da * h * h / (2.0 * curvature))


def _zoom_trial(lo: _Trial, hi: _Trial, bisect: bool) -> float:
    """Next trial inside the bracket (lo, hi): cubic, else quadratic, else the midpoint."""
    a, b = min(lo.t, hi.t), max(lo.t, hi.t)
    margin = ZOOM_MARGIN * (b - a)
    if not bisect and lo.finite and np.isfinite(hi.value):
        t = math.nan
        if np.isfinite(hi.slope):
            t = cubic_minimizer(lo.t, lo.value, lo.slope, hi.t, hi.value, hi.slope)
        if not a < t < b:
            t = quadratic_minimizer(lo.t, lo.value, lo.slope, hi.t, hi.value)
        if a < t < b:
            return min(max(t, a + margin), b - margin)
    return 0.5 * (a + b)


def _extrapolation(prev: _Trial, current: _Trial, t_max: float) -> float:
    """Next, longer trial when phi still goes down at `current`: the cubic's minimizer, clamped."""
    width = current.t - prev.t
    low, high = current.t + EXTRAPOLATE_MIN * width, current.t + EXTRAPOLATE_MAX * width
    t = math.nan
    if prev.finite and current.finite:
        t = cubic_minimizer(prev.t, prev.value, prev.slope, current.t, current.value, current.slope)
    t = high if not t > current.t else min(max(t, low), high)   # no minimizer ahead: go far
    return min(t, t_max)


def strong_wolfe(value_and_gradient: ValueAndGradient, x, f0: float, g0, p, c1: float = 1e-4,
                 c2: float = 0.9, t_max: float = 1e6, max_iterations: int = 40,
                 t_first: float = 1.0) -> LineSearchResult:
    """A step length satisfying the strong Wolfe conditions (bracketing from t = t_first, then zoom)."""
    slope0 = float(np.dot(g0, p))
    if not slope0 < 0:
        raise LineSearchFailed("the direction does not go downhill")

    def phi(t: float) -> _Trial:
        xt = x + t * p
        ft, gt = value_and_gradient(xt)
        return _Trial(t, xt, ft, gt, float(np.dot(gt, p)))

    def armijo_fails(trial: _Trial) -> bool:
        return not trial.finite or trial.value > f0 + c1 * trial.t * slope0

    def curvature_holds(trial: _Trial) -> bool:
        return abs(trial.slope) <= -c2 * slope0

    def zoom(lo: _Trial, hi: _Trial) -> LineSearchResult:
        # N&W Alg. 3.6: lo has the least f so far with Armijo's decrease; phi'(lo)(hi - lo) < 0
        widths = [math.inf, math.inf, abs(hi.t - lo.t)]   # the bracket's width, last three trials
        for _ in range(max_iterations):
            trial = phi(_zoom_trial(lo, hi, bisect=widths[-1] > ZOOM_SHRINK * widths[-3]))
            if armijo_fails(trial) or trial.value >= lo.value:
                hi = trial
            else:
                if curvature_holds(trial):
                    return trial.result()
                if trial.slope * (hi.t - lo.t) >= 0:
                    hi = lo
                lo = trial
            widths = widths[1:] + [abs(hi.t - lo.t)]
            if widths[-1] <= np.finfo(float).eps * max(lo.t, hi.t):   # as narrow as floats go
                break
        if lo.t > 0:  # best point with sufficient decrease, curvature condition not met
            return lo.result()
        raise LineSearchFailed("the line search did not converge")

    # N&W Alg. 3.5: longer trials until one is acceptable or a bracket around one is found
    prev = _Trial(0.0, np.asarray(x), f0, np.asarray(g0), slope0)
    t = min(t_first if np.isfinite(t_first) and t_first > 0 else 1.0, t_max)
    for i in range(max_iterations):
        current = phi(t)
        if armijo_fails(current) or (i > 0 and current.value >= prev.value):
            return zoom(prev, current)
        if curvature_holds(current):
            return current.result()
        if current.slope >= 0:
            return zoom(current, prev)
        if t >= t_max:
            break
        prev, t = current, _extrapolation(prev, current, t_max)
    raise LineSearchFailed("the line search found no acceptable step")
