"""A function of named variables read at a point (the point calculator's and `inspect --vars`'s core)."""
import numpy as np
import pytest

from explorer.core.named_point import MAX_VARIABLES, PointError, coordinates, read_point, variable_names
from explorer.core.syntax_hints import ExpressionError
from tests.helpers import fd_gradient, fd_hessian


def test_g_of_x_y_z_by_hand():
    # g = x y z: ∇g = (yz, xz, xy) = (6, 3, 2) at (1, 2, 3); H has z, y, x off the diagonal
    a = read_point("x*y*z", ("x", "y", "z"), (1, 2, 3))
    assert a.value == 6 and a.gradient.tolist() == [6, 3, 2]
    assert a.hessian.tolist() == [[0, 3, 2], [3, 0, 1], [2, 1, 0]]
    assert a.classification == "saddle"   # trace 0, not all zero: eigenvalues of both signs


def test_many_variables_agree_with_finite_differences():
    names = tuple(f"u{k}" for k in range(8))
    text = " + ".join(f"sin({a}*{b})" for a, b in zip(names, names[1:])) + " + softplus(u0 - u7)"
    at = np.linspace(-0.7, 0.9, 8)
    a = read_point(text, names, at)
    value = lambda p: read_point(text, names, p).value
    gradient = lambda p: read_point(text, names, p).gradient
    np.testing.assert_allclose(a.gradient, fd_gradient(value, at), rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(a.hessian, fd_hessian(gradient, at), rtol=1e-6, atol=1e-7)


def test_parameters_need_values():
    assert read_point("a*x^2", ("x",), (3,), {"a": 2}).gradient.tolist() == [12]
    with pytest.raises(PointError, match="'a' is not a variable and has no value: add it to the variables"):
        read_point("a*x^2", ("x",), (3,))
    with pytest.raises(PointError, match="did you mean x\\*y"):
        read_point("xy", ("x", "y"), (1, 2))
    with pytest.raises(ExpressionError):
        read_point("x*/y", ("x", "y"), (1, 2))


def test_names_and_numbers_are_checked():
    assert variable_names(" x, y ,z,w") == ("x", "y", "z", "w")
    assert variable_names(["p", "q"]) == ("p", "q")
    assert len(variable_names([f"v{k}" for k in range(MAX_VARIABLES)])) == MAX_VARIABLES
    for text, message in [("", "name at least one variable"), ("x,x", "'x' is named twice"),
                          ("x,exp", "'exp' is the name of a function"), (",".join("abcdfghkmnpqrstuvw"), "at most 16")]:
        with pytest.raises(PointError, match=message):
            variable_names(text)
    assert coordinates("(1, -2, 4, 0)", "xyzw") == (1, -2, 4, 0) and coordinates("1 2", "xy") == (1, 2)
    for text, message in [("1, 2", "give 3 numbers, one per variable \\(x, y, z\\)"), ("1, b, 3", "y = 'b'"),
                          ("1, inf, 3", "y = 'inf' is not a finite number")]:
        with pytest.raises(PointError, match=message):
            coordinates(text, ("x", "y", "z"))
