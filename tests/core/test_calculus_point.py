import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from explorer.core.calculus import (CONCAVE, CONVEX, DEGENERATE, SADDLE, UNDEFINED, PointCalculus,
                                    curvature_class)
from explorer.core.expression import FUNCTIONS, parse
from tests.helpers import fd_gradient, fd_hessian

ROSENBROCK = "(1 - x)**2 + 100*(y - x**2)**2"

# each whitelisted function inside an argument that keeps it in its domain at the test points
ARGUMENTS = {"arcsin": "0.3*x - 0.2*y", "arccos": "0.3*x - 0.2*y", "log": "1 + x**2 + y**2",
             "log10": "1 + x**2 + y**2", "sqrt": "1 + x**2 + y**2"}
POINTS = [(0.7, -0.4), (-0.3, 0.9), (1.1, 0.2)]
# the stable functions by their textbook formulas, which sympy differentiates on its own
_CLOSED_FORMS = {"log1p": lambda v: sympy.log(1 + v), "expm1": lambda v: sympy.exp(v) - 1,
                 "softplus": lambda v: sympy.log(1 + sympy.exp(v)),
                 "logsigmoid": lambda v: -sympy.log(1 + sympy.exp(-v))}


def test_gradient_of_a_quadratic_by_hand():
    # f = x² + 2xy + 3y²: ∇f = (2x + 2y, 2x + 6y) = (10, 22) at (2, 3); H = [[2, 2], [2, 6]]
    value, gradient, hessian = PointCalculus("x**2 + 2*x*y + 3*y**2").derivatives([2, 3])
    assert value == 43
    assert gradient.tolist() == [10, 22]
    assert hessian.tolist() == [[2, 2], [2, 6]]


def test_hessian_of_rosenbrock_at_its_minimum():
    calc = PointCalculus(ROSENBROCK)
    assert calc.hessian([1, 1]).tolist() == [[802, -400], [-400, 200]]
    assert calc.gradient([1, 1]).tolist() == [0, 0]
    assert calc.analyze([1, 1]).classification == "convex"


def test_three_variables():
    calc = PointCalculus(parse("4*x**2 - 3*y + 2*z**3", ("x", "y", "z")))
    r = calc.analyze([1, -2, 4])
    assert r.gradient.tolist() == [8, -3, 96]
    assert r.hessian.tolist() == [[8, 0, 0], [0, 0, 0], [0, 0, 48]]
    assert r.eigenvalues.tolist() == [0, 8, 48]
    assert r.classification == "degenerate"


@pytest.mark.parametrize("expr, point, expected", [
    ("x**2 + y**2", (1, 2), "convex"),
    ("-x**2 - y**2", (-1, 2), "concave"),
    ("x**2 - y**2", (0, 0), "saddle"),
    ("x**3 - 3*x*y**2", (0, 0), "degenerate"),   # the monkey saddle
    ("3*x + y", (5, 5), "degenerate"),           # linear: Hessian is zero
    ("7", (0, 0), "degenerate"),                 # constant
    ("log(x) + y**2", (-1, 0), "undefined"),     # log of a negative number
])
def test_classification(expr, point, expected):
    assert PointCalculus(expr).analyze(point).classification == expected


def test_where_f_is_undefined_its_derivatives_are_too():
    # autograd differentiates log(x) to 1/x = −1 at x = −1, where log is not defined: no gradient there
    a = PointCalculus("log(x) + y**2").analyze([-1, 1])
    assert np.isnan(a.value) and np.isnan(a.gradient).all() and np.isnan(a.hessian).all()
    assert np.isnan(a.eigenvalues).all() and a.classification == "undefined"
    # f = 0 is defined at the cone's tip, its gradient is not: so neither is the Hessian
    a = PointCalculus("sqrt(x**2 + y**2)").analyze([0, 0])
    assert a.value == 0 and np.isnan(a.gradient).all() and np.isnan(a.hessian).all()
    # a defined gradient is kept where only the Hessian is not finite: |x|^1.5 at 0
    a = PointCalculus("abs(x)**1.5 + y**2").analyze([0, 1])
    assert a.gradient.tolist() == [0, 2] and a.classification == "undefined"


