"""What the Hessian of a model's training loss says: its spectrum, its top eigenvectors, and the Gauss–Newton matrix.

    H = ∇²L(θ),   G = (1/n) Σᵢ Jᵢᵀ Hℓ,ᵢ Jᵢ + ∇²penalty,   Jᵢ = ∂zᵢ/∂θ (row i's logits),
    Hℓ = the loss's Hessian in the logits: squared error 2, binary cross-entropy σ(1−σ), softmax diag(p) − ppᵀ

H − G = (1/n) Σᵢ Σₖ (∂ℓᵢ/∂zᵢₖ) ∇²zᵢₖ is the term Gauss–Newton drops: the model's own curvature weighted by
the residuals. G is positive semi-definite (l1 adds nothing to it away from w = 0). G is taken by autograd
as the Hessian at θ₀ of the surrogate θ ↦ mean ½(z(θ) − z₀)ᵀHℓ(z(θ) − z₀) + penalty, with z₀ and Hℓ fixed
at θ₀: its gradient in z vanishes there, so the ∇²z term drops and nothing but autograd differentiates.
Every eigenvalue is found (numpy's eigvalsh of the dense matrix) up to SPECTRUM_DENSE_LIMIT parameters;
beyond, the k smallest and k largest by Lanczos on Hessian-vector products, never forming the matrix.
Eigenvalues are reported ascending, except `top_eigenvectors`' (largest first).
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np
from autograd.differential_operators import make_hvp

from explorer.core.expression import ERRORS
from explorer.core.model_fit import ModelObjective, ModelProblem, block_hessian, block_jacobian, block_rows
from explorer.core.spectrum import lanczos

SPECTRUM_DENSE_LIMIT = 1000   # parameters up to which H and G are formed and every eigenvalue found
SPECTRUM_K = 20               # eigenvalues at each end beyond it
SPECTRUM_STEPS = 300          # Lanczos products at most per end
TOP_STEPS = 200               # Lanczos steps at most for a few top pairs
RESIDUAL = 1e-6               # a pair is converged when ‖H·v − λ·v‖ ≤ RESIDUAL × max|λ|
NEGATIVE = 1e-8               # an eigenvalue is negative below −NEGATIVE × max|λ|
JACOBIAN_ROWS = 2000          # rows × outputs up to which the residual Jacobian is formed


class CurvatureNotFormed(ValueError):
    """The model is too large for a dense matrix; one line that says why."""


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


# ---------------------------------------------------------------- the matrices

def _dense_check(problem: ModelProblem, what: str) -> None:
    if problem.dimension > SPECTRUM_DENSE_LIMIT:
        raise CurvatureNotFormed(f"the {what} is not formed for {problem.dimension:,} parameters "
                                 f"(at most {SPECTRUM_DENSE_LIMIT:,}): use Lanczos on its products")


def hessian_matrix(problem: ModelProblem, theta) -> np.ndarray:
    """The dense (n, n) Hessian of the training loss at θ, by autograd (n ≤ SPECTRUM_DENSE_LIMIT)."""
    _dense_check(problem, "Hessian")
    with np.errstate(**ERRORS):
        return block_hessian(problem, problem.network.loss, problem.point(theta))


def loss_curvature(problem: ModelProblem, theta) -> tuple[np.ndarray, np.ndarray]:
    """(z₀, w) at θ: the training rows' logits (rows, K) and the loss's Hessian in them, Hℓ — for squared
    error and binary cross-entropy a number per row (rows,), for softmax the probabilities p (rows, K)
    that make Hℓ = diag(p) − ppᵀ."""
    network = problem.network
    with np.errstate(**ERRORS):
        z = np.asarray(network.logits(problem.point(theta), problem.X_train), dtype=float)
        if network.task == "regression":
            return z, np.full(len(z), 2.0)                  # ℓ = (z − y)², ℓ'' = 2
        if network.task == "binary":
            s = 0.5 * (np.tanh(0.5 * z[:, 0]) + 1.0)
            return z, s * (1.0 - s)                          # ℓ'' = σ(1 − σ)
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return z, e / e.sum(axis=1, keepdims=True)


def _surrogate(problem: ModelProblem, theta):
    """Θ ↦ mean ½(z(Θ) − z₀)ᵀHℓ(z(Θ) − z₀) + penalty(Θ), batched over Θ's leading axes like Network.loss;
    signature (Θ, X, y) so that block_hessian takes it."""
    network = problem.network
    z0, w = loss_curvature(problem, theta)

    def surrogate(copies, X, y):
        d = network.logits(copies, X) - z0
        if network.task == "classes":   # ½(Σ pₖdₖ² − (Σ pₖdₖ)²) = ½ dᵀ(diag(p) − ppᵀ)d
            quadratic = anp.sum(w * d * d, axis=-1) - anp.sum(w * d, axis=-1) ** 2
        else:
            quadratic = w * d[..., 0] ** 2
        return 0.5 * anp.mean(quadratic, axis=-1) + network.penalty(copies)

    return surrogate


def gauss_newton_matrix(problem: ModelProblem, theta) -> np.ndarray:
    """The dense (n, n) Gauss–Newton matrix G at θ (module docstring; n ≤ SPECTRUM_DENSE_LIMIT)."""
    _dense_check(problem, "Gauss–Newton matrix")
    with np.errstate(**ERRORS):
        return block_hessian(problem, _surrogate(problem, theta), problem.point(theta))


def gauss_newton_product(problem: ModelProblem, theta):
    """v ↦ G·v at θ without forming G: one reverse pass over the surrogate's gradient tape per product."""
    p = problem.point(theta)
    surrogate, X, y = _surrogate(problem, p), problem.X_train, problem.y_train
    with np.errstate(**ERRORS):
        product, _ = make_hvp(lambda t: surrogate(t, X, y))(p)

    def gvp(v):
        with np.errstate(**ERRORS):
            return np.asarray(product(np.asarray(v, dtype=float)), dtype=float)

    return gvp


