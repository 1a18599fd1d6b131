"""Basins of attraction on Himmelblau, 100×100 starts, against plain-numpy evaluations of f.

Run: python tests/benchmarks/bench_basins.py   (not part of the pytest run)
The floor for S steps is S plain-numpy evaluations of f on the same 10,000 points (what any
method needs at least: one look at f a step). Two cases per method:
  every step  tolerance 0: no start converges, so every start takes all S steps (the worst case)
  as used     tolerance 1e-6: starts stop when they converge (what `landscape-explorer basins` does)
Goals: gd (300 steps) within 15× its floor, Newton (30 steps) within 40×, on the "every step" case.
"""
from __future__ import annotations
import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))   # this checkout's explorer, not an installed copy

import sys

import numpy as np

from explorer.allocator import keep_freed_memory
from explorer.core.basins import basins
from tests.benchmarks.bench_curvature import median_time

TEXT = "(x**2 + y - 11)**2 + (x + y**2 - 7)**2"


def himmelblau(x, y):
    return (x**2 + y - 11)**2 + (x + y**2 - 7)**2


CASES = (("gd", {"lr": 0.01}, 300, 15), ("newton", {}, 30, 40), ("damped-newton", {}, 30, None),
         ("momentum", {"lr": 0.005, "momentum": 0.9}, 300, None), ("adam", {"lr": 0.1}, 300, None),
         ("adagrad", {"lr": 0.5}, 300, None), ("trust-region", {}, 30, None))
N = 100


def main() -> int:
    print(f"allocator keeps freed memory: {keep_freed_memory()}")
    x = y = np.linspace(-5, 5, N)
    X, Y = np.meshgrid(x, y, indexing="ij")
    X, Y = X.ravel().copy(), Y.ravel().copy()
    print(f"{N}×{N} starts on Himmelblau")
    print(f"{'method':<15}{'steps':>6}{'floor':>11}{'every step':>13}{'ratio':>8}{'as used':>11}{'ratio':>8}  goal")
    for method, settings, steps, goal in CASES:
        def floor_run():
            for _ in range(steps):
                himmelblau(X, Y)

        def worst():
            basins(TEXT, method, x, y, settings=settings, max_steps=steps, tolerance=0.0)

        def used():
            basins(TEXT, method, x, y, settings=settings, max_steps=steps)

        floor = median_time(floor_run, 7)
        every, as_used = median_time(worst, 5), median_time(used, 5)
        floor = min(floor, median_time(floor_run, 7))   # alternate, so both see the same machine state
        verdict = "" if goal is None else f"<= {goal}× " + ("met" if every / floor <= goal else "NOT met")
        print(f"{method:<15}{steps:>6}{floor * 1e3:>8.1f} ms{every * 1e3:>10.0f} ms{every / floor:>7.1f}×"
              f"{as_used * 1e3:>8.0f} ms{as_used / floor:>7.1f}×  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
