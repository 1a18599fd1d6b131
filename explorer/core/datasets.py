"""Built-in datasets: seeded generators, one per lesson, registered by name.

Every generator draws from `numpy.random.default_rng(seed)`, so a name, a seed and a row count
always give the same table (with the same numpy; numpy does not promise its streams across
versions). The formulas below are what each generator draws; the noise is Gaussian, of standard
deviation s (`noise`, default in brackets; leaving it out keeps each table exactly as it always was).

    line        X ~ U(-3, 3);                      Y = 2 X + 1 + N(0, s²)                       [s = 0.5]
    plane       X1, X2, X3 ~ N(0, 1);              Y = 1.5 X1 - 2 X2 + 0.5 X3 + 3 + N(0, s²)    [0.3]
    classes-1d  Y = 0 or 1, half each;             X | Y ~ N(-1 + 2 Y, s²)                      [1]
    classes-2d  Y = 0 or 1, half each;             (X1, X2) | Y ~ N((-1 + 2 Y, -0.5 + Y), s² I) [1]
    scales      X1 ~ N(0, 100²), X2 ~ N(0, 1);      Y = 0.03 X1 + 2 X2 + N(0, s²)                [0.5]
    growth      X ~ U(0, 4);                       Y = 2 exp(0.5 X) + N(0, s²)                  [0.4]

Datasets for models that learn (features X1, X2; target Y; 200 rows unless told):

    moons    as scikit-learn's make_moons: Y = 0 on (cos t, sin t), Y = 1 on (1 - cos t, 0.5 - sin t),
             t evenly spaced in [0, π] per class; (X1, X2) = that point + N(0, s² I)          [s = 0.2]
    circles  as make_circles(factor=0.5): Y = 0 on (cos t, sin t), Y = 1 on 0.5 (cos t, sin t),
             t evenly spaced in [0, 2π) per class; + N(0, s² I)                               [0.1]
    xor      Y = 0 or 1, half each; |X1|, |X2| ~ U(0, 1) with signs drawn so that Y = [X1·X2 > 0]
             (class 1 in quadrants I and III, class 0 in II and IV); then jitter + N(0, s² I),
             which can carry a point near an axis into the other class's quadrant           [0.1]
    spirals  Y = 0 or 1, half each; t ~ U(0, 1), θ = 3π t + π Y (one and a half turns, the arms
             half a turn apart); (X1, X2) = t (cos θ, sin θ) + N(0, s² I)                    [0.05]
    blobs    K classes (`classes`, default 3), Y = 0..K-1 in turn; centres μk = 2 (cos 2πk/K, sin 2πk/K)
             on a circle of radius 2; (X1, X2) | Y = k ~ N(μk, s² I)                          [0.7]
    wave     a regression in one feature: X ~ U(-3, 3); Y = sin X + N(0, s²)                 [0.1]
    moons-noise  moons' X1, X2, Y (the same rows for the same seed, rows and s), then a third feature
             X3 ~ N(0, 1) drawn after them, independent of Y: pure noise, for feature importance  [0.2]

The class datasets have balanced classes (counts differ by at most one) and shuffled rows.

The two classes overlap, so logistic regression has a finite best fit (with only a few rows the
classes can come out separable, and then the loss keeps falling as |w| grows). In `scales` the
features differ in size by a factor of 100, so the MSE's Hessian has a condition number near 10⁴:
gradient descent crawls until the features are standardised (`data.standardise`). `growth` is for
a model nonlinear in its parameters, a·exp(b·X): its least-squares loss is not quadratic, so
Gauss–Newton's JᵀJ differs from the loss's Hessian (core.least_squares).
Rows of the class datasets are shuffled, so any contiguous block of rows holds both classes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from explorer.core.data import MAX_ROWS, DataError, Dataset

MIN_ROWS = 2
MAX_CLASSES = 10
DEFAULT_CLASSES = 3   # blobs


@dataclass(frozen=True)
class Generator:
    name: str
    description: str   # one line
    rows: int          # the default number of rows
    noise: float       # the default standard deviation s of its Gaussian noise
    draw: Callable[..., dict[str, np.ndarray]]   # draw(rng, rows, noise, classes) -> {column: values}
    classes: int | None = None   # the default number of classes of a generator that is told it (blobs)


def _line(rng, n, s, _):
    x = rng.uniform(-3.0, 3.0, n)
    return {"X": x, "Y": 2.0 * x + 1.0 + rng.normal(0.0, s, n)}


def _plane(rng, n, s, _):
    x1, x2, x3 = rng.normal(0.0, 1.0, (3, n))
    return {"X1": x1, "X2": x2, "X3": x3, "Y": 1.5 * x1 - 2.0 * x2 + 0.5 * x3 + 3.0 + rng.normal(0.0, s, n)}


def _labels(rng, n, k=2):
    """Balanced labels 0..k-1 in a random order."""
    return rng.permutation(np.arange(n) % k).astype(float)


def _classes_1d(rng, n, s, _):
    y = _labels(rng, n)
    return {"X": rng.normal(-1.0 + 2.0 * y, s), "Y": y}


def _classes_2d(rng, n, s, _):
    y = _labels(rng, n)
    return {"X1": rng.normal(-1.0 + 2.0 * y, s), "X2": rng.normal(-0.5 + y, s), "Y": y}


def _scales(rng, n, s, _):
    x1, x2 = rng.normal(0.0, 100.0, n), rng.normal(0.0, 1.0, n)
    return {"X1": x1, "X2": x2, "Y": 0.03 * x1 + 2.0 * x2 + rng.normal(0.0, s, n)}


def _growth(rng, n, s, _):
    x = rng.uniform(0.0, 4.0, n)
    return {"X": x, "Y": 2.0 * np.exp(0.5 * x) + rng.normal(0.0, s, n)}


def _shuffled(rng, points: np.ndarray, y: np.ndarray, s: float) -> dict[str, np.ndarray]:
    """Rows in a random order, Gaussian noise of sd s added to both features."""
    order = rng.permutation(len(y))
    points = points[order] + rng.normal(0.0, s, (len(y), 2))
    return {"X1": points[:, 0], "X2": points[:, 1], "Y": y[order].astype(float)}


def _moons(rng, n, s, _):
    t0, t1 = np.linspace(0.0, np.pi, n // 2), np.linspace(0.0, np.pi, n - n // 2)
    points = np.concatenate([np.column_stack([np.cos(t0), np.sin(t0)]),
                             np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])])
    return _shuffled(rng, points, np.repeat([0, 1], [t0.size, t1.size]), s)


def _circles(rng, n, s, _):
    t0 = np.linspace(0.0, 2.0 * np.pi, n // 2, endpoint=False)
    t1 = np.linspace(0.0, 2.0 * np.pi, n - n // 2, endpoint=False)
    points = np.concatenate([np.column_stack([np.cos(t0), np.sin(t0)]),
                             0.5 * np.column_stack([np.cos(t1), np.sin(t1)])])
    return _shuffled(rng, points, np.repeat([0, 1], [t0.size, t1.size]), s)


def _xor(rng, n, s, _):
    y = _labels(rng, n)
    size = rng.uniform(0.0, 1.0, (n, 2))
    sign = rng.choice([-1.0, 1.0], n)
    # class 1: both signs the same (X1·X2 > 0); class 0: opposite signs
    points = size * np.column_stack([sign, np.where(y == 1, sign, -sign)])
    return {"X1": points[:, 0] + rng.normal(0.0, s, n), "X2": points[:, 1] + rng.normal(0.0, s, n), "Y": y}


def _spirals(rng, n, s, _):
    y = _labels(rng, n)
    t = rng.uniform(0.0, 1.0, n)
    angle = 3.0 * np.pi * t + np.pi * y
    return {"X1": t * np.cos(angle) + rng.normal(0.0, s, n), "X2": t * np.sin(angle) + rng.normal(0.0, s, n),
            "Y": y}


def _blobs(rng, n, s, k):
    y = _labels(rng, n, k)
    angle = 2.0 * np.pi * y / k
    return {"X1": 2.0 * np.cos(angle) + rng.normal(0.0, s, n), "X2": 2.0 * np.sin(angle) + rng.normal(0.0, s, n),
            "Y": y}


def _moons_noise(rng, n, s, k):
    columns = _moons(rng, n, s, k)   # drawn first: X1, X2 and Y are moons' own
    noise = rng.normal(0.0, 1.0, n)
    return {"X1": columns["X1"], "X2": columns["X2"], "X3": noise, "Y": columns["Y"]}


def _wave(rng, n, s, _):
    x = rng.uniform(-3.0, 3.0, n)
    return {"X": x, "Y": np.sin(x) + rng.normal(0.0, s, n)}


GENERATORS: dict[str, Generator] = {g.name: g for g in (
    Generator("line", "a noisy line, Y = 2X + 1 + noise, columns X and Y", 50, 0.5, _line),
    Generator("plane", "a noisy plane in three features, Y = 1.5 X1 - 2 X2 + 0.5 X3 + 3 + noise", 100, 0.3, _plane),
    Generator("classes-1d", "two overlapping Gaussian classes Y = 0, 1 along one feature X", 100, 1.0, _classes_1d),
    Generator("classes-2d", "two overlapping Gaussian classes Y = 0, 1 in two features X1, X2", 200, 1.0,
              _classes_2d),
    Generator("scales", "features of very different scales, X1 ~ 100 and X2 ~ 1, to show why scaling matters", 100,
              0.5, _scales),
    Generator("growth", "exponential growth, Y = 2 exp(0.5 X) + noise, for a model nonlinear in its parameters",
              40, 0.4, _growth),
    Generator("moons", "two interleaving half circles, classes Y = 0, 1 in X1, X2", 200, 0.2, _moons),
    Generator("circles", "a circle of class Y = 1 inside a circle of class 0 twice its size, in X1, X2", 200, 0.1,
              _circles),
    Generator("xor", "class Y = 1 where X1 and X2 have the same sign, 0 where not (XOR)", 200, 0.1, _xor),
    Generator("spirals", "two interleaved spirals, classes Y = 0, 1 in X1, X2", 200, 0.05, _spirals),
    Generator("blobs", "K Gaussian blobs on a circle, classes Y = 0..K-1 in X1, X2 (K = 3 unless told)", 200, 0.7,
              _blobs, DEFAULT_CLASSES),
    Generator("wave", "a noisy sine wave, Y = sin X + noise, a regression in one feature X", 200, 0.1, _wave),
    Generator("moons-noise", "moons' classes Y = 0, 1 in X1, X2 with a third feature X3 of pure noise, N(0, 1) "
              "independent of Y", 200, 0.2, _moons_noise),
)}


def dataset_names() -> list[str]:
    return list(GENERATORS)


def describe() -> str:
    """'name: description' per dataset, one a line (for help texts)."""
    return "\n".join(f"{g.name}: {g.description}" for g in GENERATORS.values())


def generate(name: str, seed: int = 0, rows: int | None = None, noise: float | None = None,
             classes: int | None = None) -> Dataset:
    """The dataset `name` drawn with `seed`; `rows`, `noise` (the sd s) and `classes` (blobs' K) default to
    the generator's own."""
    generator = GENERATORS.get(name)
    if generator is None:
        raise DataError(f"unknown dataset '{name}' (choose from {', '.join(GENERATORS)})")
    n = generator.rows if rows is None else rows
    if not _whole(n) or not MIN_ROWS <= n <= MAX_ROWS:
        raise DataError(f"dataset '{name}': rows must be a whole number from {MIN_ROWS} to {MAX_ROWS:,}, not {n!r}")
    if not _whole(seed) or seed < 0:
        raise DataError(f"dataset '{name}': the seed must be a whole number >= 0, not {seed!r}")
    s = generator.noise if noise is None else noise
    if isinstance(s, bool) or not isinstance(s, (int, float, np.integer, np.floating)) or not math.isfinite(s) or s < 0:
        raise DataError(f"dataset '{name}': the noise must be a finite number >= 0, not {s!r}")
    k = _classes(generator, classes, n)
    columns = generator.draw(np.random.default_rng(int(seed)), int(n), float(s), k)
    told = "".join(f", {what}" for what, given in ((f"noise {s:g}", noise), (f"{k} classes", classes))
                   if given is not None)
    return Dataset.from_columns(f"{name} (seed {seed})", columns,
                                f"{generator.description}; {n} rows, seed {seed}{told}")


def _classes(generator: Generator, classes, rows: int) -> int | None:
    """The number of classes to draw: the generator's own unless told (only a generator that has one is told)."""
    name = generator.name
    if classes is None:
        return generator.classes
    if generator.classes is None:
        raise DataError(f"dataset '{name}': its classes are fixed; the number of classes is chosen only for "
                        f"{', '.join(g.name for g in GENERATORS.values() if g.classes is not None)}")
    if not _whole(classes) or not 2 <= classes <= MAX_CLASSES:
        raise DataError(f"dataset '{name}': the number of classes must be a whole number from 2 to {MAX_CLASSES}, "
                        f"not {classes!r}")
    if classes > rows:
        raise DataError(f"dataset '{name}': {classes} classes need at least {classes} rows, not {rows}")
    return int(classes)


def _whole(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, np.integer))
