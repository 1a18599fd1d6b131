"""Fields in the language: '(u, v, ...)' parsed component by component with the surface checker."""
import warnings

import numpy as np
import pytest

from explorer.core.expression import parse
from explorer.core.field_expression import is_field_text, parse_field
from explorer.core.syntax_hints import ExpressionError


def test_two_components_are_a_plane_field():
    F = parse_field("(x^2 - y, x*y)")
    assert (F.size, F.dimension, F.variables, F.parameters) == (2, 2, ("x", "y"), ())
    assert [c.text for c in F.components] == ["x^2 - y", "x*y"]
    np.testing.assert_array_equal(F(3.0, 2.0), [7.0, 6.0])


def test_three_components_and_three_variables():
    F = parse_field("(x*y, x + y, x - y)")
    assert F.size == 3 and F.dimension == 2
    np.testing.assert_array_equal(F(2.0, 5.0), [10.0, 7.0, -3.0])
    G = parse_field("(x*z, y - z)", ("x", "y", "z"))
    assert G.size == 2 and G.dimension == 3 and G.parameters == ()
    np.testing.assert_array_equal(G(2.0, 5.0, 3.0), [6.0, 2.0])


def test_each_component_is_the_surface_expression_of_its_text(rng):
    F = parse_field(" ( sin(x)*exp(y) , a*x^3 - y/2 , 1 ) ")
    assert [c.text for c in F.components] == ["sin(x)*exp(y)", "a*x^3 - y/2", "1"]
    X, Y = rng.uniform(-2, 2, size=(2, 50))
    values = F(X, Y, a=1.5)
    assert values.shape == (3, 50)
    for row, component in zip(values, F.components):
        np.testing.assert_array_equal(row, np.broadcast_to(parse(component.text)(X, Y, a=1.5), X.shape))


def test_parameters_are_collected_from_all_components():
    F = parse_field("(a*x + c, b*y + a)")
    assert F.parameters == ("a", "b", "c")
    f = F.bind({"a": 1, "b": 2, "c": 3})
    assert [float(v) for v in f(1.0, 1.0)] == [4.0, 3.0]
    with pytest.raises(ExpressionError, match="parameter 'b' needs a value"):
        F.bind({"a": 1, "c": 3})


def test_glued_names_warn_as_in_a_surface():
    assert parse_field("(xy, y)").warnings == ["xy is a parameter — did you mean x*y?"]


def test_division_by_zero_and_logs_are_values_not_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = parse_field("(1/x, log(y))")(0.0, 0.0)
    assert values[0] == np.inf and values[1] == -np.inf


@pytest.mark.parametrize("text, message, column", [
    ("(x, y", "'(' is never closed", 1),
    ("(x, 2y)", "'2y': write 2*y to multiply", 5),
    ("  (x, 2y)", "'2y': write 2*y to multiply", 7),
    ("(x, sin x)", "'sin' is a function: write sin(x)", 5),
    ("(x^2, y +)", "expected an expression after '+'", 9),
    ("(x,, y)", "expected an argument after ','", 3),
    ("(x, foo(y))", "unknown function 'foo'", 5),
    ("(x, y.real)", "attribute access with '.' is not allowed", 6),
    ("(x,)", "a field needs at least two components", 3),
    ("x, y", "put the field's components in parentheses", 1),
    ("(x), (y)", "put the field's components in parentheses", 1),
    ("(x, (y, 1))", "a component cannot itself be a list", 5),
    ("(x, ())", "empty parentheses", 5),
    ("()", "empty parentheses", 1),
])
def test_errors_say_what_and_where(text, message, column):
    with pytest.raises(ExpressionError) as err:
        parse_field(text)
    assert message in err.value.message
    assert err.value.column == column


def test_a_single_expression_is_not_a_field():
    with pytest.raises(ExpressionError, match="a field is a list of components in parentheses"):
        parse_field("x^2 + y")


def test_nothing_typed_is_executed():
    for text in ('(__import__("os").system("echo hi"), 1)', "(x, y[0])", "(lambda: 1, x)"):
        with pytest.raises(ExpressionError):
            parse_field(text)


def test_surface_parse_says_a_field_is_not_one_expression():
    with pytest.raises(ExpressionError) as err:
        parse("(x, y)")
    assert "this is a field of 2 components" in str(err.value) and "one expression" in str(err.value)
    with pytest.raises(ExpressionError, match="field of 3 components"):
        parse("(x*y, x + y, x - y)")
    # other misplaced commas keep their message
    with pytest.raises(ExpressionError, match="a comma is only allowed"):
        parse("(x, y) + 1")


@pytest.mark.parametrize("text, expected", [
    ("(x, y)", True), ("(x*y, x + y, x - y)", True), ("x, y", True), ("(x,)", True),
    ("(x, y", True), ("(x, 2y", True),
    ("x^2 + y", False), ("sin(x, y)", False), ("minimum(x, y)", False), ("(x, y) + 1", False),
    ("(minimum(x, y)", False), ("", False), (None, False),
])
def test_is_field_text(text, expected):
    assert is_field_text(text) is expected


def test_whether_a_text_is_a_field_is_parsed_once_per_text(monkeypatch):
    """The window asks on every change; a long expression takes milliseconds to parse."""
    import explorer.core.field_expression as fe
    calls = []
    real = fe.syntax_tree
    monkeypatch.setattr(fe, "syntax_tree", lambda text: calls.append(text) or real(text))
    text = "(x*y + 0.123456, x + y)"
    fe._is_field_text.cache_clear()
    assert all(fe.is_field_text(text) for _ in range(50))
    assert not fe.is_field_text("x^2 + y^2")
    assert calls.count(text) == 1
