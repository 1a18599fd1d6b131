"""The slice along a step: φ(α) = f(x + αd), its models, the Armijo line and the three decreases."""
import numpy as np
import pytest

from explorer.core.data import Dataset
from explorer.core.expression import parse
from explorer.core.fit import FitProblem
from explorer.core.objective import Objective
from explorer.core.methods import make_optimizer
from explorer.core.preset_library import find_preset
from explorer.core.scene import load_scene
from explorer.core.slice import alpha_range, slice_of_step, step_slice
from explorer.core.trajectory import Run


def preset_run(name, steps=3):
    scene = load_scene(find_preset(name))
    spec = scene.runs[0]
    r = Run(make_optimizer(spec.method, Objective(scene.text, scene.parameter_values()), **spec.settings), spec.start,
            max_steps=steps)
    r.run_to_end()
    r.position = 0
    return r


def run(expr, method, start, steps=3, **settings):
    r = Run(make_optimizer(method, Objective(expr), **settings), start, max_steps=steps)
    r.run_to_end()
    return r


def test_the_linear_preset_draws_a_line_that_the_linear_model_follows_exactly():
    s = slice_of_step(preset_run("linear-step"))
    assert s.curvature == 0 and s.curvature_case == "zero"
    np.testing.assert_allclose(s.phi, s.linear, rtol=0, atol=1e-12)
    assert s.decreases.actual == pytest.approx(s.decreases.linear, rel=1e-12)
    assert s.decreases.ratio_linear == pytest.approx(1.0, rel=1e-12)


def test_the_convex_preset_decreases_less_than_predicted_and_the_quadratic_model_is_exact():
    # x² + 3y² from (2, 1.5), gd lr 0.3: d = −∇f = (−4, −9), φ″ = 2·16 + 6·81 = 518 > 0
    s = slice_of_step(preset_run("convex-step"))
    assert s.curvature == pytest.approx(518) and s.curvature_case == "positive"
    np.testing.assert_allclose(s.phi, s.quadratic, rtol=1e-12, atol=1e-12)
    assert s.decreases.actual < s.decreases.linear
    assert s.decreases.ratio_linear < 1 and s.decreases.ratio_quadratic == pytest.approx(1.0, rel=1e-12)
    # lr 0.3 overshoots the model's bottom α* = 97/518 (and still goes down); both are in view
    assert s.quadratic_minimiser == pytest.approx(97 / 518) and s.quadratic_minimiser < s.taken
    assert s.alpha[0] < 0 < s.quadratic_minimiser and s.taken < s.alpha[-1]


def test_the_concave_preset_decreases_more_than_predicted():
    s = slice_of_step(preset_run("concave-step"))
    assert s.curvature < 0 and s.curvature_case == "negative"
    np.testing.assert_allclose(s.phi, s.quadratic, rtol=1e-12, atol=1e-12)
    assert s.decreases.actual > s.decreases.linear and s.decreases.ratio_linear > 1
    assert s.quadratic_minimiser is None


@pytest.mark.parametrize("method, settings", [("gd", {"lr": 0.002}), ("momentum", {"lr": 0.001}),
                                              ("adam", {"lr": 0.1}), ("newton", {}), ("damped-newton", {}),
                                              ("bfgs", {}), ("cg", {})])
def test_the_decreases_are_the_runs_own_step_records(method, settings):
    r = run("(1 - x)**2 + 100*(y - x**2)**2", method, (-1.2, 1.0), steps=3, **settings)
    for k, record in enumerate(r.records):
        s = slice_of_step(r, k)
        np.testing.assert_allclose(s.start + s.taken * s.direction, record.end, rtol=1e-12, atol=1e-12)
        assert s.decreases.linear == pytest.approx(record.predicted_linear, rel=1e-9, abs=1e-12)
        assert s.decreases.quadratic == pytest.approx(record.predicted_quadratic, rel=1e-9, abs=1e-12)
        assert s.decreases.actual == record.actual
        assert [m.label for m in s.marks] == ["linear prediction", "quadratic prediction", "actual"]
        assert s.marks[2].value == r.states[k + 1].value


