"""Sharpness along a run (core.sharpness) against one gradient evaluation, measured in the same run.

Run from the repository root: PYTHONPATH=. python tests/benchmarks/bench_sharpness.py   (not part of the pytest run)

The floor: one value and gradient of the training loss (ModelObjective.value_and_gradient, autograd) of a
2-70-70-1 tanh network (5,251 parameters) on 1,000 rows.
1. λmax from a random start (Lanczos stopped once the top Ritz value settles): its time in gradients and its
   Hessian-vector products. Goal (issue 26): <= 60 gradient evaluations' time.
2. λmax at each of 20 steps of full-batch gradient descent, each warm-started from the step before (what the
   sharpness view and run --sharpness do): time per step in gradients and products per step.
Nothing fails: a loaded machine changes the times, the ratios stay comparable.
"""
from __future__ import annotations
import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))   # this checkout's explorer, not an installed copy

import statistics
import time

import numpy as np

from explorer.core.data import Dataset
from explorer.core.methods import make_optimizer
from explorer.core.model_fit import ModelProblem
from explorer.core.sharpness import sharpness, sharpness_along
from explorer.core.trajectory import Run


def wave_rows(rows: int, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    X = rng.uniform(-3, 3, size=(rows, 2))
    return Dataset.from_columns("wave", {"X1": X[:, 0], "X2": X[:, 1], "Y": np.sin(X[:, 0]) * np.cos(X[:, 1])})


def median_s(fn, repeats: int = 5) -> float:
    samples = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def main() -> None:
    problem = ModelProblem(wave_rows(1000), "mlp:70,70:tanh", "Y", ["X1", "X2"])
    theta = problem.initial(0)
    objective = problem.objective()
    gradient = median_s(lambda: objective.value_and_gradient(theta + 1e-9 * np.random.rand(problem.dimension)), 9)
    print(f"{problem.dimension:,} parameters, {len(problem.y_train):,} rows; one gradient {gradient * 1e3:.1f} ms")

    found = {}
    cold = median_s(lambda: found.update(cold=sharpness(problem, theta)), 3)
    value, _, products = found["cold"]
    print(f"1. λmax = {value:.5g} from a random start: {products} products, {cold * 1e3:.0f} ms = "
          f"{cold / gradient:.1f} gradients (goal <= 60)")

    run = Run(make_optimizer("gd", objective, lr=0.05), theta, max_steps=20, tolerance=0)
    run.run_to_end()
    t = time.perf_counter()
    steps, values, products = sharpness_along(problem, run)
    along = (time.perf_counter() - t) / len(steps)
    print(f"2. warm-started along {len(steps)} steps of gd: {products / len(steps):.1f} products a step, "
          f"{along * 1e3:.0f} ms a step = {along / gradient:.1f} gradients")


if __name__ == "__main__":
    main()
