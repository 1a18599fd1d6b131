"""The method x-ray's geometry against hand computations: ellipses of 2×2 matrices, conjugate diameters, the
trust circle (issue 27); the methods A adds (adagrad, trust-region) drawn by their state names."""
import numpy as np

from explorer.core.method_geometry import (conjugate_diameter, ellipse_points, model_drawing, relative_hessian_error,
                                           scaling_drawing)


def test_ellipse_points_lie_on_the_level_set_with_semi_axes_one_over_root_lambda():
    a = np.array([[4.0, 0.0], [0.0, 1.0]])   # x² semi-axis 1/2, y semi-axis 1
    pts = ellipse_points(a, (1.0, 2.0), level=1.0) - (1.0, 2.0)
    np.testing.assert_allclose(np.einsum("ij,jk,ik->i", pts, a, pts), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.abs(pts).max(axis=0), (0.5, 1.0), rtol=1e-3)


def test_conjugate_diameters_of_a_rotated_ellipse_end_on_it():
    h = np.array([[3.0, 1.0], [1.0, 2.0]])
    d = np.array([1.0, 0.0])
    e = np.array([-h[0, 1], h[0, 0]])   # H-conjugate to d by hand: dᵀHe = 3·(−1) + 1·3 = 0
    assert d @ h @ e == 0
    for direction in (d, e):
        ends = conjugate_diameter(h, np.zeros(2), 5.0, direction)
        np.testing.assert_allclose(np.einsum("ij,jk,ik->i", ends, h, ends), 5.0, rtol=1e-12)


def test_relative_hessian_error_by_hand():
    h = np.diag([2.0, 4.0])   # B = I: ‖diag(−1, −3)‖ / ‖diag(2, 4)‖ = √10 / √20
    assert np.isclose(relative_hessian_error(np.eye(2), h), np.sqrt(0.5))


def test_adagrad_by_its_state_name_sum_sq():
    g = np.array([3.0, 4.0])
    drawing = scaling_drawing("adagrad", (0, 0), {"sum_sq": np.array([16.0, 9.0])}, {"eps": 0.0}, 0.5, g, 3)
    axes = 0.5 / np.sqrt([25.0, 25.0])   # G + g² = (25, 25)
    np.testing.assert_allclose(np.abs(drawing.curves[0].points).max(axis=0), axes, rtol=1e-3)
    step = next(a for a in drawing.arrows if a.role == "method").vector
    np.testing.assert_allclose(step, -axes * g)


def test_trust_region_circle_has_the_states_radius_and_the_step_stays_inside():
    drawing = model_drawing("trust-region", (1.0, 1.0), (1.0, 0.0), -np.eye(2), {"radius": 0.5,
                                                                                 "step": np.array([-0.5, 0.0])},
                            (0.5, 1.0))
    circle = drawing.curves[0].points - (1.0, 1.0)
    np.testing.assert_allclose(np.hypot(*circle.T), 0.5, rtol=1e-12)
    assert np.linalg.norm(drawing.arrows[0].vector) <= 0.5 + 1e-12
    np.testing.assert_allclose(drawing.marks[0].point, (0.5, 1.0))
