"""The methods that step on any function f: gradient descent, momentum, Nesterov, RMSProp, AdaGrad, Adam,
Newton, damped Newton, BFGS and conjugate gradient (core.optimizer_base: the interface and the counting;
core.methods: the table of every method by name)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from explorer.core.line_search import LineSearchFailed, backtracking, strong_wolfe
from explorer.core.optimizer_base import Optimizer, StepFailed


@dataclass
class GradientDescent(Optimizer):
    lr: float = 0.01
    name: ClassVar[str] = "gd"
    title: ClassVar[str] = "gradient descent"
    first_order: ClassVar[bool] = True

    def step(self, state):
        # x ← x − η ∇f   (η = η_t with a schedule; ∇f the batch's mean gradient with mini-batches)
        return self.moved_to(state, state.point - self.rate(state.iteration) * self.step_gradient(state))


@dataclass
class Momentum(Optimizer):
    lr: float = 0.01
    momentum: float = 0.9
    name: ClassVar[str] = "momentum"
    title: ClassVar[str] = "heavy-ball momentum"
    first_order: ClassVar[bool] = True

    def initial_memory(self, x):
        return {"velocity": np.zeros_like(x)}

    def method_state(self, state):
        return {"velocity": state.memory["velocity"]}

    def step(self, state):
        # v ← βv − η∇f,  x ← x + v
        v = self.momentum * state.memory["velocity"] - self.rate(state.iteration) * self.step_gradient(state)
        return self.moved_to(state, state.point + v, {"velocity": v})


@dataclass
class Nesterov(Momentum):
    """Momentum whose gradient is taken where the velocity is about to carry the point."""

    name: ClassVar[str] = "nesterov"
    title: ClassVar[str] = "Nesterov momentum"

    def step(self, state):
        # v ← βv − η∇f(x + βv),  x ← x + v
        v0 = state.memory["velocity"]
        ahead = self.gradient_at(state.point + self.momentum * v0, state.iteration)
        v = self.momentum * v0 - self.rate(state.iteration) * ahead
        return self.moved_to(state, state.point + v, {"velocity": v})


@dataclass
class RMSProp(Optimizer):
    lr: float = 0.01
    decay: float = 0.9
    eps: float = 1e-8
    name: ClassVar[str] = "rmsprop"
    title: ClassVar[str] = "RMSProp"
    first_order: ClassVar[bool] = True

    def initial_memory(self, x):
        return {"mean_square": np.zeros_like(x)}

    def method_state(self, state):
        return {"v": state.memory["mean_square"]}   # the running mean of g², per coordinate

    def step(self, state):
        # s ← ρs + (1−ρ)g²,  x ← x − η g / (√s + ε)
        g = self.step_gradient(state)
        s = self.decay * state.memory["mean_square"] + (1 - self.decay) * g * g
        lr = self.rate(state.iteration)
        return self.moved_to(state, state.point - lr * g / (np.sqrt(s) + self.eps), {"mean_square": s})


@dataclass
class AdaGrad(Optimizer):
    lr: float = 0.5
    eps: float = 1e-8
    name: ClassVar[str] = "adagrad"
    title: ClassVar[str] = "AdaGrad"
    first_order: ClassVar[bool] = True

    def initial_memory(self, x):
        return {"sum_sq": np.zeros_like(x)}

    def method_state(self, state):
        return {"sum_sq": state.memory["sum_sq"]}   # Σ g² so far, per coordinate

    def step(self, state):
        # Duchi, Hazan & Singer: G ← G + g²,  x ← x − η g / (√G + ε)
        g = self.step_gradient(state)
        total = state.memory["sum_sq"] + g * g
        lr = self.rate(state.iteration)
        return self.moved_to(state, state.point - lr * g / (np.sqrt(total) + self.eps), {"sum_sq": total})


@dataclass
class Adam(Optimizer):
    lr: float = 0.05
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    name: ClassVar[str] = "adam"
    title: ClassVar[str] = "Adam"
    first_order: ClassVar[bool] = True

    def initial_memory(self, x):
        return {"m": np.zeros_like(x), "v": np.zeros_like(x)}

    def method_state(self, state):
        """m and v after `state.iteration` updates and their bias corrections m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)
        (zero before the first step)."""
        m, v, t = state.memory["m"], state.memory["v"], state.iteration
        if t == 0:
            return {"m": m, "v": v, "m_hat": np.zeros_like(m), "v_hat": np.zeros_like(v)}
        return {"m": m, "v": v, "m_hat": m / (1 - self.beta1**t), "v_hat": v / (1 - self.beta2**t)}

    def step(self, state):
        # Kingma & Ba: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², bias-corrected m̂, v̂; x ← x − η m̂/(√v̂ + ε)
        g, t = self.step_gradient(state), state.iteration + 1
        m = self.beta1 * state.memory["m"] + (1 - self.beta1) * g
        v = self.beta2 * state.memory["v"] + (1 - self.beta2) * g * g
        m_hat, v_hat = m / (1 - self.beta1**t), v / (1 - self.beta2**t)
        lr = self.rate(state.iteration)
        return self.moved_to(state, state.point - lr * m_hat / (np.sqrt(v_hat) + self.eps), {"m": m, "v": v})


@dataclass
class Newton(Optimizer):
    singular_tolerance: float = 1e-12
    name: ClassVar[str] = "newton"
    title: ClassVar[str] = "Newton (pure)"

    def step(self, state):
        # Newton: p = −H⁻¹∇f, full step, whatever the curvature (so it can walk onto a saddle)
        _, g, h = self.evaluate.derivatives(state.point)
        if not np.all(np.isfinite(h)):
            raise StepFailed("diverged", "the Hessian is not finite here")
        lam = np.linalg.eigvalsh(h)
        if np.min(np.abs(lam)) <= self.singular_tolerance * max(1.0, np.max(np.abs(lam))):
            raise StepFailed("singular Hessian",
                             f"the Hessian is singular here (eigenvalues {lam[0]:.3g}, {lam[-1]:.3g}): "
                             "the Newton step is undefined")
        return self.moved_to(state, state.point - np.linalg.solve(h, g))


@dataclass
class DampedNewton(Optimizer):
    min_curvature: float = 1e-6
    c1: float = 1e-4
    name: ClassVar[str] = "damped-newton"
    title: ClassVar[str] = "damped Newton"

    def step(self, state):
        # eigenvalue modification: H = VΛVᵀ -> VΛ'Vᵀ with λ' = max(|λ|, δ), always positive definite,
        # so p = −VΛ'⁻¹Vᵀ∇f goes downhill; then backtracking until Armijo's decrease holds
        _, g, h = self.evaluate.derivatives(state.point)
        if not np.all(np.isfinite(h)):
            raise StepFailed("diverged", "the Hessian is not finite here")
        lam, vectors, modified = self.modified_curvatures(h)
        p = -vectors @ ((vectors.T @ g) / modified)
        try:
            t, x_new, f_new = backtracking(self.evaluate.value, state.point, state.value, g, p, self.c1)
        except LineSearchFailed as err:
            raise StepFailed("line search failed", str(err)) from None
        return self.moved_to(state, x_new, {"step_length": t})

    def modified_curvatures(self, h) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Eigenvalues λ (ascending), eigenvectors (columns) of ½(H + Hᵀ), and λ' = max(|λ|, δ)."""
        lam, vectors = np.linalg.eigh(0.5 * (h + h.T))
        delta = self.min_curvature * max(1.0, float(np.max(np.abs(lam))))
        return lam, vectors, np.maximum(np.abs(lam), delta)


