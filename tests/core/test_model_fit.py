"""Models fitted to data: the objective on the training rows against scikit-learn and least squares, XOR,
metrics on both parts, mini-batches that never form the full gradient, and honest runs without a Hessian."""
import json

import numpy as np
import pytest
from autograd import grad
from sklearn.linear_model import LogisticRegression

from explorer.core.data import Dataset
from explorer.core.methods import FIRST_ORDER, make_optimizer
from explorer.core.model_fit import HESSIAN_LIMIT, ModelObjective, ModelProblem
from explorer.core.network import ModelError
from explorer.core.split import split_rows
from explorer.core.trajectory import CONVERGED, MINIMUM, NOT_TESTED, STEP_LIMIT, Run, race
from tests.helpers import fd_gradient, fd_hessian


def two_classes(rng, rows=120):
    """Two overlapping Gaussian classes in two features (a finite best logistic fit)."""
    y = (np.arange(rows) % 2).astype(float)
    X = rng.normal(size=(rows, 2)) + np.outer(2 * y - 1, [0.8, -0.4])
    return Dataset.from_columns("two", {"X1": X[:, 0], "X2": X[:, 1], "Y": y})


# clean XOR: the four corners, each twice
XOR = Dataset.from_columns("xor", {"X1": [-1, -1, 1, 1] * 2, "X2": [-1, 1, -1, 1] * 2, "Y": [0, 1, 1, 0] * 2})


def run_to_end(problem, method, start, steps, tolerance=1e-8, **settings):
    r = Run(make_optimizer(method, problem.objective(), **settings), start, max_steps=steps, tolerance=tolerance)
    r.run_to_end()
    return r


# ---------------------------------------------------------------- against independent references

def test_logistic_by_gradient_descent_matches_scikit_learn(rng):
    data, l2 = two_classes(rng), 0.01
    problem = ModelProblem(data, "logistic", "Y", ["X1", "X2"], l2=l2)
    r = run_to_end(problem, "gd", problem.initial(), 5000, tolerance=1e-10, lr=2.0)
    assert r.status == CONVERGED and r.end_point == MINIMUM
    # sklearn minimises ½|w|² + C Σ loss; this objective mean loss + l2|w|²: the same minimiser when C = 1/(2·l2·n)
    ref = LogisticRegression(C=1 / (2 * l2 * data.rows), tol=1e-12, max_iter=10_000).fit(
        problem.X_train, problem.y_train)
    w = problem.network.unflatten(r.path[-1])
    np.testing.assert_allclose(w["W1"][:, 0], ref.coef_[0], atol=1e-4)
    np.testing.assert_allclose(w["b1"], ref.intercept_, atol=1e-4)


def test_logistic_by_newton_matches_gradient_descent(rng):
    problem = ModelProblem(two_classes(rng), "logistic", "Y", ["X1", "X2"], l2=0.01)
    newton = run_to_end(problem, "newton", problem.initial(), 30)
    gd = run_to_end(problem, "gd", problem.initial(), 5000, tolerance=1e-10, lr=2.0)
    assert newton.end_point == MINIMUM and newton.states[-1].iteration < 15
    np.testing.assert_allclose(newton.path[-1], gd.path[-1], atol=1e-6)


def test_linear_regression_converges_to_least_squares(rng):
    X = rng.normal(size=(40, 2))
    y = X @ [1.5, -2.0] + 0.7 + rng.normal(scale=0.3, size=40)
    data = Dataset.from_columns("plane", {"A": X[:, 0], "B": X[:, 1], "T": y})
    problem = ModelProblem(data, "linear", "T", ["A", "B"])
    assert problem.task == "regression"
    r = run_to_end(problem, "gd", problem.initial(), 5000, tolerance=1e-10, lr=0.3)
    ref = np.linalg.lstsq(np.column_stack([X, np.ones(40)]), y, rcond=None)[0]
    np.testing.assert_allclose(r.path[-1], ref, atol=1e-8)
    assert problem.metrics(r.path[-1])["train"]["mse"] == pytest.approx(problem.data_loss(r.path[-1]))


