import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy.optimize import minimize

from explorer.core.objective import Objective
from explorer.core.methods import METHODS, make_optimizer
from explorer.core.trajectory import CONVERGED, DIVERGED, MINIMUM, SADDLE_POINT, SINGULAR, STEP_LIMIT, Run, race

ROSENBROCK = "(1 - x)**2 + 100*(y - x**2)**2"


def run(expr, method, start, steps=100, **settings):
    r = Run(make_optimizer(method, Objective(expr), **settings), start, max_steps=steps)
    r.run_to_end()
    return r


def test_gradient_descent_on_an_ill_conditioned_bowl_by_hand():
    # f = x² + 10y², ∇f = (2x, 20y): with η = 0.04, x ← 0.92x and y ← 0.2y
    r = run("x**2 + 10*y**2", "gd", (1, 1), steps=10, lr=0.04)
    k = np.arange(11)
    np.testing.assert_allclose(r.path, np.c_[0.92**k, 0.2**k], rtol=1e-12)
    assert r.status == STEP_LIMIT


@given(st.floats(0.5, 5), st.floats(-0.9, 0.9), st.floats(0.5, 5), st.floats(-3, 3), st.floats(-3, 3),
       st.floats(-3, 3), st.floats(-3, 3))
def test_newton_solves_a_positive_definite_quadratic_in_one_step(a, r, c, bx, by, x0, y0):
    b = r * np.sqrt(a * c)  # |b| < √(ac): positive definite
    expr = f"0.5*({a}*x**2 + 2*({b})*x*y + ({c})*y**2) + ({bx})*x + ({by})*y"
    r = run(expr, "newton", (x0, y0), steps=1)
    assert len(r.path) <= 2 and r.status == "converged"   # no step at all if it starts at the minimum
    assert r.end_point == MINIMUM
    np.testing.assert_allclose(r.path[-1], np.linalg.solve([[a, b], [b, c]], [-bx, -by]), rtol=1e-9, atol=1e-9)


@given(st.floats(-5, 5), st.floats(-5, 5))
def test_pure_newton_lands_on_the_saddle_of_x2_minus_y2(x0, y0):
    assume(np.hypot(x0, y0) > 1e-6)   # nearer, |∇f| = 2·|(x0, y0)| <= 1e-6 stops it before any step
    r = run("x**2 - y**2", "newton", (x0, y0), steps=3)
    np.testing.assert_allclose(r.path[-1], [0, 0], atol=1e-12)
    assert r.status == CONVERGED and len(r.path) <= 2
    assert r.end_point == SADDLE_POINT   # converged, but not to a minimum


def test_damped_newton_escapes_the_saddle_downhill():
    r = run("x**2 - y**2", "damped-newton", (0.5, -0.3), steps=5)
    assert r.path[1][0] == pytest.approx(0, abs=1e-12)   # x solved exactly, like Newton
    assert np.all(np.diff(r.values) < 0)                   # but every step goes down
    assert abs(r.path[-1][1]) > abs(r.path[0][1])          # and away from the saddle along y


def test_pure_newton_reports_a_singular_hessian():
    r = run("x**2 + y", "newton", (1, 1))
    assert r.status == SINGULAR and "singular" in r.reason
    assert len(r.path) == 1


def test_heavy_ball_recurrence():
    # v ← βv − η∇f, x ← x + v on f = x²/2 + y²/2 (∇f = (x, y))
    r = run("0.5*x**2 + 0.5*y**2", "momentum", (1, -2), steps=5, lr=0.1, momentum=0.8)
    x, v = np.array([1.0, -2.0]), np.zeros(2)
    for k in range(1, 6):
        v = 0.8 * v - 0.1 * x
        x = x + v
        np.testing.assert_allclose(r.path[k], x, rtol=1e-14)


def test_nesterov_looks_ahead():
    # v ← βv − η∇f(x + βv) on f = x²/2 (+ y²/2)
    r = run("0.5*x**2 + 0.5*y**2", "nesterov", (1, 1), steps=3, lr=0.1, momentum=0.5)
    x, v = np.ones(2), np.zeros(2)
    for k in range(1, 4):
        v = 0.5 * v - 0.1 * (x + 0.5 * v)
        x = x + v
        np.testing.assert_allclose(r.path[k], x, rtol=1e-14)


@given(st.floats(-3, 3).filter(lambda v: abs(v) > 0.1), st.floats(-3, 3).filter(lambda v: abs(v) > 0.1))
@example(0.328125, -0.328125)   # ∂f/∂x = −0.005: ε moves the step by 2e-6 of itself
def test_adams_first_step_is_lr_times_sign_of_the_gradient(x0, y0):
    # bias-corrected m̂ = g and v̂ = g² after one step: lr·g/(|g| + ε), which is lr·sign(g) unless |g| ~ ε
    r = run("x**3 + 2*y**2 + x*y", "adam", (x0, y0), steps=1, lr=0.05)
    g = Objective("x**3 + 2*y**2 + x*y").gradient([x0, y0])
    np.testing.assert_allclose(r.path[1] - r.path[0], -0.05 * g / (np.abs(g) + 1e-8), rtol=1e-12)
    np.testing.assert_allclose(r.path[1] - r.path[0], -0.05 * np.sign(g), rtol=2e-8 / np.abs(g).min())


