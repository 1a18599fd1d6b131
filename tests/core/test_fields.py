"""Jacobians of fields at points and on grids, against closed forms and finite differences."""
import warnings

import numpy as np
import pytest

from explorer.core.calculus import PointCalculus
from explorer.core.field_expression import parse_field
from explorer.core.fields import (SYMMETRY_TOLERANCE, FieldCalculus, GradientField, analyze_jacobian, asymmetry,
                                  gradient_field, hessian_gap, is_gradient_field, mapping_text)
from tests.helpers import fd_gradient


def fd_jacobian(calculus, p, h=1e-6):
    """Central differences of F (test-only): column j is (F(p + h e_j) - F(p - h e_j)) / 2h."""
    p = np.asarray(p, float)
    return np.array([(calculus.value(p + h * e) - calculus.value(p - h * e)) / (2 * h)
                     for e in np.eye(p.size)]).T


# ---------------------------------------------------------------- closed forms at points

@pytest.mark.parametrize("r, theta", [(2.0, 0.6), (0.5, -2.0), (3.0, 3.0), (1e-3, 1.0)])
def test_polar_to_cartesian(r, theta):
    a = FieldCalculus("(x*cos(y), x*sin(y))").analyze([r, theta])
    c, s = np.cos(theta), np.sin(theta)
    np.testing.assert_allclose(a.value, [r * c, r * s], rtol=1e-15)
    np.testing.assert_allclose(a.jacobian, [[c, -r * s], [s, r * c]], rtol=1e-15, atol=1e-300)
    assert a.determinant == pytest.approx(r, rel=1e-14)       # det J = r
    assert a.trace == pytest.approx((1 + r) * c, rel=1e-14, abs=1e-15)
    # J = R(θ)·diag(1, r): singular values r and 1, largest first
    np.testing.assert_allclose(a.singular_values, sorted([r, 1.0], reverse=True), rtol=1e-14)


def test_polar_determinant_is_exactly_two_at_the_documented_point():
    assert FieldCalculus("(x*cos(y), x*sin(y))").analyze([2, 0.6]).determinant == 2.0


@pytest.mark.parametrize("k", [0.5, 2.0, -3.0])
def test_shear(k):
    a = FieldCalculus(f"(x + {k}*y, y)").analyze([0.3, -1.7])
    np.testing.assert_array_equal(a.jacobian, [[1, k], [0, 1]])
    assert a.determinant == 1 and a.trace == 2
    np.testing.assert_array_equal(a.eigenvalues, [1, 1])         # real: imaginary parts are 0
    s1, s2 = a.singular_values
    assert s1 * s2 == pytest.approx(1, rel=1e-14)                # |det J|
    assert s1 ** 2 + s2 ** 2 == pytest.approx(2 + k ** 2, rel=1e-14)  # the Frobenius norm of J, squared
    assert s1 > 1 > s2


@pytest.mark.parametrize("a_, b_", [(1.0, 2.0), (0.5, -0.5), (0.0, 3.0)])
def test_rotation_and_scaling_has_complex_eigenvalues(a_, b_):
    a = FieldCalculus("(a*x - b*y, b*x + a*y)", {"a": a_, "b": b_}).analyze([1.2, -0.4])
    np.testing.assert_array_equal(a.jacobian, [[a_, -b_], [b_, a_]])
    assert a.determinant == pytest.approx(a_ ** 2 + b_ ** 2, rel=1e-14)
    assert a.trace == 2 * a_
    lo, hi = sorted([-abs(b_), abs(b_)])
    np.testing.assert_allclose(a.eigenvalues, [complex(a_, lo), complex(a_, hi)], rtol=1e-14)
    np.testing.assert_allclose(a.singular_values, [np.hypot(a_, b_)] * 2, rtol=1e-14)


def test_fold_changes_the_sign_of_det_along_a_curve():
    """F = (x, y³ − x·y): det J = 3y² − x, zero on the parabola x = 3y², negative inside it."""
    calc = FieldCalculus("(x, y^3 - x*y)")
    for t in np.linspace(-1, 1, 9):
        on = np.array([3 * t * t, t])
        assert calc.analyze(on).determinant == pytest.approx(0, abs=1e-14)
        assert calc.analyze(on + [0.1, 0]).determinant < 0 < calc.analyze(on - [0.1, 0]).determinant
    x = np.linspace(-2, 3, 41)
    y = np.linspace(-1.5, 1.5, 31)
    jmap = calc.jacobian_map(x, y)
    X, Y = np.meshgrid(x, y, indexing="ij")
    np.testing.assert_allclose(jmap.det, 3 * Y ** 2 - X, atol=1e-13)
    assert (jmap.det > 0).any() and (jmap.det < 0).any()


