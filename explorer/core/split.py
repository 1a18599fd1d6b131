"""Train/test splits of a dataset's rows: seeded, reproducible, disjoint and covering.

`split_rows(rows, F, seed)` draws one permutation of 0..rows-1 from `numpy.random.default_rng(seed)`;
its first round(rows·F) entries (Python's round: halves to even) are the test rows, the rest the
training rows, each part in ascending order. F = 0 keeps every row for training (no test part).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from explorer.core.data import DataError

MAX_TEST_FRACTION = 0.9


@dataclass(frozen=True, eq=False)
class Split:
    """Row indices (0-based, ascending) of the training part and of the test part. Read-only."""

    train: np.ndarray
    test: np.ndarray

    def __post_init__(self):
        for name in ("train", "test"):
            part = np.array(getattr(self, name), dtype=np.int64).reshape(-1)
            part.flags.writeable = False
            object.__setattr__(self, name, part)

    @property
    def rows(self) -> int:
        """The number of rows split."""
        return int(self.train.size + self.test.size)

    def as_dict(self) -> dict[str, list[int]]:
        return {"train": self.train.tolist(), "test": self.test.tolist()}

    @classmethod
    def from_dict(cls, parts: Mapping[str, Sequence[int]], rows: int) -> "Split":
        """A split read back from `as_dict`, checked against a table of `rows` rows; DataError if it is not one."""
        try:
            train, test = (np.asarray(parts[name]) for name in ("train", "test"))
        except (KeyError, TypeError):
            raise DataError("a split needs the lists 'train' and 'test' of row numbers") from None
        for name, part in (("train", train), ("test", test)):
            if part.ndim != 1 or (part.size and not np.issubdtype(part.dtype, np.integer)):
                raise DataError(f"the split's '{name}' part must be a list of whole row numbers")
            if part.size and (np.any(np.diff(part) <= 0) or part[0] < 0 or part[-1] >= rows):
                raise DataError(f"the split's '{name}' rows must ascend, each from 0 to {rows - 1}")
        if train.size == 0 or train.size + test.size != rows or np.intersect1d(train, test).size:
            raise DataError(f"the split must share the {rows} rows between 'train' and 'test', each row once, "
                            "with at least one training row")
        return cls(train, test)

    def __eq__(self, other):
        if not isinstance(other, Split):
            return NotImplemented
        return np.array_equal(self.train, other.train) and np.array_equal(self.test, other.test)

    def __hash__(self):
        return hash((self.train.tobytes(), self.test.tobytes()))


def held_out_count(rows: int, test_fraction: float) -> int:
    """How many of `rows` rows go to the test part: round(rows·F)."""
    return int(round(rows * test_fraction))


def split_rows(rows: int, test_fraction: float, seed: int = 0) -> Split:
    """`rows` rows split into training and test parts, round(rows·F) of them for testing (module docstring)."""
    if isinstance(rows, bool) or not isinstance(rows, (int, np.integer)) or rows < 1:
        raise DataError(f"a split needs a whole number of rows >= 1, not {rows!r}")
    if (isinstance(test_fraction, bool) or not isinstance(test_fraction, (int, float, np.integer, np.floating))
            or not math.isfinite(test_fraction) or not 0 <= test_fraction <= MAX_TEST_FRACTION):
        raise DataError(f"the test fraction must be a number from 0 to {MAX_TEST_FRACTION}, not {test_fraction!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DataError(f"the split seed must be a whole number >= 0, not {seed!r}")
    n_test = held_out_count(int(rows), test_fraction)
    if test_fraction > 0 and not 0 < n_test < rows:
        raise DataError(f"a test fraction of {test_fraction:g} of {rows} row{'s' if rows != 1 else ''} leaves "
                        f"{'no test rows' if n_test == 0 else 'no training rows'}; choose a fraction that gives "
                        "both parts at least one row")
    order = np.random.default_rng(int(seed)).permutation(int(rows))
    return Split(np.sort(order[n_test:]), np.sort(order[:n_test]))
