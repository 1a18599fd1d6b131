"""What the fit view draws for a parameter vector θ: the model's predictions, as numbers only.

A fit with a model expression and a target column (`FitProblem.model`, `.target`) gives:
    predictions(problem, θ)          the model at every row, shape (rows,)
    predicted_vs_actual(problem, θ)  (target values, predictions): any number of features
    model_curve(problem, θ)          one feature: the model on a fine grid of it (the fitted line,
                                     or a logistic model's probability curve; `.crossings(0.5)`
                                     is where it crosses 0.5: the 1-feature decision boundary)
    decision_boundary(problem, θ)    two features: the model on a grid of both, and the line where
                                     it equals 0.5 (or another level)
`is_classification(problem)` says whether the target holds only 0 and 1 (then draw probabilities
and boundaries rather than a line through the points).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.expression import ERRORS
from explorer.core.fit import FitError, FitProblem
from explorer.core.levels import iso_lines

MARGIN = 0.05   # the grid reaches this fraction of the data's range beyond its smallest and largest value


@dataclass(frozen=True)
class ModelCurve:
    """The model along one feature: prediction[k] = model at feature value x[k]."""

    feature: str
    x: np.ndarray
    prediction: np.ndarray

    def crossings(self, level: float = 0.5) -> np.ndarray:
        """Feature values where the curve crosses `level` (linear interpolation between grid points)."""
        d = self.prediction - level
        k = np.nonzero((d[:-1] == 0) | (np.sign(d[:-1]) * np.sign(d[1:]) < 0))[0]
        with np.errstate(**ERRORS):
            t = np.where(d[k] == d[k + 1], 0.0, d[k] / (d[k] - d[k + 1]))
        return self.x[k] + t * (self.x[k + 1] - self.x[k])


@dataclass(frozen=True)
class DecisionBoundary:
    """The model on an 'ij' grid of two features (probability[i, j] at x1[i], x2[j]) and its level line."""

    features: tuple[str, str]
    x1: np.ndarray
    x2: np.ndarray
    probability: np.ndarray
    level: float
    line: np.ndarray   # (k, 2) vertices (x1, x2); pieces separated by rows of NaN; empty if none


def is_classification(problem: FitProblem) -> bool:
    """The target column holds only 0s and 1s (and both)."""
    if problem.target is None:
        return False
    y = problem.dataset.column(problem.target)
    return bool(np.all((y == 0) | (y == 1)) and np.any(y == 0) and np.any(y == 1))


def predictions(problem: FitProblem, theta) -> np.ndarray:
    """The model at every row, shape (rows,)."""
    return _model(problem, theta, problem.column_arrays, problem.dataset.rows)


def predicted_vs_actual(problem: FitProblem, theta) -> tuple[np.ndarray, np.ndarray]:
    """(the target column, the model's predictions), both (rows,)."""
    _need_model(problem)
    return np.array(problem.dataset.column(problem.target)), predictions(problem, theta)


def model_curve(problem: FitProblem, theta, points: int = 200) -> ModelCurve:
    """The model along its one feature, from a little below the data's smallest value to a little above its largest."""
    (feature,) = _features(problem, 1)
    x = _axis(problem.dataset.column(feature), points)
    return ModelCurve(feature, x, _model(problem, theta, _with(problem, {feature: x}, points), points))


def decision_boundary(problem: FitProblem, theta, points: int = 200, level: float = 0.5) -> DecisionBoundary:
    """The model over a grid of its two features and the line where it equals `level`."""
    f1, f2 = _features(problem, 2)
    x1 = _axis(problem.dataset.column(f1), points)
    x2 = _axis(problem.dataset.column(f2), points)
    X1, X2 = np.meshgrid(x1, x2, indexing="ij")
    grid = _with(problem, {f1: X1.ravel(), f2: X2.ravel()}, X1.size)
    p = _model(problem, theta, grid, X1.size).reshape(X1.shape)
    return DecisionBoundary((f1, f2), x1, x2, p, float(level), iso_lines(x1, x2, p, [level])[0])


def _need_model(problem: FitProblem) -> None:
    if problem.model is None:
        raise FitError("this fit has no model expression, so there is no prediction to draw")


def _features(problem: FitProblem, count: int) -> tuple[str, ...]:
    _need_model(problem)
    features = problem.features
    if len(features) != count:
        raise FitError(f"the model uses {len(features)} feature(s) ({', '.join(features) or 'none'}); "
                       f"this picture needs {count}")
    return features


def _axis(values: np.ndarray, points: int) -> np.ndarray:
    lo, hi = float(np.min(values)), float(np.max(values))
    pad = MARGIN * (hi - lo) if hi > lo else 0.5
    return np.linspace(lo - pad, hi + pad, points)


def _with(problem: FitProblem, replaced: dict, size: int) -> tuple[np.ndarray, ...]:
    """Columns for the model: `replaced` where given, zeros for the columns it does not use."""
    return tuple(replaced.get(c, np.zeros(size)) for c in problem.dataset.columns)


def _model(problem: FitProblem, theta, columns, size: int) -> np.ndarray:
    _need_model(problem)
    p = problem.point(theta)
    with np.errstate(**ERRORS):
        values = problem.model_function(*p, *columns)
    return np.broadcast_to(np.asarray(values, dtype=float), (size,)).copy()
