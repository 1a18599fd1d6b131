"""What a run says when it stops: the kind of end point, flat ground, an undefined start, uphill steps."""
import numpy as np
import pytest

from explorer.core.objective import Objective
from explorer.core.methods import make_optimizer
from explorer.core.trajectory import (CONVERGED, DEGENERATE_POINT, MAXIMUM, MINIMUM, RUNNING, SADDLE_POINT,
                                      STEP_LIMIT, STILL_FALLING, UNDEFINED_START, Run, model_step)

HIMMELBLAU = "(x**2 + y - 11)**2 + (x + y**2 - 7)**2"
ROSENBROCK = "(1 - x)**2 + 100*(y - x**2)**2"


def run(expr, method, start, steps=200, tolerance=1e-6, **settings):
    r = Run(make_optimizer(method, Objective(expr), **settings), start, max_steps=steps, tolerance=tolerance)
    r.run_to_end()
    return r


def test_pure_newton_on_a_saddle_says_saddle():
    # x² − y²: one Newton step from anywhere lands on (0, 0), where H = diag(2, −2)
    r = run("x**2 - y**2", "newton", (0.5, -0.3))
    assert r.path[-1].tolist() == [0, 0]
    assert r.status == CONVERGED and r.end_point == SADDLE_POINT
    assert r.summary == "converged to a saddle point — not a minimum"
    assert r.reason == "|∇f| = 0 <= 1e-06 after 1 step; eigenvalues -2, 2"


def test_gradient_descent_on_the_x_axis_of_a_saddle_says_saddle():
    # from (1, 0) the y-component of ∇f = (2x, −2y) stays 0: gd slides into the saddle point
    r = run("x**2 - y**2", "gd", (1, 0), steps=2000)
    assert r.path[-1][1] == 0 and abs(r.path[-1][0]) < 1e-6
    assert r.end_point == SADDLE_POINT


def test_pure_newton_climbs_to_a_maximum_and_says_so():
    # −(x² + y²) from (1, 2): f goes from −5 up to 0 in one step
    r = run("-(x**2 + y**2)", "newton", (1, 2))
    assert r.status == CONVERGED and r.end_point == MAXIMUM
    assert r.summary == "converged to a maximum — not a minimum"
    (step,) = r.records
    assert step.actual == -5 and step.uphill and step.as_dict()["uphill"] is True


@pytest.mark.parametrize("method, start, end_point, end", [
    ("newton", (-0.2, -1.8), SADDLE_POINT, (-0.127961, -1.953715)),   # the saddle between two minima
    ("newton", (-0.3, -0.9), MAXIMUM, (-0.270845, -0.923039)),        # the one local maximum
    ("gd", (0, 0), MINIMUM, (3, 2)),
    ("gd", (-1, 3), MINIMUM, (-2.805118, 3.131312)),
    ("bfgs", (0, 0), MINIMUM, (3, 2)),
])
def test_himmelblau_end_points(method, start, end_point, end):
    r = run(HIMMELBLAU, method, start, **({"lr": 0.01} if method == "gd" else {}))
    assert r.status == CONVERGED and r.end_point == end_point
    np.testing.assert_allclose(r.path[-1], end, atol=1e-5)


@pytest.mark.parametrize("expr, method, start, settings", [
    (ROSENBROCK, "newton", (-1.2, 1), {}),
    (ROSENBROCK, "bfgs", (-1.2, 1), {}),
    (ROSENBROCK, "cg", (-1.2, 1), {}),
    ("x**2 + 100*y**2", "gd", (1, 1), {"lr": 0.009}),    # condition number 100
    ("x**2 + 100*y**2", "newton", (1, 1), {}),
    ("x**2 + 100*y**2", "momentum", (1, 1), {"lr": 0.005}),
    ("x**4 + y**4", "newton", (1, 1), {}),                 # flat bottom: |∇f| = 4|x|³, Newton x ← 2x/3
    ("x**4 + y**2", "newton", (1, 1), {}),
    ("x**4 + y**2", "bfgs", (1, 0.5), {}),
    ("x**10 + y**2", "newton", (1, 1), {}),                # stops at x = 0.15, model step 0.017
])
def test_genuine_minima_are_called_minima(expr, method, start, settings):
    r = run(expr, method, start, steps=1000, **settings)
    assert r.status == CONVERGED and r.end_point == MINIMUM, r.reason
    assert r.summary == "converged to a minimum"


@pytest.mark.parametrize("expr", ["x**4 + y**2", "x**4 + y**4"])
def test_gradient_descent_on_a_flat_bottom_with_a_loose_tolerance_is_still_a_minimum(expr):
    # |∇f| <= 1e-3 stops gd at x ≈ 0.06: the model's minimum is x/3 ≈ 0.02 further, not far
    r = run(expr, "gd", (1, 1), steps=2000, tolerance=1e-3, lr=0.1)
    assert r.status == CONVERGED and r.end_point == MINIMUM, r.reason


def test_a_stationary_point_with_a_zero_eigenvalue_is_inconclusive():
    # (x + y)²: H = [[2, 2], [2, 2]], eigenvalues 0 and 4; gd stops on the valley floor x + y = 0
    r = run("(x + y)**2", "gd", (1, 0.3), lr=0.1)
    assert abs(r.path[-1].sum()) < 1e-6
    assert r.status == CONVERGED and r.end_point == DEGENERATE_POINT
    assert r.summary == "stationary point, second-order test inconclusive (degenerate Hessian)"
    # the monkey saddle's centre: ∇f = 0 and H = 0 at the start itself
    r = run("x**3 - 3*x*y**2", "gd", (0, 0))
    assert len(r.states) == 1 and r.end_point == DEGENERATE_POINT