def residual_jacobian_singular_values(problem: ModelProblem, theta) -> tuple[np.ndarray | None, str | None]:
    """(σ descending, None) of the rows × parameters Jacobian that Gauss–Newton is made of, or (None, why not).
    Regression: J of the residuals rᵢ = zᵢ − yᵢ, so eig(G) = (2/n)σ² (+ the penalty's 2·l2 on weights).
    Classifiers: the whitened logits' Jacobian Hℓ,ᵢ^½ Jᵢ (one row per row and logit), so eig(G) = (1/n)σ².
    Formed up to SPECTRUM_DENSE_LIMIT parameters and JACOBIAN_ROWS rows × logits."""
    network, n = problem.network, problem.dimension
    rows, k = len(problem.y_train), network.n_outputs
    if n > SPECTRUM_DENSE_LIMIT or rows * k > JACOBIAN_ROWS:
        return None, (f"singular values not computed: the Jacobian would be {rows * k:,} × {n:,} "
                      f"(formed up to {JACOBIAN_ROWS:,} rows × {SPECTRUM_DENSE_LIMIT:,} parameters)")
    p, X = problem.point(theta), problem.X_train
    with np.errstate(**ERRORS):
        j = block_jacobian(lambda copies: anp.reshape(network.logits(copies, X), (-1, rows * k)), p, rows * k,
                           block_rows(problem)).reshape(rows, k, n)
    if network.task == "binary":
        _, w = loss_curvature(problem, p)
        j = np.sqrt(w)[:, None, None] * j
    elif network.task == "classes":
        _, probabilities = loss_curvature(problem, p)
        j = np.einsum("rab,rbn->ran", np.array([_root(q) for q in probabilities]), j)
    if not np.all(np.isfinite(j)):
        return None, "singular values not computed: the Jacobian is not finite at these parameters"
    return np.linalg.svd(j.reshape(rows * k, n), compute_uv=False), None


def _root(p: np.ndarray) -> np.ndarray:
    """The symmetric square root of diag(p) − ppᵀ (positive semi-definite)."""
    values, vectors = np.linalg.eigh(np.diag(p) - np.outer(p, p))
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


# ---------------------------------------------------------------- the spectrum

