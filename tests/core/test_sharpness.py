"""Sharpness (the training loss Hessian's λmax) against a dense autograd Hessian, warm starts counted in
Hessian-vector products, and the stability bounds checked on quadratics by the program's own optimizers."""
import numpy as np
import pytest
from autograd import hessian

from explorer.core.data import Dataset
from explorer.core.methods import METHODS, make_optimizer
from explorer.core.model_fit import ModelProblem
from explorer.core.objective import Objective
from explorer.core.sharpness import (bound_of_step, sharpness, sharpness_along, stability_bound, stride_of,
                                     why_no_bound)
from explorer.core.trajectory import Run


def two_classes(rng, rows=40):
    y = (np.arange(rows) % 2).astype(float)
    X = rng.normal(size=(rows, 2)) + np.outer(2 * y - 1, [0.8, -0.4])
    return Dataset.from_columns("two", {"X1": X[:, 0], "X2": X[:, 1], "Y": y})


def small_problem(rng):
    return ModelProblem(two_classes(rng), "mlp:4,3", "Y", ["X1", "X2"], l2=0.01)


def dense_hessian(problem, theta):
    network, X, y = problem.network, problem.X_train, problem.y_train
    return hessian(lambda p: network.loss(p, X, y))(theta)


def test_lambda_max_is_the_dense_hessians_largest_eigenvalue_with_a_small_residual(rng):
    problem = small_problem(rng)
    theta = problem.initial(3)
    h = dense_hessian(problem, theta)
    top, vector, products = sharpness(problem, theta)
    assert top == pytest.approx(np.linalg.eigvalsh(h)[-1], rel=1e-6)
    assert np.linalg.norm(vector) == pytest.approx(1.0)
    assert np.linalg.norm(h @ vector - top * vector) < 1e-3 * abs(top)
    assert products <= problem.dimension


def test_a_warm_start_from_the_previous_step_costs_fewer_products_than_a_cold_one(rng):
    problem = ModelProblem(two_classes(rng, 80), "mlp:16", "Y", ["X1", "X2"], l2=0.01)
    run = Run(make_optimizer("gd", problem.objective(), lr=0.5), problem.initial(0), max_steps=30, tolerance=0)
    run.run_to_end()
    _, before, _ = sharpness(problem, run.states[19].point)
    warm = sharpness(problem, run.states[20].point, start=before)
    cold = sharpness(problem, run.states[20].point)
    assert warm[0] == pytest.approx(cold[0], rel=1e-5)
    assert warm[2] < cold[2]
    steps, values, products = sharpness_along(problem, run)
    assert steps.tolist() == list(range(31))
    exact = [np.linalg.eigvalsh(dense_hessian(problem, run.states[t].point))[-1] for t in (0, 15, 30)]
    np.testing.assert_allclose(values[[0, 15, 30]], exact, rtol=1e-5)
    assert products < 31 * cold[2]   # warm-started along the run


def test_along_a_run_every_kth_step_and_the_last(rng):
    problem = small_problem(rng)
    run = Run(make_optimizer("gd", problem.objective(), lr=0.5), problem.initial(0), max_steps=10, tolerance=0)
    run.run_to_end()
    assert sharpness_along(problem, run, every=4)[0].tolist() == [0, 4, 8, 10]
    assert stride_of(500) == 1 and stride_of(501) == 2 and stride_of(5000) == 10


@pytest.mark.parametrize("lam", [4.0, 50.0])
def test_gradient_descent_on_half_lambda_x_squared_diverges_exactly_above_two_over_lr(lam):
    """L = ½λx² (plus a gentle ½y²): x ← (1 − ηλ)x, so |x| shrinks for η < 2/λ and grows for η > 2/λ."""
    objective = Objective(f"0.5*{lam}*x^2 + 0.5*y^2")
    bound_lr = 2.0 / lam   # the lr at which the bound 2/lr equals λ
    assert stability_bound("gd", {"lr": bound_lr}) == pytest.approx(lam)
    for factor, grows in ((0.98, False), (1.02, True)):
        run = Run(make_optimizer("gd", objective, lr=factor * bound_lr), (1.0, 0.0), max_steps=200, tolerance=0)
        run.run_to_end()
        x = np.abs(run.path[:, 0])
        assert (x[-1] > x[0]) == grows and (x[-1] < 1e-1) == (not grows)