@pytest.mark.parametrize("method, settings, steps", [("newton", {}, 200), ("damped-newton", {}, 200),
                                                     ("gd", {"lr": 0.1}, 10000)])
def test_x2_plus_y3_near_its_degenerate_point_is_not_a_minimum(method, settings, steps):
    # x² + y³ from (1, 1): the run stops just above (0, 0) where H = diag(2, 6y) is still convex, but
    # f(0, −0.01) = −1e-6 < 0: a little below, the point is a saddle; no minimum anywhere
    r = run("x**2 + y**3", method, (1, 1), steps=steps, **settings)
    x, y = r.path[-1]
    assert r.status == CONVERGED and r.end_point == DEGENERATE_POINT, r.reason
    assert x == pytest.approx(0, abs=1e-6) and 0 < y < 1e-3
    assert r.summary == "stationary point, second-order test inconclusive (nearly singular Hessian)"
    assert "the curvature is saddle" in r.reason and r.summary != "converged to a minimum"


@pytest.mark.parametrize("expr, end_point", [("x**2 + y**2", MINIMUM), ("x**2 - y**2", SADDLE_POINT),
                                             ("-(x**2 + y**2)", MAXIMUM)])
def test_non_degenerate_stationary_points_keep_their_names_from_1_1(expr, end_point):
    r = run(expr, "newton", (1, 1))
    assert r.path[-1].tolist() == [0, 0] and r.end_point == end_point and "nearly singular" not in r.reason


def test_newton_on_exp_x_cos_y_is_still_falling():
    # the Newton step of e^x·cos y at y = 0 is exactly (−1, 0): x = 1, 0, ..., −14, where
    # |∇f| = e^−14 = 8.3e-7 <= 1e-6; no stationary point anywhere, the model's is always 1 away
    r = run("exp(x)*cos(y)", "newton", (1, 0))
    assert len(r.records) == 15 and r.path[-1].tolist() == [-14, 0]
    assert r.status == STILL_FALLING and r.end_point is None
    assert r.summary == "f is still falling: |∇f| is tiny because f is flat here — not a stationary point"
    assert "stationary point is 1 away" in r.reason
    assert not any(step.uphill for step in r.records)


def test_a_tiny_slope_is_still_falling():
    # 1e-8·x + y²: gd settles y, x keeps its slope 1e-8 and no curvature: no stationary point
    r = run("1e-8*x + y**2", "gd", (1, 1), lr=0.1)
    assert r.status == STILL_FALLING and "5 away" in r.reason   # 1e-8 / (1e-9 · 2)
    r = run("1e-8*(x + y)", "gd", (1, 1))                        # linear: stops at the start
    assert len(r.states) == 1 and r.status == STILL_FALLING and "linear" in r.reason


def test_a_scaled_down_saddle_is_flat_not_stationary():
    # 1e-10·(x² − y²) at (0.5, −0.3): |∇f| = 1.2e-10 passes the tolerance at once, but the
    # saddle is 0.58 away; the same function unscaled gets there and calls it a saddle
    tiny = run("1e-10*(x**2 - y**2)", "newton", (0.5, -0.3))
    assert len(tiny.states) == 1 and tiny.status == STILL_FALLING
    assert run("x**2 - y**2", "newton", (0.5, -0.3)).end_point == SADDLE_POINT


def test_the_model_step_by_hand():
    # x² + 10y² at (1, 1): ∇f = (2, 20), H = diag(2, 20): the step to the minimum is (−1, −1)
    np.testing.assert_allclose(model_step(Objective("x**2 + 10*y**2").analyze([1, 1])), [-1, -1])
    # 1e-8·x + y² at (1, 0): ∇f = (1e-8, 0), H = diag(0, 2): x's curvature counts as 1e-9·2
    np.testing.assert_allclose(model_step(Objective("1e-8*x + y**2").analyze([1, 0])), [-5, 0])
    # scaling f by c > 0 leaves the step alone
    for c in (1e-12, 1e12):
        np.testing.assert_allclose(model_step(Objective(f"{c}*(x**2 + 10*y**2)").analyze([1, 1])), [-1, -1])


def test_an_undefined_start_is_not_divergence():
    r = run("log(x) + y**2", "gd", (-1.2, 1))
    assert r.status == UNDEFINED_START and r.summary == "f is not defined at the start point"
    assert r.finished and len(r.states) == 1 and not r.step_forward()
    assert r.reason == "f = nan at the start point (-1.2, 1)"   # no ∇f: autograd's 1/x there means nothing
    r = run("sqrt(x**2 + y**2)", "gd", (0, 0))   # f = 0 is fine, its gradient is not
    assert r.status == UNDEFINED_START and r.summary == "∇f is not defined at the start point"


def test_summary_of_the_other_outcomes():
    r = Run(make_optimizer("gd", Objective("x**2 + y**2")), (1, 1), max_steps=3)
    assert (r.status, r.summary, r.end_point) == (RUNNING, "running", None)
    r.run_to_end()
    assert r.status == STEP_LIMIT and r.summary == "stopped at the step limit (3 steps)"
    assert r.as_dict()["summary"] == r.summary and r.as_dict()["end_point"] is None
    assert not any(step.uphill for step in r.records)
    r.reset()
    assert (r.status, r.summary, r.end_point) == (RUNNING, "running", None)
