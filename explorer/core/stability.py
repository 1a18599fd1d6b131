"""The quadratic's stability map: how gradient descent and momentum converge when H is constant.

On f(x) = f* + ½ eᵀHe (e = x − x*, H constant) the error along an eigenvector of H with
eigenvalue λ evolves on its own, linearly, by the program's own updates (optimizers.py):

  gd        x ← x − η∇f                  e ← (1 − ηλ) e
  momentum  v ← βv − η∇f,  x ← x + v     (e, v) ← M (e, v),  M = [[1 − ηλ, β], [−ηλ, β]]
            (the heavy ball x_{k+1} = x_k − η∇f(x_k) + β(x_k − x_{k−1}));  μ² − (1 + β − ηλ)μ + β = 0
  nesterov  v ← βv − η∇f(x + βv)         M = [[1 − ηλ, β(1 − ηλ)], [−ηλ, β(1 − ηλ)]]
                                          μ² − (1 + β)(1 − ηλ)μ + β(1 − ηλ) = 0

A direction's per-step decay factor is the spectral radius ρ = max|μ| (|1 − ηλ| for gd); the
method's rate is the largest over the directions, and it converges iff the rate is < 1 (for
momentum: 0 <= β < 1 and 0 < ηλ < 2(1 + β) for every λ). The fastest settings, κ = λmax/λmin:
  gd        η* = 2/(λmin + λmax),                           rate (κ − 1)/(κ + 1)
  momentum  β* = ((√κ − 1)/(√κ + 1))²,  η* = (2/(√λmax + √λmin))²,  rate √β* = (√κ − 1)/(√κ + 1)

A zero eigenvalue (|λ| <= calculus.ZERO_TOLERANCE · max|λ|; all of them when H = 0) is not divergence:
along its eigenvector v the factor is exactly 1 and ∇f·v is the same everywhere (Hv = 0). If that slope
is 0, f is flat along v: a line of minima ((x − y)², x²), and the error along v neither grows nor shrinks,
so the run converges to the point of the line it reaches (the rate and the fastest settings are those of
the curved directions). If the slope is not 0 (a plane, x² + y), f has no minimum: the run moves on along v
at a steady pace for ever.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from explorer.core.calculus import ZERO_TOLERANCE
from explorer.core.methods import METHODS as OPTIMIZERS

METHODS = ("gd", "momentum", "nesterov")
QUADRATIC_TOLERANCE = 1e-9   # relative: Hessians this close everywhere tested are one constant Hessian


@dataclass(frozen=True)
class QuadraticForm:
    """Whether f is quadratic (its Hessian the same wherever tested), and that Hessian."""

    is_quadratic: bool
    reason: str                        # one sentence saying so, and why
    hessian: np.ndarray                # at the first point tested
    eigenvalues: np.ndarray            # ascending
    eigenvectors: np.ndarray           # columns
    minimizer: np.ndarray | None       # x* = x − H⁻¹∇f when H is positive definite
    slopes: np.ndarray                 # ∇f·v along each eigenvector v (constant along a flat one: Hv = 0)

    @property
    def positive_definite(self) -> bool:
        return bool(np.all(np.isfinite(self.eigenvalues)) and self.eigenvalues[0] > 0)

    @property
    def flat(self) -> np.ndarray:
        """Per eigenvalue: zero within the relative tolerance (every one when H = 0)."""
        lam = np.abs(self.eigenvalues)
        return lam <= ZERO_TOLERANCE * float(np.max(lam, initial=0.0))

    @property
    def falls_for_ever(self) -> bool:
        """A flat direction along which f still slopes: f has no minimum, the run moves on at a steady pace."""
        return bool(np.any(self.flat & (np.abs(self.slopes) > 0)))

    @property
    def has_minimum(self) -> bool:
        """A minimum point, or a line (or plane) of minima: no negative curvature and no slope along a flat way."""
        lam = self.eigenvalues
        return bool(np.all(np.isfinite(lam)) and np.all(self.flat | (lam > 0)) and not self.falls_for_ever)


def quadratic_form(objective, x_range=(-3.0, 3.0), y_range=(-3.0, 3.0), points=None) -> QuadraticForm:
    """Test whether f is quadratic: its autograd Hessian at a 4 × 4 grid over the ranges (or at `points`)."""
    if points is None:
        X, Y = np.meshgrid(np.linspace(*x_range, 4), np.linspace(*y_range, 4), indexing="ij")
        points = np.c_[X.ravel(), Y.ravel()] + 1e-3 * np.array([np.sqrt(2), np.sqrt(3)])   # off the symmetry lines
    points = np.asarray(points, dtype=float)
    found = [objective.derivatives(p) for p in points]
    _, g0, h0 = found[0]
    h0 = 0.5 * h0 + 0.5 * h0.T
    if not (np.all(np.isfinite(h0)) and np.isfinite(g0).all()):
        nan = np.full(len(g0), np.nan)
        return QuadraticForm(False, f"f is not quadratic: its Hessian is not finite at ({_numbers(points[0])})",
                             h0, nan, np.diag(nan), None, nan)
    lam, vectors = np.linalg.eigh(h0)
    scale = max(1.0, float(np.max(np.abs(h0))))
    for p, (_, _, h) in zip(points[1:], found[1:]):
        if not np.all(np.abs(h - h0) <= QUADRATIC_TOLERANCE * scale):
            reason = (f"f is not quadratic: its Hessian at ({_numbers(points[0])}) is {_matrix(h0)} "
                      f"but at ({_numbers(p)}) it is {_matrix(h)}")
            return QuadraticForm(False, reason, h0, lam, vectors, None, vectors.T @ g0)
    minimizer = points[0] - np.linalg.solve(h0, g0) if lam[0] > 0 else None
    form = QuadraticForm(True, "", h0, lam, vectors, minimizer, _flat_slopes(lam, vectors, g0, points[0]))
    reason = f"f is quadratic: its Hessian is {_matrix(h0)} at every point tested (eigenvalues {_numbers(lam)})"
    return QuadraticForm(True, reason + _kind_of_minimum(form), h0, lam, vectors, minimizer, form.slopes)


def _flat_slopes(lam, vectors, gradient, point) -> np.ndarray:
    """∇f·v per eigenvector; along a flat one a slope within rounding of ∇f (~1e-9 of its size) is 0."""
    slopes = vectors.T @ gradient
    size = float(np.linalg.norm(gradient)) + float(np.max(np.abs(lam), initial=0.0)) * float(np.linalg.norm(point))
    return np.where(np.abs(slopes) <= QUADRATIC_TOLERANCE * size, 0.0, slopes)


def _kind_of_minimum(form: QuadraticForm) -> str:
    """The end of the reason: what minimum f has, if any."""
    lam, flat = form.eigenvalues, form.flat
    if np.any(~flat & (lam < 0)):
        return "; it has a negative eigenvalue, so f has no minimum and no learning rate converges"
    if form.falls_for_ever:
        slope = float(np.linalg.norm(form.slopes[flat]))
        if flat.all():
            return f"; f is linear (H = 0) with slope {slope:.4g}, so f has no minimum"
        return f"; an eigenvalue is zero and f falls with slope {slope:.4g} along its eigenvector, so f has no minimum"
    if flat.all():
        return "; f is constant: every point is a minimum"
    if flat.any():
        return "; an eigenvalue is zero and f is level along its eigenvector: a line of minima"
    return ""


def settings_of(method: str, settings: Mapping[str, float] | None = None) -> dict[str, float]:
    """The method's lr and momentum: `settings` over optimizers.py's defaults."""
    if method not in METHODS:
        raise ValueError(f"no stability map for '{method}' (only {', '.join(METHODS)})")
    full = dict(OPTIMIZERS[method].hyperparameters())
    full.update(settings or {})
    return {k: float(v) for k, v in full.items() if k in ("lr", "momentum")}


def iteration_matrix(method: str, eigenvalue: float, **settings) -> np.ndarray:
    """M with (e, v) ← M (e, v) along one eigendirection (1 × 1 for gd: e ← (1 − ηλ) e)."""
    s = settings_of(method, settings)
    a = s["lr"] * float(eigenvalue)
    if method == "gd":
        return np.array([[1.0 - a]])
    b = s["momentum"]
    if method == "momentum":
        return np.array([[1.0 - a, b], [-a, b]])
    return np.array([[1.0 - a, b * (1.0 - a)], [-a, b * (1.0 - a)]])


def decay_factors(method: str, eigenvalues, **settings) -> np.ndarray:
    """Per eigendirection, the factor by which the error shrinks each step in the long run (ρ)."""
    s = settings_of(method, settings)
    lam = np.asarray(eigenvalues, dtype=float)
    return _spectral_radius(method, s["lr"], s.get("momentum", 0.0), lam)


def convergence_rate(method: str, eigenvalues, **settings) -> float:
    """The method's per-step rate: the slowest direction's decay factor (< 1: it converges)."""
    return float(np.max(decay_factors(method, eigenvalues, **settings)))


def error_decay(method: str, eigenvalues, steps: int, **settings) -> np.ndarray:
    """(steps + 1, n): e_k / e_0 along each eigendirection from rest (v₀ = 0), signs kept (gd may flip)."""
    out = np.empty((steps + 1, len(np.atleast_1d(eigenvalues))))
    for i, lam in enumerate(np.atleast_1d(eigenvalues)):
        m = iteration_matrix(method, lam, **settings)
        z = np.zeros(len(m))
        z[0] = 1.0
        out[0, i] = 1.0
        for k in range(1, steps + 1):
            z = m @ z
            out[k, i] = z[0]
    return out


def rate_map(method: str, eigenvalues, learning_rates, momenta) -> np.ndarray:
    """(len(learning_rates), len(momenta)): the rate at every (η, β); < 1 is the region that converges."""
    lr = np.asarray(learning_rates, dtype=float)[:, None, None]
    beta = np.asarray(momenta, dtype=float)[None, :, None]
    lam = np.asarray(eigenvalues, dtype=float)[None, None, :]
    return _spectral_radius(method, lr, beta, lam).max(axis=-1)


def optimal_settings(method: str, eigenvalues) -> dict[str, float]:
    """The fastest settings on this quadratic, by optimizers.py's names (module docstring)."""
    lo, hi = _extremes(eigenvalues)
    if method == "gd":
        return {"lr": 2.0 / (lo + hi)}
    if method == "momentum":
        kappa = hi / lo
        return {"lr": (2.0 / (np.sqrt(hi) + np.sqrt(lo)))**2,
                "momentum": ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1))**2}
    raise ValueError(f"no closed-form optimal settings for '{method}' (only gd and momentum)")


