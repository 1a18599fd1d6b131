"""A filter-normalised 2-D slice of a network's loss (core.directions) against one loss evaluation × N².

Run from the repository root: PYTHONPATH=. python tests/benchmarks/bench_directions.py   (not part of the pytest run)

The floor: one hand-written numpy forward pass (the loss, no autograd) of a 2-16-16-1 tanh network with mean
binary cross-entropy on 1,000 rows, measured in the same run, times N² (N = 51): what a loop over the grid's
points would cost at best. Beside it the product's own one evaluation (ModelProblem.value) × N².
1. DirectionSliceCalculus.values on the 51 × 51 plane (values only): the ratio to the floor. Goal (issue 26):
   <= 1.5×, evaluated as one batched array expression per block, not a Python loop over points.
2. The curvature map on the same plane (value, gradient and 2×2 Hessian per point by autograd): its ratio.
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
from explorer.core.directions import DirectionSliceCalculus, DirectionSpec, plane_directions
from explorer.core.model_fit import ModelProblem

N = 51


def xor_data(rows: int, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, 2))
    return Dataset.from_columns("xor", {"X1": X[:, 0], "X2": X[:, 1], "Y": (X[:, 0] * X[:, 1] > 0).astype(float)})


def hand_value(arrays, X, y):
    layers = len(arrays) // 2
    a = X
    for k in range(1, layers):
        a = np.tanh(a @ arrays[f"W{k}"] + arrays[f"b{k}"])
    z = (a @ arrays[f"W{layers}"] + arrays[f"b{layers}"])[:, 0]
    return np.mean(np.logaddexp(0.0, z) - y * z)


def median_s(fn, number: int = 1, repeats: int = 5) -> float:
    samples = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - t) / number)
    return statistics.median(samples)


def main() -> int:
    keep_freed_memory()
    problem = ModelProblem(xor_data(1000), "mlp:16,16:tanh", "Y", ["X1", "X2"])
    theta = problem.initial(0)
    arrays = {k: np.asarray(v) for k, v in problem.network.unflatten(theta).items()}
    X, y = problem.X_train, problem.y_train
    assert abs(hand_value(arrays, X, y) - problem.value(theta)) < 1e-12
    one = median_s(lambda: hand_value(arrays, X, y), 500)
    own = median_s(lambda: problem.value(theta), 500)
    floor = one * N * N
    print(f"floor: hand-written numpy loss of 2-16-16-1 tanh on 1,000 rows = {one * 1e6:.1f} µs; "
          f"× {N}² = {floor * 1e3:.0f} ms")
    print(f"       ModelProblem.value once = {own * 1e6:.1f} µs; × {N}² = {own * N * N * 1e3:.0f} ms\n")

    d1, d2 = plane_directions(problem, DirectionSpec("random", seed=0), theta)
    calculus = DirectionSliceCalculus(problem, theta, d1, d2)
    a = np.linspace(-1, 1, N)
    z = calculus.values(a, a)
    assert abs(z[N // 2, N // 2] - problem.value(theta)) < 1e-12
    values = median_s(lambda: calculus.values(a, a), 1, 3)
    print(f"1. filter-normalised slice, {N}×{N} on 1,000 rows ({problem.dimension} parameters), values only")
    print(f"   DirectionSliceCalculus.values  {values * 1e3:8.0f} ms  {values / floor:5.2f}× the floor   (goal <= 1.5×)")
    curvature = median_s(lambda: calculus.curvature_map(a, a), 1, 3)
    print("2. its curvature map (value, gradient, 2×2 Hessian per point)")
    print(f"   curvature_map                  {curvature * 1e3:8.0f} ms  {curvature / floor:5.2f}× the floor, "
          f"{curvature / values:4.1f}× the values")
    return 0


if __name__ == "__main__":
    sys.exit(main())
