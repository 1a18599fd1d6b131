"""Time per optimizer step on Rosenbrock, as µs and as a ratio to one plain-numpy evaluation of f
at a point (the floor), measured in the same run.

Run: python tests/benchmarks/bench_steps.py   (not part of the pytest run)
"step" is the optimizer's step alone; "explained" is a step of a Run as the window drives it,
including the per-step record (Hessian, eigenvalues, model predictions).
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
from explorer.core.objective import Objective
from explorer.core.methods import METHODS, make_optimizer
from explorer.core.optimizer_base import StepFailed
from explorer.core.trajectory import Run, race

ROSENBROCK = "(1 - x)**2 + 100*(y - x**2)**2"
START = (-1.2, 1.0)
SETTINGS = {"gd": {"lr": 1e-3}, "momentum": {"lr": 1e-4}, "nesterov": {"lr": 1e-4}, "rmsprop": {"lr": 1e-3},
            "adam": {"lr": 1e-2}, "adagrad": {"lr": 1e-1}}
STEPS = 40


def floor_us() -> float:
    x, y = np.float64(-1.2), np.float64(1.0)
    n = 20000
    t = time.perf_counter()
    for _ in range(n):
        (1 - x)**2 + 100 * (y - x**2)**2
    return (time.perf_counter() - t) / n * 1e6


def per_step_us(make_run, explained: bool) -> float:
    """Median over repeats of the mean time of STEPS steps, in µs."""
    samples = []
    for _ in range(5):
        run = make_run()
        state, steps = run.states[0], 0
        t = time.perf_counter()
        for _ in range(STEPS):
            if explained:
                if not run.step_forward():
                    break
            else:
                if np.linalg.norm(state.gradient) < 1e-8:   # converged: further steps are not steps
                    break
                try:
                    state = run.optimizer.step(state)
                except StepFailed:
                    break
            steps += 1
        samples.append((time.perf_counter() - t) / max(steps, 1) * 1e6)
    return statistics.median(samples)


def main() -> int:
    keep_freed_memory()
    floor = statistics.median(floor_us() for _ in range(5))
    print(f"floor: one numpy evaluation of Rosenbrock at a point = {floor:.2f} µs\n")
    print(f"{'method':<15}{'step µs':>10}{'ratio':>10}{'explained µs':>15}{'ratio':>10}")
    for name in METHODS:
        def make_run(name=name):
            return Run(make_optimizer(name, Objective(ROSENBROCK), **SETTINGS.get(name, {})), START, max_steps=10**6)
        bare, full = per_step_us(make_run, False), per_step_us(make_run, True)
        print(f"{name:<15}{bare:>10.0f}{bare / floor:>9.0f}×{full:>15.0f}{full / floor:>9.0f}×")
    four = ["gd", "momentum", "newton", "bfgs"]

    def race_step():
        runs = race(Objective(ROSENBROCK), START, [(n, SETTINGS.get(n, {})) for n in four], max_steps=10**6)
        t = time.perf_counter()
        for _ in range(STEPS):
            for r in runs:
                r.step_forward()
        return (time.perf_counter() - t) / STEPS * 1e3

    ms = statistics.median(race_step() for _ in range(5))
    print(f"\none explained step of all four ({', '.join(four)}): {ms:.2f} ms "
          f"({ms / (1000 / 60) * 100:.0f}% of a 60 frames/s frame)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
