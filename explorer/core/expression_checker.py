"""The whitelist of the expression language: its functions, constants and operators, and the checker that
walks a parsed tree node by node, refusing what is not allowed (one line, with the column) and turning the
rest into closures over autograd's numpy (core.expression parses the text and calls it)."""
from __future__ import annotations

import ast
import difflib
import operator
import re
from typing import Callable

import autograd.numpy as anp
import numpy as np

from explorer.core.syntax_hints import ExpressionError, function_hint, multiply_hint, product_problem

MAX_DEPTH = 200


def softplus(z):
    """log(1 + e^z), stably: logaddexp(0, z) never forms e^z, so softplus(1000) = 1000 (its derivative,
    from autograd, is the sigmoid e^(z − softplus z))."""
    return anp.logaddexp(0.0, z)


def logsigmoid(z):
    """log(1 / (1 + e^−z)) = −softplus(−z), stably: logsigmoid(−1000) = −1000, not log 0."""
    return -anp.logaddexp(0.0, -z)


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
    "log1p": (anp.log1p, 1),   # log(1 + v), exact for tiny v
    "expm1": (anp.expm1, 1),   # e^v − 1, exact for tiny v
    "softplus": (softplus, 1),
    "logsigmoid": (logsigmoid, 1),
    "sqrt": (anp.sqrt, 1),
    # fabs, not abs: autograd differentiates abs as v/|v|, whose own derivative 1/|v| − v²/|v|³ rounds to
    # ±1e-16/|v| instead of 0 and speckles a map of |x| + |y| with convex, concave and saddle cells;
    # fabs's derivative is sign(v), whose derivative is 0: f″ = 0 exactly off the kink
    "abs": (anp.fabs, 1),
    "minimum": (anp.minimum, 2),
    "maximum": (anp.maximum, 2),
}
CONSTANTS: dict[str, float] = {"pi": float(np.pi), "e": float(np.e)}
ARITY = {name: arity for name, (_, arity) in FUNCTIONS.items()}
# other spellings people bring from calculators and other languages
_ALIASES = {"ln": "log", "asin": "arcsin", "acos": "arccos", "atan": "arctan",
            "min": "minimum", "max": "maximum", "fabs": "abs", "log_sigmoid": "logsigmoid"}

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


def _is_two(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value == 2


class Checker:
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
            hint = function_hint(self.text, self.columns[node.col_offset], ARITY)
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
