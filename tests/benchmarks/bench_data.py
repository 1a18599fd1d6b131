"""Losses over data: the slice curvature map and one recorded optimizer step, against plain numpy.

Run from the repository root: PYTHONPATH=. python tests/benchmarks/bench_data.py   (not part of the pytest run)

1. The curvature map of the MSE loss (w*X + b - Y)^2 over a 200×200 grid of (w, b), for 200 and
   2,000 rows, against its floor: the same loss in plain numpy on the same grid (data axis last,
   in blocks of the same size, no derivatives), written as DESIGN.md writes it (meshgrid arrays);
   the ratio to a cheaper outer-broadcast form is printed too. Goal: within 15× the floor.
2. One recorded step of a Run (gradient descent, with its explanation: the Hessian, eigenvalues and
   predicted decreases) of the four-parameter model (a*X1 + b*X2 + c*X3 + d - Y)^2 on 2,000 rows,
   against one plain-numpy evaluation of that loss. Goal: under 2 ms.
3. Steps per second of stochastic gradient descent (batch 1) and of mini-batch 32 (gd, seed 0) on the same
   four-parameter loss over 2,000 rows: one optimizer step (Run.step_forward, no explanation) against the
   floor of one plain-numpy FULL-batch gradient written here by hand, 2/n·Aᵀ(Aθ − y), and against a
   hand-written gradient of the step's batch alone (indexing its rows included). A mini-batched step
   also computes the full loss and gradient (what the views show and the stop rule reads), so the full
   gradient is its floor. Full-batch gd is printed beside them. Goal: within 30× the full-gradient floor.
"""
from __future__ import annotations
import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))   # this checkout's explorer, not an installed copy

import itertools
import statistics
import sys
import time

import numpy as np

from explorer.allocator import keep_freed_memory
from explorer.core.datasets import generate
from explorer.core.fit import FitProblem
from explorer.core.fit_map import SliceCalculus
from explorer.core.methods import make_optimizer
from explorer.core.trajectory import Run
from tests.benchmarks.bench_curvature import median_time

N = 200
MAP_GOAL, STEP_GOAL_MS, BATCH_GOAL = 15.0, 2.0, 30.0
PLANE_LOSS = "(a*X1 + b*X2 + c*X3 + d - Y)^2"


def map_floor(w, b, X, Y, rows_per_block, outer=False):
    """The MSE on the grid in plain numpy, data axis last: z[i, j] = mean((w[i] X + b[j] - Y)²).

    As DESIGN.md writes it, on meshgrid arrays: W[..., None]*X + B[..., None] - Y. With outer=True the
    cheaper outer broadcast w[:, None, None]*X + b[:, None] - Y, whose first product is only w.size × rows.
    """
    z = np.empty((w.size, b.size))
    for i in range(0, w.size, rows_per_block):
        wi = w[i:i + rows_per_block]
        if outer:
            z[i:i + rows_per_block] = np.mean((wi[:, None, None] * X + b[:, None] - Y) ** 2, axis=-1)
        else:
            W, B = np.meshgrid(wi, b, indexing="ij")
            z[i:i + rows_per_block] = np.mean((W[..., None] * X + B[..., None] - Y) ** 2, axis=-1)
    return z


