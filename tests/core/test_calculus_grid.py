import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.core.calculus import (CONCAVE, CONVEX, DEGENERATE, SADDLE, UNDEFINED, PointCalculus,
                                    SurfaceCalculus, curvature_class)

XS, YS = np.linspace(-2, 2, 9), np.linspace(-1.5, 2.5, 7)


def test_grid_is_ij_indexed():
    m = SurfaceCalculus("x - 10*y").curvature_map(XS, YS)
    assert m.z.shape == (9, 7)
    assert m.z[3, 5] == XS[3] - 10 * YS[5]


def test_rosenbrock_hessian_on_a_grid_by_hand():
    # hxx = 2 - 400(y - x²) + 800x², hxy = -400x, hyy = 200
    m = SurfaceCalculus("(1 - x)**2 + 100*(y - x**2)**2").curvature_map(XS, YS)
    X, Y = np.meshgrid(XS, YS, indexing="ij")
    np.testing.assert_allclose(m.hxx, 2 - 400 * (Y - X**2) + 800 * X**2, rtol=1e-13)
    np.testing.assert_allclose(m.hxy, -400 * X, rtol=1e-13)
    np.testing.assert_array_equal(m.hyy, 200)
    np.testing.assert_allclose(m.gx, -2 * (1 - X) - 400 * X * (Y - X**2), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(m.gy, 200 * (Y - X**2), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("expr", ["sin(x)*cos(y) + 0.1*(x**2 + y**2)", "(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
                                  "20 + x**2 - 10*cos(2*pi*x) + y**2 - 10*cos(2*pi*y)", "x**3 - 3*x*y**2",
                                  "exp(-x**2 - y**2) * arctan(x*y)", "sqrt(x**2 + y**2)"])
def test_grid_agrees_with_the_point_engine(expr):
    m = SurfaceCalculus(expr).curvature_map(XS, YS)
    point = PointCalculus(expr)
    for i in range(XS.size):
        for j in range(YS.size):
            r = point.analyze([XS[i], YS[j]])
            h = np.array([[m.hxx[i, j], m.hxy[i, j]], [m.hxy[i, j], m.hyy[i, j]]])
            assert m.z[i, j] == pytest.approx(r.value, rel=1e-14, abs=1e-14)
            np.testing.assert_allclose([m.gx[i, j], m.gy[i, j]], r.gradient, rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(h, r.hessian, rtol=1e-12, atol=1e-10)
            np.testing.assert_allclose(m.eigenvalues[i, j], r.eigenvalues, rtol=1e-9, atol=1e-9)
            assert m.classes[i, j] == r.curvature


def test_blocks_do_not_change_the_result():
    expr = "sin(3*x)*cos(2*y) + x*y**2"
    whole = SurfaceCalculus(expr).curvature_map(XS, YS, block_points=10**6)
    pieces = SurfaceCalculus(expr).curvature_map(XS, YS, block_points=7)   # one row per block
    for key, a in whole.arrays().items():
        np.testing.assert_array_equal(a, getattr(pieces, key))


def test_linear_and_constant_surfaces():
    m = SurfaceCalculus("3*x + y").curvature_map(XS, YS)
    assert np.all(m.gx == 3) and np.all(m.gy == 1)
    assert np.all(m.hxx == 0) and np.all(m.classes == DEGENERATE)
    c = SurfaceCalculus("2.5").curvature_map(XS, YS)
    assert c.z.shape == (9, 7) and np.all(c.z == 2.5) and np.all(c.classes == DEGENERATE)


def test_non_finite_values_give_undefined_not_saddle():
    # log(x) is nan for x < 0 and -inf at 0; sqrt's second derivative is inf at 0
    m = SurfaceCalculus("log(x) + y**2").curvature_map(XS, YS)
    assert np.all(m.classes[XS <= 0] == UNDEFINED)
    assert np.all(m.classes[XS > 0] == SADDLE)  # -1/x² < 0 < 2
    s = SurfaceCalculus("sqrt(x) + y**2").curvature_map(np.array([0.0, 1.0]), np.array([0.0]))
    assert s.classes.tolist() == [[UNDEFINED], [SADDLE]]


def test_parameters_are_bound():
    m = SurfaceCalculus("a*x**2 + b*y**2", {"a": 1, "b": -2}).curvature_map(XS, YS)
    assert np.all(m.hxx == 2) and np.all(m.hyy == -4) and np.all(m.classes == SADDLE)


_entry = st.floats(-5, 5, allow_nan=False).map(lambda v: round(v, 3))


@given(_entry, _entry, _entry, _entry, _entry)
def test_random_quadratic_has_constant_hessian_and_matching_class(a, b, c, gx, gy):
    # f = ½ pᵀAp + g·p with A = [[a, b], [b, c]]
    expr = f"0.5*({a}*x**2 + 2*({b})*x*y + ({c})*y**2) + ({gx})*x + ({gy})*y"
    m = SurfaceCalculus(expr).curvature_map(XS, YS)
    np.testing.assert_allclose(m.hxx, a, atol=1e-12)
    np.testing.assert_allclose(m.hxy, b, atol=1e-12)
    np.testing.assert_allclose(m.hyy, c, atol=1e-12)
    expected = curvature_class(np.linalg.eigvalsh([[a, b], [b, c]]))
    # an eigenvalue within rounding of the zero tolerance may fall either side: skip only that case
    lam = np.linalg.eigvalsh([[a, b], [b, c]])
    if np.min(np.abs(lam)) > 1e-7:
        assert np.all(m.classes == expected)
        assert expected in (CONVEX, CONCAVE, SADDLE)


@pytest.mark.parametrize("recipe", ["forward", "reverse"])
def test_abs_has_a_hessian_of_exactly_zero_off_its_kinks(recipe):
    """|x| + 2|y − 0.3| is piecewise linear: H = 0 and the map is degenerate everywhere, not speckled with
    convex, concave and saddle cells by rounding (autograd's own |v|′′ is 1/|v| − v²/|v|³ ≈ ±1e-16/|v|)."""
    xs, ys = np.linspace(-3, 3, 201), np.linspace(-2.9, 3.1, 201)
    calc = SurfaceCalculus("abs(x) + 2*abs(y - 0.3)")
    calc._broadcast_block = recipe == "forward"
    m = calc.curvature_map(xs, ys)
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    np.testing.assert_array_equal(m.z, np.abs(X) + 2 * np.abs(Y - 0.3))
    np.testing.assert_array_equal(m.gx, np.sign(X))        # a subgradient, 0, at the kink itself
    np.testing.assert_array_equal(m.gy, 2 * np.sign(Y - 0.3))
    for h in (m.hxx, m.hxy, m.hyy):
        np.testing.assert_array_equal(h, 0.0)
    assert np.all(m.classes == DEGENERATE)


@given(st.floats(-1e6, 1e6, allow_nan=False))
def test_abs_at_a_point_against_closed_form_and_finite_differences(v):
    point = PointCalculus("abs(x) + x*abs(y)")
    r = point.analyze([v, -1.25])
    assert r.value == abs(v) + v * 1.25
    assert r.gradient[0] == np.sign(v) + 1.25 and r.gradient[1] == -v
    np.testing.assert_array_equal(r.hessian, [[0.0, -1.0], [-1.0, 0.0]])   # ∂²(x|y|)/∂x∂y = sign(y)
    if abs(v) > 1e-3:   # away from the kink, central differences of f agree with the gradient
        h = 1e-6 * max(1.0, abs(v))
        fd = (abs(v + h) + (v + h) * 1.25 - abs(v - h) - (v - h) * 1.25) / (2 * h)
        assert fd == pytest.approx(r.gradient[0], rel=1e-6)


def test_abs_of_minus_zero_is_plus_zero():
    z = SurfaceCalculus("abs(x)").curvature_map(np.array([-0.0]), np.array([0.0])).z[0, 0]
    assert z == 0 and not np.signbit(z)
    assert SurfaceCalculus("1/abs(x)").curvature_map(np.array([-0.0]), np.array([0.0])).z[0, 0] == np.inf


def test_a_pole_beside_the_map_does_not_set_its_curvature_scale():
    # 1/(x² + y²) has eigenvalues 6/r⁴ and −2/r⁴: a saddle everywhere; the cells next to r = 0 reach 1e8
    # but the map's scale is a percentile of its cells, so the far corners (1.5 there) keep their class
    x = np.linspace(-2, 2, 200)
    m = SurfaceCalculus("1/(x^2 + y^2)").curvature_map(x, x)
    assert (m.classes == SADDLE).all()
