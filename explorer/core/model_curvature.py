"""What the Hessian of a model's training loss says: its eigenvectors and spectrum, and the Gauss–Newton matrix.

Every product and matrix comes from autograd (core.model_fit); eigenvalues are reported ascending
unless a function says otherwise.
"""
from __future__ import annotations

import numpy as np

from explorer.core.model_fit import ModelObjective, ModelProblem
from explorer.core.spectrum import lanczos

TOP_STEPS = 200             # Lanczos steps at most for a few top pairs
RESIDUAL = 1e-6             # a pair is converged when ‖H·v − λ·v‖ ≤ RESIDUAL × max|λ|


def signed(vectors: np.ndarray) -> np.ndarray:
    """Each column's sign chosen so that its entry of largest |value| is positive (a picture reproduces)."""
    vectors = np.array(vectors, dtype=float, copy=True)
    if vectors.ndim == 1:
        return signed(vectors[:, None])[:, 0]
    biggest = vectors[np.argmax(np.abs(vectors), axis=0), np.arange(vectors.shape[1])]
    vectors[:, biggest < 0] *= -1.0
    return vectors


def top_eigenvectors(problem: ModelProblem, theta, k: int = 2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The k largest eigenvalues of the training loss's Hessian at θ, largest first, and their unit
    eigenvectors as the columns of an (n, k) array, each signed by `signed`. Lanczos on autograd's
    Hessian-vector products from a normal start of `seed`, stopped once the k pairs converge (RESIDUAL)
    or after TOP_STEPS products; exact when n ≤ TOP_STEPS."""
    n = problem.dimension
    k = max(1, min(int(k), n))
    hvp = ModelObjective(problem).hvp_at(problem.point(theta))
    ritz = lanczos(hvp, n, iterations=min(n, TOP_STEPS), seed=seed, watch=k, residual=RESIDUAL).top(k)
    return np.asarray(ritz.values, dtype=float), signed(ritz.vectors)
