"""The drawn method state equals each method's recurrence, recomputed here from the run's own points and
gradients (independent of explorer.core.method_geometry's formulas where one can be)."""
import numpy as np
from autograd import hessian
import autograd.numpy as anp

from explorer.core.methods import make_optimizer
from explorer.core.objective import Objective
from explorer.core.trajectory import Run
from explorer.session.method_state_reading import hessian_errors, run_method_drawing

BOWL = "x^2 + 10*y^2"   # ∇f = (2x, 20y), H = diag(2, 20)
H_BOWL = np.diag([2.0, 20.0])


def walk(method, steps=6, expr=BOWL, start=(1.0, 1.0), **settings):
    r = Run(make_optimizer(method, Objective(expr), **settings), start, max_steps=steps)
    r.run_to_end()
    return r


def arrows(drawing):
    return {a.role: a for a in drawing.arrows}


def test_momentums_arrows_are_the_velocity_and_gradient_parts_and_sum_to_the_step():
    for method in ("momentum", "nesterov"):
        r = walk(method, lr=0.02, momentum=0.8)
        for k in range(1, len(r.states) - 1):
            before, here, after = r.states[k - 1], r.states[k], r.states[k + 1]
            drawn = arrows(run_method_drawing(r, k))
            velocity = here.point - before.point
            np.testing.assert_allclose(drawn["memory"].vector, 0.8 * velocity, rtol=1e-12, atol=1e-15)
            where = here.point + 0.8 * velocity if method == "nesterov" else here.point
            g = np.array([2 * where[0], 20 * where[1]])
            np.testing.assert_allclose(drawn["gradient"].vector, -0.02 * g, rtol=1e-12, atol=1e-15)
            # head to tail: the gradient part starts at the velocity part's tip, the sum is the step taken
            np.testing.assert_allclose(drawn["gradient"].start, drawn["memory"].end, rtol=1e-12)
            np.testing.assert_allclose(drawn["method"].end, after.point, rtol=1e-12, atol=1e-15)