def optimal_rate(method: str, eigenvalues) -> float:
    """The rate at `optimal_settings`: (κ − 1)/(κ + 1) for gd, (√κ − 1)/(√κ + 1) for momentum."""
    lo, hi = _extremes(eigenvalues)
    kappa = hi / lo
    root = np.sqrt(kappa) if method == "momentum" else kappa
    return float((root - 1) / (root + 1))


@dataclass(frozen=True)
class Stability:
    """Everything the stability view shows for one run's method and settings on a quadratic."""

    form: QuadraticForm
    method: str
    settings: dict[str, float]        # lr (and momentum) in use
    factors: np.ndarray               # per eigendirection (ascending eigenvalues)
    rate: float                       # the slowest curved direction's factor (0 when none is curved)
    optimal: dict[str, float] | None  # None where f is not a positive definite quadratic
    best_rate: float | None

    @property
    def converges(self) -> bool:
        """The run comes to rest at a minimum (a point of the line of minima where f has one)."""
        return self.form.has_minimum and self.rate < 1

    @property
    def curved_eigenvalues(self) -> np.ndarray:
        """The eigenvalues that are not zero: the directions whose error can shrink or grow."""
        return self.form.eigenvalues[~self.form.flat]

    def steps_to(self, reduction: float = 1e-6) -> float:
        """Steps for the error to shrink by `reduction` at this rate: log(reduction) / log(rate); inf if never."""
        return float(np.log(reduction) / np.log(self.rate)) if 0 < self.rate < 1 else float("inf")


