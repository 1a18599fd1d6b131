"""Text -> checked expression -> autograd-differentiable callable.

The text is parsed with :mod:`ast` and every node is checked against a whitelist;
the checked tree is then turned into nested Python closures over autograd's numpy.
Nothing the user typed is ever handed to ``eval``, ``exec`` or ``compile``.

Evaluation cannot raise: numbers and parameters are float64, never Python floats (whose
arithmetic raises ZeroDivisionError or OverflowError, and whose (-1)**0.5 is complex), and
every evaluation runs under `ERRORS`, so 1/0 is inf, overflow is inf and (-1)^0.5 is nan.
"""
from __future__ import annotations

import ast
import difflib
import operator
import re
import threading
import warnings
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import autograd.numpy as anp
import numpy as np

from explorer.core.syntax_hints import (ExpressionError, diagnose_syntax_error, function_hint, multiply_hint,
                                        product_problem)

MAX_LENGTH = 2000
MAX_DEPTH = 200
MAX_PAREN_DEPTH = 60
# the one error policy of evaluation: IEEE results (inf, nan), no warnings, no exceptions
ERRORS = {"all": "ignore"}

# name -> (autograd function, number of arguments)
FUNCTIONS: dict[str, tuple[Callable, int]] = {
    "sin": (anp.sin, 1),
    "cos": (anp.cos, 1),
    "tan": (anp.tan, 1),
    "arcsin": (anp.arcsin, 1),
    "arccos": (anp.arccos, 1),
    "arctan": (anp.arctan, 1),
    "sinh": (anp.sinh, 1),
    "cosh": (anp.cosh, 1),
    "tanh": (anp.tanh, 1),
    "exp": (anp.exp, 1),
    "log": (anp.log, 1),
    "log10": (anp.log10, 1),
    "sqrt": (anp.sqrt, 1),
    # fabs, not abs: autograd differentiates abs as v/|v|, whose own derivative 1/|v| − v²/|v|³ rounds to
    # ±1e-16/|v| instead of 0 and speckles a map of |x| + |y| with convex, concave and saddle cells;
    # fabs's derivative is sign(v), whose derivative is 0: f″ = 0 exactly off the kink
    "abs": (anp.fabs, 1),
    "minimum": (anp.minimum, 2),
    "maximum": (anp.maximum, 2),
}
CONSTANTS: dict[str, float] = {"pi": float(np.pi), "e": float(np.e)}
_ARITY = {name: arity for name, (_, arity) in FUNCTIONS.items()}
# other spellings people bring from calculators and other languages
_ALIASES = {"ln": "log", "asin": "arcsin", "acos": "arccos", "atan": "arctan",
            "min": "minimum", "max": "maximum", "fabs": "abs"}

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY = {ast.USub: operator.neg, ast.UAdd: None}  # unary plus is the operand itself
_OPERATOR_TEXT = {
    ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.BitOr: "|",
    ast.BitAnd: "&", ast.LShift: "<<", ast.RShift: ">>", ast.BitXor: "^",
    ast.Not: "not", ast.Invert: "~",
}
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_FORBIDDEN_NODES = {
    ast.Attribute: "attribute access with '.' is not allowed",
    ast.Subscript: "indexing with [...] is not allowed",
    ast.Lambda: "'lambda' is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.Compare: "comparisons (<, >, ==, ...) are not allowed",
    ast.BoolOp: "'and' / 'or' are not allowed",
    ast.IfExp: "'if ... else' is not allowed",
    ast.List: "lists [...] are not allowed",
    ast.Tuple: "a comma is only allowed between a function's arguments",
    ast.Set: "braces {...} are not allowed",
    ast.Dict: "braces {...} are not allowed",
    ast.NamedExpr: "':=' is not allowed",
    ast.JoinedStr: "text in quotes is not allowed",
    ast.Starred: "'*' before an argument is not allowed",
}


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
            if parts and _ARITY[function] == 1:
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
    checker = _Checker(text, columns, tuple(variables))
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
        raise diagnose_syntax_error(text, err, columns, _ARITY) from None
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


