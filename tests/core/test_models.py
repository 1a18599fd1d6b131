import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.core.calculus import PointCalculus
from explorer.core.models import linear_model, quadratic_model

coefficient = st.floats(-10, 10, allow_nan=False)


def test_models_by_hand():
    # f = x² + 3xy at (1, 2): f = 7, ∇f = (2x + 3y, 3x) = (8, 3), H = [[2, 3], [3, 0]]
    a = PointCalculus("x**2 + 3*x*y").analyze([1, 2])
    linear, quadratic = linear_model(a), quadratic_model(a)
    assert linear(0.5, -1) == pytest.approx(7 + 8 * 0.5 + 3 * -1)
    # ½ dᵀHd = ½ (2·0.25 + 2·3·0.5·(−1) + 0) = −1.25
    assert quadratic(0.5, -1) == pytest.approx(7 + 4 - 3 - 1.25)
    assert quadratic(0.0, 0.0) == 7 and linear(0.0, 0.0) == 7


@given(coefficient, coefficient, coefficient, coefficient, coefficient, coefficient,
       st.floats(-3, 3), st.floats(-3, 3))
def test_a_quadratic_is_its_own_quadratic_model(a, b, c, d, e, k, px, py):
    text = f"{a}*x**2 + {b}*x*y + {c}*y**2 + {d}*x + {e}*y + {k}"
    calc = PointCalculus(text.replace("+ -", "- "))
    model = quadratic_model(calc.analyze([px, py]))
    dx, dy = np.meshgrid(np.linspace(-2, 2, 9), np.linspace(-1, 3, 7), indexing="ij")
    X, Y = px + dx, py + dy
    exact = a * X**2 + b * X * Y + c * Y**2 + d * X + e * Y + k
    np.testing.assert_allclose(model(dx, dy), exact, rtol=1e-9, atol=1e-9 * (1 + np.abs(exact).max()))


@given(coefficient, coefficient, coefficient, st.floats(-3, 3), st.floats(-3, 3))
def test_a_plane_is_its_own_linear_model(d, e, k, px, py):
    calc = PointCalculus(f"({d})*x + ({e})*y + ({k})")
    model = linear_model(calc.analyze([px, py]))
    dx, dy = np.array([[0.5, -2.0], [3.0, 0.0]]), np.array([[1.0, 1.0], [-0.25, 4.0]])
    np.testing.assert_allclose(model(dx, dy), d * (px + dx) + e * (py + dy) + k, atol=1e-9 * (1 + abs(k) + 30))


def test_models_broadcast_and_keep_the_shape_of_the_offsets():
    a = PointCalculus("exp(x) * sin(y)").analyze([0.3, 0.7])
    dx = np.linspace(-1, 1, 5)[:, None]
    dy = np.linspace(-1, 1, 4)[None, :]
    assert quadratic_model(a)(dx, dy).shape == (5, 4)
    assert linear_model(a)(dx, dy).shape == (5, 4)
    assert linear_model(a)(np.zeros((3, 2)), 0.0).shape == (3, 2)   # a constant part still has the grid's shape


def test_the_quadratic_model_is_second_order_accurate():
    # |f(p + t·u) − m(t·u)| = O(t³): halving t divides the error by about 8
    calc = PointCalculus("exp(x) * sin(y) + x**3 * y")
    p, u = np.array([0.3, 0.7]), np.array([0.6, -0.8])
    model = quadratic_model(calc.analyze(p))
    errors = [abs(calc.value(p + t * u) - model(*(t * u))) for t in (0.1, 0.05)]
    assert 6 < errors[0] / errors[1] < 10


def test_a_model_needs_one_offset_per_variable():
    a = PointCalculus("x**2 + y**2").analyze([1, 1])
    with pytest.raises(ValueError, match="2 offset coordinates"):
        quadratic_model(a)(1.0)
