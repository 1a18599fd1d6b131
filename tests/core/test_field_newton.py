"""Newton–Raphson for F(x) = 0, one step at a time, with honest stop reasons."""
import json

import numpy as np
import pytest

from explorer.cli.output import json_text
from explorer.core.field_newton import (DIVERGED, ROOT, ROOT_FOUND, ROOT_TOLERANCE, SINGULAR_JACOBIAN, STEP_LIMIT, UNDEFINED_START,
                                        NewtonRun, norm)
from explorer.core.fields import FieldCalculus, gradient_field
from explorer.core.methods import make_optimizer
from explorer.core.objective import Objective
from explorer.core.trajectory import Run

# y = x² and x + y = 2 meet at (1, 1) and (−2, 4)
SYSTEM = "(x^2 - y, x + y - 2)"


def solve(text, start, variables=None, **options):
    run = NewtonRun(FieldCalculus(text, variables=variables), start, **options)
    run.run_to_end()
    return run


@pytest.mark.parametrize("start, root", [((2.0, 0.0), (1.0, 1.0)), ((-3.0, 3.0), (-2.0, 4.0))])
def test_two_starts_find_the_two_roots(start, root):
    run = solve(SYSTEM, start)
    assert run.status == ROOT_FOUND and run.end_point == ROOT and run.finished
    np.testing.assert_allclose(run.path[-1], root, atol=1e-12)
    assert run.summary == "root found: F = 0"
    assert run.values[-1] <= 1e-10


def test_the_summary_says_F_0_only_where_it_is_exactly():
    # (exp(x) − 2, y² − 3) from (0, 1): |F| = 1.6e-13 after 5 steps, not 0; with a tolerance of 1e-6
    # (x² − y, x + y − 2) from (2, 0) stops one step earlier, at |F| = 2.1e-9
    run = solve("(exp(x) - 2, y^2 - 3)", (0.0, 1.0))
    assert run.status == ROOT_FOUND and 0 < run.values[-1] <= 1e-10 and run.tolerance == ROOT_TOLERANCE == 1e-10
    assert run.summary == f"root found: |F| = {run.values[-1]:.2g}" and "F = 0" not in run.summary
    loose = solve(SYSTEM, (2.0, 0.0), tolerance=1e-6)
    assert loose.values[-1] == pytest.approx(2.1e-9, rel=0.01) and loose.summary == "root found: |F| = 2.1e-09"


def test_the_first_step_solves_the_linear_model():
    """From (2, 0): F = (4, 0), J = [[4, −1], [1, 1]]; J p = −F gives p = (−0.8, 0.8)."""
    run = NewtonRun(FieldCalculus(SYSTEM), (2.0, 0.0))
    np.testing.assert_array_equal(run.current.residual, [4, 0])
    np.testing.assert_array_equal(run.current.jacobian, [[4, -1], [1, 1]])
    assert run.step_forward()
    np.testing.assert_allclose(run.path[1], [1.2, 0.8], rtol=1e-15)
    step = run.records[0]
    np.testing.assert_allclose(step.vector, [-0.8, 0.8], rtol=1e-15)
    assert step.determinant == pytest.approx(5) and step.residual_before == 4
    assert step.residual_after == pytest.approx(np.hypot(1.2 ** 2 - 0.8, 0.0))


def test_convergence_is_quadratic_near_a_simple_root():
    run = solve(SYSTEM, (2.0, 0.0))
    errors = np.linalg.norm(run.path - [1, 1], axis=1)
    errors = errors[errors > 1e-14]
    for before, after in zip(errors[1:], errors[2:]):
        assert after <= 2 * before ** 2


def test_values_are_the_length_of_F():
    run = solve(SYSTEM, (-3.0, 3.0))
    np.testing.assert_array_equal(run.values, [norm(s.residual) for s in run.states])
    assert run.values[0] == pytest.approx(np.hypot(9 - 3, -3 + 3 - 2))


def test_back_is_the_inverse_of_forward():
    run = NewtonRun(FieldCalculus(SYSTEM), (2.0, 0.0))
    for _ in range(3):
        assert run.step_forward()
    path = run.path.copy()
    assert run.step_back() and run.step_back() and run.position == 1
    np.testing.assert_array_equal(run.current.point, path[1])
    assert run.step_forward() and run.position == 2 and len(run.states) == 4   # replayed, not recomputed
    np.testing.assert_array_equal(run.current.point, path[2])
    while run.step_back():
        pass
    assert run.position == 0 and not run.step_back()
    np.testing.assert_array_equal(run.current.point, (2.0, 0.0))


def test_singular_jacobian_stops_before_stepping():
    """det J = 2x + 1 vanishes at x = −1/2."""
    run = solve(SYSTEM, (-0.5, 0.0))
    assert run.status == SINGULAR_JACOBIAN and len(run.states) == 1 and run.end_point is None
    assert "det J = 0" in run.reason
    assert run.summary == "singular Jacobian: the linear model has no unique root"