def bench_map() -> list[float]:
    print(f"{'curvature map, 200×200':<24}{'rows':>6}{'floor':>11}{'outer floor':>13}{'map':>11}"
          f"{'ratio':>8}{'ratio to outer':>16}")
    ratios = []
    w, b = np.linspace(0, 4, N), np.linspace(-1, 3, N)
    for rows in (200, 2000):
        d = generate("line", rows=rows)
        X, Y = d.column("X"), d.column("Y")
        calc = SliceCalculus(FitProblem(d, "(w*X + b - Y)^2", "w, b"), "w", "b", [0, 0])
        k = max(1, calc.block_points(N) // N)   # the map's grid rows per block
        repeats = 7 if rows <= 200 else 3
        # floors and map alternate so that all see the same machine state
        floor = median_time(lambda: map_floor(w, b, X, Y, k), repeats)
        outer = median_time(lambda: map_floor(w, b, X, Y, k, outer=True), repeats)
        cmap = median_time(lambda: calc.curvature_map(w, b), repeats)
        floor = min(floor, median_time(lambda: map_floor(w, b, X, Y, k), repeats))
        outer = min(outer, median_time(lambda: map_floor(w, b, X, Y, k, outer=True), repeats))
        np.testing.assert_allclose(calc.curvature_map(w[:4], b).z, map_floor(w[:4], b, X, Y, 2), rtol=1e-12)
        ratios.append(cmap / floor)
        print(f"{'(w*X + b - Y)^2':<24}{rows:>6}{floor * 1e3:>8.0f} ms{outer * 1e3:>10.0f} ms{cmap * 1e3:>8.0f} ms"
              f"{cmap / floor:>7.1f}×{cmap / outer:>15.1f}×")
    return ratios


def bench_step() -> float:
    d = generate("plane", rows=2000)
    problem = FitProblem(d, PLANE_LOSS, "a, b, c, d")
    A = np.column_stack([d.column("X1"), d.column("X2"), d.column("X3"), np.ones(d.rows)])
    Y = d.column("Y")
    theta = np.array([0.1, 0.2, 0.3, 0.4])
    floor = median_time(lambda: np.mean((A[:, 0] * theta[0] + A[:, 1] * theta[1] + A[:, 2] * theta[2]
                                         + theta[3] - Y) ** 2), 200)
    # lr small enough that no run converges within the timed steps: every step is a new point
    run = Run(make_optimizer("gd", problem.objective(), lr=1e-4), [0, 0, 0, 0], max_steps=10**6)
    times = []
    for _ in range(300):
        t = time.perf_counter()
        run.step_forward()
        times.append(time.perf_counter() - t)
    step = statistics.median(times[20:])
    assert len(run.records) == 300 and run.records[-1].eigenvalues.shape == (4,)
    print(f"{'Run step (gd + explanation), 4 parameters, 2,000 rows':<56}{step * 1e3:>8.2f} ms"
          f"   numpy loss {floor * 1e6:.0f} µs   ratio {step / floor:.0f}×")
    return step * 1e3


def step_time(run, count: int = 300, skip: int = 20) -> float:
    """Median time of one step_forward over `count` steps (the first `skip` not counted)."""
    times = []
    for _ in range(count):
        t = time.perf_counter()
        assert run.step_forward(), run.reason
        times.append(time.perf_counter() - t)
    return statistics.median(times[skip:])


def bench_batches() -> list[float]:
    d = generate("plane", rows=2000)
    problem = FitProblem(d, PLANE_LOSS, "a, b, c, d")
    A = np.column_stack([d.column("X1"), d.column("X2"), d.column("X3"), np.ones(d.rows)])
    Y, n = d.column("Y"), d.rows
    theta = np.array([0.1, 0.2, 0.3, 0.4])

    def full_gradient():
        return 2.0 / n * (A.T @ (A @ theta - Y))   # ∇ of mean (Aθ − y)²

    def batch_gradient(rows):
        if rows is None:   # the full batch: no rows to pick
            return full_gradient()
        a = A[rows]
        return 2.0 / len(rows) * (a.T @ (a @ theta - Y[rows]))

    print(f"\n{'gd on 2,000 rows, 4 parameters':<32}{'step':>10}{'steps/s':>9}{'full-gradient floor':>21}"
          f"{'ratio':>8}{'batch-gradient floor':>22}{'ratio':>8}")
    ratios = []
    for label, batch in (("SGD (batch 1)", 1), ("mini-batch 32", 32), ("full batch", None)):
        # lr small enough that no run converges within the timed steps: every step is a new point
        optimizer = make_optimizer("gd", problem.objective(), batch=batch, seed=0, lr=1e-4)
        run = Run(optimizer, [0, 0, 0, 0], max_steps=10**6)
        plan = optimizer.batches
        rows = [plan.batch(t) if plan else None for t in range(64)]
        state = run.states[0]
        if plan is not None:   # the program's batch gradient is the hand-written one
            np.testing.assert_allclose(state.batch_gradient, 2.0 / len(rows[0]) * (
                A[rows[0]].T @ (A[rows[0]] @ state.point - Y[rows[0]])), rtol=1e-10, atol=1e-12)
        cycle = itertools.count()   # a new batch each call, as the steps see
        # floors and steps alternate so that all see the same machine state
        floor = median_time(full_gradient, 300)
        bfloor = median_time(lambda: batch_gradient(rows[next(cycle) % 64]), 300)
        step = step_time(run)
        floor = min(floor, median_time(full_gradient, 300))
        bfloor = min(bfloor, median_time(lambda: batch_gradient(rows[next(cycle) % 64]), 300))
        if batch is not None:
            ratios.append(step / floor)
        print(f"{label:<32}{step * 1e6:>7.0f} µs{1 / step:>9.0f}{floor * 1e6:>18.1f} µs{step / floor:>7.1f}×"
              f"{bfloor * 1e6:>19.1f} µs{step / bfloor:>7.1f}×")
    return ratios


def main() -> int:
    print(f"allocator keeps freed memory: {keep_freed_memory()}")
    ratios = bench_map()
    step_ms = bench_step()
    batch_ratios = bench_batches()
    print(f"curvature map / numpy floor: {', '.join(f'{r:.1f}' for r in ratios)} (goal <= {MAP_GOAL:g}); "
          f"four-parameter step: {step_ms:.2f} ms (goal < {STEP_GOAL_MS:g} ms)")
    print(f"SGD and mini-batch 32 steps / full-gradient floor: {', '.join(f'{r:.1f}' for r in batch_ratios)} "
          f"(goal <= {BATCH_GOAL:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
