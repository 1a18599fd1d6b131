"""`inspect --model ... --params FILE.json --input-jacobian`: how each output of the model depends on each input.

    landscape-explorer inspect --dataset moons-noise --model mlp:8:tanh --params trained.json --input-jacobian --json

JSON keys added to inspect's: "outputs" (the names J differentiates: P(Y = 1); P(Y = 0), ..., P(Y = K−1); or the
target), "input_jacobian" (rows × outputs × inputs, every row of the data in file order, in the raw features'
units), "feature_importance" {feature: mean |∂output/∂input| over the rows and outputs} and
"feature_importance_per_output" {output: {feature: value}} (core.sensitivity). Plain text: the importance table
and the Jacobians of the first rows.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from explorer.cli.arguments import UsageError
from explorer.core.sensitivity import input_jacobian, output_names

SHOWN_ROWS = 5   # rows whose Jacobian the plain text prints


def add_option(parser) -> None:
    parser.add_argument("--input-jacobian", action="store_true",
                        help="with --model and --params: the input–output Jacobian at every row and the features' "
                             "importance (mean |∂output/∂input|)")


def check(args) -> None:
    """--input-jacobian without a model is refused in one line."""
    if getattr(args, "input_jacobian", False):
        raise UsageError("--input-jacobian goes with --model SPEC and --params FILE.json (a trained model's "
                         "Jacobian in its inputs)")


def fields(problem, theta) -> dict[str, Any]:
    """The JSON keys of the module docstring."""
    J = input_jacobian(problem, theta)
    outputs, features = output_names(problem), problem.features
    per_output = np.mean(np.abs(J), axis=0)
    importance = per_output.mean(axis=0)
    return {"outputs": list(outputs), "input_jacobian": J.tolist(),
            "feature_importance": {f: float(v) for f, v in zip(features, importance)},
            "feature_importance_per_output": {o: {f: float(v) for f, v in zip(features, row)}
                                              for o, row in zip(outputs, per_output)}}


def lines(problem, out: dict[str, Any]) -> list[str]:
    """Plain text: the importance table (largest first) and the first rows' J."""
    importance = out["feature_importance"]
    width = max(len(f) for f in importance)
    text = ["feature importance (mean |∂output/∂input| over every row and output, raw units):"]
    for name, value in sorted(importance.items(), key=lambda item: -item[1]):
        text.append(f"  {name:<{width}}  {value:.4g}")
    J, features = out["input_jacobian"], list(problem.features)
    X = np.column_stack([np.asarray(problem.dataset.column(c), float) for c in features])
    for row in range(min(SHOWN_ROWS, len(J))):
        at = ", ".join(f"{f} = {v:.4g}" for f, v in zip(features, X[row]))
        text.append(f"row {row} ({at}):")
        for name, derivatives in zip(out["outputs"], J[row]):
            text.append(f"  ∂{name}/∂(" + ", ".join(features) + ") = ("
                        + ", ".join(f"{d:.4g}" for d in derivatives) + ")")
    return text