def test_a_field_that_only_gets_small_is_not_called_a_root():
    """exp(−x) → 0 without a root: |F| drops below the tolerance while the Newton step stays 1 long."""
    run = solve("(exp(-x), y)", (0.0, 1.0), tolerance=1e-3, max_steps=60)
    assert run.status != ROOT_FOUND and run.end_point is None
    assert run.values[-1] < 1e-3
    np.testing.assert_allclose(np.diff(run.path[1:, 0]), 1.0)   # x ← x + 1 every step


def test_no_real_root_never_reports_one():
    run = solve("(x^2 + 1, y)", (0.5, 1.0), max_steps=50)
    assert run.status in (STEP_LIMIT, SINGULAR_JACOBIAN, DIVERGED) and run.status != ROOT_FOUND


def test_leaving_the_bound_is_divergence():
    """arctan has one root, 0, but Newton from |x| > 1.39 overshoots further every step."""
    run = solve("(arctan(x), y)", (2.0, 0.0))
    assert run.status == DIVERGED and "left" in run.reason
    assert np.all(np.isfinite(run.path))


def test_an_undefined_step_end_is_divergence():
    """sqrt(x): from x = 1 the step lands on x = −1, where sqrt is undefined."""
    run = solve("(sqrt(x), y)", (1.0, 1.0))
    assert run.status == DIVERGED and len(run.states) == 1
    assert np.all(np.isfinite(run.values))


def test_undefined_start():
    run = solve("(log(x), y)", (-1.0, 0.0))
    assert run.status == UNDEFINED_START and not run.step_forward()
    assert run.summary == "F is not defined at the start point"


def test_step_limit_and_zero_steps():
    run = solve(SYSTEM, (2.0, 0.0), max_steps=2)
    assert run.status == STEP_LIMIT and len(run.states) == 3
    assert run.summary == "stopped at the step limit (2 steps)"
    zero = solve(SYSTEM, (2.0, 0.0), max_steps=0)
    assert zero.status == STEP_LIMIT and len(zero.states) == 1


def test_starting_on_a_root():
    run = solve(SYSTEM, (1.0, 1.0))
    assert run.status == ROOT_FOUND and len(run.states) == 1


def test_a_double_root_is_found_slowly_but_found():
    run = solve("(x^2, y^2)", (1.0, 1.0))
    assert run.status == ROOT_FOUND and np.max(np.abs(run.path[-1])) < 1e-5
    assert len(run.states) > 10    # halving, not squaring, the error


def test_three_unknowns():
    """x² + y² + z² = 14 with x = 1, y = 2: z = 3 from a positive start."""
    run = solve("(x^2 + y^2 + z^2 - 14, x - 1, y - 2)", (0.5, 0.5, 2.0), variables=("x", "y", "z"))
    assert run.status == ROOT_FOUND
    np.testing.assert_allclose(run.path[-1], [1, 2, 3], atol=1e-12)


@pytest.mark.parametrize("start, point", [((3.5, 2.5), (3.0, 2.0)), ((-3.0, 3.0), (-2.805118, 3.131312)),
                                          ((0.0, 0.0), (-0.270845, -0.923039))])
def test_newton_on_a_gradient_field_finds_stationary_points(start, point):
    """On ∇f of Himmelblau's function, F = 0 means a stationary point: minima and the maximum alike."""
    run = NewtonRun(FieldCalculus(gradient_field("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")), start)
    run.run_to_end()
    assert run.status == ROOT_FOUND
    np.testing.assert_allclose(run.path[-1], point, atol=1e-6)


def test_a_non_square_field_is_refused():
    with pytest.raises(ValueError, match="as many components as variables"):
        NewtonRun(FieldCalculus("(x, y, x*y)"), (1, 1))
    with pytest.raises(ValueError, match="negative"):
        NewtonRun(FieldCalculus(SYSTEM), (1, 1), max_steps=-1)


def test_it_offers_what_a_surface_run_offers():
    surface = Run(make_optimizer("gd", Objective("x^2 + y^2")), (1.0, 1.0), max_steps=2)
    newton = NewtonRun(FieldCalculus(SYSTEM), (2.0, 0.0))
    for name in ("start", "path", "values", "step_forward", "step_back", "status", "summary", "finished",
                 "as_dict", "max_steps", "states", "records", "position", "current", "reason", "end_point",
                 "method", "reset", "run_to_end", "can_step_forward", "cost", "evaluation_counts"):
        assert hasattr(surface, name) and hasattr(newton, name), name
    newton.run_to_end()
    data = json.loads(json_text(newton.as_dict()))
    assert set(surface.as_dict()) <= set(data)
    assert data["method"] == "newton" and data["status"] == ROOT_FOUND and len(data["steps"]) == len(data["path"]) - 1
    assert data["residuals"][0] == [4, 0]
    steps = len(newton.states) - 1
    assert data["evaluations"] == {"value": list(range(1, steps + 2)), "gradient": list(range(1, steps + 2)),
                                   "hessian": [0] * (steps + 1)}
    np.testing.assert_array_equal(newton.cost(), np.arange(steps + 1))


def test_reset_starts_again():
    run = solve(SYSTEM, (2.0, 0.0))
    run.reset()
    assert len(run.states) == 1 and not run.finished and run.can_step_forward()