def test_linear_and_constant_functions_give_zero_derivatives_without_warnings():
    # pytest turns every warning into an error here, so autograd's warning would fail this test
    for expr in ("3*x - 2*y + 1", "7"):
        value, gradient, hessian = PointCalculus(expr).derivatives([0.5, 2.0])
        assert hessian.tolist() == [[0, 0], [0, 0]]
    assert PointCalculus("3*x - 2*y").gradient([1, 1]).tolist() == [3, -2]


def test_integer_points_are_accepted():
    assert PointCalculus("x*y").gradient(np.array([2, 3])).tolist() == [3, 2]


def test_eigenvectors_belong_to_their_eigenvalues():
    r = PointCalculus("x**2 + 3*x*y + 5*y**2").analyze([0.3, 0.1])
    for lam, v in zip(r.eigenvalues, r.eigenvectors.T):
        np.testing.assert_allclose(r.hessian @ v, lam * v, atol=1e-12)
    assert r.eigenvalues[0] <= r.eigenvalues[1]
    assert r.condition_number == pytest.approx(r.eigenvalues[1] / r.eigenvalues[0])


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_against_sympy_and_finite_differences(name):
    arg = ARGUMENTS.get(name, "0.5*x + 0.3*y")
    text = f"{name}({arg}, y)" if FUNCTIONS[name][1] == 2 else f"{name}({arg}) * (1 + x*y)"
    calc = PointCalculus(text)
    x, y = sympy.symbols("x y", real=True)
    sym = sympy.sympify(text.replace("arc", "a").replace("log10(", "log(10)**-1*log("),
                        locals={"x": x, "y": y, "abs": sympy.Abs, "minimum": sympy.Min, "maximum": sympy.Max,
                                "log": sympy.log, **_CLOSED_FORMS})
    grad_exprs = [sympy.diff(sym, v) for v in (x, y)]
    hess_exprs = [[sympy.diff(g, v) for v in (x, y)] for g in grad_exprs]
    for p in POINTS:
        subs = {x: p[0], y: p[1]}
        value, gradient, hessian = calc.derivatives(p)
        assert value == pytest.approx(float(sym.evalf(subs=subs)), rel=1e-12)
        np.testing.assert_allclose(gradient, [float(g.evalf(subs=subs)) for g in grad_exprs], rtol=1e-11, atol=1e-12)
        np.testing.assert_allclose(hessian, [[float(h.evalf(subs=subs)) for h in row] for row in hess_exprs],
                                   rtol=1e-10, atol=1e-11)
        np.testing.assert_allclose(gradient, fd_gradient(calc.value, p), rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(hessian, fd_hessian(calc.gradient, p), rtol=1e-5, atol=1e-6)


def test_log10_matches_numpy():
    assert PointCalculus("log10(x) + 0*y").value([1000, 0]) == 3.0


# random expressions built from the whitelist: x, y, small constants, + - *, smooth functions
_leaf = st.sampled_from(["x", "y", "0.5", "2", "1.5"])
_expr = st.recursive(_leaf, lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
    st.tuples(st.sampled_from(["sin", "cos", "tanh", "arctan"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
), max_leaves=8)
_coordinate = st.floats(-2, 2, allow_nan=False)


@given(_expr, _coordinate, _coordinate)
def test_hessian_is_symmetric(text, px, py):
    h = PointCalculus(text).hessian([px, py])
    np.testing.assert_allclose(h, h.T, rtol=1e-9, atol=1e-9)


@given(_expr, _coordinate, _coordinate)
def test_gradient_agrees_with_finite_differences(text, px, py):
    calc = PointCalculus(text)
    np.testing.assert_allclose(calc.gradient([px, py]), fd_gradient(calc.value, [px, py]), rtol=1e-5, atol=1e-5)


def test_curvature_class_zero_tolerance_rule():
    # |λ| <= 1e-9 · |λ|max counts as zero: relative to the largest eigenvalue, no absolute floor
    assert curvature_class([1e-10, 1.0]) == DEGENERATE
    assert curvature_class([1e-8, 1.0]) == CONVEX
    assert curvature_class([1e-4, 1e6]) == DEGENERATE
    assert curvature_class([1e-12, 2e-12]) == CONVEX      # small but not zero next to each other
    assert curvature_class([-3e-20, 1e-20]) == SADDLE
    assert curvature_class([0.0, 0.0]) == DEGENERATE      # an all-zero Hessian
    assert curvature_class([-2.0, -1.0]) == CONCAVE
    assert curvature_class([-2.0, 1.0]) == SADDLE
    assert curvature_class([np.nan, 1.0]) == UNDEFINED
