"""Sensitivity of a fitted model: the input–output Jacobian J = ∂outputs/∂inputs per row, and feature importance.

The outputs (`output_names`) are what the model says of a row, not its logits:
    binary      one output, P(y = 1) = σ(z)
    classes     K outputs, the softmax probabilities P(y = k), k = 0..K−1 (each row of J sums to 0 over them)
    regression  one output, the prediction z
J is in the units of the RAW features (the data's columns): with standardisation the network reads
x_std = (x − mean)/std, so ∂/∂x_raw = ∂/∂x_std / std (the chain rule through the training rows' numbers).

Rows are independent, so ∂/∂X of Σ_rows output_k gives every row's ∂output_k/∂x at once: one forward pass
and one reverse pass per output (autograd's make_vjp), never a loop over rows.

Feature importance is the mean of |∂output/∂input| over the rows and the outputs (`feature_importance`), or
per output (`importance_per_output`): a feature the model ignores has importance 0, in output units per unit
of the feature's raw scale (so a feature measured in metres and one in millimetres are not comparable until
standardised; the data's columns are what a person reads).
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np
from autograd.core import make_vjp
from autograd.tracer import getval

from explorer.core.expression import ERRORS
from explorer.core.network import sigmoid

ROW_PARTS = ("all", "train", "test")


def output_names(problem) -> tuple[str, ...]:
    """The outputs J differentiates, in its order: ("P(Y = 1)",), ("P(Y = 0)", ..., "P(Y = K−1)") or ("Y",)."""
    target = problem.target
    if problem.task == "binary":
        return (f"P({target} = 1)",)
    if problem.task == "classes":
        return tuple(f"P({target} = {k})" for k in range(problem.classes))
    return (target,)


def raw_rows(problem, rows: str = "all") -> np.ndarray:
    """The feature rows in the data's own units and file order: every row, or the training or test part's."""
    X = np.column_stack([np.asarray(problem.dataset.column(c), dtype=float) for c in problem.features])
    return X[row_indices(problem, rows)]


def row_indices(problem, rows: str = "all") -> np.ndarray:
    """File-order indices of every row ("all"), or of the training or test part (no split: every row trains)."""
    n = problem.dataset.rows
    split = problem.split
    if rows == "all":
        return np.arange(n)
    if rows == "train":
        return np.arange(n) if split is None else np.asarray(split.train, dtype=int)
    if rows == "test":
        return np.arange(0) if split is None else np.asarray(split.test, dtype=int)
    raise ValueError(f"rows are one of {', '.join(ROW_PARTS)}, not '{rows}'")


def _outputs(network, theta, X):
    """(rows, outputs): P(y=1), the softmax, or the prediction, differentiable in X."""
    z = network.logits(theta, X)
    if network.task == "binary":
        return sigmoid(z)
    if network.task == "classes":
        e = anp.exp(z - np.max(getval(z), axis=1, keepdims=True))   # a constant shift: softmax is unchanged
        return e / anp.sum(e, axis=1, keepdims=True)
    return z


def input_jacobian(problem, theta, X=None) -> np.ndarray:
    """J[r, k, i] = ∂output_k/∂x_i at row r, (rows, outputs, inputs), in raw units; X (raw units) defaults to
    every row of the data in file order."""
    theta = problem.point(theta)
    X = raw_rows(problem) if X is None else np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != len(problem.features):
        raise ValueError(f"the rows must be a table of {len(problem.features)} feature columns "
                         f"({', '.join(problem.features)}), not of shape {X.shape}")
    scale = np.ones(X.shape[1])
    if problem.standardisation is not None:
        mean = np.asarray(problem.standardisation["mean"])
        scale = np.asarray(problem.standardisation["std"])
        X = (X - mean) / scale
    network = problem.network
    k = network.n_outputs
    J = np.empty((len(X), k, X.shape[1]))
    with np.errstate(**ERRORS):
        vjp, _ = make_vjp(lambda inputs: _outputs(network, theta, inputs), X)
        for out in range(k):   # ∂/∂X Σ_rows output_k: every row's ∂output_k/∂x in one reverse pass
            pick = np.zeros((len(X), k))
            pick[:, out] = 1.0
            J[:, out, :] = vjp(pick)
    return J / scale   # ∂/∂x_raw = ∂/∂x_std / std


def importance_per_output(problem, theta, rows: str = "all") -> np.ndarray:
    """(outputs, inputs): the mean over the rows of |∂output_k/∂x_i| (raw units)."""
    X = raw_rows(problem, rows)
    if not len(X):
        raise ValueError(f"there are no {rows} rows")
    return np.mean(np.abs(input_jacobian(problem, theta, X)), axis=0)


def feature_importance(problem, theta, rows: str = "all") -> np.ndarray:
    """(inputs,): the mean over the rows and the outputs of |∂output/∂input| (module docstring)."""
    return np.mean(importance_per_output(problem, theta, rows), axis=0)


def probability_gradient(problem, theta, row: int) -> tuple[int, np.ndarray]:
    """(output, ∇ₓ output) at file row `row`: binary P(y=1); classes the predicted class's probability;
    regression the prediction. Raw units."""
    J = input_jacobian(problem, theta, raw_rows(problem)[[int(row)]])[0]
    if problem.task != "classes":
        return 0, J[0]
    z = np.asarray(problem.network.logits(problem.point(theta), _model_rows(problem, [int(row)])))
    k = int(np.argmax(z[0]))
    return k, J[k]


def _model_rows(problem, rows) -> np.ndarray:
    X = raw_rows(problem)[rows]
    if problem.standardisation is not None:
        X = (X - np.asarray(problem.standardisation["mean"])) / np.asarray(problem.standardisation["std"])
    return X
