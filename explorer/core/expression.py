"""Text -> checked expression -> autograd-differentiable callable.

The text is parsed with :mod:`ast` and every node is checked against a whitelist
(core.expression_checker); the checked tree is then turned into nested Python closures over autograd's numpy.
Nothing the user typed is ever handed to ``eval``, ``exec`` or ``compile``.

Evaluation cannot raise: numbers and parameters are float64, never Python floats (whose
arithmetic raises ZeroDivisionError or OverflowError, and whose (-1)**0.5 is complex), and
every evaluation runs under `ERRORS`, so 1/0 is inf, overflow is inf and (-1)^0.5 is nan.
"""
from __future__ import annotations

import ast
import threading
import warnings
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np

from explorer.core.expression_checker import ARITY, FUNCTIONS, Checker
from explorer.core.syntax_hints import ExpressionError, diagnose_syntax_error

MAX_LENGTH = 2000
MAX_PAREN_DEPTH = 60
# the one error policy of evaluation: IEEE results (inf, nan), no warnings, no exceptions
ERRORS = {"all": "ignore"}


@dataclass(frozen=True)
class Expression:
    """A checked expression: its text, variables, parameters and a compiled evaluator."""

    text: str
    variables: tuple[str, ...]
    parameters: tuple[str, ...]
    _evaluate: Callable[[Mapping[str, object]], object] = field(repr=False, compare=False)

    def bind(self, params: Mapping[str, float] | None = None) -> Callable:
        """Return f(*variables) with the parameters fixed; differentiable by autograd."""
        values = _parameter_values(self.parameters, params or {})
        names, evaluate = self.variables, self._evaluate

        def f(*args):
            env = dict(values)
            env.update(zip(names, args))
            with np.errstate(**ERRORS):
                return evaluate(env)

        return f

    @property
    def warnings(self) -> list[str]:
        """One-line notes on parameters that look like a slip (see `parameter_warnings`)."""
        return parameter_warnings(self)

    def __call__(self, *args, **params):
        """Evaluate with plain numbers or arrays: inf and nan are results, never errors."""
        return self.bind(params)(*(np.asarray(a, dtype=float) for a in args))


def glued_name_hint(name: str, variables: Sequence[str]) -> str | None:
    """What a name made of variables run together probably meant: 'xy' -> 'x*y', 'sinx' -> 'sin(x)'.

    Only names built entirely from the variables' names (at least two of them), optionally after a
    function's name, count: 'x0', 'x2' or 'xi' are ordinary parameter names (centres, indices).
    """
    parts = _split_into(name, tuple(v for v in variables if v))
    if parts and len(parts) >= 2:
        return "*".join(parts)
    for function in sorted(FUNCTIONS, key=len, reverse=True):
        if name.startswith(function) and len(name) > len(function):
            parts = _split_into(name[len(function):], tuple(variables))
            if parts and ARITY[function] == 1:
                return f"{function}({'*'.join(parts)})"
    return None


def _split_into(name: str, words: tuple[str, ...]) -> list[str] | None:
    """`name` as a concatenation of `words` (preferring longer words), or None."""
    words = sorted({w for w in words if w}, key=len, reverse=True)
    # splits[i]: a split of name[i:]; built from the end, so long names cost no recursion
    splits: list[list[str] | None] = [None] * len(name) + [[]]
    for i in range(len(name) - 1, -1, -1):
        for word in words:
            rest = splits[i + len(word)] if name.startswith(word, i) else None
            if rest is not None:
                splits[i] = [word, *rest]
                break
    return splits[0]


def parameter_warnings(expression: Expression) -> list[str]:
    """Warnings for parameters that look like a product typed without '*', e.g.
    'xy is a parameter — did you mean x*y?'. The parse still succeeds; the name stays a parameter."""
    out = []
    for name in expression.parameters:
        hint = glued_name_hint(name, expression.variables)
        if hint:
            out.append(f"{name} is a parameter — did you mean {hint}?")
    return out


