"""Built-in datasets: seeded generators, one per lesson, registered by name.

Every generator draws from `numpy.random.default_rng(seed)`, so a name, a seed and a row count
always give the same table (with the same numpy; numpy does not promise its streams across
versions). The formulas below are what each generator draws; the noise is Gaussian.

    line        X ~ U(-3, 3);                      Y = 2 X + 1 + N(0, 0.5²)
    plane       X1, X2, X3 ~ N(0, 1);              Y = 1.5 X1 - 2 X2 + 0.5 X3 + 3 + N(0, 0.3²)
    classes-1d  Y = 0 or 1, half each;             X | Y ~ N(-1 + 2 Y, 1)
    classes-2d  Y = 0 or 1, half each;             (X1, X2) | Y ~ N((-1 + 2 Y, -0.5 + Y), I)
    scales      X1 ~ N(0, 100²), X2 ~ N(0, 1);      Y = 0.03 X1 + 2 X2 + N(0, 0.5²)
    growth      X ~ U(0, 4);                       Y = 2 exp(0.5 X) + N(0, 0.4²)

The two classes overlap, so logistic regression has a finite best fit (with only a few rows the
classes can come out separable, and then the loss keeps falling as |w| grows). In `scales` the
features differ in size by a factor of 100, so the MSE's Hessian has a condition number near 10⁴:
gradient descent crawls until the features are standardised (`data.standardise`). `growth` is for
a model nonlinear in its parameters, a·exp(b·X): its least-squares loss is not quadratic, so
Gauss–Newton's JᵀJ differs from the loss's Hessian (core.least_squares).
Rows of the class datasets are shuffled, so any contiguous block of rows holds both classes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from explorer.core.data import MAX_ROWS, DataError, Dataset

MIN_ROWS = 2


@dataclass(frozen=True)
class Generator:
    name: str
    description: str   # one line
    rows: int          # the default number of rows
    draw: Callable[[np.random.Generator, int], dict[str, np.ndarray]]


def _line(rng, n):
    x = rng.uniform(-3.0, 3.0, n)
    return {"X": x, "Y": 2.0 * x + 1.0 + rng.normal(0.0, 0.5, n)}


def _plane(rng, n):
    x1, x2, x3 = rng.normal(0.0, 1.0, (3, n))
    return {"X1": x1, "X2": x2, "X3": x3, "Y": 1.5 * x1 - 2.0 * x2 + 0.5 * x3 + 3.0 + rng.normal(0.0, 0.3, n)}


def _labels(rng, n):
    return rng.permutation(np.arange(n) % 2).astype(float)


def _classes_1d(rng, n):
    y = _labels(rng, n)
    return {"X": rng.normal(-1.0 + 2.0 * y, 1.0), "Y": y}


def _classes_2d(rng, n):
    y = _labels(rng, n)
    return {"X1": rng.normal(-1.0 + 2.0 * y, 1.0), "X2": rng.normal(-0.5 + y, 1.0), "Y": y}


def _scales(rng, n):
    x1, x2 = rng.normal(0.0, 100.0, n), rng.normal(0.0, 1.0, n)
    return {"X1": x1, "X2": x2, "Y": 0.03 * x1 + 2.0 * x2 + rng.normal(0.0, 0.5, n)}


def _growth(rng, n):
    x = rng.uniform(0.0, 4.0, n)
    return {"X": x, "Y": 2.0 * np.exp(0.5 * x) + rng.normal(0.0, 0.4, n)}


GENERATORS: dict[str, Generator] = {g.name: g for g in (
    Generator("line", "a noisy line, Y = 2X + 1 + noise, columns X and Y", 50, _line),
    Generator("plane", "a noisy plane in three features, Y = 1.5 X1 - 2 X2 + 0.5 X3 + 3 + noise", 100, _plane),
    Generator("classes-1d", "two overlapping Gaussian classes Y = 0, 1 along one feature X", 100, _classes_1d),
    Generator("classes-2d", "two overlapping Gaussian classes Y = 0, 1 in two features X1, X2", 200, _classes_2d),
    Generator("scales", "features of very different scales, X1 ~ 100 and X2 ~ 1, to show why scaling matters", 100,
              _scales),
    Generator("growth", "exponential growth, Y = 2 exp(0.5 X) + noise, for a model nonlinear in its parameters",
              40, _growth),
)}


def dataset_names() -> list[str]:
    return list(GENERATORS)


def describe() -> str:
    """'name: description' per dataset, one a line (for help texts)."""
    return "\n".join(f"{g.name}: {g.description}" for g in GENERATORS.values())


def generate(name: str, seed: int = 0, rows: int | None = None) -> Dataset:
    """The dataset `name` drawn with `seed`; `rows` defaults to the generator's own count."""
    generator = GENERATORS.get(name)
    if generator is None:
        raise DataError(f"unknown dataset '{name}' (choose from {', '.join(GENERATORS)})")
    n = generator.rows if rows is None else rows
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not MIN_ROWS <= n <= MAX_ROWS:
        raise DataError(f"dataset '{name}': rows must be a whole number from {MIN_ROWS} to {MAX_ROWS:,}, not {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DataError(f"dataset '{name}': the seed must be a whole number >= 0, not {seed!r}")
    columns = generator.draw(np.random.default_rng(int(seed)), int(n))
    return Dataset.from_columns(f"{name} (seed {seed})", columns, f"{generator.description}; {n} rows, seed {seed}")
