"""The top eigenvalue of a ~5,000-parameter network's loss Hessian by Lanczos, against one gradient evaluation.

Run from the repository root: PYTHONPATH=. python tests/benchmarks/bench_spectrum.py   (not part of the pytest run)

The floor: one value and gradient of the same loss (ModelObjective.value_and_gradient: a forward and a reverse
pass by autograd), measured in the same run. Then λmax by Lanczos on ModelObjective.hvp_at (the gradient's tape
recorded once, one reverse pass per product), stopped early: (a) once λmax settles to 10⁻⁴ (what a sharpness
curve needs), (b) once its pair converges, ‖Hv − λv‖ ≤ 10⁻⁶·|λ| (core.model_curvature.top_eigenvectors).
Each line prints the time, the ratio to the floor and the products used. Goal (issue 26): ≤ 60 gradients' time.
"""
from __future__ import annotations
import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))   # this checkout's explorer, not an installed copy

import statistics
import sys
import time

import numpy as np

from explorer.allocator import keep_freed_memory
from explorer.core.data import Dataset
from explorer.core.model_curvature import top_eigenvectors
from explorer.core.model_fit import ModelObjective, ModelProblem
from explorer.core.spectrum import lanczos

ROWS, MODEL = 1000, "mlp:68,68:tanh"   # 4,965 parameters
GOAL = 60.0
REPEATS = 7


def xor_data(rows: int, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, 2))
    return Dataset.from_columns("xor", {"X1": X[:, 0], "X2": X[:, 1], "Y": (X[:, 0] * X[:, 1] > 0).astype(float)})


def timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> int:
    print(f"allocator keeps freed memory: {keep_freed_memory()}")
    problem = ModelProblem(xor_data(ROWS), MODEL, "Y", ["X1", "X2"], l2=1e-4)
    theta = problem.initial(0)
    objective = ModelObjective(problem)
    print(f"{MODEL} on {ROWS:,} rows: {problem.dimension:,} parameters")

    def settled():
        return lanczos(objective.hvp_at(theta), problem.dimension, iterations=200, tolerance=1e-4).top(1)

    def converged():
        return top_eigenvectors(problem, theta, k=1)

    def gradient():
        return objective.value_and_gradient(theta + 0.0)   # a new θ each time: not the cache's

    settled(), converged(), gradient()   # warm-up
    ratios = {"settled": [], "converged": []}
    floors = []
    for _ in range(REPEATS):   # interleaved, so that floor and estimate see the same machine state
        floor = statistics.median(timed(gradient)[0] for _ in range(5))
        first, ritz = timed(settled)
        second, (values, _) = timed(converged)
        floors.append(floor)
        ratios["settled"].append(first / floor)
        ratios["converged"].append(second / floor)
    products = lanczos(objective.hvp_at(theta), problem.dimension, iterations=200, watch=1,
                       residual=1e-6).products
    settled_ratio, converged_ratio = (statistics.median(ratios[k]) for k in ("settled", "converged"))
    print(f"one gradient (floor): {statistics.median(floors) * 1e3:.2f} ms (median of {REPEATS})")
    print(f"λmax settled to 1e-4: {settled_ratio:.1f} gradients, {ritz.products} products, λmax {ritz.values[0]:.6g}")
    print(f"λmax pair converged:  {converged_ratio:.1f} gradients, {products} products, λmax {values[0]:.6g}")
    print(f"top eigenvalue by Lanczos / one gradient: {settled_ratio:.1f} (goal <= {GOAL:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