def _ends(product, n: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The k smallest and k largest eigenvalues (ascending, 2k of them) of the symmetric matrix behind
    `product`, their residuals ‖Av − λv‖, and the products taken: Lanczos on A for the top, on −A for
    the bottom, each stopped once its k pairs converge (RESIDUAL) or after SPECTRUM_STEPS products."""
    steps = min(n, SPECTRUM_STEPS)
    top = lanczos(product, n, steps, seed, watch=k, residual=RESIDUAL).top(k)
    bottom = lanczos(lambda v: -product(v), n, steps, seed + 1, watch=k, residual=RESIDUAL).top(k)
    values = np.concatenate([-bottom.values, top.values[::-1]])
    residuals = np.concatenate([bottom.residuals, top.residuals[::-1]])
    return values, residuals, top.products + bottom.products


def _converged(values: np.ndarray, residuals: np.ndarray) -> np.ndarray:
    """Which pairs converged: ‖Av − λv‖ ≤ RESIDUAL × max|λ| (False where not finite)."""
    finite = np.isfinite(values)
    scale = float(np.abs(values[finite]).max()) if finite.any() else np.nan
    with np.errstate(invalid="ignore"):
        return np.asarray(residuals <= RESIDUAL * scale) & finite


def _counts(values: np.ndarray) -> dict:
    """λmin, λmax, the condition number (λmax/λmin when λmin > 0, else None) and the negative count."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return {"lambda_min": None, "lambda_max": None, "condition_number": None, "negative_count": None}
    low, high = float(finite.min()), float(finite.max())
    scale = float(np.abs(finite).max())
    return {"lambda_min": low, "lambda_max": high,
            "condition_number": high / low if low > 0 else None,
            "negative_count": int(np.sum(finite < -NEGATIVE * scale))}


def spectrum(problem: ModelProblem, theta, k: int = SPECTRUM_K, seed: int = 0) -> dict:
    """The spectra of H and G at θ as a dict of plain numbers:
    "hessian_eigenvalues", "gauss_newton_eigenvalues": ascending, every one when n ≤ SPECTRUM_DENSE_LIMIT
    ("complete": True), else the k smallest then the k largest by Lanczos ("complete": False), with
    "hessian_residuals"/"gauss_newton_residuals" (‖Av − λv‖ each), "hessian_converged"/"gauss_newton_converged"
    (each pair within RESIDUAL × max|λ|) and "converged" (all of them); "lambda_min", "lambda_max",
    "condition_number" (None when λmin ≤ 0),
    "negative_count" (eigenvalues below −NEGATIVE × max|λ|; among those found when not complete: at least),
    "gauss_newton": the same counts of G; "products" (matrix-vector products; 0 when dense), "dimension"."""
    p, n = problem.point(theta), problem.dimension
    out = {"dimension": n, "complete": n <= SPECTRUM_DENSE_LIMIT}
    if out["complete"]:
        h, g = hessian_matrix(problem, p), gauss_newton_matrix(problem, p)
        finite = np.all(np.isfinite(h)) and np.all(np.isfinite(g))
        hv = np.linalg.eigvalsh(h) if finite else np.full(n, np.nan)
        gv = np.linalg.eigvalsh(g) if finite else np.full(n, np.nan)
        out.update(hessian_eigenvalues=hv.tolist(), gauss_newton_eigenvalues=gv.tolist(), products=0,
                   converged=bool(finite))
    else:
        k = max(1, min(int(k), n // 2))
        hv, hr, hp = _ends(ModelObjective(problem).hvp_at(p), n, k, seed)
        gv, gr, gp = _ends(gauss_newton_product(problem, p), n, k, seed)
        h_ok, g_ok = _converged(hv, hr), _converged(gv, gr)
        out.update(hessian_eigenvalues=hv.tolist(), gauss_newton_eigenvalues=gv.tolist(),
                   hessian_residuals=hr.tolist(), gauss_newton_residuals=gr.tolist(), products=hp + gp,
                   hessian_converged=h_ok.tolist(), gauss_newton_converged=g_ok.tolist(),
                   converged=bool(h_ok.all() and g_ok.all()))
    out.update(_counts(np.asarray(out["hessian_eigenvalues"], dtype=float)))
    out["gauss_newton"] = _counts(np.asarray(out["gauss_newton_eigenvalues"], dtype=float))
    return out
