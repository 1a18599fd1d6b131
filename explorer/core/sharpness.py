"""Sharpness along a run: the largest eigenvalue of the full-batch training loss's Hessian, against the
learning rate's stability bound.

On the local quadratic model L ≈ L* + ½ eᵀHe, a fixed-step method's error along H's top eigenvector
(eigenvalue λmax) stays bounded exactly when λmax is below the method's bound (core.stability's
iteration matrices, their root μ = −1):

    gd          e ← (1 − ηλ) e                              |1 − ηλ| < 1   ⇔  λ < 2/η
    momentum    μ² − (1 + β − ηλ)μ + β = 0                  μ = −1 at     λ = (2 + 2β)/η
    nesterov    μ² − (1 + β)(1 − ηλ)μ + β(1 − ηλ) = 0       μ = −1 at     λ = (2 + 2β)/(η(1 + 2β))

Full-batch gradient descent on a network drives λmax up to 2/η ("progressive sharpening") and then hovers
there (the "edge of stability", Cohen et al. 2021) while the loss still falls, not monotonically.

λmax comes from Lanczos (core.spectrum) on autograd's Hessian-vector products (ModelObjective.hvp_at),
stopped once the top Ritz value settles; started from the previous step's top eigenvector, a step of a
run costs a few products, not forty (and every AFRESH_EVERY-th step also starts from a random vector, which
catches a new top eigenvector when two eigenvalues cross: `sharpness_of_step`).
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from explorer.core.methods import METHODS
from explorer.core.spectrum import lanczos

SHARPNESS_STEPS = 80          # most Hessian-vector products per estimate
AFRESH_EVERY = 10             # along a run, every this many estimates also start from a random vector
SHARPNESS_TOLERANCE = 1e-5    # relative change of the top Ritz value that counts as settled
BOUNDED_METHODS = ("gd", "momentum", "nesterov")


def sharpness(problem, theta, start=None, tolerance: float = SHARPNESS_TOLERANCE,
              iterations: int = SHARPNESS_STEPS) -> tuple[float, np.ndarray, int]:
    """(λmax, its unit eigenvector, Hessian-vector products used) of the training loss's Hessian at θ, by
    Lanczos started from `start` (a previous step's vector) or a seeded random vector. nan if not finite."""
    hvp = problem.objective().hvp_at(theta)
    return _top(hvp, problem.dimension, start, tolerance, iterations)


def _top(hvp, n: int, start, tolerance: float = SHARPNESS_TOLERANCE, iterations: int = SHARPNESS_STEPS):
    ritz = lanczos(hvp, n, iterations, seed=0, start=start, tolerance=tolerance, watch=1).top(1)
    return float(ritz.values[0]), np.asarray(ritz.vectors[:, 0]), int(ritz.products)


def sharpness_of_step(problem, theta, previous, index: int) -> tuple[float, np.ndarray, int]:
    """The `index`-th estimate along a run: warm-started from `previous` (the estimate before's vector, or None);
    every AFRESH_EVERY-th also from a random vector, keeping the larger. A warm start alone can stay on the old top
    eigenvector when two eigenvalues cross (its Ritz value settles there); a Ritz value never exceeds λmax, so
    the larger of the two is the better estimate, and a crossing is caught within AFRESH_EVERY estimates."""
    if previous is None:
        return sharpness(problem, theta)
    hvp = problem.objective().hvp_at(theta)
    warm = _top(hvp, problem.dimension, previous)
    if index % AFRESH_EVERY:
        return warm
    afresh = _top(hvp, problem.dimension, None)
    best = afresh if afresh[0] > warm[0] else warm
    return best[0], best[1], warm[2] + afresh[2]


def stability_bound(method: str, settings: Mapping[str, float] | None = None) -> float | None:
    """The largest λmax at which `method` with `settings` (its defaults where missing) is stable on the local
    quadratic model: 2/η for gd, (2 + 2β)/η for momentum, (2 + 2β)/(η(1 + 2β)) for nesterov.

    None for the others: the bound is a property of a fixed step on the quadratic model, x ← x − η·(step
    from H). Adam and RMSProp divide each coordinate by a running gradient size, so their bound is one on the
    preconditioned Hessian's λmax, not on H's; Newton's, BFGS's and conjugate gradients' steps adapt to H."""
    if method not in BOUNDED_METHODS:
        return None
    s = {**METHODS[method].hyperparameters(), **(settings or {})}
    lr, beta = float(s["lr"]), float(s.get("momentum", 0.0))
    if not lr > 0:
        return None
    if method == "gd":
        return 2.0 / lr
    if method == "momentum":
        return (2.0 + 2.0 * beta) / lr
    return (2.0 + 2.0 * beta) / (lr * (1.0 + 2.0 * beta))


def bound_of_step(run, t: int) -> float | None:
    """The stability bound of run's step t: its method's, at the rate that step takes (a schedule's)."""
    lr = run.lr_of_step(t)
    if lr is None:
        return None
    return stability_bound(run.method, {**run.optimizer.settings(), "lr": lr})


def why_no_bound(method: str) -> str:
    """One line: why the view draws no bound for `method` (empty where it draws one)."""
    if method in BOUNDED_METHODS:
        return ""
    if method in ("adam", "rmsprop", "adagrad"):
        return (f"{method} scales each step by a running gradient size: its stability bound is on the "
                "preconditioned Hessian, not on this λmax")
    return f"{method} adapts its steps to the curvature: no fixed-step bound applies"


def stride_of(steps: int, every_step_up_to: int = 500, points: int = 500) -> int:
    """Every step for a run of up to `every_step_up_to` steps; beyond, a stride giving about `points` points."""
    return 1 if steps <= every_step_up_to else int(np.ceil(steps / points))


def sharpness_along(problem, run, every: int = 1) -> tuple[np.ndarray, np.ndarray, int]:
    """(steps, λmax at each, Hessian-vector products in all) for run's states 0, every, 2·every, … and its last,
    each estimate warm-started from the one before (sharpness_of_step)."""
    last = len(run.states) - 1
    steps = sorted(set(range(0, last + 1, max(1, int(every)))) | {last})
    values, vector, products = [], None, 0
    for i, t in enumerate(steps):
        value, found, used = sharpness_of_step(problem, run.states[t].point, vector, i)
        values.append(value)
        products += used
        if np.all(np.isfinite(found)):
            vector = found
    return np.array(steps, dtype=int), np.array(values, dtype=float), products
