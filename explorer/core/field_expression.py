"""Fields in the expression language: a parenthesised list of components, '(u, v)' or '(u, v, w)'.

'(x^2 - y, x*y)' is F: R² → R²; '(x*y, x + y, x - y)' is R² → R³; with the variables x, y, z a
field is R³ → Rᵐ. Each component is checked and compiled exactly as a surface's expression is
(core.expression_checker's whitelist): errors carry columns of the whole text, so '(x, y' says where the
parenthesis is missing and '(x, 2y)' points at the '2y'. Nothing is ever handed to eval.
"""
from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, replace
from typing import Callable, Mapping, Sequence

import numpy as np

from explorer.core.expression import Expression, compile_tree, syntax_tree
from explorer.core.syntax_hints import ExpressionError


@dataclass(frozen=True)
class FieldExpression:
    """A checked field: its text, variables, parameters and one `Expression` per component.

    Each component's `text` is its own part of the field's text, e.g. 'x^2 - y'.
    """

    text: str
    variables: tuple[str, ...]
    parameters: tuple[str, ...]
    components: tuple[Expression, ...]

    @property
    def size(self) -> int:
        """m, the number of components (F: Rⁿ → Rᵐ)."""
        return len(self.components)

    @property
    def dimension(self) -> int:
        """n, the number of variables."""
        return len(self.variables)

    def bind(self, params: Mapping[str, float] | None = None) -> Callable:
        """F(*variables) -> tuple of the m component values, parameters fixed.

        Elementwise on arrays and differentiable by autograd; a constant component is a scalar
        (callers broadcast it).
        """
        bound = [c.bind(params) for c in self.components]

        def F(*args):
            return tuple(f(*args) for f in bound)

        return F

    @property
    def warnings(self) -> list[str]:
        """Each component's notes on parameters that look like a slip, once each."""
        return list(dict.fromkeys(w for c in self.components for w in c.warnings))

    def __call__(self, *args, **params) -> np.ndarray:
        """The components stacked on a first axis of length m; inf and nan are results, not errors."""
        values = self.bind(params)(*(np.asarray(a, dtype=float) for a in args))
        shape = np.broadcast_shapes(*(np.shape(v) for v in values))
        return np.stack([np.broadcast_to(np.asarray(v, dtype=float), shape) for v in values])


def parse_field(text: str, variables: Sequence[str] = ("x", "y")) -> FieldExpression:
    """Check `text` as a field '(u, v, ...)' and compile its components; free names become parameters."""
    body, columns = syntax_tree(text)
    first = len(text) - len(text.lstrip())
    if isinstance(body, ast.Tuple) and not body.elts:
        raise ExpressionError("empty parentheses: put the field's components inside ( ), like (x, y)", first + 1)
    if not isinstance(body, ast.Tuple):
        raise ExpressionError("a field is a list of components in parentheses, like (x^2 - y, x*y)")
    if not _parenthesised(text):
        raise ExpressionError("put the field's components in parentheses: (u, v)", first + 1)
    if len(body.elts) < 2:
        comma = text.rindex(",")
        raise ExpressionError("a field needs at least two components, (u, v); for one function drop the ','",
                              comma + 1)
    components = []
    for node in body.elts:
        if isinstance(node, ast.Tuple) and node.elts:  # '()' is left to the checker: empty parentheses
            raise ExpressionError("a component cannot itself be a list: write each component once",
                                  columns[node.col_offset] + 1)
        expression = compile_tree(text, columns, node, variables)
        start, end = columns[node.col_offset], columns[node.end_col_offset - 1] + 1
        components.append(replace(expression, text=text[start:end]))
    parameters = tuple(sorted({p for c in components for p in c.parameters}))
    return FieldExpression(text, tuple(variables), parameters, tuple(components))


def _parenthesised(text: str) -> bool:
    """The first '(' (first non-blank character) closes at the last non-blank character."""
    stripped = text.strip()
    if not stripped.startswith("("):
        return False
    depth = 0
    for i, ch in enumerate(stripped):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return i == len(stripped) - 1
    return False


def is_field_text(text) -> bool:
    """Whether `text` is meant as a field: a list of components '(u, v)' (or 'u, v').

    Text with a syntax error counts when a comma sits directly inside its leading parenthesis,
    '(x, y', so that its error is reported as a field's (the message is the same either way).
    Remembered per text: the window asks on every change, and a parse of a long text costs milliseconds.
    """
    if not isinstance(text, str):
        return False
    return _is_field_text(text)


@functools.lru_cache(maxsize=256)
def _is_field_text(text: str) -> bool:
    try:
        body, _ = syntax_tree(text)
    except ExpressionError:
        return _comma_in_leading_parenthesis(text)
    return isinstance(body, ast.Tuple) and bool(body.elts)


def _comma_in_leading_parenthesis(text: str) -> bool:
    stripped = text.strip()
    if not stripped.startswith("("):
        return False
    depth = 0
    for ch in stripped:
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return False
        if ch == "," and depth == 1:
            return True
    return False
