"""The input–output Jacobian over every row (core.sensitivity) against one gradient of the loss over the same rows.

Run from the repository root: PYTHONPATH=. python tests/benchmarks/bench_sensitivity.py   (not part of the pytest run)

The floor: one value and gradient of the model's training loss (ModelObjective.value_and_gradient, autograd:
one forward and one reverse pass), measured in the same run, on a problem whose training rows are every row
(no split), so both passes see the same rows. J costs one forward pass and one reverse pass per output (the
rows are independent), so its ratio to the floor should stay near the number of outputs whatever the rows:
a loop over rows would be hundreds of times the floor. What the window computes on its own thread is
bounded by session.sensitivity_reading.INLINE_WORK (rows × parameters × outputs); above it, a worker.
"""
from __future__ import annotations
import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))   # this checkout's explorer, not an installed copy

import statistics
import sys
import time

import numpy as np

from explorer.core.model_training import problem_of
from explorer.core.sensitivity import input_jacobian
from explorer.session.sensitivity_reading import INLINE_WORK

CASES = (("moons-noise", "mlp:8:tanh", 400), ("moons", "mlp:16,16:tanh", 10_000),
         ("blobs", "mlp:64,64:relu", 10_000), ("moons", "mlp:128,128:tanh", 10_000))


def median_ms(fn, repeats: int = 7) -> float:
    samples = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1e3)
    return statistics.median(samples)


def main() -> int:
    print("input Jacobian over every row / one gradient of the loss over the same rows (the floor)\n")
    print(f"{'data':12s} {'model':16s} {'rows':>6s} {'params':>7s} {'K':>2s} {'floor ms':>9s} {'J ms':>8s} "
          f"{'ratio':>6s}  where")
    for dataset, model, rows in CASES:
        problem = problem_of({"data": {"dataset": dataset, "seed": 0, "rows": rows}, "model": model})
        theta = problem.initial(0)
        objective = problem.objective()
        shift = iter(np.arange(1, 1000) * 1e-12)   # a new θ each time: the objective caches by θ
        floor = median_ms(lambda: objective.value_and_gradient(theta + next(shift)))
        jacobian = median_ms(lambda: input_jacobian(problem, theta))
        k = problem.network.n_outputs
        where = "window" if rows * problem.dimension * k <= INLINE_WORK else "worker"
        print(f"{dataset:12s} {model:16s} {rows:6d} {problem.dimension:7d} {k:2d} {floor:9.2f} {jacobian:8.2f} "
              f"{jacobian / floor:5.1f}×  {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