@pytest.mark.parametrize("text, variables, point", [
    ("(sin(x)*exp(y), x^2*y - cos(y))", ("x", "y"), [0.3, -0.8]),
    ("(x*y, x + y^2, sqrt(x^2 + y^2))", ("x", "y"), [1.2, 0.7]),
    ("(x*z - y, log(1 + x^2)*tanh(y*z))", ("x", "y", "z"), [0.4, -1.1, 2.0]),
    ("(x*y*z, x - z, y + sin(z), exp(x*y))", ("x", "y", "z"), [0.5, 0.2, -0.3]),
])
def test_jacobian_matches_finite_differences(text, variables, point):
    calc = FieldCalculus(text, variables=variables)
    J = calc.jacobian(point)
    assert J.shape == (len(text.split(",")), len(variables))     # rows = components, columns = variables
    np.testing.assert_allclose(J, fd_jacobian(calc, point), rtol=1e-7, atol=1e-8)


def test_non_square_field_has_singular_values_but_no_determinant():
    a = FieldCalculus("(x*y, x + y, x - y)").analyze([1, 2])
    np.testing.assert_array_equal(a.jacobian, [[2, 1], [1, 1], [1, -1]])
    assert a.determinant is None and a.trace is None and a.eigenvalues is None and not a.square
    # singular values are the square roots of JᵀJ's eigenvalues; JᵀJ = [[6, 2], [2, 3]] -> 7 and 2
    np.testing.assert_allclose(a.singular_values, [np.sqrt(7), np.sqrt(2)], rtol=1e-14)
    np.testing.assert_allclose(a.jacobian @ a.right_vectors, a.left_vectors * a.singular_values, atol=1e-14)


def test_a_constant_field_has_a_zero_jacobian():
    a = FieldCalculus("(1, 2)").analyze([3, 4])
    np.testing.assert_array_equal(a.value, [1, 2])
    np.testing.assert_array_equal(a.jacobian, np.zeros((2, 2)))
    assert a.determinant == 0 and a.condition_number == np.inf


def test_undefined_points_give_nan_not_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = FieldCalculus("(log(x), y)").analyze([-1, 0])
    assert not a.defined
    assert np.isnan(a.singular_values).all() and np.isnan(a.eigenvalues.real).all()
    assert np.isnan(a.condition_number)
    assert np.isnan(a.jacobian[0]).all() and a.jacobian[1].tolist() == [0, 1]   # u = log(x) undefined: its row too


def test_eigen_pairs_satisfy_their_equation():
    a = analyze_jacobian([0, 0], [0, 0], [[1.0, 2.0], [-3.0, 0.5]])
    for lam, v in zip(a.eigenvalues, a.eigenvectors.T):
        np.testing.assert_allclose(a.jacobian @ v, lam * v, atol=1e-14)
    assert a.eigenvalues[0].imag < 0 < a.eigenvalues[1].imag   # sorted by real part, then imaginary


def test_wrong_point_size_is_refused():
    with pytest.raises(ValueError, match="2 coordinates"):
        FieldCalculus("(x, y)").jacobian([1, 2, 3])


# ---------------------------------------------------------------- grids

