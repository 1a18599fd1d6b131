"""Mini-batches: which rows of the data step t of a run uses, a pure function of (seed, t).

Epoch e = ⌊t / m⌋ with m = ⌈rows / size⌉ batches an epoch. Each epoch is a fresh permutation of the
rows, drawn by numpy's PCG64 generator seeded with the pair (seed, e); the epoch is cut into
consecutive batches of `size` rows, the last one smaller when `size` does not divide the rows. So
every row is used exactly once an epoch, and Back/Forward, scenes and exports replay exactly.
A batch is returned as 0-based row indices in file order (ascending). A batch of one row is SGD.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

MAX_SEED = 2**32 - 1


@lru_cache(maxsize=8)
def _permutation(seed: int, epoch: int, rows: int) -> np.ndarray:
    order = np.random.default_rng((seed, epoch)).permutation(rows)
    order.flags.writeable = False
    return order


@dataclass(frozen=True)
class BatchPlan:
    """Batches of `size` of `rows` rows, shuffled every epoch by `seed` (module docstring)."""

    rows: int
    size: int
    seed: int = 0

    def __post_init__(self):
        if not (1 <= self.size < self.rows):
            raise ValueError(f"a mini-batch holds 1 to {self.rows - 1} rows (all {self.rows} is the full batch), "
                             f"not {self.size}")
        if not (0 <= self.seed <= MAX_SEED):
            raise ValueError(f"the seed must be a whole number from 0 to {MAX_SEED}, not {self.seed}")

    @property
    def per_epoch(self) -> int:
        """Batches an epoch: ⌈rows / size⌉."""
        return math.ceil(self.rows / self.size)

    def epoch(self, t: int) -> int:
        """The epoch step t belongs to (0-based)."""
        return int(t) // self.per_epoch

    def batch(self, t: int) -> np.ndarray:
        """The rows of step t: ascending 0-based indices."""
        e, i = divmod(int(t), self.per_epoch)
        order = _permutation(self.seed, e, self.rows)
        return np.sort(order[i * self.size:(i + 1) * self.size])

    def describe(self) -> str:
        return "SGD (batch 1)" if self.size == 1 else f"mini-batch {self.size}"


def whole(value, low: float, high: float) -> int | None:
    """`value` as an int if it is a whole number from `low` to `high`; None for anything else (2.5, nan, inf,
    True, '3')."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        return None
    return int(value) if value == int(value) and low <= value <= high else None


def batch_plan(rows: int, size: int | None, seed: int = 0) -> BatchPlan | None:
    """The plan for a batch size, or None for the full batch (no size, or a size of every row or more)."""
    if size is None:
        return None
    if whole(size, 1, math.inf) is None:
        raise ValueError(f"the batch size must be a whole number of rows, 1 or more, not {size}")
    if whole(seed, 0, MAX_SEED) is None:   # int(2.5) would quietly be another seed
        raise ValueError(f"the seed must be a whole number from 0 to {MAX_SEED}, not {seed}")
    return None if size >= rows else BatchPlan(rows, int(size), int(seed))