def test_rmsprop_first_step():
    # s = (1−ρ)g², step = η g / √s = η sign(g) / √(1−ρ)
    r = run("x**2 + 3*y**2", "rmsprop", (1, -1), steps=1, lr=0.01, decay=0.9)
    np.testing.assert_allclose(r.path[1] - r.path[0], [-0.01 / np.sqrt(0.1), 0.01 / np.sqrt(0.1)], rtol=1e-6)


@pytest.mark.parametrize("method, reference", [("bfgs", "BFGS"), ("cg", "CG")])
def test_bfgs_and_cg_reach_the_rosenbrock_minimum_like_scipy(method, reference):
    r = run(ROSENBROCK, method, (-1.2, 1), steps=500)
    assert r.status == CONVERGED
    np.testing.assert_allclose(r.path[-1], [1, 1], atol=1e-5)
    objective = Objective(ROSENBROCK)
    scipy = minimize(objective.value, [-1.2, 1], jac=objective.gradient, method=reference, tol=1e-10)
    steps = len(r.path) - 1
    assert steps <= 1.5 * scipy.nit, (steps, scipy.nit)


def test_too_large_a_learning_rate_is_reported_as_divergence():
    r = run("x**2 + y**2", "gd", (1, 1), steps=10_000, lr=1.5)
    assert r.status == DIVERGED
    assert np.all(np.isfinite(r.path)) and np.all(np.isfinite(r.values))
    r = run("exp(x**2)", "gd", (2, 0), steps=100, lr=1.0)    # the value overflows
    assert r.status == DIVERGED and np.all(np.isfinite(r.values))


def test_back_then_forward_gives_the_same_states():
    r = Run(make_optimizer("bfgs", Objective(ROSENBROCK)), (-1.2, 1), max_steps=20)
    for _ in range(10):
        r.step_forward()
    path = r.path.copy()
    for _ in range(4):
        assert r.step_back()
    assert r.position == 6 and r.current.point.tolist() == path[6].tolist()
    for _ in range(4):
        r.step_forward()
    assert r.path.tolist() == path.tolist() and r.position == 10
    r.reset()
    for _ in range(10):
        r.step_forward()
    assert r.path.tolist() == path.tolist()  # recomputed from scratch, identical


def test_step_back_stops_at_the_start():
    r = Run(make_optimizer("gd", Objective("x**2 + y**2")), (1, 1))
    assert not r.step_back()
    assert r.step_forward() and r.step_back() and not r.step_back()


def test_each_step_explains_itself():
    # gd on x² + 10y² from (1, 1), η = 0.04: p = (−0.08, −0.8); ∇f = (2, 20); H = diag(2, 20)
    r = run("x**2 + 10*y**2", "gd", (1, 1), steps=1, lr=0.04)
    rec = r.records[0]
    np.testing.assert_allclose(rec.vector, [-0.08, -0.8])
    assert rec.length == pytest.approx(np.hypot(0.08, 0.8))
    assert rec.predicted_linear == pytest.approx(2 * 0.08 + 20 * 0.8)               # 16.16
    assert rec.predicted_quadratic == pytest.approx(16.16 - 0.5 * (2 * 0.08**2 + 20 * 0.8**2))
    assert rec.actual == pytest.approx(11 - (0.92**2 + 10 * 0.2**2))
    assert rec.eigenvalues.tolist() == [2, 20] and rec.classification == "convex"


@pytest.mark.parametrize("expr, relation", [("x + y", "equal"), ("-x**2 - y**2", "exceeds"),
                                            ("x**2 + y**2", "falls short")])
def test_curvature_decides_whether_the_gradient_prediction_holds(expr, relation):
    rec = run(expr, "gd", (0.5, 0.5), steps=1, lr=0.1).records[0]
    if relation == "equal":
        assert rec.actual == pytest.approx(rec.predicted_linear)
    elif relation == "exceeds":
        assert rec.actual > rec.predicted_linear
    else:
        assert rec.actual < rec.predicted_linear
    assert rec.actual == pytest.approx(rec.predicted_quadratic)   # a quadratic is its own model


def test_race_shares_function_and_start():
    objective = Objective(ROSENBROCK)
    runs = race(objective, (-1.2, 1), [("gd", {"lr": 1e-3}), ("newton", {}), ("bfgs", {})], max_steps=5)
    assert [r.method for r in runs] == ["gd", "newton", "bfgs"]
    assert all(r.objective is objective and r.path[0].tolist() == [-1.2, 1] for r in runs)


def test_every_method_takes_steps_downhill_on_a_bowl():
    for name in METHODS:
        r = run("x**2 + 2*y**2", name, (1, 1), steps=3)
        assert r.values[-1] < r.values[0], name


def test_bad_settings_are_refused():
    objective = Objective("x**2")
    with pytest.raises(ValueError, match="gd has no setting 'beta1'"):
        make_optimizer("gd", objective, beta1=0.9)
    with pytest.raises(ValueError, match="lr must be positive"):
        make_optimizer("gd", objective, lr=-1)
    with pytest.raises(ValueError, match="unknown method"):
        make_optimizer("sgd2", objective)
    with pytest.raises(ValueError, match="cannot be negative"):
        Run(make_optimizer("gd", objective), (1, 1), max_steps=-1)
