"""A sweep of 8 values × 3 seeds against its floor: the same 24 runs one after another in this process.

Run: python tests/benchmarks/bench_sweep.py [--workers N]   (not part of the pytest run)
The ratio is the sweep's wall time over the floor's; the goal is below 0.7 on two cores (two workers can at best
halve it; starting the workers and handing out runs cost the rest). `training_run` is a run of the product's own
sweep job (core.model_training.SweepJob): a 2-16-16-1 tanh network trained by gradient descent on 200 rows of
circles (few rows, so that numpy's BLAS does not spread one run over every core itself).
"""
from __future__ import annotations
import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))   # this checkout's explorer, not an installed copy

import argparse
import os
import sys
import time

from explorer.core.model_training import SweepJob
from explorer.core.sweep import sweep

VALUES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)     # learning rates
SEEDS = (0, 1, 2)
ROWS, STEPS, GOAL = 200, 300, 0.7


CONFIG = {"data": {"dataset": "circles", "rows": ROWS, "noise": 0.1, "seed": 0}, "model": "mlp:16,16:tanh",
          "test_fraction": 0.25, "method": "gd", "settings": {}, "steps": STEPS}
JOB = SweepJob(CONFIG, "lr")


def training_run(lr: float, seed: int) -> dict:
    """Train a 2-16-16-1 tanh network on noisy circles by gradient descent (the product's own sweep job,
    core.model_training); the final train and test metrics."""
    return JOB(lr, seed)


def timed_run(value, seed) -> dict:
    """training_run, and how long it took where it ran (to tell a busy machine from a slow sweep)."""
    t = time.perf_counter()
    result = training_run(value, seed)
    return {**result, "seconds": time.perf_counter() - t}


def floor() -> tuple[float, float]:
    """The 24 runs one by one here: the wall time, and the mean time of a run."""
    times = [timed_run(value, seed)["seconds"] for value in VALUES for seed in SEEDS]
    return sum(times), sum(times) / len(times)


def swept(workers: int | None) -> tuple[float, float]:
    """The sweep: its wall time, and the mean time of a run inside a worker."""
    t = time.perf_counter()
    results = sweep(timed_run, VALUES, SEEDS, workers=workers)
    elapsed = time.perf_counter() - t
    assert len(results) == len(VALUES) * len(SEEDS) and not any("error" in r for r in results), results
    return elapsed, sum(r["seconds"] for r in results) / len(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=None, help="default: every core (the sweep's own default)")
    workers = parser.parse_args().workers or os.cpu_count() or 1
    print(f"{os.cpu_count()} cores; sweep workers: {workers}; {len(VALUES)} values × {len(SEEDS)} seeds, "
          f"{STEPS} steps a run")
    training_run(VALUES[0], 0)                           # warm-up
    (one, alone), (wall, inside) = floor(), swept(workers)
    (one_again, alone_again), (wall_again, inside_again) = floor(), swept(workers)   # alternate: same machine state
    if one_again < one:
        one, alone = one_again, alone_again
    if wall_again < wall:
        wall, inside = wall_again, inside_again
    ratio = wall / one
    print(f"floor (24 runs here, one by one) {one:6.2f} s   sweep {wall:6.2f} s   ratio {ratio:.2f}   "
          f"goal < {GOAL}: {'met' if ratio < GOAL else 'NOT met'}")
    # a run in a worker as fast as one alone: the cores were free; much slower: other programs had them
    slower = inside / alone
    best = slower / min(workers, len(VALUES) * len(SEEDS))
    print(f"a run inside the sweep took {slower:.2f}× a run alone (1.00 on free cores), so the best ratio this "
          f"machine allowed was about {best:.2f}; the sweep's own cost (starting workers, handing out runs): "
          f"{wall - len(VALUES) * len(SEEDS) * inside / workers:+.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