def test_phi_its_slope_and_curvature_agree_with_direct_evaluation_and_finite_differences():
    expr = "sin(x)*cos(y) + 0.1*(x^2 + y^2)"
    f = parse(expr)
    x, d = np.array([0.4, -0.3]), np.array([1.0, 2.0])
    s = step_slice(Objective(expr), x, d, taken=0.5, samples=11)
    np.testing.assert_allclose(s.phi, f(x[0] + s.alpha * d[0], x[1] + s.alpha * d[1]), rtol=1e-14)
    phi = lambda a: float(f(*(x + a * d)))   # noqa: E731
    h = 1e-4
    assert s.slope == pytest.approx((phi(h) - phi(-h)) / (2 * h), rel=1e-7)
    assert s.curvature == pytest.approx((phi(h) - 2 * phi(0) + phi(-h)) / h**2, rel=1e-5)
    assert 0.0 in s.alpha and 0.5 in s.alpha and np.all(np.diff(s.alpha) > 0)


def test_gradient_descent_slices_along_minus_the_gradient_with_alpha_the_learning_rate():
    r = run("x^2 + 10*y^2", "gd", (1, 1), steps=2, lr=0.04)
    s = slice_of_step(r, 0)
    np.testing.assert_array_equal(s.direction, [-2, -20])
    assert s.taken == 0.04 and s.armijo is None and s.c1 is None


def test_a_line_search_shows_its_armijo_line_and_the_backtracked_alpha_satisfies_it():
    # √(1 + x²) + y² from (3, 0): damped Newton backtracks to t = ⅛ (1, ½, ¼ overshoot)
    r = run("sqrt(1 + x^2) + y^2", "damped-newton", (3.0, 0.0), steps=1)
    s = slice_of_step(r, 0)
    assert s.taken == 0.125 and s.c1 == 1e-4
    at = {a: i for i, a in enumerate(s.alpha)}
    assert s.phi[at[0.125]] <= s.armijo[at[0.125]]
    assert s.alpha[-1] >= 1.0   # the first trial, α = 1, is in view
    for rejected in (0.25, 0.5, 1.0):
        assert s.phi[np.argmin(np.abs(s.alpha - rejected))] > s.armijo[np.argmin(np.abs(s.alpha - rejected))]


def test_at_the_front_of_a_run_the_next_step_is_computed_without_changing_the_run():
    r = Run(make_optimizer("gd", Objective("x^2 + y^2"), lr=0.1), (1, 2), max_steps=10)
    s = slice_of_step(r)
    assert len(r.states) == 1 and s.taken == 0.1
    np.testing.assert_allclose(s.start + s.taken * s.direction, [0.8, 1.6], rtol=1e-15)
    r.run_to_end()   # converged or stopped: no step leaves the last state
    assert slice_of_step(r, len(r.states) - 1) is None


def test_alpha_range_rule():
    assert alpha_range(0.2, -1.0, 1.0) == (-0.375, 1.5)            # the model's minimiser α* = 1 is farthest
    assert alpha_range(0.2, -1.0, -1.0) == pytest.approx((-0.075, 0.3))   # concave: no minimiser
    assert alpha_range(0.25, -1.0, 0.0, line_search=True) == (-0.375, 1.5)
    assert alpha_range(0.0, 0.0, 0.0) == (-0.25, 1.0)


