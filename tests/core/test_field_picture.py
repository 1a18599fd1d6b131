"""What the views draw of a field: orientation, |det J|, σ₁, zero curves, arrows; numbers checkable by hand."""
import numpy as np
import pytest

from explorer.core.field_picture import (KEPT, REVERSED, SINGULAR, UNDEFINED, compute_field_picture,
                                         field_arrows, largest_singular_value)
from explorer.core.fields import FieldCalculus, GradientField
from tests.helpers import gui_modules_loaded_by

X, Y = np.linspace(-2, 2, 41), np.linspace(-1, 3, 41)


def picture(text, x=X, y=Y):
    return compute_field_picture(FieldCalculus(text), x, y)


def test_the_picture_needs_no_qt():
    assert gui_modules_loaded_by("import explorer.core.field_picture") == []


def test_the_largest_singular_value_in_closed_form_matches_numpy():
    rng = np.random.default_rng(7)
    J = rng.normal(size=(200, 2, 2))
    expected = np.linalg.svd(J, compute_uv=False)[:, 0]
    got = largest_singular_value(J[:, 0, 0], J[:, 0, 1], J[:, 1, 0], J[:, 1, 1])
    np.testing.assert_allclose(got, expected, rtol=1e-13)
    assert largest_singular_value(1.0, 1.0, 0.0, 1.0) == pytest.approx((1 + 5 ** 0.5) / 2)   # the shear


def test_orientation_follows_the_sign_of_det_j():
    p = picture("(x^2 - y, x + y - 2)")          # det J = 2x + 1
    X2 = np.broadcast_to(X[:, None], p.orientation.shape)
    assert np.all(p.orientation[X2 > -0.5] == KEPT) and np.all(p.orientation[X2 < -0.5] == REVERSED)
    assert np.all(p.orientation[np.isclose(X2, -0.5)] == SINGULAR)   # the grid has x = -0.5 exactly
    assert p.fold[:, 0][np.isfinite(p.fold[:, 0])] == pytest.approx(-0.5)


def test_area_and_stretch():
    p = picture("(x + y, y)")                    # a shear: det 1, σ₁ the golden ratio, everywhere
    assert np.allclose(p.area, 1.0) and np.allclose(p.stretch, (1 + 5 ** 0.5) / 2)
    assert np.allclose(p.magnitude("area"), 1.0)


def test_undefined_points_are_undefined_and_never_kept():
    p = picture("(log(x), y)")                   # log x: nan for x < 0, -inf at 0
    left = np.broadcast_to(X[:, None], p.orientation.shape) <= 0
    assert np.all(p.orientation[left] == UNDEFINED) and np.all(p.orientation[~left] == KEPT)


def test_the_zero_curves_cross_at_the_roots():
    p = picture("(x^2 - y, x + y - 2)", np.linspace(-4, 3, 141), np.linspace(-2, 6, 161))
    u = p.zero_u[np.isfinite(p.zero_u[:, 0])]
    v = p.zero_v[np.isfinite(p.zero_v[:, 0])]
    assert np.max(np.abs(u[:, 0] ** 2 - u[:, 1])) < 0.01       # the parabola y = x²
    assert np.max(np.abs(v[:, 0] + v[:, 1] - 2)) < 1e-9        # the line x + y = 2 (linear: exact)
    for root in ((1.0, 1.0), (-2.0, 4.0)):
        assert np.min(np.linalg.norm(u - root, axis=1)) < 0.05 and np.min(np.linalg.norm(v - root, axis=1)) < 0.05


def test_a_gradient_field_is_symmetric_on_the_grid_and_a_general_field_is_not():
    grad = compute_field_picture(FieldCalculus(GradientField("x^3*y - sin(x*y)")), X, Y)
    assert grad.gradient_field and grad.largest_asymmetry == pytest.approx(0.0, abs=1e-12)
    rotation = picture("(-y, x)")                # ∂u/∂y = -1, ∂v/∂x = 1
    assert not rotation.gradient_field and rotation.largest_asymmetry == pytest.approx(2.0)


def test_heights_of_the_3d_view():
    p = picture("(3*x, 4*y)")
    np.testing.assert_allclose(p.height("norm"), np.hypot(3 * X[:, None], 4 * Y[None, :]))
    np.testing.assert_allclose(p.height("v"), np.broadcast_to(4 * Y[None, :], p.height("v").shape))
    with pytest.raises(ValueError, match="one of norm, u, v"):
        p.height("w")


def test_arrows_keep_their_proportions_up_to_the_cap():
    a = field_arrows(FieldCalculus("(x, 0*y)"), (0.0, 2.0), (0.0, 2.0), count=4)   # |F| = x, along +x
    assert a.cell == 0.5 and len(a.tails) == 16
    lengths = np.linalg.norm(a.vectors, axis=1)
    assert np.all(a.vectors[:, 1] == 0) and np.all(a.vectors[:, 0] >= 0)
    below = a.tails[:, 0] <= a.reference
    np.testing.assert_allclose(lengths[below], 0.85 * 0.5 * a.tails[below, 0] / a.reference)   # ∝ |F|
    assert np.all(lengths <= 0.85 * 0.5 + 1e-12)                                              # capped at a cell
    assert a.capped == np.sum(a.tails[:, 0] > a.reference * (1 + 1e-12)) <= 0.1 * 16 + 1
