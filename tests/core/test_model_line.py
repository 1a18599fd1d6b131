"""core.model_line: the loss along a line is L (or the test part's data loss) at every point, and a convex loss
has no barrier between two points: along a line it is a convex function, highest at an end."""
import numpy as np
import pytest

from explorer.core.model_line import barrier, line_losses
from explorer.session import Session


def problem_of(dataset, model):
    s = Session()
    s.start_model_fit(dataset, model)
    return s.problem


def test_a_linear_models_squared_error_has_no_barrier_and_its_line_is_a_parabola():
    problem = problem_of("wave", "linear")   # L(θ* + a·d) = L* + a·gᵀd + a²·dᵀHd: a parabola in a
    rng = np.random.default_rng(4)
    centre, d = rng.normal(size=2), rng.normal(size=2)
    ts = np.array([-1.0, 0.0, 1.0, 2.0])
    values = line_losses(problem, centre, d, ts)
    assert values == pytest.approx([problem.value(centre + t * d) for t in ts], rel=1e-12)
    # a parabola's second difference is constant: 2·dᵀHd, with H = (2/n)·XᵀX (plus the bias's column)
    X = np.column_stack([problem.X_train, np.ones(len(problem.X_train))])
    curvature = 2.0 / len(X) * np.sum((X @ d) ** 2)
    assert values[0] - 2 * values[1] + values[2] == pytest.approx(curvature, rel=1e-9)
    assert values[1] - 2 * values[2] + values[3] == pytest.approx(curvature, rel=1e-9)
    b = barrier(problem, centre, d)
    assert b.height == 0.0 and b.at in (-1.0, 1.0) and b.highest == max(b.ends)


def test_the_test_parts_line_is_its_mean_data_loss_without_the_penalty():
    problem = problem_of("moons", "mlp:3:tanh").with_penalties(l2=0.1)
    rng = np.random.default_rng(1)
    centre, d = rng.normal(size=problem.dimension), rng.normal(size=problem.dimension)
    ts = np.linspace(-0.5, 0.5, 7)
    test = line_losses(problem, centre, d, ts, "test")
    assert test == pytest.approx([problem.data_loss(centre + t * d, "test") for t in ts], rel=1e-12)
    train = line_losses(problem, centre, d, ts)
    assert train == pytest.approx([problem.value(centre + t * d) for t in ts], rel=1e-12)
