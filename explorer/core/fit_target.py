"""Which column a fit predicts (its target) and which columns it predicts from (its features).

Either is chosen by the person (the form, `--target` and `--features`, a scene's "target" and "features")
or read from what was typed:
    target     the one column the loss subtracts (`... - Score`, `Y - ...`, `- Y*(z)`, `1 - Y`) that the
               model and the chosen features do not use: `(w*Hours + b - Score)^2` with the model
               `w*Hours + b` predicts Score. When no such column is alone, Y, else the last column
               (what every fit did before the target could be chosen).
    features   the columns the model uses.
Pure Python: the expressions' trees only.
"""
from __future__ import annotations

import ast
from typing import Collection, Sequence

from explorer.core.data import DataError, Dataset, chosen_columns
from explorer.core.expression import syntax_tree


class ColumnChoiceError(ValueError):
    """A target or features that cannot be: str() is one line naming the column; `part` is "target",
    "features" or "model", the part at fault."""

    def __init__(self, message: str, part: str):
        super().__init__(message)
        self.part = part


def default_target(columns: Sequence[str]) -> str:
    """Y when there is such a column, else the last one."""
    return "Y" if "Y" in columns else columns[-1]


def subtracted(text: str, columns: Collection[str]) -> set[str]:
    """The columns that are an operand of a minus in `text`, or a factor of one (Y in `… - Y*(z)`)."""
    tree = syntax_tree(text)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
            for side in (node.left, node.right):
                found |= {n for n in _factors(side) if n in columns}
    return found


def target_from_loss(loss: str, columns: Sequence[str], inputs: Collection[str]) -> str | None:
    """The one column the loss subtracts that is not an input (a column the model or the features use), or None."""
    candidates = subtracted(loss, columns) - set(inputs)
    return next(iter(candidates)) if len(candidates) == 1 else None


def inferred_target(loss: str, columns: Sequence[str], inputs: Collection[str]) -> str:
    """The target read from the loss, else the default (module docstring)."""
    return target_from_loss(loss, columns, inputs) or default_target(columns)


def checked_features(dataset: Dataset, features: Sequence[str] | None,
                     model_columns: Collection[str] | None) -> tuple[str, ...] | None:
    """The chosen features (None or none: not chosen), each a column, holding every column the model uses."""
    if not features:
        return None
    features = _columns(dataset, features, "the feature", "features")
    other = [c for c in dataset.columns if c in (model_columns or ()) and c not in features]
    if other:
        raise ColumnChoiceError(f"the model uses the column '{other[0]}', which is not a feature "
                                f"(the features: {', '.join(features)})", "features")
    return features


def checked_target(dataset: Dataset, target: str | None, loss: str, loss_names: Collection[str],
                   model_columns: Collection[str] | None, features: Sequence[str] | None) -> str | None:
    """The chosen target or the one read from the loss (None without a model or features to read it by)."""
    inputs = features if features is not None else model_columns
    at_fault = "model" if target is None else "target"   # a target read from the loss is not the person's choice
    if target is None:
        if inputs is None:
            return None
        target = inferred_target(loss, dataset.columns, inputs)
    (target,) = _columns(dataset, (target,), "the target", "target")
    if target in (model_columns or ()):
        raise ColumnChoiceError(f"the model uses the target column '{target}': a prediction cannot use the answer",
                                at_fault)
    if features is not None:
        if target in features:
            raise ColumnChoiceError(f"'{target}' is both the target and a feature: a prediction cannot use the "
                                    "answer", "features")
        other = [c for c in dataset.columns if c in loss_names and c != target and c not in features]
        if other:
            raise ColumnChoiceError(f"the loss uses the column '{other[0]}', which is neither the target "
                                    f"({target}) nor a feature ({', '.join(features)})", "features")
    return target


def _columns(dataset: Dataset, names: Sequence[str], what: str, part: str) -> tuple[str, ...]:
    try:
        return chosen_columns(dataset, names, what)
    except DataError as err:
        raise ColumnChoiceError(str(err), part) from None


def _factors(node: ast.AST) -> list[str]:
    """The names multiplied together at `node`: Y for Y, Y and p for Y*p (not the names inside a bracketed sum)."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return _factors(node.left) + _factors(node.right)
    return []