@pytest.mark.parametrize("method", ["momentum", "nesterov"])
def test_momentum_methods_diverge_exactly_above_their_bound(method):
    lam, beta = 10.0, 0.6
    objective = Objective(f"0.5*{lam}*x^2 + 0.5*y^2")
    # the lr at which the bound equals λ: (2 + 2β)/λ for momentum, (2 + 2β)/(λ(1 + 2β)) for nesterov
    bound_lr = (2 + 2 * beta) / lam / (1.0 if method == "momentum" else 1 + 2 * beta)
    assert stability_bound(method, {"lr": bound_lr, "momentum": beta}) == pytest.approx(lam)
    for factor, grows in ((0.98, False), (1.02, True)):
        run = Run(make_optimizer(method, objective, lr=factor * bound_lr, momentum=beta), (1.0, 0.0),
                  max_steps=400, tolerance=0)
        run.run_to_end()
        x = np.abs(run.path[:, 0])
        assert (x[-1] > x[0]) == grows, (method, factor, x[-1])


def test_adaptive_and_second_order_methods_have_no_bound_and_say_why():
    for method in ("adam", "rmsprop", "adagrad", "newton", "bfgs", "l-bfgs", "cg", "trust-region"):
        assert stability_bound(method, {"lr": 0.1}) is None and why_no_bound(method)
    assert "running gradient size" in why_no_bound("adagrad")
    assert why_no_bound("gd") == ""
    assert stability_bound("gd") == pytest.approx(2 / METHODS["gd"].hyperparameters()["lr"])


def test_a_scheduled_runs_bound_follows_the_rate_of_each_step(rng):
    from explorer.core.schedules import make_schedule
    problem = small_problem(rng)
    run = Run(make_optimizer("gd", problem.objective(), lr=0.2, schedule=make_schedule("step", every=5, drop=0.5)),
              problem.initial(0), max_steps=12, tolerance=0)
    run.run_to_end()
    assert [bound_of_step(run, t) for t in (0, 5, 10)] == pytest.approx([10.0, 20.0, 40.0])


class Crossing:
    """A stand-in problem whose Hessian at 'θ = t' has eigenvalues 10 and 9.9 (t < 3), then 10 and 10.1: the top
    eigenvector changes at t = 3, where a warm start from the old one settles on the old eigenvalue."""

    dimension = 400

    def __init__(self):
        rng = np.random.default_rng(5)
        self.q, _ = np.linalg.qr(rng.normal(size=(self.dimension, self.dimension)))
        self.rest = np.linspace(-1, 5, self.dimension - 2)

    def hessian(self, t):
        top = [10.0, 9.9] if t < 3 else [10.0, 10.1]
        return (self.q * np.concatenate([top, self.rest])) @ self.q.T

    def objective(self):
        crossing = self

        class Objective:
            def hvp_at(self, theta):
                h = crossing.hessian(float(theta[0]))
                return lambda v: h @ v

        return Objective()


def test_a_crossing_of_the_top_eigenvalues_is_caught_by_the_estimates_that_start_afresh():
    from explorer.core.sharpness import AFRESH_EVERY, sharpness_of_step
    problem, vector, found = Crossing(), None, []
    for i in range(AFRESH_EVERY + 1):
        value, vector, _ = sharpness_of_step(problem, np.array([float(i)]), vector, i)
        found.append(value)
    assert found[0] == pytest.approx(10.0, rel=1e-6)
    assert found[AFRESH_EVERY] == pytest.approx(10.1, rel=1e-6)   # the new top, found afresh
    # a warm start alone stays on the old eigenvector after the crossing (why the fresh starts are there)
    assert found[4] == pytest.approx(10.0, rel=1e-6)
