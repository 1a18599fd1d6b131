"""How good a model's predictions are: classification and regression metrics in plain numpy.

Binary (class 1 is the positive class; a probability p counts as class 1 when p >= the threshold):
    accuracy = (TP + TN) / n,  precision = TP / (TP + FP),  recall = TP / (TP + FN),
    F1 = 2 TP / (2 TP + FP + FN);  confusion = [[TN, FP], [FN, TP]] (rows: true 0, 1; columns: predicted 0, 1).
K classes: accuracy; macro F1 = the mean of each class's F1 over the classes that occur in the true or the
    predicted labels (as scikit-learn's f1_score(average='macro')); confusion[i][j] = rows of class i
    predicted as j.
Regression: MSE = mean (y - ŷ)²;  R² = 1 - SS_res / SS_tot, SS_tot = Σ (y - ȳ)².
A metric whose denominator is 0 is 0.0 (also R² when every y is the same), and so is every metric of no rows.
"""
from __future__ import annotations

import numpy as np

TASKS = ("binary", "classes", "regression")   # as core.network.TASKS


def binary_metrics(y_true, p_or_pred, threshold: float = 0.5) -> dict:
    """Accuracy, precision, recall, F1 and the 2×2 confusion matrix of 0/1 targets."""
    y = _labels(y_true, "the target")
    p = _matching(p_or_pred, y)
    if np.any((y != 0) & (y != 1)):
        raise ValueError("binary metrics need a target of 0s and 1s")
    predicted = (p >= threshold).astype(np.int64)
    confusion = _confusion(y, predicted, 2)
    (tn, fp), (fn, tp) = confusion
    return {"accuracy": _ratio(tp + tn, y.size), "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
            "f1": _ratio(2 * tp, 2 * tp + fp + fn), "confusion": confusion.tolist()}


def class_metrics(y_true, y_pred, k: int) -> dict:
    """Accuracy, macro F1 and the k×k confusion matrix of class labels 0..k-1."""
    y = _labels(y_true, "the target")
    predicted = _labels(y_pred, "the prediction")
    _matching(predicted, y)
    for what, labels in (("target", y), ("prediction", predicted)):
        if labels.size and (labels.min() < 0 or labels.max() >= k):
            raise ValueError(f"the {what} holds a class outside 0..{k - 1}")
    confusion = _confusion(y, predicted, k)
    tp = np.diag(confusion)
    true, chosen = confusion.sum(axis=1), confusion.sum(axis=0)
    seen = (true + chosen) > 0
    f1 = [_ratio(2 * tp[c], true[c] + chosen[c]) for c in np.flatnonzero(seen)]
    return {"accuracy": _ratio(tp.sum(), y.size), "macro_f1": float(np.mean(f1)) if f1 else 0.0,
            "confusion": confusion.tolist()}


def regression_metrics(y_true, y_pred) -> dict:
    """The mean squared error and R² of predictions of a number."""
    y = np.asarray(y_true, dtype=float).reshape(-1)
    predicted = _matching(y_pred, y)
    if y.size == 0:
        return {"mse": 0.0, "r2": 0.0}
    residual = float(np.sum((y - predicted) ** 2))
    total = float(np.sum((y - y.mean()) ** 2))
    return {"mse": residual / y.size, "r2": 1.0 - residual / total if total > 0 else 0.0}


def metrics_for(task: str, y_true, prediction, k: int | None = None) -> dict:
    """The metrics of `task`: binary takes P(y = 1) or 0/1 predictions; classes takes labels or a (rows, k)
    array of probabilities (its argmax is the label); regression takes the predicted values."""
    if task == "binary":
        return binary_metrics(y_true, prediction)
    if task == "classes":
        if k is None:
            raise ValueError("class metrics need the number of classes k")
        prediction = np.asarray(prediction)
        if prediction.ndim == 2:
            prediction = np.argmax(prediction, axis=1)
        return class_metrics(y_true, prediction, k)
    if task == "regression":
        return regression_metrics(y_true, prediction)
    raise ValueError(f"unknown task '{task}' (choose from {', '.join(TASKS)})")


def _labels(values, what: str) -> np.ndarray:
    """Whole-number labels as integers; a value that is not whole is refused."""
    values = np.asarray(values, dtype=float).reshape(-1)
    if not np.all(np.isfinite(values)) or np.any(values != np.round(values)):
        raise ValueError(f"{what} must hold whole-number classes")
    return values.astype(np.int64)


def _matching(values, y: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float).reshape(-1)
    if values.size != y.size:
        raise ValueError(f"{values.size} predictions for {y.size} rows")
    return values


def _confusion(y: np.ndarray, predicted: np.ndarray, k: int) -> np.ndarray:
    return np.bincount(y * k + predicted, minlength=k * k).reshape(k, k)


def _ratio(top, bottom) -> float:
    return float(top) / float(bottom) if bottom else 0.0
