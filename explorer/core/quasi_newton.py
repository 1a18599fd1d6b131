"""L-BFGS: BFGS that keeps only the last m pairs (s, y) and applies its inverse Hessian by the two-loop
recursion (Nocedal & Wright, Alg. 7.4 and 7.5), with BFGS's strong-Wolfe line search."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from explorer.core.line_search import LineSearchFailed, strong_wolfe
from explorer.core.optimizer_base import Optimizer, StepFailed

DRAWN_LIMIT = 64   # parameters: up to this the n×n matrix the recursion applies is formed for drawing


def two_loop(pairs, q: np.ndarray) -> np.ndarray:
    """H·q for the L-BFGS inverse Hessian of `pairs` ((s, y), oldest first) with H₀ = (sᵀy / yᵀy)·I of the
    newest pair (I without pairs)."""
    q = np.array(q, dtype=float)
    alphas = []
    for s, y in reversed(pairs):                      # newest first: α = ρ sᵀq, q ← q − α y
        alpha = float(s @ q) / float(s @ y)
        alphas.append(alpha)
        q -= alpha * y
    if pairs:
        s, y = pairs[-1]
        q *= float(s @ y) / float(y @ y)
    for (s, y), alpha in zip(pairs, reversed(alphas)):   # oldest first: β = ρ yᵀr, r ← r + (α − β) s
        beta = float(y @ q) / float(s @ y)
        q += (alpha - beta) * s
    return q


@dataclass
class LBFGS(Optimizer):
    memory: float = 10      # m: the pairs kept (a whole number >= 1; core.methods checks it)
    c1: float = 1e-4
    c2: float = 0.9
    name: ClassVar[str] = "l-bfgs"
    title: ClassVar[str] = "L-BFGS"

    def initial_memory(self, x):
        return {"pairs": ()}

    def method_state(self, state):
        """The pairs used ("memory") and, for n <= DRAWN_LIMIT, the matrix H the next step −H·∇f applies."""
        pairs = state.memory["pairs"]
        out = {"memory": len(pairs)}
        n = state.point.size
        if n <= DRAWN_LIMIT:
            out["inverse_hessian"] = np.column_stack([two_loop(pairs, e) for e in np.eye(n)])
        return out

    def step(self, state):
        g, pairs = state.gradient, state.memory["pairs"]
        p = -two_loop(pairs, g)
        try:
            ls = strong_wolfe(self.evaluate.value_and_gradient, state.point, state.value, g, p, self.c1, self.c2)
        except LineSearchFailed as err:
            raise StepFailed("line search failed", str(err)) from None
        s, y = ls.point - state.point, ls.gradient - g
        if float(s @ y) > 1e-12 * np.linalg.norm(s) * np.linalg.norm(y):   # sᵀy <= 0: the pair would break H > 0
            pairs = (pairs + ((s, y),))[-max(1, int(self.memory)):]
        return self.moved_to(state, ls.point, {"pairs": pairs, "step_length": ls.t}, ls.value, ls.gradient)
