"""A function of variables the person names, g(x, y, z, w, ...), read at one point: value, gradient, Hessian,
eigenvalues and class in all its variables (`inspect --vars` and the window's point calculator).

Variable names follow the rules of trained parameters and columns (`data.name_problem`); 1 to
MAX_VARIABLES of them. Every other free name of g is a parameter and needs a value."""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from explorer.core.calculus import PointAnalysis, PointCalculus
from explorer.core.data import name_problem
from explorer.core.expression import Expression, glued_name_hint, parse

MAX_VARIABLES = 16
SURFACE_VARIABLES = ("x", "y", "z")   # without named variables: x, y (and z when three numbers are given)


class PointError(ValueError):
    """One line saying what is wrong; `part` names the entry at fault: "variables", "point" or "parameters"."""

    def __init__(self, message: str, part: str):
        super().__init__(message)
        self.part = part


def variable_names(text: str | Sequence[str]) -> tuple[str, ...]:
    """'x, y, z, w' -> ('x', 'y', 'z', 'w'): each a valid name, none twice, 1 to MAX_VARIABLES of them."""
    items = [str(n).strip() for n in (text.split(",") if isinstance(text, str) else text)]
    if not any(items):
        raise PointError("name at least one variable, e.g. x, y, z", "variables")
    if len(items) > MAX_VARIABLES:
        raise PointError(f"{len(items)} variables: at most {MAX_VARIABLES}", "variables")
    for k, name in enumerate(items):
        problem = name_problem(name)
        if problem:
            raise PointError(f"variable {k + 1}: {problem}", "variables")
        if name in items[:k]:
            raise PointError(f"the variable '{name}' is named twice", "variables")
    return tuple(items)


def coordinates(text: str, names: Sequence[str]) -> tuple[float, ...]:
    """'1, -2, 4, 0' (commas, spaces or both; parentheses allowed) -> one finite number per variable."""
    parts = text.strip().strip("()").replace(",", " ").split()
    example = ", ".join(["1", "-2", "0.5", "0"][k % 4] for k in range(len(names)))
    if len(parts) != len(names):
        raise PointError(f"give {len(names)} numbers, one per variable ({', '.join(names)}), like {example}; "
                         f"got '{text.strip()}'", "point")
    values = []
    for name, part in zip(names, parts):
        try:
            value = float(part)
        except ValueError:
            value = None
        if value is None or not np.isfinite(value):
            raise PointError(f"{name} = '{part}' is not a finite number", "point")
        values.append(value)
    return tuple(values)


def unset_parameter(expression: Expression, params: Mapping[str, float]) -> str | None:
    """Why g cannot be read: a free name that is neither a variable nor given a value (None when all are)."""
    for name in expression.parameters:
        if name not in params:
            hint = glued_name_hint(name, expression.variables)
            names = ", ".join(expression.variables)
            also = f": did you mean {hint}?" if hint else f": add it to the variables ({names})"
            return f"'{name}' is not a variable and has no value{also}"
    return None


def read_point(text: str, names: Sequence[str], at: Sequence[float],
               params: Mapping[str, float] | None = None) -> PointAnalysis:
    """g's value, gradient, Hessian, eigen-pairs and class at `at` (all from autograd); a typo in g is an
    ExpressionError with its column, a free name without a value a PointError."""
    params = dict(params or {})
    expression = parse(text, tuple(names))
    problem = unset_parameter(expression, params)
    if problem:
        raise PointError(problem, "parameters")
    return PointCalculus(expression, params).analyze([float(v) for v in at])