@dataclass
class BFGS(Optimizer):
    c1: float = 1e-4
    c2: float = 0.9
    name: ClassVar[str] = "bfgs"
    title: ClassVar[str] = "BFGS"

    def initial_memory(self, x):
        return {"inverse_hessian": np.eye(x.size), "scaled": False}

    def method_state(self, state):
        return {"inverse_hessian": state.memory["inverse_hessian"]}   # the next step is −H·∇f with this H

    def step(self, state):
        hinv, g = state.memory["inverse_hessian"], state.gradient
        p = -hinv @ g
        try:
            ls = strong_wolfe(self.evaluate.value_and_gradient, state.point, state.value, g, p, self.c1, self.c2)
        except LineSearchFailed as err:
            raise StepFailed("line search failed", str(err)) from None
        s, y = ls.point - state.point, ls.gradient - g
        sy = float(s @ y)
        scaled = state.memory["scaled"]
        if sy > 1e-12 * np.linalg.norm(s) * np.linalg.norm(y):
            if not scaled:  # Nocedal & Wright (6.20): H₀ = (yᵀs / yᵀy) I before the first update
                hinv, scaled = np.eye(s.size) * sy / float(y @ y), True
            # H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ,  ρ = 1 / yᵀs
            rho = 1.0 / sy
            a = np.eye(s.size) - rho * np.outer(s, y)
            hinv = a @ hinv @ a.T + rho * np.outer(s, s)
        memory = {"inverse_hessian": hinv, "scaled": scaled, "step_length": ls.t}
        return self.moved_to(state, ls.point, memory, ls.value, ls.gradient)


@dataclass
class ConjugateGradient(Optimizer):
    c1: float = 1e-4
    c2: float = 0.1
    name: ClassVar[str] = "cg"
    title: ClassVar[str] = "conjugate gradient (PR+)"

    def initial_memory(self, x):
        return {"direction": None, "beta": None}

    def method_state(self, state):
        """The direction the next step searches along (−∇f at the start) and the β that made it (None at the
        start and after a restart's steepest descent)."""
        d = state.memory["direction"]
        return {"direction": -state.gradient if d is None else d, "beta": state.memory.get("beta")}

    def step(self, state):
        g = state.gradient
        d = state.memory["direction"]
        d = -g if d is None or float(g @ d) >= 0 else d  # restart with steepest descent if not downhill
        # first trial: the exact minimiser along d of the quadratic model, α = −gᵀd / dᵀHd (a Hessian-vector
        # product, counted). On a quadratic it is exact and meets strong Wolfe at once, so the directions stay
        # H-conjugate and CG ends in n steps whatever κ; elsewhere it is a good first guess (1 where dᵀHd <= 0)
        curvature = self.evaluate.curvature_along(state.point, d)
        alpha = -float(g @ d) / curvature if np.isfinite(curvature) and curvature > 0 else 1.0
        try:
            ls = strong_wolfe(self.evaluate.value_and_gradient, state.point, state.value, g, d, self.c1, self.c2,
                              t_first=alpha)
        except LineSearchFailed as err:
            raise StepFailed("line search failed", str(err)) from None
        # Polak–Ribière+: β = max(0, g₁ᵀ(g₁ − g₀) / g₀ᵀg₀),  d ← −g₁ + βd
        beta = max(0.0, float(ls.gradient @ (ls.gradient - g)) / float(g @ g))
        memory = {"direction": -ls.gradient + beta * d, "beta": beta, "step_length": ls.t}
        return self.moved_to(state, ls.point, memory, ls.value, ls.gradient)
