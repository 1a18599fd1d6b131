"""The Jacobian lens: a circle's true image against its image under J, an ellipse."""
import numpy as np
import pytest

from explorer.core.fields import FieldCalculus
from explorer.core.lens import jacobian_lens


def test_circle_is_closed_and_of_the_given_radius():
    lens = jacobian_lens(FieldCalculus("(x^2 - y, x*y)"), [1.0, 0.5], 0.2, samples=40)
    assert lens.circle.shape == (41, 2) and lens.image.shape == (41, 2) and lens.linear_image.shape == (41, 2)
    np.testing.assert_allclose(np.linalg.norm(lens.circle - [1.0, 0.5], axis=1), 0.2, rtol=1e-15)
    np.testing.assert_array_equal(lens.circle[0], lens.circle[-1])
    np.testing.assert_array_equal(lens.image[0], lens.image[-1])
    assert lens.angles[0] == 0 and lens.angles[-1] == pytest.approx(2 * np.pi)
    np.testing.assert_array_equal(lens.center, [1.0, 0.5])
    np.testing.assert_array_equal(lens.value, [0.5, 0.5])      # F(1, 0.5) = (1 - 0.5, 0.5)


@pytest.mark.parametrize("text, point", [
    ("(x^2 - y, x*y)", [1.0, 0.5]),
    ("(x*cos(y), x*sin(y))", [2.0, 0.6]),
    ("(x + 2*y, y)", [0.0, 0.0]),
    ("(sin(x) + y^2, exp(x - y))", [0.3, -0.2]),
])
def test_linear_image_is_the_ellipse_of_the_singular_values(text, point):
    r = 0.05
    lens = jacobian_lens(FieldCalculus(text), point, r)
    a = lens.analysis
    np.testing.assert_allclose(lens.semi_axes, r * a.singular_values, rtol=1e-15)
    # in the frame of the left singular vectors, the ellipse is (w₁/(r s₁))² + (w₂/(r s₂))² = 1
    w = (lens.linear_image - lens.value) @ lens.axis_directions / lens.semi_axes
    np.testing.assert_allclose(np.hypot(w[:, 0], w[:, 1]), 1.0, rtol=1e-12)
    # its farthest and nearest points from the centre: r·s₁ and r·s₂, up to the sampling's
    # (s₁/s₂)²·δ²/2 with δ = π/3600 the largest angle to an axis (below 1e-4 for these maps)
    dense = jacobian_lens(FieldCalculus(text), point, r, samples=3600)
    distance = np.linalg.norm(dense.linear_image - dense.value, axis=1)
    assert distance.max() == pytest.approx(r * a.singular_values[0], rel=1e-4)
    assert distance.min() == pytest.approx(r * a.singular_values[1], rel=1e-4)
    assert distance.min() >= r * a.singular_values[1] * (1 - 1e-14)
    assert distance.max() <= r * a.singular_values[0] * (1 + 1e-14)


def test_polar_map_stretches_the_circle_by_r_and_one():
    lens = jacobian_lens(FieldCalculus("(x*cos(y), x*sin(y))"), [2.0, 0.6], 0.01)
    np.testing.assert_allclose(lens.semi_axes, [0.02, 0.01], rtol=1e-14)
    assert lens.analysis.determinant == 2.0
    np.testing.assert_allclose(abs(lens.analysis.eigenvalues[0]) ** 2, 2.0, rtol=1e-14)  # |λ|² = det for a pair


def test_the_two_images_meet_like_r_squared():
    """F = (x² − y, x·y): F(p + r w) − F(p) − J r w = r²·(w₁², w₁w₂), of length r²·|w₁| <= r²."""
    calc = FieldCalculus("(x^2 - y, x*y)")
    for r in (0.2, 0.1, 0.05, 0.025, 0.0125):
        lens = jacobian_lens(calc, [1.0, 0.5], r)
        assert lens.gap == pytest.approx(r * r, rel=1e-9)
        assert lens.relative_gap == pytest.approx(r, rel=1e-9)   # gap / r -> 0 like O(r)


def test_gap_over_r_halves_with_r_for_a_curved_map():
    calc = FieldCalculus("(sin(x) + y^2, exp(x - y))")
    ratios = [jacobian_lens(calc, [0.3, -0.2], r).relative_gap for r in (0.04, 0.02, 0.01, 0.005)]
    for big, small in zip(ratios, ratios[1:]):
        assert small / big == pytest.approx(0.5, abs=0.03)


def test_a_linear_map_is_its_own_lens():
    lens = jacobian_lens(FieldCalculus("(2*x + y, x - 3*y)"), [0.7, -1.1], 0.5)
    np.testing.assert_allclose(lens.image, lens.linear_image, atol=1e-14)
    assert lens.gap < 1e-14


def test_a_field_into_three_dimensions_draws_a_flat_ellipse_in_space():
    lens = jacobian_lens(FieldCalculus("(x, y, x*y)"), [1.0, 2.0], 0.1)
    assert lens.image.shape[1] == 3 and lens.axis_directions.shape == (3, 2)
    # the ellipse lies in the plane spanned by J's columns, through F(p)
    normal = np.cross(*lens.analysis.jacobian.T)
    np.testing.assert_allclose((lens.linear_image - lens.value) @ normal, 0, atol=1e-14)
    assert lens.gap == pytest.approx(0.01 / 2, rel=1e-9)   # the z-gap r²·w₁w₂, largest at 45°


def test_bad_lens_requests_are_refused():
    calc = FieldCalculus("(x, y)")
    for radius in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="radius"):
            jacobian_lens(calc, [0, 0], radius)
    with pytest.raises(ValueError, match="field of x and y"):
        jacobian_lens(FieldCalculus("(x, y, z)", variables=("x", "y", "z")), [0, 0, 0], 0.1)