def test_himmelblau_bfgs_first_step_falls_less_though_phi_curves_down_where_it_starts():
    # φ″(0) < 0, yet the step reaches where φ″ > 0: actual 121.9 < linear 138.7
    s = slice_of_step(run("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", "bfgs", (-1.2, 1.0)), 0)
    assert s.curvature_case == "negative" and s.decreases.actual < s.decreases.linear
    assert s.comparison == "less"
    assert [b.case for b in s.bends] == ["negative", "positive"]
    assert s.bends[0].start == 0 and s.bends[-1].end == s.taken and s.bends[0].end == s.bends[1].start
    # where φ″ crosses 0: finite differences of φ on either side agree with the sign change
    f = parse("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    phi = lambda a: float(f(*(s.start + a * s.direction)))   # noqa: E731
    h = 1e-4 * s.taken
    for a, sign in ((0.5 * s.bends[0].end, -1), (0.5 * (s.bends[1].start + s.taken), 1)):
        assert sign * (phi(a + h) - 2 * phi(a) + phi(a - h)) > 0


def test_at_rounding_level_the_decreases_agree():
    # f = x² + 8 at x = 3·10⁻⁸ to the minimum: the decreases (~10⁻¹⁵) are below f's rounding (8 · 2⁻⁵²)
    s = step_slice(Objective("x^2 + y^2 + 8"), [3e-8, 0.0], [-6e-8, 0.0], taken=0.5)
    assert abs(s.decreases.actual - s.decreases.linear) < 1e-14
    assert s.comparison == "agree"
    assert [b.case for b in s.bends] == ["positive"]


def test_the_comparison_follows_the_numbers_on_every_rosenbrock_step():
    for method in ("gd", "newton", "bfgs", "cg"):
        settings = {"lr": 1e-3} if method == "gd" else {}
        r = run("(1 - x)**2 + 100*(y - x**2)**2", method, (-1.2, 1.0), steps=8, **settings)
        for k in range(len(r.records)):
            s = slice_of_step(r, k)
            gap = s.decreases.actual - s.decreases.linear
            expected = "agree" if abs(gap) <= 1e-9 * max(abs(s.value), abs(s.actual_value)) else \
                "more" if gap > 0 else "less"
            assert s.comparison == expected


def test_the_frame_holds_the_step_not_the_first_trial_of_a_line_search():
    # Rosenbrock, BFGS's first step: α ≈ 8·10⁻⁴ along −∇f; at α = 1 f is about 10¹²
    s = slice_of_step(run("(1 - x)**2 + 100*(y - x**2)**2", "bfgs", (-1.2, 1.0), steps=1), 0)
    assert s.taken < 1e-3 and s.alpha[-1] < 2 * s.taken
    lo, hi = s.frame()
    decreases = [m.decrease for m in s.marks]
    assert lo < -max(decreases) and hi > 0 and hi - lo < 1.5 * max(decreases)
    on_step = (s.alpha >= 0) & (s.alpha <= s.taken)
    for curve in (s.phi, s.linear, s.quadratic):
        assert np.all((curve[on_step] - s.value >= lo) & (curve[on_step] - s.value <= hi))


def test_a_fit_gives_its_curvature_along_the_step():
    # mean of (w·X + b − Y)² over four rows, gd from (0, 0): φ″ = 2·mean((d_w X + d_b)²), constant along d
    data = Dataset.from_columns("small", {"X": [0.0, 1.0, 2.0, 3.0], "Y": [1.0, 3.0, 2.0, 5.0]})
    objective = FitProblem(data, "(w*X + b - Y)^2", "w, b").objective()
    r = Run(make_optimizer("gd", objective, lr=0.05), (0.0, 0.0), max_steps=2)
    r.run_to_end()
    s = slice_of_step(r, 0)
    d, X = s.direction, np.array([0.0, 1.0, 2.0, 3.0])
    assert s.curvature == pytest.approx(2 * np.mean((d[0] * X + d[1]) ** 2), rel=1e-12)
    assert [b.case for b in s.bends] == ["positive"] and s.comparison == "less"


def test_the_frame_holds_the_quadratic_models_bottom_when_the_range_was_widened_for_it():
    # x² + 3y² from (2, 1.5), gd lr 0.1: α* = 97/518 ≈ 0.187 lies ahead of the step, within reach
    s = slice_of_step(run("x^2 + 3*y^2", "gd", (2.0, 1.5), steps=1, lr=0.1), 0)
    assert s.taken < s.quadratic_minimiser < s.alpha[-1]
    lo, hi = s.frame()
    bottom = s.value + s.slope * s.quadratic_minimiser / 2   # the model's lowest value: φ(0) + ½ α* φ′(0)
    assert lo <= bottom - s.value < hi
