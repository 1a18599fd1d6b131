"""The x-ray in the window: the map draws the selected run's method state when "method_state" is on (and the
inspector lists it), the 3D view's tangent plane is the plane z = f(x₀) + ∇f·(x − x₀) when "tangent_plane" is on."""
import numpy as np

from explorer.ui.views.surface.surface_view import LIFT

from tests.ui.at_rest import settle

BOWL = "x^2 + 10*y^2"   # ∇f = (2x, 20y)


def bowl_with(window, qtbot, method, settings, start, steps):
    c = window.controller
    window.editor.edit.setText(BOWL)
    window.editor.apply()
    c.set_domain((-2, 2), (-2, 2))
    assert c.wait_for_surface()
    while c.runs:
        c.remove_run(0)
    c.add_run(method, settings, start)
    c.reset()
    for _ in range(steps):
        c.step()
    settle(qtbot, window)
    return c


def test_the_map_draws_momentums_two_parts_only_when_asked(qtbot, window):
    c = bowl_with(window, qtbot, "momentum", {"lr": 0.02, "momentum": 0.8}, (1.0, 1.0), 3)
    overlay = window.contour.method_state
    assert overlay.drawn is None and not overlay.key.isVisible()
    c.set_display(method_state=True)
    settle(qtbot, window)
    run = c.selected_run()
    here, before = run.states[3].point, run.states[2].point
    drawn = {a.role: a for a in overlay.drawn.arrows}
    np.testing.assert_allclose(drawn["memory"].vector, 0.8 * (here - before), rtol=1e-12)
    np.testing.assert_allclose(drawn["gradient"].vector, -0.02 * np.array([2 * here[0], 20 * here[1]]), rtol=1e-12)
    # what is on screen is that data: the first arrow's line runs from the point to x + βv
    xs, ys = overlay.arrows[0][1].getData()
    np.testing.assert_allclose([xs[0], ys[0]], here)
    np.testing.assert_allclose([xs[1], ys[1]], here + 0.8 * (here - before))
    assert overlay.key.isVisible() and "velocity part" in overlay.key.toPlainText()
    assert "βv" in window.inspector.plain and "carries" in window.inspector.plain
    c.set_display(method_state=False)
    settle(qtbot, window)
    assert overlay.drawn is None and not overlay.arrows[0][1].isVisible()


def test_the_tangent_plane_is_the_plane_through_the_point_with_slopes_grad_f(qtbot, window):
    c = bowl_with(window, qtbot, "gd", {"lr": 0.01}, (1.0, 0.5), 0)
    view = window.surface
    assert not view.tangent.visible()
    c.set_display(tangent_plane=True, quadratic_model=True)
    settle(qtbot, window)
    assert view.tangent.visible() and view.patch.visible()
    x, y, z = view.tangent._x, view.tangent._y, view.tangent._z
    X, Y = np.meshgrid(x, y, indexing="ij")
    hx, hy, floor, top = view._box
    lift = LIFT   # the overlays float this much above the mesh
    inside = (z > floor + lift + 1e-6) & (z < top * 1.05 + lift - 1e-6)   # where it is not clipped to the box
    assert inside.sum() > 20
    design = np.column_stack([np.ones(inside.sum()), X[inside], Y[inside]])
    coefficients, residual, *_ = np.linalg.lstsq(design, z[inside], rcond=None)
    assert np.allclose(design @ coefficients, z[inside], atol=1e-9)   # a plane in display units
    # its slopes are ∇f's, up to the display's one height scale: (2x, 20y) at (1, 0.5) = (2, 10)
    np.testing.assert_allclose(coefficients[2] / coefficients[1], 10 / 2, rtol=1e-9)
    # it touches the surface at the point: z there is f(x₀)'s display height (and the quadratic patch's)
    px, py, pz = view.to_display(1.0, 0.5, 1.0 + 10 * 0.25)   # f(1, 0.5) = 3.5
    assert np.isclose(coefficients @ [1, px, py], pz + lift, atol=1e-9)
    assert not np.allclose(view.patch._z, z)   # the quadratic patch bends away from it
    c.set_display(tangent_plane=False)
    settle(qtbot, window)
    assert not view.tangent.visible() and view.patch.visible()


def test_the_loss_plot_shows_bfgs_learning_a_quadratics_hessian(qtbot, window):
    from dataclasses import replace
    c = bowl_with(window, qtbot, "bfgs", {}, (1.5, 0.8), 0)
    c.add_run("gd", {"lr": 0.01}, (1.5, 0.8))
    c.to_end()
    plot = window.loss
    c.set_display(loss_plot=replace(c.setup.loss_plot, y="hessian_error"))
    settle(qtbot, window)
    assert plot.y_choice.currentData() == "hessian_error"
    xs, ys = plot.lines[0].getData()
    # B₀ = I against H = diag(2, 20): ‖diag(−1, −19)‖ / ‖diag(2, 20)‖, by hand
    assert np.isclose(ys[0], np.sqrt(1 + 19**2) / np.sqrt(4 + 400))
    assert np.nanmin(ys) < ys[0]   # it learns
    assert not np.isfinite(plot.lines[1].getData()[1]).any()   # gradient descent keeps no B: no curve