def stability(objective, method: str, settings: Mapping[str, float] | None = None, x_range=(-3.0, 3.0),
              y_range=(-3.0, 3.0), form: QuadraticForm | None = None) -> Stability | QuadraticForm:
    """The analysis for `method` with `settings`, or, when f is not quadratic, the QuadraticForm saying why
    (`form`: f's quadratic test over the ranges, already made)."""
    form = quadratic_form(objective, x_range, y_range) if form is None else form
    if not form.is_quadratic:
        return form
    s = settings_of(method, settings)
    factors = decay_factors(method, form.eigenvalues, **s)
    curved = ~form.flat
    rate = float(np.max(factors[curved])) if curved.any() else 0.0   # the flat ways' factor is 1: no error to shrink
    optimal = best = None
    if form.has_minimum and curved.any() and method in ("gd", "momentum"):
        lam = form.eigenvalues[curved]
        optimal, best = optimal_settings(method, lam), optimal_rate(method, lam)
    return Stability(form, method, s, factors, rate, optimal, best)


def _spectral_radius(method, lr, beta, lam):
    a = lr * lam
    if method == "gd":
        return np.abs(1.0 - a) + 0.0 * beta
    # roots of μ² − bμ + c: (|b| + √(b² − 4c))/2 when real, √c when complex (then c > 0)
    b, c = (1.0 + beta - a, beta + 0.0 * a) if method == "momentum" else ((1.0 + beta) * (1.0 - a), beta * (1.0 - a))
    disc = b * b - 4.0 * c
    with np.errstate(invalid="ignore"):
        return np.where(disc >= 0, 0.5 * (np.abs(b) + np.sqrt(np.abs(disc))), np.sqrt(np.abs(c)))


def _extremes(eigenvalues) -> tuple[float, float]:
    lam = np.asarray(eigenvalues, dtype=float)
    if not (np.all(np.isfinite(lam)) and lam.min() > 0):
        raise ValueError(f"the Hessian is not positive definite (eigenvalues {_numbers(lam)}): no setting converges")
    return float(lam.min()), float(lam.max())


def _numbers(values) -> str:
    return ", ".join(f"{float(v):.4g}" for v in np.ravel(values))


def _matrix(h) -> str:
    return "[" + ", ".join("[" + _numbers(row) + "]" for row in np.atleast_2d(h)) + "]"