def test_adams_ellipse_has_semi_axes_lr_over_root_v_hat_and_sends_the_step():
    r = walk("adam", lr=0.1, beta1=0.9, beta2=0.99)
    m = v = np.zeros(2)
    for k in range(len(r.states) - 1):
        here, after = r.states[k], r.states[k + 1]
        g, t = here.gradient, k + 1
        m, v = 0.9 * m + 0.1 * g, 0.99 * v + 0.01 * g * g
        axes = 0.1 / (np.sqrt(v / (1 - 0.99**t)) + 1e-8)
        drawing = run_method_drawing(r, k)
        ellipse = drawing.curves[0].points - here.point
        # an axis-aligned ellipse: its extent along x and y is its semi-axes, and every point has Σ(u/a)² = 1
        np.testing.assert_allclose(np.abs(ellipse).max(axis=0), axes, rtol=1e-3)
        np.testing.assert_allclose(((ellipse / axes) ** 2).sum(axis=1), 1.0, rtol=1e-12)
        np.testing.assert_allclose(arrows(drawing)["method"].end, after.point, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(arrows(drawing)["memory"].vector, -0.1 * m / (1 - 0.9**t), rtol=1e-12)
        np.testing.assert_allclose(arrows(drawing)["gradient"].vector, -0.1 * g, rtol=1e-12)


def test_rmsprops_step_arrow_is_the_step_it_took():
    r = walk("rmsprop", lr=0.05, decay=0.9)
    for k in range(len(r.states) - 1):
        np.testing.assert_allclose(arrows(run_method_drawing(r, k))["method"].end, r.states[k + 1].point,
                                   rtol=1e-12, atol=1e-14)


def test_bfgs_curve_is_a_level_set_of_its_approximation_through_the_point():
    r = walk("bfgs", steps=3, expr="x^2 + x*y + 3*y^2 + x^2*y^2/10", start=(1.5, -1.0))
    for k in range(len(r.states)):
        state = r.states[k]
        b = np.linalg.inv(r.optimizer.method_state(state)["inverse_hessian"])
        drawing = run_method_drawing(r, k)
        approx = next(c for c in drawing.curves if c.role == "method").points
        centre = state.point - np.linalg.solve(b, state.gradient)   # the model's minimiser
        u = approx - centre
        level = (state.point - centre) @ b @ (state.point - centre)
        np.testing.assert_allclose(np.einsum("ij,jk,ik->i", u, b, u), level, rtol=1e-9)
        f = lambda p: p[0] ** 2 + p[0] * p[1] + 3 * p[1] ** 2 + p[0] ** 2 * p[1] ** 2 / 10
        h = hessian(f)(anp.array(state.point))
        true = next(c for c in drawing.curves if c.role == "true").points - (state.point - np.linalg.solve(h, state.gradient))
        np.testing.assert_allclose(np.einsum("ij,jk,ik->i", true, h, true), true[0] @ h @ true[0], rtol=1e-9)


def test_bfgs_learns_a_quadratics_hessian_the_error_series_falls_to_zero():
    r = walk("bfgs", steps=10, expr="x^2 + x*y + 3*y^2", start=(1.5, -1.0))
    errors = hessian_errors(r)
    h = np.array([[2.0, 1.0], [1.0, 6.0]])
    b0 = np.linalg.inv(r.optimizer.method_state(r.states[0])["inverse_hessian"])
    assert errors[0] == np.linalg.norm(b0 - h) / np.linalg.norm(h)
    # secant condition after the first step: B₁s₀ = y₀ where y₀ = H s₀ on a quadratic
    s0 = r.states[1].point - r.states[0].point
    b1 = np.linalg.inv(r.optimizer.method_state(r.states[1])["inverse_hessian"])
    np.testing.assert_allclose(b1 @ s0, h @ s0, rtol=1e-8)
    assert len(r.states) <= 4 or errors[2] < 1e-6   # two updates on a 2-D quadratic: B = H (or it stopped)
    assert hessian_errors(walk("gd")) is None


def test_cgs_diameters_are_h_conjugate_on_a_quadratic():
    h = np.array([[2.0, 1.0], [1.0, 6.0]])
    r = walk("cg", steps=2, expr="x^2 + x*y + 3*y^2", start=(1.5, -1.0))
    assert len(r.states) >= 2
    drawing = run_method_drawing(r, 1)
    current = next(c for c in drawing.curves if c.role == "method").points
    previous = next(c for c in drawing.curves if c.role == "memory").points
    d1, d0 = current[1] - current[0], previous[1] - previous[0]
    assert abs(d1 @ h @ d0) < 1e-6 * np.sqrt((d1 @ h @ d1) * (d0 @ h @ d0))
    # both diameters have their ends on the level ellipse through the point, centred at the minimum (0, 0)
    x = r.states[1].point
    for ends in (current, previous):
        np.testing.assert_allclose(np.einsum("ij,jk,ik->i", ends, h, ends), x @ h @ x, rtol=1e-6, atol=1e-12)
    # and dₖ is the diameter through the point: on a 2-D quadratic the next direction aims at the centre
    assert abs(d1[0] * x[1] - d1[1] * x[0]) < 1e-6 * np.linalg.norm(d1) * np.linalg.norm(x)


def test_newtons_model_step_lands_on_the_accepted_point():
    r = walk("newton", steps=2, expr="x^4 + y^2 + x*y", start=(1.0, 1.0))
    drawing = run_method_drawing(r, 0)
    np.testing.assert_allclose(drawing.arrows[0].end, r.states[1].point, rtol=1e-12)
    np.testing.assert_allclose(drawing.marks[0].point, r.states[1].point)


def test_gradient_descent_has_nothing_to_draw():
    assert run_method_drawing(walk("gd", lr=0.01)) is None


def test_a_trust_region_by_its_state_names_draws_its_radius_and_accepted_point():
    """A stand-in for the trust-region method still to land: Newton's steps cut to a radius, reported as
    {"radius", "step"} (issue 27's names); the reading draws a circle of that radius and the point accepted."""
    from dataclasses import dataclass
    from typing import ClassVar

    from explorer.core.optimizers import Newton

    @dataclass
    class CutNewton(Newton):
        radius: float = 0.3
        name: ClassVar[str] = "trust-region"

        def method_state(self, state):
            _, g, h = self.objective.derivatives(state.point)
            p = -np.linalg.solve(h, g)
            p = p * min(1.0, self.radius / np.linalg.norm(p))
            return {"radius": self.radius, "step": p}

        def step(self, state):
            return self.moved_to(state, state.point + self.method_state(state)["step"])

    r = Run(CutNewton(Objective(BOWL)), (1.0, 1.0), max_steps=3)
    r.run_to_end()
    drawing = run_method_drawing(r, 0)
    circle = drawing.curves[0].points - r.states[0].point
    np.testing.assert_allclose(np.hypot(*circle.T), 0.3, rtol=1e-12)
    np.testing.assert_allclose(drawing.arrows[0].end, r.states[1].point, rtol=1e-12)
    np.testing.assert_allclose(drawing.marks[0].point, r.states[1].point)
    assert np.isclose(np.linalg.norm(drawing.arrows[0].vector), 0.3)


def test_the_trust_regions_drawing_is_the_step_it_takes_from_the_point_inside_the_radius_it_took_it_in():
    r = Run(make_optimizer("trust-region", Objective("x^2 - y^2 + y^4/4"), radius=0.5), (1.0, 0.01), max_steps=6)
    r.run_to_end()
    for at in range(len(r.states) - 1):
        drawing = run_method_drawing(r, at)
        (step,) = drawing.arrows
        np.testing.assert_allclose(step.end, r.states[at + 1].point, atol=1e-12)   # every state is accepted
        (circle,) = drawing.curves
        radius = np.linalg.norm(circle.points[0] - r.states[at].point)
        assert np.linalg.norm(step.vector) <= radius * (1 + 1e-9)
        np.testing.assert_allclose(drawing.marks[0].point, r.states[at + 1].point)
    last = run_method_drawing(r, len(r.states) - 1)
    assert last.arrows == () and last.marks == ()   # nothing taken from the end: no step drawn


def test_the_trust_regions_step_is_drawn_at_the_step_on_show_before_the_run_has_taken_it():
    """The window computes states only up to the step on show: the drawing there is the step the run then takes."""
    ahead = Run(make_optimizer("trust-region", Objective("x^2 - y^2 + y^4/4"), radius=0.5), (1.0, 0.05), max_steps=9)
    for at in range(4):
        assert len(ahead.states) == at + 1 and not ahead.finished
        drawing = run_method_drawing(ahead, at)
        ahead.step_forward()   # now the run takes that step
        (step,) = drawing.arrows
        np.testing.assert_allclose(step.end, ahead.states[at + 1].point, atol=1e-12)
        np.testing.assert_allclose(drawing.marks[0].point, ahead.states[at + 1].point, atol=1e-12)
        taken = ahead.optimizer.method_state(ahead.states[at + 1])["step_radius"]
        (circle,) = drawing.curves
        np.testing.assert_allclose(np.hypot(*(circle.points - ahead.states[at].point).T), taken, rtol=1e-12)
    assert len(ahead.states) == 5   # drawing took no step of the run's own