def _parameter_values(names: Sequence[str], params: Mapping[str, float]) -> dict[str, np.float64]:
    missing = [n for n in names if n not in params]
    if missing:
        raise ExpressionError(f"parameter '{missing[0]}' needs a value")
    values = {}
    for n in names:
        try:
            # float64, not float: a/0 with a = 0 or 10^400 must follow ERRORS, not raise
            values[n] = np.float64(float(params[n]))
        except (TypeError, ValueError):
            raise ExpressionError(f"parameter '{n}' must be a number, not {params[n]!r}") from None
    return values


def parse(text: str, variables: Sequence[str] = ("x", "y")) -> Expression:
    """Check `text` and compile it; free names other than `variables` become parameters."""
    body, columns = syntax_tree(text)
    if isinstance(body, ast.Tuple) and len(body.elts) > 1:  # '(u, v)': a field (explorer.core.field_expression)
        raise ExpressionError(f"this is a field of {len(body.elts)} components, (u, v, ...); "
                              "here one expression is expected, such as x^2 + y^2")
    return compile_tree(text, columns, body, variables)


def compile_tree(text: str, columns: list[int], body: ast.AST, variables: Sequence[str]) -> Expression:
    """Check one expression's tree from `syntax_tree(text)` and compile it (a field compiles each component)."""
    checker = Checker(text, columns, tuple(variables))
    evaluate = checker.build(body)
    parameters = tuple(sorted(checker.names - set(variables)))
    return Expression(text, tuple(variables), parameters, evaluate)


def syntax_tree(text: str) -> tuple[ast.AST, list[int]]:
    """The parsed (not yet whitelisted) tree of `text` and, per source character, its column in `text`."""
    if not isinstance(text, str):
        raise ExpressionError("the expression must be text")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is too long ({len(text)} characters; at most {MAX_LENGTH})")
    for i, ch in enumerate(text):
        if not (ch.isascii() and (ch.isprintable() or ch in " \t")):
            raise ExpressionError(f"unexpected character {ch!r}", i + 1)
        if ch == "#":  # Python would silently drop the rest of the line as a comment
            raise ExpressionError("unexpected character '#' (comments are not allowed)", i + 1)
    if not text.strip():
        raise ExpressionError("the expression is empty")
    source, columns = _power_caret(text)
    _check_paren_depth(text)
    lead = len(source) - len(source.lstrip())  # ast rejects leading blanks as an indent
    source, columns = source[lead:], columns[lead:]
    try:
        tree = python_tree(source)
    except SyntaxError as err:
        raise diagnose_syntax_error(text, err, columns, ARITY) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("the expression is nested too deeply") from None
    return tree.body, columns


_QUIET = threading.Lock()   # warnings' filters are global: one parse changes them at a time


def python_tree(source: str) -> ast.Expression:
    """ast.parse of typed text, its warnings ('invalid decimal literal' in '1if', an escape in quotes)
    raised as the SyntaxError they describe instead of printed on stderr."""
    with _QUIET, warnings.catch_warnings():
        warnings.simplefilter("error", SyntaxWarning)
        warnings.simplefilter("error", DeprecationWarning)
        return ast.parse(source, mode="eval")


def _power_caret(text: str) -> tuple[str, list[int]]:
    """Replace '^' by '**'; return the new text and, per character, its column in `text`."""
    out, columns = [], []
    for i, ch in enumerate(text):
        if ch == "^":
            out.append("**")
            columns += [i, i]
        else:
            out.append(ch)
            columns.append(i)
    columns.append(len(text))
    return "".join(out), columns


def _check_paren_depth(text: str) -> None:
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if depth > MAX_PAREN_DEPTH:
            raise ExpressionError(f"parentheses nested too deeply (at most {MAX_PAREN_DEPTH})", i + 1)
