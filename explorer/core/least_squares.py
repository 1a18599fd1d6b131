"""Gauss–Newton and Levenberg–Marquardt: methods for a fit given as residuals r(θ) over the rows.

The loss is L(θ) = (1/n) Σᵢ rᵢ(θ)², J the n×k Jacobian of r (autograd, one reverse pass:
core.fit). Its gradient is ∇L = (2/n) Jᵀr and its Hessian

    ∇²L = (2/n) (JᵀJ + Σᵢ rᵢ ∇²rᵢ)

Gauss–Newton drops the second term: it models L by its first-order residual model and steps to
that model's minimum, p = −(JᵀJ)⁻¹Jᵀr (solved by least squares on J, not by forming JᵀJ). On a
linear model the dropped term is zero, so one step lands on the least-squares answer.

Levenberg–Marquardt adds a damping μ ≥ 0: (JᵀJ + μI) p = −Jᵀr, a short gradient-like step while μ
is large and Gauss–Newton's as μ → 0. The rule is Nielsen's (Madsen, Nielsen & Tingleff, "Methods
for non-linear least squares problems", 2004, algorithm 3.16), with F = ½‖r‖²:

    μ₀ = τ · max diag(JᵀJ)           τ = `damping` (default 1e-3), ν = 2
    ρ  = (F(θ) − F(θ + p)) / (½ pᵀ(μp − Jᵀr))     actual over predicted decrease
    ρ > 0: accept θ + p;  μ ← μ · max(1/3, 1 − (2ρ − 1)³),  ν ← 2
    else:  reject;        μ ← μ · ν,  ν ← 2ν, and solve again (one step may try several μ)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from explorer.core.expression import ERRORS
from explorer.core.optimizer_base import Optimizer, StepFailed

SINGULAR_JTJ = "singular JᵀJ"
NO_DECREASE = "no decrease"
MAX_TRIALS = 30    # a rejected trial multiplies μ by ν = 2, 4, 8, ...: after 30, by 2⁴⁶⁵ — past any useful step


def _check_least_squares(objective, name: str) -> None:
    if objective is not None and not hasattr(objective, "residuals_and_jacobian"):
        raise ValueError(f"{name} needs a fit given as residuals (--residual EXPR): the loss alone does not say "
                         "what its residuals are")


def dropped_term(hessian, gauss_newton) -> tuple[np.ndarray, float]:
    """What Gauss–Newton drops of the loss's Hessian, H − (2/n)·JᵀJ = (2/n)·Σ rᵢ∇²rᵢ, and its size beside
    H's: ‖H − GN‖ / ‖H‖ (Frobenius; ‖H − GN‖ itself where H = 0). Zero where every rᵢ is linear."""
    hessian = np.asarray(hessian, dtype=float)
    with np.errstate(**ERRORS):
        dropped = hessian - np.asarray(gauss_newton, dtype=float)
        size, gap = float(np.linalg.norm(hessian)), float(np.linalg.norm(dropped))
        return dropped, gap / size if size > 0 else gap


def _finite(r, jac) -> None:
    if not (np.all(np.isfinite(r)) and np.all(np.isfinite(jac))):
        raise StepFailed("diverged", "the residuals or their Jacobian are not finite here")


@dataclass
class GaussNewton(Optimizer):
    singular_tolerance: float = 1e-12
    name: ClassVar[str] = "gauss-newton"
    title: ClassVar[str] = "Gauss–Newton"

    def __post_init__(self):
        _check_least_squares(self.objective, self.name)

    def step(self, state):
        # p = −(JᵀJ)⁻¹Jᵀr: the least-squares solution of J p = −r
        r, jac = self.evaluate.residuals_and_jacobian(state.point)
        _finite(r, jac)
        sigma = np.linalg.svd(jac, compute_uv=False)
        if sigma.size < state.point.size or sigma[-1] <= self.singular_tolerance * max(1.0, sigma[0]):
            low = sigma[-1] if sigma.size == state.point.size else 0.0
            raise StepFailed(SINGULAR_JTJ, f"JᵀJ is singular here (the Jacobian's singular values {sigma[0]:.3g} … "
                                           f"{low:.3g}): the Gauss–Newton step is undefined")
        p = -np.linalg.lstsq(jac, r, rcond=None)[0]
        return self.moved_to(state, state.point + p)


@dataclass
class LevenbergMarquardt(Optimizer):
    damping: float = 1e-3
    name: ClassVar[str] = "levenberg-marquardt"
    title: ClassVar[str] = "Levenberg–Marquardt"

    def __post_init__(self):
        _check_least_squares(self.objective, self.name)

    def step(self, state):
        r, jac = self.evaluate.residuals_and_jacobian(state.point)
        _finite(r, jac)
        a, g = jac.T @ jac, jac.T @ r
        mu = state.memory.get("mu")
        mu = self.damping * float(np.max(np.diag(a))) if mu is None else mu
        mu = mu if mu > 0 else self.damping   # J = 0 here: any positive start will do
        nu = 2.0
        half_square = 0.5 * float(r @ r)
        with np.errstate(all="ignore"):
            return self._damped_step(state, a, g, mu, nu, half_square)

    def _damped_step(self, state, a, g, mu, nu, half_square):
        for tried in range(1, MAX_TRIALS + 1):
            # (JᵀJ + μI) p = −Jᵀr
            try:
                p = np.linalg.solve(a + mu * np.eye(len(g)), -g)
            except np.linalg.LinAlgError:
                p = None
            if p is not None and np.all(np.isfinite(p)):
                trial = state.point + p
                r_new = self.evaluate.residuals(trial)
                predicted = 0.5 * float(p @ (mu * p - g))
                actual = half_square - 0.5 * float(r_new @ r_new)
                if np.all(np.isfinite(r_new)) and predicted > 0 and actual > 0:
                    rho = actual / predicted
                    mu = mu * max(1 / 3, 1 - (2 * rho - 1) ** 3)
                    return self.moved_to(state, trial, {"mu": mu, "trials": tried})
            mu, nu = mu * nu, 2 * nu
        raise StepFailed(NO_DECREASE, f"no damping μ up to {mu:.3g} ({MAX_TRIALS} trials) found a step that "
                                      f"decreases the loss (|∇L| = {np.linalg.norm(state.gradient):.2g}): it "
                                      "cannot fall further in floating point here, or r is not smooth here")