def test_xor_defeats_logistic_regression_but_not_a_small_network():
    logistic = ModelProblem(XOR, "logistic", "Y", ["X1", "X2"])
    r = run_to_end(logistic, "gd", logistic.initial(), 200, lr=1.0)
    assert logistic.metrics(r.path[-1])["train"]["accuracy"] == pytest.approx(0.5)
    network = ModelProblem(XOR, "mlp:4:tanh", "Y", ["X1", "X2"])
    r = run_to_end(network, "adam", network.initial(0), 300, lr=0.1)
    train = network.metrics(r.path[-1])["train"]
    assert train["accuracy"] == 1.0 and train["confusion"] == [[4, 0], [0, 4]]


def test_hessian_of_a_small_network_matches_finite_differences_of_its_gradient(rng):
    problem = ModelProblem(two_classes(rng, 30), "mlp:3", "Y", ["X1", "X2"], l2=0.1)
    objective, theta = problem.objective(), problem.initial(2)
    value, g, h = objective.derivatives(theta)
    assert value == pytest.approx(problem.value(theta))
    np.testing.assert_allclose(g, fd_gradient(problem.value, theta), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(h, fd_hessian(objective.gradient, theta), rtol=1e-5, atol=1e-7)


# ---------------------------------------------------------------- data, split, standardisation, metrics

def test_split_standardisation_and_metrics_use_the_right_rows(rng):
    data = two_classes(rng, 100)
    split = split_rows(100, 0.3, seed=4)
    problem = ModelProblem(data, "mlp:3", "Y", ["X1", "X2"], split=split, standardise=True)
    assert (len(problem.y_train), len(problem.y_test)) == (70, 30)
    np.testing.assert_allclose(problem.X_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(problem.X_train.std(axis=0), 1, atol=1e-12)
    raw = np.column_stack([data.column("X1"), data.column("X2")])
    np.testing.assert_allclose(problem.standardisation["mean"], raw[split.train].mean(axis=0))
    np.testing.assert_allclose(problem.X_test, (raw[split.test] - raw[split.train].mean(0)) / raw[split.train].std(0))
    theta = problem.initial(1)
    metrics = problem.metrics(theta)
    predicted = problem.network.predict(theta, problem.X_test)
    truth = problem.y_test
    assert metrics["test"]["accuracy"] == pytest.approx(np.mean(predicted == truth))
    assert metrics["test"]["loss"] == pytest.approx(problem.data_loss(theta, "test"))
    assert sum(map(sum, metrics["test"]["confusion"])) == 30
    json.dumps(metrics)
    assert ModelProblem(data, "mlp:3", "Y", ["X1", "X2"]).metrics(theta)["test"] == {}


def test_classes_and_regression_metrics_name_their_numbers(rng):
    X = rng.normal(size=(60, 2))
    y = np.argmax(X @ [[1, 0, -1], [0, 1, -1]], axis=1).astype(float)
    data = Dataset.from_columns("three", {"X1": X[:, 0], "X2": X[:, 1], "Y": y, "R": X[:, 0] ** 2})
    classes = ModelProblem(data, "softmax", "Y", ["X1", "X2"], split=split_rows(60, 0.25, 0))
    assert classes.task == "classes" and classes.classes == 3 and classes.dimension == 9
    assert set(classes.metrics(classes.initial())["test"]) == {"loss", "accuracy", "macro_f1", "confusion"}
    regression = ModelProblem(data, "mlp:4", "R", ["X1", "X2"])
    assert regression.task == "regression" and regression.classes is None
    assert set(regression.metrics(regression.initial())["train"]) == {"loss", "mse", "r2"}


def test_penalties_enter_the_objective_but_not_the_data_loss(rng):
    problem = ModelProblem(two_classes(rng, 20), "mlp:2", "Y", ["X1", "X2"])
    penalised = problem.with_params({"l2": 0.5, "l1": 0.1})
    theta = problem.initial(3)
    assert penalised.data_loss(theta) == problem.data_loss(theta)
    assert penalised.value(theta) == pytest.approx(problem.value(theta) + penalised.network.penalty(theta))
    assert penalised.with_penalties(l1=0.0).l2 == 0.5
    with pytest.raises(ModelError, match="no setting 'lr'"):
        problem.with_params({"lr": 1.0})


@pytest.mark.parametrize("target, features, part", [
    ("Z", ["X1"], "target"), ("Y", ["Q"], "features"), ("Y", ["Y"], "features"), ("Y", [], "features"),
    ("Y", ["X1", "X1"], "features")])
def test_bad_columns_are_one_line_naming_the_option(rng, target, features, part):
    with pytest.raises(ModelError) as err:
        ModelProblem(two_classes(rng, 10), "logistic", target, features)
    assert err.value.part == part and "\n" not in str(err.value)


def test_a_split_of_another_table_is_refused(rng):
    data = two_classes(rng, 10)
    for split in (split_rows(12, 0.25, 0), split_rows(8, 0.25, 0)):
        with pytest.raises(ModelError, match="does not share the data's 10 rows") as err:
            ModelProblem(data, "logistic", "Y", ["X1", "X2"], split=split)
        assert err.value.part == "split"


def test_a_constant_feature_on_the_training_rows_cannot_be_standardised():
    data = Dataset.from_columns("flat", {"X": [1.0, 1.0, 1.0, 2.0], "Y": [0, 1, 0, 1]})
    split = split_rows(4, 0.25, 0)
    if 3 in split.train:
        split = type(split)(np.array([0, 1, 2]), np.array([3]))
    with pytest.raises(ModelError, match="constant on the training rows") as err:
        ModelProblem(data, "logistic", "Y", ["X"], split=split, standardise=True)
    assert err.value.part == "standardise"


# ---------------------------------------------------------------- the objective in runs

def test_every_gradient_method_trains_a_network_in_a_race(rng):
    problem = ModelProblem(two_classes(rng, 80), "mlp:3,2", "Y", ["X1", "X2"], l2=0.001)
    methods = [(name, {}) for name in FIRST_ORDER] + [("bfgs", {}), ("cg", {}), ("adam", {"batch": 16, "seed": 2})]
    for r in race(problem.objective(), problem.initial(0), methods, max_steps=15):
        r.run_to_end()
        assert r.status in (STEP_LIMIT, CONVERGED), (r.method, r.reason)
        assert r.values[-1] < r.values[0], r.method
        json.dumps(r.as_dict())


def test_mini_batch_steps_compute_batch_gradients_only(rng):
    problem = ModelProblem(two_classes(rng, 100), "mlp:70,70", "Y", ["X1", "X2"])
    assert problem.dimension >= 5000
    objective = problem.objective()
    r = Run(make_optimizer("adam", objective, batch=32, seed=1, lr=0.01), problem.initial(0), max_steps=5)
    r.run_to_end()
    assert r.status == STEP_LIMIT and "mini-batch's gradient only" in r.reason
    assert objective.evaluations["gradient"] == 0 and objective.evaluations["hessian"] == 0   # no full gradient
    # the start's batch and five steps' of 4 batches an epoch (32, 32, 32, 4): 3·32 + 4 + 2·32 rows of 100
    assert r.cost("epochs")[-1] == pytest.approx((3 * 32 + 4 + 2 * 32) / 100)
    state, plan = r.states[2], r.optimizer.batches
    assert state.value == pytest.approx(problem.value(state.point))   # the whole training loss is shown
    rows = plan.batch(2)
    batch_loss = lambda t: problem.network.loss(t, problem.X_train[rows], problem.y_train[rows])   # noqa: E731
    assert state.batch_loss == pytest.approx(batch_loss(state.point))
    np.testing.assert_allclose(state.batch_gradient, grad(batch_loss)(state.point), rtol=1e-12)
    # without mini-batches: one full gradient a step, every row counted
    full = Run(make_optimizer("gd", problem.objective(), lr=0.1), problem.initial(0), max_steps=2)
    full.run_to_end()
    assert full.status == STEP_LIMIT and full.values[-1] < full.values[0]
    assert full.evaluation_counts()[-1].tolist() == [3, 3, 0] and full.cost("epochs")[-1] == 3.0


def test_hessian_vector_products_need_no_hessian(rng):
    small = ModelProblem(two_classes(rng, 30), "mlp:3,2", "Y", ["X1", "X2"], l2=0.1)
    objective, theta, v = small.objective(), small.initial(1), rng.normal(size=small.dimension)
    np.testing.assert_allclose(objective.hessian_vector_product(theta, v), objective.derivatives(theta)[2] @ v,
                               rtol=1e-10, atol=1e-12)
    big = ModelProblem(two_classes(rng, 30), "mlp:40", "Y", ["X1", "X2"]).objective()
    theta, v = big.problem.initial(0), rng.normal(size=big.dimension)
    step = 1e-5   # central differences of the exact gradient along v
    expected = (big.gradient(theta + step * v) - big.gradient(theta - step * v)) / (2 * step)
    np.testing.assert_allclose(big.hessian_vector_product(theta, v), expected, rtol=1e-5, atol=1e-8)


def test_a_model_above_the_hessian_limit_runs_and_says_no_hessian_was_computed(rng):
    problem = ModelProblem(two_classes(rng, 50), "mlp:32", "Y", ["X1", "X2"])
    assert problem.dimension == 129 > HESSIAN_LIMIT
    objective = problem.objective()
    r = Run(make_optimizer("gd", objective, lr=0.1), problem.initial(0), max_steps=20)
    r.run_to_end()
    out = r.as_dict()
    assert r.status == STEP_LIMIT and len(out["steps"]) == 20
    for step in out["steps"]:
        assert "eigenvalues" not in step and "predicted_quadratic" not in step
        assert step["hessian"] == "Hessian not computed (129 parameters; it is formed up to 64)"
    assert objective.evaluations["hessian"] == 0
    with pytest.raises(ValueError, match="newton needs the Hessian") as err:
        make_optimizer("newton", objective)
    assert "\n" not in str(err.value)
    make_optimizer("bfgs", objective)   # 129 × 129 numbers a step is fine; 5,000 × 5,000 is not
    huge = ModelProblem(two_classes(rng, 10), "mlp:70,70", "Y", ["X1", "X2"]).objective()
    with pytest.raises(ValueError, match="bfgs keeps an n×n matrix at every step: at most 1,024 parameters, not 5,251"):
        make_optimizer("bfgs", huge)
    make_optimizer("cg", huge)
    # a tiny gradient is not called a minimum without the second-order test
    flat = Run(make_optimizer("gd", objective), problem.initial(0), tolerance=1e3)
    assert flat.status == CONVERGED and flat.end_point == NOT_TESTED
    assert "minimum" not in flat.summary.replace("not known to be a minimum", "")
    assert "Hessian not computed" in flat.reason


def test_values_and_along_agree_with_the_objective(rng):
    problem = ModelProblem(two_classes(rng, 30), "mlp:3:relu", "Y", ["X1", "X2"], l1=0.05)
    objective, thetas = problem.objective(), rng.normal(size=(7, problem.dimension))
    np.testing.assert_allclose(objective.values(thetas), [problem.value(t) for t in thetas], rtol=1e-12)
    x, d = thetas[0], thetas[1]
    alphas = np.array([0.0, 0.5, 2.0])
    np.testing.assert_allclose(objective.along(x, d)(alphas), [problem.value(x + a * d) for a in alphas], rtol=1e-12)
    assert isinstance(objective, ModelObjective) and objective.variables == problem.trained


def test_hessian_in_blocks_of_copies_equals_one_reverse_pass_per_row(rng, monkeypatch):
    from explorer.core import model_fit
    from explorer.core.calculus import PointCalculus
    problem = ModelProblem(two_classes(rng, 40), "mlp:4,3:sigmoid", "Y", ["X1", "X2"], l2=0.2, l1=0.1)
    theta = problem.initial(5)
    calculus = problem.objective().calculus
    monkeypatch.setattr(model_fit, "BLOCK_ELEMENTS", 40 * 4 * 5)   # blocks of 5 rows of the 31×31 Hessian
    blocked = calculus.derivatives(theta)
    reference = PointCalculus.derivatives(calculus, theta)   # the general recipe: a traversal per row
    assert blocked[0] == reference[0]
    np.testing.assert_allclose(blocked[1], reference[1], rtol=1e-13)
    np.testing.assert_allclose(blocked[2], reference[2], rtol=1e-10, atol=1e-13)
