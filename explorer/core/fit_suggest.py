"""A first model for a dataset, to start from: linear regression, or logistic regression when the target is 0/1.

The suggestion is ordinary text the person can read and change; nothing about it is special to the
program. The target is the column Y (else the last column), the features are the other columns.

    one feature X:           loss (w*X + b - Y)^2,               model w*X + b
    features X1, X2, X3:     loss (a*X1 + b*X2 + c*X3 + d - Y)^2, model a*X1 + b*X2 + c*X3 + d
    a 0/1 target:            loss softplus(z) - Y*(z),           model 1/(1 + exp(-(z))), z the linear part
                             (softplus(z) = log(1 + e^z), computed without overflow at any z)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.data import Dataset, name_problem

LETTERS = "abcdfghkmnpqrstuvw"   # not e (the constant), i, j, l, o (read as 1 and 0), x, y, z


@dataclass(frozen=True)
class Suggestion:
    loss: str
    model: str
    trained: tuple[str, ...]
    kind: str   # 'linear regression' or 'logistic regression'


def target_of(dataset: Dataset) -> str:
    return "Y" if "Y" in dataset.columns else dataset.columns[-1]


def suggested_fit(dataset: Dataset) -> Suggestion:
    """Linear regression of the target on every other column (logistic when the target holds only 0 and 1)."""
    target = target_of(dataset)
    features = [c for c in dataset.columns if c != target]
    taken = {c.lower() for c in dataset.columns}
    if len(features) == 1:
        pool = ["w", "b"]
    elif len(features) + 1 <= len(LETTERS):
        pool = list(LETTERS)
    else:
        pool = [f"w{k}" for k in range(1, 200)]
    names = [n for n in pool if n.lower() not in taken and name_problem(n) is None][:len(features) + 1]
    z = " + ".join([f"{w}*{f}" for w, f in zip(names, features)] + [names[-1]])
    y = dataset.column(target)
    if np.all((y == 0) | (y == 1)) and np.any(y == 0) and np.any(y == 1):
        return Suggestion(f"softplus({z}) - {target}*({z})", f"1/(1 + exp(-({z})))", tuple(names),
                          "logistic regression")
    return Suggestion(f"({z} - {target})^2", z, tuple(names), "linear regression")