def _is_two(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value == 2


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


class _Checker:
    """Walks the tree against the whitelist and builds closures env -> value."""

    def __init__(self, text: str, columns: list[int], variables: tuple[str, ...]):
        self.text, self.columns, self.variables = text, columns, variables
        self.names: set[str] = set()

    def call_parts(self, node: ast.Call) -> tuple[str, str, int]:
        """'2 (x+y)' -> ('2', '(x+y)', 2): the callee and its parenthesised arguments, as typed,
        and the 0-based column of that '('."""
        first, last = self.columns[node.col_offset], self.columns[node.end_col_offset - 1]
        depth, opening = 0, last
        for i in range(last, first - 1, -1):  # the '(' that matches the call's final ')'
            depth += (self.text[i] == ")") - (self.text[i] == "(")
            if depth == 0:
                opening = i
                break
        return self.text[first:opening].rstrip(), self.text[opening:last + 1], opening

    def fail(self, message: str, node: ast.AST, at_end: bool = False) -> ExpressionError:
        offset = node.end_col_offset if at_end else node.col_offset
        return ExpressionError(message, self.columns[min(offset, len(self.columns) - 1)] + 1)

    def build(self, root: ast.AST) -> Callable:
        self._check_depth(root)
        return self._node(root)

    def _check_depth(self, root: ast.AST) -> None:
        stack = [(root, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise self.fail(f"the expression is nested too deeply (at most {MAX_DEPTH} levels)", node)
            # operator and Load/Store nodes carry no position to report, and are leaves anyway
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node) if hasattr(child, "col_offset"))

    def _node(self, node: ast.AST) -> Callable:
        if isinstance(node, ast.Constant):
            return self._constant(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.BinOp):
            op = _BINARY.get(type(node.op))
            if op is None:
                raise self.fail(f"operator '{_OPERATOR_TEXT.get(type(node.op), '?')}' is not supported",
                                node.left, at_end=True)
            left, right = self._node(node.left), self._node(node.right)
            if op is operator.pow and _is_two(node.right):
                return lambda env: anp.square(left(env))  # same value; autograd's cheaper rule for x²
            return lambda env: op(left(env), right(env))
        if isinstance(node, ast.UnaryOp):
            if type(node.op) not in _UNARY:
                raise self.fail(f"operator '{_OPERATOR_TEXT.get(type(node.op), '?')}' is not supported", node)
            op = _UNARY[type(node.op)]
            operand = self._node(node.operand)
            if op is None:  # '+x': autograd's boxes have no unary plus, and it changes nothing
                return operand
            return lambda env: op(operand(env))
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Tuple) and not node.elts:
            raise self.fail("empty parentheses: put an expression inside ( )", node)
        for kind, message in _FORBIDDEN_NODES.items():
            if isinstance(node, kind):
                at_end = kind in (ast.Attribute, ast.Subscript)
                raise self.fail(message, node.value if at_end else node, at_end=at_end)
        raise self.fail(f"'{ast.get_source_segment(self.text, node) or type(node).__name__}' is not allowed here",
                        node)

    def _constant(self, node: ast.Constant) -> Callable:
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            raise self.fail(f"'{value}' is not a number", node)
        if isinstance(value, (str, bytes)):
            raise self.fail("text in quotes is not allowed", node)
        if isinstance(value, complex):
            raise self.fail("complex numbers are not supported", node)
        typed = self.text[self.columns[node.col_offset]:self.columns[node.end_col_offset - 1] + 1]
        if typed[:2].lower() in ("0x", "0o", "0b"):  # Python would read '0xa' as ten
            raise self.fail(f"'{typed}': numbers are decimal here (for a product, write 0*{typed[1:]})", node)
        try:
            number = np.float64(float(value))
        except OverflowError:  # an integer beyond the largest float64
            number = np.float64(np.inf)
        return lambda env: number

    def _name(self, node: ast.Name) -> Callable:
        name = node.id
        if name in FUNCTIONS:
            hint = function_hint(self.text, self.columns[node.col_offset], _ARITY)
            raise self.fail(f"'{name}' is a function: write {hint}", node)
        if name in CONSTANTS:
            value = np.float64(CONSTANTS[name])
            return lambda env: value
        if not _NAME.match(name):
            raise self.fail(f"'{name}' is not a valid name (use letters, digits and '_', starting with a letter)",
                            node)
        self.names.add(name)
        return lambda env: env[name]

    def _call(self, node: ast.Call) -> Callable:
        # '2(x+y)' and '(x+1)(y-1)' are valid Python calls; here they are products missing a '*'
        multiply = len(node.args) == 1 and not node.keywords
        if not isinstance(node.func, ast.Name):
            self._node(node.func)  # names what is wrong inside, e.g. attribute access
            left, group, opening = self.call_parts(node)
            if multiply:
                raise self.fail(product_problem(left, group), node)
            if not node.args and not node.keywords:
                raise ExpressionError("empty parentheses: put an expression inside ( )", opening + 1)
            raise self.fail("only named functions such as sin(...) can be called", node)
        name = node.func.id
        if name not in FUNCTIONS:
            times = multiply_hint(name, self.call_parts(node)[1] if multiply else "(...)")
            if name in self.variables or name in CONSTANTS:
                raise self.fail(f"'{name}' is not a function: {times}", node)
            known = _ALIASES.get(name) or next(iter(difflib.get_close_matches(name, FUNCTIONS, 1, 0.75)), None)
            if known:
                raise self.fail(f"unknown function '{name}': did you mean {known}(...)?", node)
            if _NAME.match(name) and len(name.rstrip("0123456789_")) == 1:  # 'a(x+1)', 'c2(y)': a parameter
                raise self.fail(f"unknown function '{name}': {times}", node)
            raise self.fail(f"unknown function '{name}'", node)
        if node.keywords:
            raise self.fail(f"{name}() takes no keyword arguments", node.keywords[0].value)
        function, arity = FUNCTIONS[name]
        if len(node.args) != arity:
            plural = "argument" if arity == 1 else "arguments"
            raise self.fail(f"{name}() takes {arity} {plural}, got {len(node.args)}", node)
        args = [self._node(a) for a in node.args]
        if arity == 1:
            (arg,) = args
            return lambda env: function(arg(env))
        first, second = args
        return lambda env: function(first(env), second(env))
