"""A trust-region Newton method: the quadratic model m(p) = f + gᵀp + ½pᵀHp with the exact Hessian (autograd),
trusted within a radius Δ and minimised there by Steihaug's truncated CG (Nocedal & Wright, Alg. 7.2); the radius
follows the ratio ρ = actual / predicted decrease (N&W Alg. 4.1)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from explorer.core.optimizer_base import Optimizer, StepFailed

ETA = 0.1              # a step is accepted when ρ > ETA
MAX_REJECTIONS = 60    # radius quartered this often without an accepted step: the region has collapsed
COLLAPSED = "trust region collapsed"


def to_boundary(z: np.ndarray, d: np.ndarray, radius: float) -> np.ndarray:
    """z + τd with τ >= 0 and |z + τd| = radius."""
    a, b, c = float(d @ d), 2.0 * float(z @ d), float(z @ z) - radius * radius
    tau = (-b + np.sqrt(max(b * b - 4 * a * c, 0.0))) / (2 * a)
    return z + tau * d


def steihaug(g: np.ndarray, h: np.ndarray, radius: float) -> np.ndarray:
    """An approximate minimiser of gᵀp + ½pᵀHp over |p| <= radius: CG from p = 0, stopped at the boundary or at
    a direction of negative curvature (then followed to the boundary: how an indefinite H is escaped)."""
    z, r = np.zeros_like(g), g.copy()
    if not np.any(g):
        return z
    d = -r
    tolerance = min(0.5, np.sqrt(np.linalg.norm(g))) * np.linalg.norm(g)
    for _ in range(2 * g.size + 1):
        hd = h @ d
        curvature = float(d @ hd)
        if curvature <= 0:
            return to_boundary(z, d, radius)
        alpha = float(r @ r) / curvature
        z_next = z + alpha * d
        if np.linalg.norm(z_next) >= radius:
            return to_boundary(z, d, radius)
        r_next = r + alpha * hd
        if np.linalg.norm(r_next) <= tolerance:
            return z_next
        d = -r_next + float(r_next @ r_next) / float(r @ r) * d
        z, r = z_next, r_next
    return z


@dataclass
class TrustRegion(Optimizer):
    radius: float = 1.0         # Δ₀
    max_radius: float = 100.0   # Δ never grows past this
    name: ClassVar[str] = "trust-region"
    title: ClassVar[str] = "trust-region Newton (Steihaug-CG)"

    def initial_memory(self, x):
        return {"radius": self.radius}

    def method_state(self, state):
        """The radius the next step trusts; after a step also that step, the radius it was taken within
        ("step_radius"), its predicted and actual decrease and how many trials were rejected (the radius
        quartered each time) before it was accepted."""
        return dict(state.memory)

    def step(self, state):
        _, g, h = self.evaluate.derivatives(state.point)
        if not np.all(np.isfinite(h)):
            raise StepFailed("diverged", "the Hessian is not finite here")
        radius = state.memory["radius"]
        for rejected in range(MAX_REJECTIONS):
            p = steihaug(g, h, radius)
            predicted = -(float(g @ p) + 0.5 * float(p @ h @ p))   # m(0) − m(p)
            trial = state.point + p
            actual = state.value - self.evaluate.value(trial)
            rho = actual / predicted if predicted > 0 and np.isfinite(actual) else -np.inf
            on_boundary = np.linalg.norm(p) >= 0.999 * radius
            if rho < 0.25:
                next_radius = 0.25 * radius
            elif rho > 0.75 and on_boundary:
                next_radius = min(2.0 * radius, self.max_radius)
            else:
                next_radius = radius
            if rho > ETA:
                memory = {"radius": next_radius, "step": p, "step_radius": radius, "model_decrease": predicted,
                          "actual_decrease": actual, "rejected": rejected}
                return self.moved_to(state, trial, memory)
            radius = next_radius
        raise StepFailed(COLLAPSED, f"no step within radius {radius:.3g} decreased f as the model predicted "
                                    f"({MAX_REJECTIONS} trials)")
