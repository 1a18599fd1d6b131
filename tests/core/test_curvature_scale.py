"""f and c·f (c > 0) have the same curvature classes, at points and on grids.

The zero test is relative (|λ| <= 1e-9 · max|λ|), so it has no scale of its own. Rounding in c·f
can only tip an eigenvalue that sits on the tolerance itself; the tests with any c skip those
points, and the tests with c a power of two (exact in floating point) skip nothing.
"""
import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from explorer.core.calculus import (CONVEX, DEGENERATE, SADDLE, UNDEFINED, ZERO_TOLERANCE, PointCalculus,
                                    SurfaceCalculus)

XS, YS = np.linspace(-2, 2, 13), np.linspace(-1.5, 2.5, 11)

# zero or of a size a person types: a coefficient like 1e-300 pushes f's Hessian into
# subnormal numbers, where c·f rounds differently from c times f
coefficient = st.one_of(st.just(0.0), st.floats(1e-3, 5), st.floats(-5, -1e-3))
scale = st.floats(-12, 12).map(lambda e: 10.0 ** e)          # c from 1e-12 to 1e12
power_of_two = st.integers(-40, 40).map(lambda k: 2.0 ** k)   # c·f is exact: nothing to skip

TEMPLATES = [
    "{0}*sin({1}*x)*cos({2}*y) + {3}*x**2 + {4}*x*y",
    "{0}*x**3 + {1}*x*y**2 + {2}*y**2 + {3}*exp(-(x**2 + y**2)) + {4}*y",
    "{0}*log(x + 1) + {1}*y**4 + {2}*x*y + {3}*cos(x - {4}*y)",   # undefined for x <= -1
    "({0}*x + {1}*y)**2 + {2}*tanh(x*y) + {3}*sqrt(x**2 + {4}**2)",
]


def scaled(c: float, text: str) -> str:
    return f"{c!r}*({text})"


def quadratic(a, b, c, d, e) -> str:
    return f"0.5*(({a})*x**2 + 2*({b})*x*y + ({c})*y**2) + ({d})*x + ({e})*y"


def near_the_tolerance(eigenvalues: np.ndarray) -> np.ndarray:
    """Where the smallest |λ| lies within 0.1% of 1e-9·max|λ|: rounding of c·f may tip those."""
    lam = np.abs(eigenvalues)
    top = lam.max(axis=-1)
    with np.errstate(all="ignore"):
        ratio = lam.min(axis=-1) / (ZERO_TOLERANCE * top)
    return np.isfinite(ratio) & (np.abs(ratio - 1) < 1e-3)


def test_a_tiny_bowl_is_convex_and_a_tiny_saddle_a_saddle():
    # 1e-10·(x² + y²): H = 2e-10·I, both eigenvalues equal, neither is zero next to the other
    assert PointCalculus("1e-10*(x**2 + y**2)").analyze([1, 2]).curvature == CONVEX
    assert PointCalculus("1e-10*(x**2 - y**2)").analyze([1, 2]).curvature == SADDLE
    m = SurfaceCalculus("1e-10*(x**2 + y**2)").curvature_map(XS, YS)
    assert np.all(m.classes == CONVEX)
    # still degenerate: x² + 1e-10·y² has eigenvalues 2 and 2e-10, a ratio of 1e-10
    assert PointCalculus("x**2 + 1e-10*y**2").analyze([0, 0]).curvature == DEGENERATE


@given(coefficient, coefficient, coefficient, coefficient, coefficient, coefficient, coefficient, scale)
def test_quadratics_keep_their_class_at_points(a, b, c, d, e, px, py, k):
    f = quadratic(a, b, c, d, e)
    mine = PointCalculus(f).analyze([px, py])
    assume(not near_the_tolerance(mine.eigenvalues))
    assert PointCalculus(scaled(k, f)).analyze([px, py]).curvature == mine.curvature


@given(st.sampled_from(TEMPLATES), st.lists(coefficient, min_size=5, max_size=5), scale)
def test_functions_keep_their_classes_on_a_grid(template, coefficients, k):
    f = template.format(*(f"({v!r})" for v in coefficients))
    mine = SurfaceCalculus(f).curvature_map(XS, YS)
    theirs = SurfaceCalculus(scaled(k, f)).curvature_map(XS, YS)
    keep = ~near_the_tolerance(mine.eigenvalues)
    np.testing.assert_array_equal(theirs.classes[keep], mine.classes[keep])
    np.testing.assert_array_equal(theirs.classes == UNDEFINED, mine.classes == UNDEFINED)


@given(st.sampled_from(TEMPLATES), st.lists(coefficient, min_size=5, max_size=5), power_of_two,
       st.floats(-2, 2), st.floats(-1.5, 2.5))
def test_a_power_of_two_changes_no_class_anywhere(template, coefficients, k, px, py):
    f = template.format(*(f"({v!r})" for v in coefficients))
    np.testing.assert_array_equal(SurfaceCalculus(scaled(k, f)).curvature_map(XS, YS).classes,
                                  SurfaceCalculus(f).curvature_map(XS, YS).classes)
    assert PointCalculus(scaled(k, f)).analyze([px, py]).curvature == PointCalculus(f).analyze([px, py]).curvature
