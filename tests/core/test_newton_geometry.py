"""Newton's model geometry: the quadratic model's stationary point, and where each Newton steps."""
import numpy as np
import pytest

from explorer.core.models import quadratic_model
from explorer.core.newton_geometry import geometry_of_run, newton_geometry
from explorer.core.objective import Objective
from explorer.core.methods import make_optimizer
from explorer.core.trajectory import Run


def first_step(expr, method, start, **settings):
    r = Run(make_optimizer(method, Objective(expr), **settings), start, max_steps=1)
    r.run_to_end()
    return r


def test_on_x2_minus_y2_pure_newton_lands_on_the_saddle_and_damped_newton_goes_downhill():
    # at (0.3, −0.5): f = −0.16, g = (0.6, 1), H = diag(2, −2): the model is f itself, stationary at 0
    objective = Objective("x^2 - y^2")
    geo = newton_geometry(objective, (0.3, -0.5))
    assert geo.model.kind == "saddle"
    np.testing.assert_allclose(geo.newton_point, [0, 0], atol=1e-15)
    np.testing.assert_array_equal(geo.newton_point, first_step("x^2 - y^2", "newton", (0.3, -0.5)).path[1])
    assert objective.value(geo.newton_point) > objective.value((0.3, -0.5))   # 0 > −0.16: uphill, onto the saddle
    # |λ| model: H' = diag(2, 2), a bowl with its bottom at x − H'⁻¹g = (0, −1)
    assert geo.modified.kind == "minimum"
    np.testing.assert_allclose(geo.modified.hessian, np.diag([2.0, 2.0]), atol=1e-15)
    np.testing.assert_allclose(geo.modified.stationary, [0, -1], atol=1e-15)
    np.testing.assert_array_equal(geo.damped_point, first_step("x^2 - y^2", "damped-newton", (0.3, -0.5)).path[1])
    assert objective.value(geo.damped_point) < objective.value((0.3, -0.5))
    assert "saddle: pure Newton steps onto it" in geo.summary and "downhill" in geo.summary


def test_a_hilltop_model_sends_pure_newton_to_the_maximum():
    geo = newton_geometry(Objective("4 - x^2 - 3*y^2"), (0.6, 0.4))
    assert geo.model.kind == "maximum"
    np.testing.assert_allclose(geo.newton_point, [0, 0], atol=1e-15)
    assert geo.model.stationary_value == pytest.approx(4.0)


def test_the_model_is_the_taylor_model_and_a_quadratic_is_its_own_model():
    objective = Objective("sin(x)*cos(y) + 0.1*(x^2 + y^2)")
    x = np.array([0.7, -0.4])
    geo = newton_geometry(objective, x)
    reference = quadratic_model(objective.analyze(x))
    dx, dy = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 5))
    np.testing.assert_allclose(geo.model.values(x[0] + dx, x[1] + dy), reference(dx, dy), rtol=1e-13)
    bowl = newton_geometry(Objective("(x - 1)^2 + 2*(x - 1)*(y + 2) + 5*(y + 2)^2"), (3, 4))
    np.testing.assert_allclose(bowl.newton_point, [1, -2], atol=1e-12)
    assert bowl.model.kind == "minimum" and bowl.model.stationary_value == pytest.approx(0, abs=1e-12)
    assert bowl.step_length == 1.0   # damped Newton on a convex quadratic: the full Newton step
    np.testing.assert_allclose(bowl.damped_point, [1, -2], atol=1e-12)


def test_levels_run_through_the_point_and_for_a_saddle_through_the_stationary_point():
    geo = newton_geometry(Objective("x^2 - y^2"), (0.3, -0.5))
    levels = geo.model.levels(9)
    assert np.any(np.isclose(levels, -0.16)) and np.any(levels == 0.0)   # f(x) and m* = 0
    assert levels.min() < 0 < levels.max()
    bowl = newton_geometry(Objective("x^2 + 3*y^2"), (1, 1)).model.levels(6)
    assert bowl.min() > 0 and np.any(np.isclose(bowl, 4.0))   # a bowl's levels lie above its bottom


def test_a_singular_hessian_has_no_newton_point_but_damped_newton_still_steps():
    geo = newton_geometry(Objective("x^2 + y"), (1, 1))
    assert geo.newton_point is None and geo.model.kind == "degenerate"
    assert "singular" in geo.summary
    np.testing.assert_array_equal(geo.damped_point, first_step("x^2 + y", "damped-newton", (1, 1)).path[1])


def test_the_geometry_of_a_run_uses_its_settings_and_its_state():
    r = Run(make_optimizer("damped-newton", Objective("x^4 - x^2 + y^2"), c1=0.5), (0.3, 1.0), max_steps=3)
    r.run_to_end()
    r.position = 1
    geo = geometry_of_run(r)
    np.testing.assert_array_equal(geo.model.centre, r.path[1])
    np.testing.assert_array_equal(geo.damped_point, r.path[2])