def test_grid_matches_point_calculus_in_several_blocks():
    calc = FieldCalculus("(x^2 - y*sin(x), exp(x*y/4) + y^3)")
    x, y = np.linspace(-2, 2, 7), np.linspace(-1, 3, 5)
    jmap = calc.jacobian_map(x, y, block_points=10)   # two rows a block: four blocks
    for i, xi in enumerate(x):
        for j, yj in enumerate(y):
            value, J = calc.value_and_jacobian([xi, yj])
            np.testing.assert_allclose([jmap.u[i, j], jmap.v[i, j]], value, rtol=1e-14)
            np.testing.assert_allclose([[jmap.jxx[i, j], jmap.jxy[i, j]], [jmap.jyx[i, j], jmap.jyy[i, j]]], J,
                                       rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(jmap.det, jmap.jxx * jmap.jyy - jmap.jxy * jmap.jyx, rtol=0, atol=0)
    np.testing.assert_allclose(calc.grid_values(x, y), np.stack([jmap.u, jmap.v]), rtol=1e-14)


def test_grid_entries_have_their_documented_names():
    """(x², x·y): ∂u/∂x = 2x, ∂u/∂y = 0, ∂v/∂x = y, ∂v/∂y = x."""
    x, y = np.array([1.0, 2.0, 3.0]), np.array([-1.0, 5.0])
    jmap = FieldCalculus("(x^2, x*y)").jacobian_map(x, y)
    X, Y = np.meshgrid(x, y, indexing="ij")
    np.testing.assert_array_equal(jmap.jxx, 2 * X)
    np.testing.assert_array_equal(jmap.jxy, 0 * X)
    np.testing.assert_array_equal(jmap.jyx, Y)
    np.testing.assert_array_equal(jmap.jyy, X)
    np.testing.assert_array_equal(jmap.det, 2 * X ** 2)
    assert set(jmap.arrays()) == {"x", "y", "u", "v", "jxx", "jxy", "jyx", "jyy", "det"}


def test_constant_components_fill_the_grid_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jmap = FieldCalculus("(1, y)").jacobian_map(np.linspace(0, 1, 3), np.linspace(0, 1, 4))
    np.testing.assert_array_equal(jmap.u, np.ones((3, 4)))
    np.testing.assert_array_equal(jmap.jxx, np.zeros((3, 4)))
    np.testing.assert_array_equal(jmap.jyy, np.ones((3, 4)))


def test_grid_needs_a_plane_field():
    with pytest.raises(ValueError, match="R² → R³"):
        FieldCalculus("(x, y, x*y)").jacobian_map([0, 1], [0, 1])
    with pytest.raises(ValueError, match="R³ → R²"):
        FieldCalculus("(x, y*z)", variables=("x", "y", "z")).jacobian_map([0, 1], [0, 1])
    assert mapping_text(3, 12) == "R³ → R¹²"


# ---------------------------------------------------------------- gradient fields

SURFACES = ["x^2 + 3*y^2", "x*y", "sin(x)*cos(y)", "exp(x*y) - x", "(1 - x)^2 + 100*(y - x^2)^2",
            "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", "log(1 + x^2 + y^2)", "x^3 - 3*x*y^2", "tanh(x + 2*y)*y",
            "sqrt(1 + x^2*y^2)", "arctan(x*y) + y^4", "a*x^2*y + b*cos(x - y)"]


@pytest.mark.parametrize("text", SURFACES)
def test_the_jacobian_of_the_gradient_is_the_hessian(text, rng):
    params = {"a": 0.7, "b": -1.3} if "a*" in text else None
    field, surface = FieldCalculus(gradient_field(text), params), PointCalculus(text, params)
    for p in rng.uniform(-1.5, 1.5, size=(4, 2)):
        value, J = field.value_and_jacobian(p)
        np.testing.assert_allclose(value, surface.gradient(p), rtol=1e-14, atol=1e-14)
        H = surface.hessian(p)
        np.testing.assert_allclose(J, H, rtol=1e-12, atol=1e-12 * max(1.0, np.abs(H).max()))
        np.testing.assert_allclose(J, J.T, rtol=1e-12, atol=1e-12 * max(1.0, np.abs(H).max()))



def test_the_gap_between_a_jacobian_and_a_hessian_is_their_largest_difference():
    # F = (2x + y, x + 2y) is ∇f of f = x² + xy + y²: J = H = (2, 1; 1, 2), the gap 0
    J = FieldCalculus("(2*x + y, x + 2*y)").jacobian([0.3, -0.7])
    assert hessian_gap(J, PointCalculus("x^2 + x*y + y^2").hessian([0.3, -0.7])) == pytest.approx(0, abs=1e-14)
    assert hessian_gap([[2.0, 1.0], [1.0, 2.0]], [[2.0, 1.5], [1.0, -1.0]]) == 3.0


def test_gradient_field_of_three_variables():
    text = "x*y*z + sin(x)*z^2"
    field = FieldCalculus(gradient_field(text, ("x", "y", "z")))
    p = [0.4, -1.0, 2.0]
    np.testing.assert_allclose(field.jacobian(p), PointCalculus(text, variables=("x", "y", "z")).hessian(p),
                               rtol=1e-13)
    assert GradientField(text, ("x", "y", "z")).component_names == ("∂f/∂x", "∂f/∂y", "∂f/∂z")


def test_himmelblau_gradient_field_against_its_closed_form(rng):
    field = FieldCalculus(gradient_field("(x^2 + y - 11)^2 + (x + y^2 - 7)^2"))
    for x, y in rng.uniform(-5, 5, size=(6, 2)):
        fx = 4 * x * (x * x + y - 11) + 2 * (x + y * y - 7)
        fy = 2 * (x * x + y - 11) + 4 * y * (x + y * y - 7)
        value, J = field.value_and_jacobian([x, y])
        np.testing.assert_allclose(value, [fx, fy], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(J, [[12 * x * x + 4 * y - 42, 4 * x + 4 * y],
                                       [4 * x + 4 * y, 4 * x + 12 * y * y - 26]], rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(field.value([3, 2]), [0, 0])   # a minimum: ∇f = 0


def test_a_general_field_is_not_symmetric():
    J = FieldCalculus("(x^2 - y, x*y)").jacobian([1.0, 2.0])
    np.testing.assert_array_equal(J, [[2, -1], [2, 1]])
    assert J[0, 1] != J[1, 0]


GRID = (np.linspace(-3, 3, 31), np.linspace(-2, 2.5, 23))


@pytest.mark.parametrize("text", SURFACES[:10])
def test_gradient_fields_pass_the_symmetry_test(text):
    assert is_gradient_field(FieldCalculus(gradient_field(text)).jacobian_map(*GRID))


@pytest.mark.parametrize("text, expected", [
    ("(2*x*y, x^2)", True),               # ∇(x²y), typed by hand
    ("(y*cos(x*y), x*cos(x*y))", True),   # ∇ sin(xy)
    ("(-y, x)", False),                   # rotation
    ("(x^2 - y, x*y)", False),
    ("(y, x + 1e-6*x^2)", False),         # only slightly off: 2e-6·x relative to 1 exceeds the tolerance
])
def test_symmetry_test_on_typed_fields(text, expected):
    assert is_gradient_field(FieldCalculus(text).jacobian_map(*GRID)) is expected


def test_asymmetry_is_relative_and_marks_undefined_points():
    x, y = np.array([-1.0, 0.0, 2.0]), np.array([0.5, 3.0])
    jmap = FieldCalculus("(log(x)*y, 0*x)").jacobian_map(x, y)
    a = asymmetry(jmap)
    # ∂u/∂y = log(x), ∂v/∂x = 0: at x = 2 the gap is log 2 and the largest entry is max(y/2, log 2)
    np.testing.assert_allclose(a[2], np.log(2) / np.maximum([0.25, 1.5], np.log(2)), rtol=1e-14)
    assert np.isnan(a[0]).all() and np.isnan(a[1]).all()
    assert not is_gradient_field(jmap)
    assert a[2].max() > SYMMETRY_TOLERANCE


def test_no_finite_point_is_no_evidence():
    jmap = FieldCalculus("(log(x), y)").jacobian_map(np.array([-2.0, -1.0]), np.array([0.0, 1.0]))
    assert not is_gradient_field(jmap)


def test_the_vortex_is_symmetric_yet_not_a_gradient_field_around_the_origin():
    """The documented limit: symmetry is local; (−y, x)/r² circulates 2π around the origin."""
    text = "(-y/(x^2 + y^2), x/(x^2 + y^2))"
    assert is_gradient_field(FieldCalculus(text).jacobian_map(np.linspace(-2, 2, 20), np.linspace(-2, 2, 20)))
    t = np.linspace(0, 2 * np.pi, 2001)
    F = parse_field(text)(np.cos(t), np.sin(t))
    circulation = np.trapezoid(F[0] * -np.sin(t) + F[1] * np.cos(t), t)
    assert circulation == pytest.approx(2 * np.pi)


def test_finite_differences_agree_with_the_gradient_field(rng):
    text = "sin(x*y) + x^3"
    field = FieldCalculus(gradient_field(text))
    surface = PointCalculus(text)
    p = rng.uniform(-1, 1, size=2)
    np.testing.assert_allclose(field.value(p), fd_gradient(surface.value, p), rtol=1e-7)
