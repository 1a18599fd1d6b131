"""Newton's method seen through its quadratic model at a point x.

    model        m(x + d) = f + g·d + ½ dᵀH d,         stationary where H d = −g
    pure Newton  steps to x − H⁻¹g: the model's stationary point, whatever it is — the bottom of
                 a bowl, the top of a hill, or a saddle (why it walks onto the saddle of x² − y²)
    damped       H = VΛVᵀ -> VΛ'Vᵀ with λ' = max(|λ|, δ): the modified model is always a bowl; its
                 bottom x + p (p = −VΛ'⁻¹Vᵀg) is where the direction leads, and backtracking
                 (Armijo) stops at x + t p with t = 1, ½, ¼, ...

Everything comes from the objective's autograd derivatives and the optimizers' own rules
(`Newton`'s singular test, `DampedNewton.modified_curvatures`, `line_search.backtracking`), so
the points shown are the points the methods step to.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.calculus import CLASS_NAMES, CONCAVE, CONVEX, SADDLE, curvature_class
from explorer.core.line_search import LineSearchFailed, backtracking
from explorer.core.optimizers import DampedNewton, Newton

KIND_NAMES = {CONVEX: "minimum", CONCAVE: "maximum", SADDLE: "saddle"}   # else the class name: degenerate, undefined


@dataclass(frozen=True)
class QuadraticModel:
    """m(z) = f + g·(z − x) + ½ (z − x)ᵀH(z − x) around x, in the map's own coordinates z."""

    centre: np.ndarray         # x
    value: float               # f(x) = m(x)
    gradient: np.ndarray
    hessian: np.ndarray        # symmetric
    eigenvalues: np.ndarray    # ascending
    eigenvectors: np.ndarray   # columns
    stationary: np.ndarray | None   # where ∇m = 0; None when H is singular (Newton's test)
    kind: str                  # of the stationary point: minimum, saddle, maximum, degenerate, undefined

    @property
    def stationary_value(self) -> float | None:
        return None if self.stationary is None else float(self.values(*self.stationary))

    def values(self, *z) -> np.ndarray:
        """m at points given coordinate by coordinate (arrays broadcast): m(X, Y) on a whole grid."""
        d = [np.asarray(c, dtype=float) - c0 for c, c0 in zip(z, self.centre)]
        n = len(d)
        linear = sum(self.gradient[i] * d[i] for i in range(n))
        curvature = sum(self.hessian[i, j] * d[i] * d[j] for i in range(n) for j in range(n))
        return self.value + linear + 0.5 * curvature

    def levels(self, count: int = 9) -> np.ndarray:
        """Contour values: m* + r·s·|s| for s evenly in [−1.5, 1.5] (those the model reaches), r = |m(x) − m*|,
        so one level runs through x and, for a saddle, one through the stationary point (the cross)."""
        if self.stationary is None or not np.isfinite(self.stationary_value):
            r = float(np.linalg.norm(self.gradient)) or 1.0
            return self.value + r * np.linspace(-1.5, 1.5, count)
        low = self.stationary_value
        r = abs(self.value - low) or 1.0
        s = np.linspace(-1.5, 1.5, count)
        if self.kind == "minimum":
            s = np.linspace(0, 1.5, count + 1)[1:]
        elif self.kind == "maximum":
            s = -np.linspace(0, 1.5, count + 1)[1:][::-1]
        return np.union1d(low + r * s * np.abs(s), [self.value])


@dataclass(frozen=True)
class NewtonGeometry:
    """Both methods' view from x: the true model and where pure Newton lands; the modified model and
    where damped Newton's backtracking stops."""

    model: QuadraticModel
    newton_point: np.ndarray | None     # x − H⁻¹g; None where H is singular (pure Newton stops)
    modified: QuadraticModel | None     # damped Newton's bowl; None where H is not finite
    direction: np.ndarray | None        # p, damped Newton's direction (modified.stationary − x)
    damped_point: np.ndarray | None     # x + t p after backtracking; None when the search fails
    step_length: float | None           # t

    @property
    def summary(self) -> str:
        """One sentence on what the two methods do here."""
        kind = self.model.kind
        if self.newton_point is None:
            pure = "the Hessian is singular: the model has no single stationary point, and pure Newton stops"
        else:
            article = "an" if kind[0] in "aeiou" else "a"
            pure = f"the model's stationary point is {article} {kind}: pure Newton steps onto it"
            if kind != "minimum":
                pure += " (towards a point that is not a minimum)"
        damped = ("damped Newton's |λ| model is a bowl, so its step goes downhill"
                  if self.modified is not None else "damped Newton cannot step here")
        return f"{pure}; {damped}"


def newton_geometry(objective, point, singular_tolerance: float = Newton.singular_tolerance,
                    min_curvature: float = DampedNewton.min_curvature, c1: float = DampedNewton.c1) -> NewtonGeometry:
    """The geometry at `point`, with the methods' settings by optimizers.py's names."""
    x = np.asarray(point, dtype=float).reshape(-1)
    f, g, h = objective.derivatives(x)
    model = _model(x, f, g, h, None)
    if not np.all(np.isfinite(h)):
        return NewtonGeometry(model, None, None, None, None, None)
    lam = np.linalg.eigvalsh(h)
    newton_point = None
    if np.min(np.abs(lam)) > singular_tolerance * max(1.0, np.max(np.abs(lam))):   # Newton's own test
        newton_point = x - np.linalg.solve(h, g)
    model = _model(x, f, g, h, newton_point)

    _, vectors, bent = DampedNewton(objective, min_curvature, c1).modified_curvatures(h)
    p = -vectors @ ((vectors.T @ g) / bent)
    modified = _model(x, f, g, vectors @ np.diag(bent) @ vectors.T, x + p)
    try:
        t, damped_point, _ = backtracking(objective.value, x, f, g, p, c1)
    except LineSearchFailed:
        t, damped_point = None, None
    return NewtonGeometry(model, newton_point, modified, p, damped_point, t)


def geometry_of_run(run, position: int | None = None) -> NewtonGeometry:
    """The geometry at a trajectory.Run's state (default: the one on show), with the run's settings
    where its method has them (Newton's, damped Newton's), the defaults otherwise."""
    state = run.states[run.position if position is None else position]
    settings = {k: v for k, v in run.optimizer.settings().items() if k in ("singular_tolerance", "min_curvature", "c1")}
    if run.method not in ("newton", "damped-newton"):
        settings = {}
    return newton_geometry(run.objective, state.point, **settings)


def _model(x, f, g, h, stationary) -> QuadraticModel:
    symmetric = 0.5 * h + 0.5 * h.T
    if np.all(np.isfinite(symmetric)):
        lam, vectors = np.linalg.eigh(symmetric)
        code = curvature_class(lam)
    else:
        lam, vectors, code = np.full(len(x), np.nan), np.full((len(x), len(x)), np.nan), curvature_class([np.nan])
    kind = KIND_NAMES.get(code, CLASS_NAMES[code])
    return QuadraticModel(x, float(f), np.asarray(g, float), symmetric, lam, vectors, stationary, kind)
