"""The extreme eigenvalues of a Hessian that is never formed: Lanczos on Hessian-vector products.

    T_k = Q_kᵀ H Q_k  (tridiagonal, k Lanczos vectors, fully re-orthogonalised)

The extreme eigenvalues of T_k (Ritz values) converge to H's extreme ones from inside, the largest
|λ| first: a few dozen products (each one forward and two backward passes of autograd) give λmin and
λmax of a 5,000-parameter network to a few digits. Where the dimension is at most `iterations`, the
Krylov space is the whole space and the Ritz values are H's eigenvalues exactly (to rounding).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

LANCZOS_STEPS = 40   # Hessian-vector products per estimate


def extreme_eigenvalues(hvp: Callable[[np.ndarray], np.ndarray], n: int, iterations: int = LANCZOS_STEPS,
                        seed: int = 0) -> tuple[float, float]:
    """(λmin, λmax) of the symmetric n×n H given only v ↦ H·v (nan if a product is not finite)."""
    steps = min(int(iterations), n)
    q = np.random.default_rng(seed).normal(size=n)
    q /= np.linalg.norm(q)
    basis, alphas, betas = [q], [], []
    for k in range(steps):
        w = np.asarray(hvp(basis[k]), dtype=float)
        if not np.all(np.isfinite(w)):
            return float("nan"), float("nan")
        alphas.append(float(basis[k] @ w))
        Q = np.array(basis)
        w = w - Q.T @ (Q @ w)          # full re-orthogonalisation (twice is enough)
        w = w - Q.T @ (Q @ w)
        beta = float(np.linalg.norm(w))
        if k == steps - 1 or beta <= 1e-12 * max(1.0, abs(alphas[-1])):
            break
        betas.append(beta)
        basis.append(w / beta)
    T = np.diag(alphas) + np.diag(betas[:len(alphas) - 1], 1) + np.diag(betas[:len(alphas) - 1], -1)
    ritz = np.linalg.eigvalsh(T)
    return float(ritz[0]), float(ritz[-1])
