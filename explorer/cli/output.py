"""What the command line prints as JSON: standard JSON, with every non-finite number as null."""
from __future__ import annotations

import json
import math

import numpy as np


def finite_or_none(value):
    """Nested dicts, lists, arrays and numbers with inf and nan as None; numpy values as Python's."""
    if isinstance(value, dict):
        return {str(k): finite_or_none(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [finite_or_none(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value


def json_text(value) -> str:
    """Strict JSON (no NaN or Infinity, which strict parsers refuse) of `value`."""
    return json.dumps(finite_or_none(value), allow_nan=False)


def analysis_fields(variables, at, result) -> dict:
    """A point's value, gradient, Hessian, eigen-pairs (eigenvectors as rows) and class, as `inspect --json`
    gives them (a core.calculus.PointAnalysis at `at`)."""
    return {"variables": list(variables), "point": at, "value": result.value, "gradient": result.gradient,
            "hessian": result.hessian, "eigenvalues": result.eigenvalues, "eigenvectors": result.eigenvectors.T,
            "classification": result.classification}
