import math

import numpy as np
import pytest

from explorer.core.expression import FUNCTIONS, MAX_LENGTH, parse
from explorer.core.syntax_hints import ExpressionError


def value(text, **env):
    e = parse(text, tuple(k for k in env if k in "xyz"))
    params = {k: v for k, v in env.items() if k not in "xyz"}
    return float(e(*(env[v] for v in e.variables), **params))


@pytest.mark.parametrize("text, expected", [
    ("1 + 2*3", 7.0),
    ("2^3", 8.0),
    ("2^3^2", 512.0),          # power is right-associative, like 2**(3**2)
    ("-2^2", -4.0),            # unary minus binds looser than power
    ("x^2 + 1", 10.0),         # '^' keeps the precedence of '**', not of xor
    ("7/2", 3.5),              # true division, integers are floats
    ("+x - -x", 6.0),
    ("sqrt(16) + abs(-2)", 6.0),
    ("log(e)", 1.0),
    ("cos(pi)", -1.0),
    ("minimum(x, 1) + maximum(x, 1)", 4.0),
    ("log10(1000)", 3.0),
    ("  x*2", 6.0),            # leading blanks are fine
])
def test_values_a_person_can_check(text, expected):
    assert value(text, x=3.0, y=0.0) == pytest.approx(expected, rel=1e-15)


def test_free_names_become_sorted_parameters():
    e = parse("b*x**2 + a*y**2 + c", ("x", "y"))
    assert e.parameters == ("a", "b", "c")
    assert float(e(1.0, 2.0, a=1, b=2, c=3)) == 2 + 4 + 3


def test_missing_parameter_is_named():
    e = parse("a*x", ("x", "y"))
    with pytest.raises(ExpressionError, match="parameter 'a' needs a value"):
        e.bind({})


def test_z_is_a_variable_only_when_asked():
    assert parse("x + z", ("x", "y", "z")).parameters == ()
    assert parse("x + z", ("x", "y")).parameters == ("z",)


def test_evaluates_on_arrays_elementwise():
    e = parse("x*y + 1")
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    assert np.array_equal(e(x, y), x * y + 1)


def test_every_function_of_the_table_is_usable():
    for name, (_, arity) in FUNCTIONS.items():
        args = ", ".join(["0.5"] * arity)
        assert math.isfinite(value(f"{name}({args})", x=0.0))


@pytest.mark.parametrize("text, message, column", [
    ("foo(x)", "unknown function 'foo'", 1),
    ("2x + 1", "'2x': write 2*x to multiply", 1),
    ("x +", "expected an expression after '+'", 3),
    ("x * / y", "expected an expression after '*'", 3),
    ("* x", "expected an expression before '*'", 1),
    ("(x + 1", "'(' is never closed", 1),
    ("x + 1)", "unmatched ')'", 6),
    ("sin x", "'sin' is a function: write sin(x)", 1),
    ("x y", "missing operator between 'x' and 'y'", 3),
    ("sin(x, y)", "sin() takes 1 argument, got 2", 1),
    ("maximum(x)", "maximum() takes 2 arguments, got 1", 1),
    ("sin + 1", "'sin' is a function: write sin(...)", 1),
    ("x(2)", "'x' is not a function: write x*(2) to multiply", 1),
    ("1.2.3", "malformed number '1.2.3'", 1),
    ("x % 2", "operator '%' is not supported", 2),
    ("y = x", "'=' is not allowed", 3),
    ("x ? 2", "unexpected character '?'", 3),
    ("()", "empty parentheses", 1),
    ("x^^2", "expected an expression after '^'", 2),
])
def test_errors_say_what_and_where(text, message, column):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert message in info.value.message
    assert info.value.column == column
    assert str(info.value).endswith(f"at column {column}")


def test_empty_and_blank_input():
    for text in ("", "   "):
        with pytest.raises(ExpressionError, match="empty"):
            parse(text)


def test_length_and_depth_are_bounded_with_a_clear_message():
    with pytest.raises(ExpressionError, match="too long"):
        parse("x+" * MAX_LENGTH + "x")
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse("(" * 100 + "x" + ")" * 100)
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse("-" * 1500 + "x")
    for long_sum in ("+".join(["x"] * 600), "*".join(["x"] * 600), "+".join(["xy"] * 600)):
        with pytest.raises(ExpressionError, match="nested too deeply"):   # not an AttributeError
            parse(long_sum)


def test_huge_exponents_overflow_to_inf_instead_of_hanging():
    assert value("9**9**9**9", x=0.0) == math.inf
    assert value("10^400", x=0.0) == math.inf
    assert value("123456789012345678901234567890**50", x=0.0) == math.inf


def test_domain_errors_give_nan_not_exceptions():
    assert math.isnan(value("log(x)", x=-1.0))
    assert math.isnan(value("sqrt(x)", x=-1.0))
    assert math.isnan(value("arcsin(x)", x=2.0))
