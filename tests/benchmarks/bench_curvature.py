"""Grid curvature map (z, Hessian, eigenvalues, classes) against one plain-numpy evaluation of f.

Run: python tests/benchmarks/bench_curvature.py   (not part of the pytest run)
Prints a table of median times and ratios, the recipe each function gets (forward mode on a column of
x and a row of y, or reverse mode on whole blocks: explorer.core.calculus.forward_is_cheaper), and
last the line `curvature map / numpy floor at N=400: R` (median over the functions).
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
from explorer.core.calculus import SurfaceCalculus, forward_is_cheaper

FUNCTIONS = {
    "Rosenbrock": ("(1 - x)**2 + 100*(y - x**2)**2",
                   lambda x, y: (1 - x)**2 + 100 * (y - x**2)**2),
    "Himmelblau": ("(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
                   lambda x, y: (x**2 + y - 11)**2 + (x + y**2 - 7)**2),
    "Rastrigin": ("20 + x**2 - 10*cos(2*pi*x) + y**2 - 10*cos(2*pi*y)",
                  lambda x, y: 20 + x**2 - 10 * np.cos(2 * np.pi * x) + y**2 - 10 * np.cos(2 * np.pi * y)),
    "sin·cos+bowl": ("sin(x)*cos(y) + 0.1*(x**2 + y**2)",
                     lambda x, y: np.sin(x) * np.cos(y) + 0.1 * (x**2 + y**2)),
}
SIZES = (100, 200, 400, 800)


def median_time(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    # as the program runs (explorer.cli.main does the same)
    print(f"allocator keeps freed memory: {keep_freed_memory()}")
    print(f"{'function':<14}{'N':>5}{'numpy floor':>14}{'curvature map':>16}{'ratio':>8}  recipe")
    ratios_400 = []
    for name, (text, plain) in FUNCTIONS.items():
        calc = SurfaceCalculus(text)
        recipe = "forward" if forward_is_cheaper(calc._fn) else "reverse"
        for n in SIZES:
            x, y = np.linspace(-3, 3, n), np.linspace(-2, 4, n)
            X, Y = np.meshgrid(x, y, indexing="ij")
            repeats = 15 if n <= 400 else 7
            # floor and map alternate so that both see the same machine state
            floor = median_time(lambda: plain(X, Y), repeats)
            cmap = median_time(lambda: calc.curvature_map(x, y), repeats)
            floor = min(floor, median_time(lambda: plain(X, Y), repeats))
            ratio = cmap / floor
            if n == 400:
                ratios_400.append(ratio)
            print(f"{name:<14}{n:>5}{floor * 1e3:>11.2f} ms{cmap * 1e3:>13.1f} ms{ratio:>7.1f}×  {recipe}")
    print(f"curvature map / numpy floor at N=400: {statistics.median(ratios_400):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
