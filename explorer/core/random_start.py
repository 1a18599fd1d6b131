"""A random start for a fit: each trained parameter drawn independently from the standard normal N(0, 1) by
numpy's default_rng(seed), in the order the parameters are named. The same seed, the same start."""
from __future__ import annotations

import numpy as np

from explorer.core.batches import MAX_SEED


def random_start(dimension: int, seed: int = 0) -> np.ndarray:
    """`dimension` numbers ~ N(0, 1), independent, from numpy.random.default_rng(seed).standard_normal."""
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"the seed must be a whole number from 0 to {MAX_SEED}")
    return np.random.default_rng(seed).standard_normal(int(dimension))
