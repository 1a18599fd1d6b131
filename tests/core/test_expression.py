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


# ---- evaluation cannot raise (issue 14): float64 under one error policy, never Python floats

def test_unary_plus_is_differentiable():
    from explorer.core.calculus import PointCalculus
    analysis = PointCalculus("+x^2 + +y").analyze([3.0, 1.0])
    assert analysis.value == 10.0 and list(analysis.gradient) == [6.0, 1.0]
    assert analysis.hessian.tolist() == [[2.0, 0.0], [0.0, 0.0]]


def test_parameters_are_float64_so_their_arithmetic_follows_numpy():
    assert value("x^2/a + y^2", x=1.0, y=2.0, a=0.0) == math.inf      # not ZeroDivisionError
    assert value("x + a^b", x=1.0, a=10.0, b=400.0) == math.inf       # not OverflowError
    assert math.isnan(value("a/b", x=0.0, a=0.0, b=0.0))


def test_negative_base_to_a_fractional_power_is_nan_never_complex():
    assert math.isnan(value("x + a^b", x=1.0, a=-1.0, b=0.5))
    assert math.isnan(value("(-1)^0.5", x=0.0))
    assert value("(-8)^3", x=0.0) == -512.0                           # whole powers of negatives are fine
    result = parse("x + a^b")(1.0, 2.0, a=-1.0, b=0.5)
    assert np.asarray(result).dtype == np.float64


def test_evaluation_warns_nothing_even_outside_errstate():
    # pytest turns warnings into errors: a RuntimeWarning from 1/0 would fail here
    f = parse("1/x + log(y) + a^b").bind({"a": 10.0, "b": 400.0})
    assert f(np.float64(0.0), np.float64(-1.0)) != 0


@pytest.mark.parametrize("text, message, column", [
    ("x # comment", "unexpected character '#'", 3),
    ("#x", "unexpected character '#'", 1),
    ("0xa + y", "'0xa': numbers are decimal here (for a product, write 0*xa)", 1),
    ("x + 007", "'007': a whole number cannot start with 0; write 7", 5),
])
def test_text_python_would_read_differently_is_refused(text, message, column):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert message in info.value.message and info.value.column == column


def test_integers_beyond_float64_are_inf_and_just_below_are_exact():
    assert value("1" * 309, x=0.0) == float("1" * 309)               # 1.1e308: a float64, not inf
    assert value("2" * 309, x=0.0) == math.inf


@pytest.mark.parametrize("text", ["x" + "+x" * 199, "x" + "*x" * 199, "x" + "^x" * 199, "-" * 199 + "x",
                                  "+" * 199 + "x", "x" + "/x" * 199])
def test_every_long_chain_at_the_depth_limit_evaluates(text):
    assert np.isfinite(value(text, x=1.0, y=0.0))


@pytest.mark.parametrize("text", ["x" + "+x" * 200, "x" + "*x" * 200, "x" + "^x" * 200, "-" * 200 + "x",
                                  "+" * 200 + "x", "-+" * 100 + "x", "maximum(x, " * 59 + "y" + ")" * 59 + "+x" * 200,
                                  "x" + "(x)" * 200, "x" + "^-x" * 100])
def test_every_long_chain_past_the_depth_limit_is_one_clear_error(text):
    with pytest.raises(ExpressionError, match="nested too deeply") as info:
        parse(text)
    assert "\n" not in str(info.value) and info.value.column
