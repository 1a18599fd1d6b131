"""A grammar of expressions, valid, invalid and hostile, through parse, evaluation, gradient and Hessian.

Whatever the text, the only exception is the parser's own ExpressionError (one line, a column
inside the text); everything accepted evaluates, at points and on a grid, to float64 numbers
(finite, inf or nan: never complex, never an exception, never a warning, which pytest makes an
error), and a point or grid cell whose value or derivatives are not finite is undefined (-1).

Fuzzed inputs per run: the `max_examples` of the four tests below (derandomized, so the same
inputs every run): 400 + 300 + 200 + 100 = 1,000.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.calculus import UNDEFINED, PointCalculus, SurfaceCalculus
from explorer.core.expression import FUNCTIONS, MAX_LENGTH, MAX_PAREN_DEPTH, parse
from explorer.core.expression_checker import MAX_DEPTH
from explorer.core.syntax_hints import ExpressionError

# x = 0 and y = 0 are on purpose: log(0), 1/x, x^-0.5 and a/0 all live there
POINTS = [(0.0, 0.0), (-0.5, 2.0), (1e200, -1e300)]
GRID_X, GRID_Y = np.linspace(-1.0, 1.0, 5), np.array([-0.5, 0.0, 2.0])
# a slider dragged through 0, a negative base for fractional powers, overflow, and worse
PARAMETER_VALUES = [0.0, -1.0, 0.5, 2.0, 1e308, -1e-308, np.inf, np.nan]
# characters no accepted expression can contain (a comment '#' included)
STRAY = "#$?!`@&|~%;=\\\"'[]{}:<>"
INSERTED = list(STRAY) + ["(", ")", ",", ".", "_", "é", "\n", "\x00"]
GLUED = ["2x", "sin x", "x y", "foo(x)", "x(y)", "0xa", "007", "1j"]
ALLOWED = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-*/^(), \t")

numbers = st.sampled_from(["0", "1", "2", "0.5", "3.25", "1e308", "1e-320", "1e999", "9" * 400, "0.0", "10", ".5"])
names = st.sampled_from(["x", "y", "x", "y", "a", "b", "pi", "e", "k0", "xy", "foo"])
atoms = numbers | names


def _compound(inner):
    binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "^", "**"]), inner).map(
        lambda t: f"{t[0]} {t[1]} {t[2]}" if len(t[0]) < 40 else f"({t[0]}){t[1]}({t[2]})")
    unary = st.tuples(st.sampled_from(["-", "+", "--", "+-"]), inner).map(lambda t: f"{t[0]}({t[1]})")
    one = st.tuples(st.sampled_from(sorted(n for n, (_, k) in FUNCTIONS.items() if k == 1)), inner).map(
        lambda t: f"{t[0]}({t[1]})")
    two = st.tuples(st.sampled_from(["minimum", "maximum"]), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})")
    return binary | unary | one | two | inner.map(lambda s: f"({s})")


valid = st.recursive(atoms, _compound, max_leaves=12)

# the shapes that once crashed: long chains of one operator, deep nesting, huge numbers, parameter-only parts
hostile = st.one_of(
    st.builds(lambda op, n: "x" + f"{op}x" * n, st.sampled_from(["+", "-", "*", "/", "^", "**"]),
              st.integers(MAX_DEPTH - 3, MAX_DEPTH + 3) | st.integers(1, 700)),
    st.builds(lambda op, n: op * n + "x", st.sampled_from(["-", "+", "-+", "--"]),
              st.integers(MAX_DEPTH - 3, MAX_DEPTH + 3) | st.integers(1, 2000)),
    st.builds(lambda f, n: f"{f}(" * n + "x" + ")" * n, st.sampled_from(["sin", "exp", "", "-", "sqrt"]),
              st.integers(MAX_PAREN_DEPTH - 2, MAX_PAREN_DEPTH + 2) | st.integers(1, 300)),
    st.builds(lambda n: "maximum(x, " * n + "y" + ")" * n, st.integers(1, 200)),
    st.builds(lambda n, p: "+".join([p] * n), st.integers(1, 400), st.sampled_from(["a^b", "1/a", "a/0", "x/a"])),
    st.sampled_from(["1/0", "0/0", "x/0", "x^2/a + y^2", "x + a^b", "(-1)^0.5", "(-x)^0.5 + y", "a^0.5*x",
                     "(-8)^(1/3)", "0^-1", "log(0)", "log(a)", "sqrt(-a)", "exp(1000)", "exp(exp(x))",
                     "10^400*x", "1e308*10 - 1e308*10", "x^-1", "arcsin(2)", "tan(pi/2)", "+x", "+a",
                     "1e999 - 1e999", "0*1e999", "a/b", "b^a", "(a - a)/(b - b)", "cosh(1e3) + y"]),
)


def _mutate(text: str, data) -> str:
    """One slip or attack on a text: a stray or '#' character, a cut, a doubled or dropped bracket."""
    kind = data.draw(st.sampled_from(["insert", "delete", "cut", "unbalance", "repeat", "glue", "comment"]))
    at = data.draw(st.integers(0, len(text)))
    if kind == "insert":
        return text[:at] + data.draw(st.sampled_from(INSERTED)) + text[at:]
    if kind == "delete":
        return text[:at] + text[at + 1:]
    if kind == "cut":
        return text[:at]
    if kind == "unbalance":
        return data.draw(st.sampled_from(["(", ")"])) * data.draw(st.integers(1, 80)) + text
    if kind == "repeat":
        return text * data.draw(st.integers(2, MAX_LENGTH // max(1, len(text)) + 2))
    if kind == "glue":
        return text[:at] + data.draw(st.sampled_from(GLUED)) + text[at:]
    return text[:at] + " # " + text[at:]


def _parse_or_refuse(text: str):
    """The expression, or None when refused: the only exception allowed is ExpressionError."""
    try:
        expression = parse(text, ("x", "y"))
    except ExpressionError as err:
        message = str(err)
        assert message and "\n" not in message and "Traceback" not in message
        assert err.column is None or 1 <= err.column <= len(text) + 1, (text, err.column)
        return None
    assert set(text) <= ALLOWED, text  # '#', quotes, brackets, ... are never accepted
    assert len(text) <= MAX_LENGTH
    return expression


def _parameters(expression, values) -> dict[str, float]:
    return {name: values[i % len(values)] for i, name in enumerate(expression.parameters)}


def _check_evaluation(expression, params) -> None:
    """Values, gradients, Hessians and classes at points and on a grid: float64, undefined when not finite."""
    point = PointCalculus(expression, params)
    assert type(point.value(POINTS[0])) is float
    gradient = point.gradient(POINTS[0])
    assert gradient.dtype == np.float64 and gradient.shape == (2,)
    for p in POINTS:
        analysis = point.analyze(p)
        assert type(analysis.value) is float
        for array, shape in ((analysis.gradient, (2,)), (analysis.hessian, (2, 2)), (analysis.eigenvalues, (2,))):
            assert array.dtype == np.float64 and array.shape == shape
        finite = (np.isfinite(analysis.value) and np.isfinite(analysis.gradient).all()
                  and np.isfinite(analysis.hessian).all())
        assert (analysis.classification == "undefined") == (not finite), (p, analysis)
    z = np.asarray(expression(GRID_X[:, None], GRID_Y[None, :], **params))
    assert z.dtype == np.float64 and not np.iscomplexobj(z)
    grid = SurfaceCalculus(expression, params)
    cmap = grid.curvature_map(GRID_X, GRID_Y)
    for key, array in cmap.arrays().items():
        if key not in ("x", "y", "classes"):
            assert array.dtype == np.float64, key
    defined = (np.isfinite(cmap.z) & np.isfinite(cmap.gx) & np.isfinite(cmap.gy) & np.isfinite(cmap.hxx)
               & np.isfinite(cmap.hxy) & np.isfinite(cmap.hyy))
    assert np.array_equal(cmap.classes == UNDEFINED, ~defined)
    assert grid.values(GRID_X, GRID_Y).dtype == np.float64


@settings(max_examples=400)
@given(text=valid, values=st.lists(st.sampled_from(PARAMETER_VALUES), min_size=1, max_size=3))
def test_valid_expressions_evaluate_to_float64_at_points_and_on_grids(text, values):
    expression = _parse_or_refuse(text)
    assert expression is not None, text  # the grammar writes only what the language accepts
    _check_evaluation(expression, _parameters(expression, values))


@settings(max_examples=300)
@given(text=st.one_of(valid, hostile), data=st.data())
def test_mutated_expressions_are_refused_cleanly_or_evaluated(text, data):
    mutated = _mutate(text, data)
    expression = _parse_or_refuse(mutated)
    if any(ch in mutated for ch in STRAY + "\n\x00é") or len(mutated) > MAX_LENGTH:
        assert expression is None, mutated
    if expression is not None:
        _check_evaluation(expression, _parameters(expression, [0.0, -1.0, 0.5]))


@pytest.mark.slow   # over 10 s: 200 hostile expressions, each evaluated at points and on a grid
@settings(max_examples=200)
@given(text=hostile, values=st.lists(st.sampled_from(PARAMETER_VALUES), min_size=1, max_size=3))
def test_hostile_expressions_are_refused_in_one_line_or_evaluated(text, values):
    expression = _parse_or_refuse(text)
    if expression is not None:
        _check_evaluation(expression, _parameters(expression, values))


@settings(max_examples=100)
@given(text=st.text(alphabet=st.sampled_from(sorted(ALLOWED | set(STRAY))), max_size=60))
def test_any_text_is_refused_cleanly_or_evaluated(text):
    expression = _parse_or_refuse(text)
    if expression is not None:
        _check_evaluation(expression, _parameters(expression, [0.0, 2.0]))
