"""Eigenvalues and eigenvectors of a Hessian that is never formed: Lanczos on Hessian-vector products.

    T_k = Q_kᵀ H Q_k  (tridiagonal, k Lanczos vectors, fully re-orthogonalised)

The extreme eigenvalues of T_k (Ritz values) converge to H's extreme ones from inside, the largest
|λ| first: a few dozen products (each one reverse pass over the gradient's tape, core.model_fit's
`hvp_at`) give λmin and λmax of a 5,000-parameter network to a few digits. Where the dimension is at
most `iterations`, the Krylov space is the whole space and the Ritz values are H's eigenvalues exactly
(to rounding). A Ritz pair (θ, Q s) has the residual ‖H·Qs − θ·Qs‖ = β_k·|s_k| (the last entry of
s), known without another product: `Ritz.residuals`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

LANCZOS_STEPS = 40   # Hessian-vector products per estimate


@dataclass(frozen=True)
class Ritz:
    """Lanczos's approximations: `values` ascending, `vectors[:, i]` (unit) belongs to values[i], `residuals[i]`
    = ‖H·v − λ·v‖ of that pair, `products` = the Hessian-vector products it took."""

    values: np.ndarray
    vectors: np.ndarray
    residuals: np.ndarray
    products: int

    def top(self, k: int = 1) -> "Ritz":
        """The k largest pairs, largest first."""
        order = np.argsort(self.values)[::-1][:k]
        return Ritz(self.values[order], self.vectors[:, order], self.residuals[order], self.products)


def lanczos(hvp: Callable[[np.ndarray], np.ndarray], n: int, iterations: int = LANCZOS_STEPS, seed: int = 0,
            start: np.ndarray | None = None, tolerance: float | None = None, watch: int = 1,
            residual: float | None = None) -> Ritz:
    """Ritz pairs of the symmetric n×n H given only v ↦ H·v, from `start` (else a normal vector of `seed`).
    With `tolerance`, it stops early once the `watch` largest Ritz values moved by less than tolerance ×
    max(1, |λ|) in one step; with `residual`, once the `watch` largest Ritz pairs have
    ‖H·v − λ·v‖ ≤ residual × max|Ritz value| (converged pairs, not merely settled values).
    A product that is not finite gives nan values (and no vectors)."""
    steps = min(int(iterations), n)
    q = (np.random.default_rng(seed).normal(size=n) if start is None
         else np.asarray(start, dtype=float).reshape(n).copy())
    if not np.linalg.norm(q) > 0:
        q = np.random.default_rng(seed).normal(size=n)
    q /= np.linalg.norm(q)
    basis, alphas, betas = [q], [], []
    last_beta, previous = 0.0, None
    for k in range(steps):
        w = np.asarray(hvp(basis[k]), dtype=float)
        if not np.all(np.isfinite(w)):
            nan = np.full(1, np.nan)
            return Ritz(nan, np.full((n, 1), np.nan), nan, k + 1)
        alphas.append(float(basis[k] @ w))
        Q = np.array(basis)
        w = w - Q.T @ (Q @ w)          # full re-orthogonalisation (twice is enough)
        w = w - Q.T @ (Q @ w)
        last_beta = float(np.linalg.norm(w))
        if k == steps - 1 or last_beta <= 1e-12 * max(1.0, abs(alphas[-1])):
            break
        if tolerance is not None and k + 1 >= watch:
            top = np.sort(np.linalg.eigvalsh(_tridiagonal(alphas, betas)))[::-1][:watch]
            if previous is not None and np.all(np.abs(top - previous) <= tolerance * np.maximum(1.0, np.abs(top))):
                break
            previous = top
        if residual is not None and k + 1 >= watch:
            theta, s = np.linalg.eigh(_tridiagonal(alphas, betas))
            scale = max(float(np.max(np.abs(theta))), 1e-300)
            if np.all(last_beta * np.abs(s[-1, -watch:]) <= residual * scale):   # β_k·|s_k| (module docstring)
                break
        betas.append(last_beta)
        basis.append(w / last_beta)
    values, s = np.linalg.eigh(_tridiagonal(alphas, betas))
    vectors = np.array(basis).T @ s
    vectors /= np.linalg.norm(vectors, axis=0)
    return Ritz(values, vectors, np.abs(last_beta * s[-1, :]), len(alphas))


def _tridiagonal(alphas, betas) -> np.ndarray:
    b = betas[:len(alphas) - 1]
    return np.diag(alphas) + np.diag(b, 1) + np.diag(b, -1)


def extreme_eigenvalues(hvp: Callable[[np.ndarray], np.ndarray], n: int, iterations: int = LANCZOS_STEPS,
                        seed: int = 0) -> tuple[float, float]:
    """(λmin, λmax) of the symmetric n×n H given only v ↦ H·v (nan if a product is not finite)."""
    ritz = lanczos(hvp, n, iterations, seed)
    return float(ritz.values[0]), float(ritz.values[-1])
