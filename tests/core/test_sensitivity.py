"""The input–output Jacobian against finite differences of the network's outputs in the raw inputs (with and
without standardisation), logistic regression's closed form P(1−P)·w, the softmax Jacobian's rows summing to 0,
feature importance of a pure-noise feature after training, and the moons-noise dataset."""
import numpy as np
import pytest

from explorer.core.data import Dataset
from explorer.core.datasets import generate
from explorer.core.model_fit import ModelProblem
from explorer.core.model_training import problem_of, train
from explorer.core.sensitivity import (feature_importance, importance_per_output, input_jacobian, output_names,
                                       probability_gradient, raw_rows, row_indices)
from explorer.core.split import split_rows


def outputs_by_hand(problem, theta, X_raw):
    """The outputs J differentiates, from the network's public readings (not the module under test)."""
    X = np.asarray(X_raw, float)
    if problem.standardisation is not None:
        X = (X - np.array(problem.standardisation["mean"])) / np.array(problem.standardisation["std"])
    if problem.task == "binary":
        return problem.network.probabilities(theta, X)[:, None]
    if problem.task == "classes":
        return problem.network.probabilities(theta, X)
    return problem.network.predict(theta, X)[:, None]


def fd_jacobian(problem, theta, X, h=1e-6):
    """Central differences of every output in every raw input, row by row."""
    X = np.asarray(X, float)
    J = np.empty((len(X), outputs_by_hand(problem, theta, X[:1]).shape[1], X.shape[1]))
    for i in range(X.shape[1]):
        step = np.zeros(X.shape[1])
        step[i] = h
        J[:, :, i] = (outputs_by_hand(problem, theta, X + step) - outputs_by_hand(problem, theta, X - step)) / (2 * h)
    return J


def scaled(dataset, factors):
    """The dataset with each feature column multiplied (raw units far from 1, so standardisation matters)."""
    columns = {c: np.asarray(dataset.column(c), float) * factors.get(c, 1.0) for c in dataset.columns}
    return Dataset.from_columns(dataset.name, columns)


CASES = [("moons", "mlp:5:tanh", "binary"), ("blobs", "mlp:4:tanh", "classes"), ("blobs", "softmax", "classes"),
         ("plane", "mlp:3:sigmoid", "regression"), ("moons-noise", "logistic", "binary")]


@pytest.mark.parametrize("standardise", [False, True])
@pytest.mark.parametrize("name,model,task", CASES)
def test_jacobian_matches_finite_differences_in_raw_units(name, model, task, standardise):
    data = scaled(generate(name, 1, rows=40), {"X1": 30.0, "X2": 0.2})
    problem = ModelProblem(data, model, "Y", [c for c in data.columns if c != "Y"],
                           split=split_rows(data.rows, 0.25, 2), standardise=standardise)
    assert problem.task == task
    theta = np.random.default_rng(3).normal(0, 0.7, problem.dimension)
    J = input_jacobian(problem, theta)
    X = raw_rows(problem)
    assert J.shape == (data.rows, len(output_names(problem)), len(problem.features))
    np.testing.assert_allclose(J, fd_jacobian(problem, theta, X), rtol=1e-5, atol=1e-8)
    # X given explicitly: the same numbers for those rows
    np.testing.assert_allclose(input_jacobian(problem, theta, X[[5, 2]]), J[[5, 2]], rtol=1e-12)


def test_softmax_jacobian_rows_sum_to_zero_over_outputs():
    data = generate("blobs", 0, rows=60, classes=4)
    problem = ModelProblem(data, "mlp:6:tanh", "Y", ["X1", "X2"])
    theta = problem.initial(5)
    J = input_jacobian(problem, theta)
    assert J.shape == (60, 4, 2)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-14)
    assert output_names(problem) == ("P(Y = 0)", "P(Y = 1)", "P(Y = 2)", "P(Y = 3)")


@pytest.mark.parametrize("standardise", [False, True])
def test_logistic_regression_has_the_closed_form(standardise):
    # P = σ(w·x_std + b): ∂P/∂x_raw = P(1 − P)·w / std
    data = generate("classes-2d", 4, rows=50)
    problem = ModelProblem(data, "logistic", "Y", ["X1", "X2"], standardise=standardise)
    theta = np.array([0.8, -1.3, 0.4])   # W1 (2×1), b1
    X = raw_rows(problem)
    std = np.array(problem.standardisation["std"]) if standardise else np.ones(2)
    mean = np.array(problem.standardisation["mean"]) if standardise else np.zeros(2)
    P = 1 / (1 + np.exp(-(((X - mean) / std) @ theta[:2] + theta[2])))
    expected = (P * (1 - P))[:, None] * theta[:2] / std
    np.testing.assert_allclose(input_jacobian(problem, theta)[:, 0, :], expected, rtol=1e-12)


def test_regression_of_a_linear_model_is_its_weights_everywhere():
    data = generate("plane", 0, rows=30)
    problem = ModelProblem(data, "linear", "Y", ["X1", "X2", "X3"])
    theta = np.array([1.5, -2.0, 0.5, 3.0])
    np.testing.assert_allclose(input_jacobian(problem, theta)[:, 0, :], np.tile([1.5, -2.0, 0.5], (30, 1)))
    np.testing.assert_allclose(feature_importance(problem, theta), [1.5, 2.0, 0.5])
    assert output_names(problem) == ("Y",)


def test_feature_importance_is_the_mean_absolute_jacobian_over_the_rows_asked_for():
    data = generate("blobs", 2, rows=45)
    problem = ModelProblem(data, "mlp:4:tanh", "Y", ["X1", "X2"], split=split_rows(45, 0.2, 0))
    theta = problem.initial(1)
    J = input_jacobian(problem, theta)
    test = np.asarray(problem.split.test)
    np.testing.assert_allclose(importance_per_output(problem, theta, "test"), np.abs(J[test]).mean(axis=0))
    np.testing.assert_allclose(feature_importance(problem, theta), np.abs(J).mean(axis=(0, 1)))
    assert row_indices(problem, "train").size + test.size == 45
    with pytest.raises(ValueError, match="rows are one of"):
        feature_importance(problem, theta, "validation")
    with pytest.raises(ValueError, match=r"a table of 2 feature columns \(X1, X2\), not of shape \(4, 3\)"):
        input_jacobian(problem, theta, np.zeros((4, 3)))
    no_split = ModelProblem(data, "mlp:4:tanh", "Y", ["X1", "X2"])
    with pytest.raises(ValueError, match="there are no test rows"):
        feature_importance(no_split, theta, "test")


def test_probability_gradient_is_the_predicted_class_row_of_the_jacobian():
    data = generate("blobs", 0, rows=30)
    problem = ModelProblem(data, "softmax", "Y", ["X1", "X2"])
    theta = np.random.default_rng(0).normal(size=problem.dimension)
    J = input_jacobian(problem, theta)
    for row in (0, 7, 29):
        k, g = probability_gradient(problem, theta, row)
        assert k == int(np.argmax(problem.network.probabilities(theta, problem.X_train[[row]])[0]))
        np.testing.assert_allclose(g, J[row, k])


def test_a_noise_feature_matters_little_after_training():
    config = {"data": {"dataset": "moons-noise", "seed": 0, "rows": 400}, "model": "mlp:8:tanh", "l2": 0.001,
              "test_fraction": 0.3, "method": "adam", "settings": {"lr": 0.05}, "steps": 300}
    problem, run = train(config)
    importance = feature_importance(problem, run.states[-1].point)
    assert problem.features == ("X1", "X2", "X3")
    assert importance[2] < 0.125 * min(importance[:2])


# ---------------------------------------------------------------- the dataset with a noise feature

def test_moons_noise_is_moons_plus_an_independent_standard_normal_column():
    noisy, moons = generate("moons-noise", 7, rows=400), generate("moons", 7, rows=400)
    assert noisy.columns == ("X1", "X2", "X3", "Y")
    for c in ("X1", "X2", "Y"):
        np.testing.assert_array_equal(noisy.column(c), moons.column(c))
    x3, y = np.asarray(noisy.column("X3")), np.asarray(noisy.column("Y"))
    assert abs(x3.mean()) < 4 / np.sqrt(400) and abs(x3.std() - 1) < 0.15
    assert abs(np.corrcoef(x3, y)[0, 1]) < 4 / np.sqrt(400)
    np.testing.assert_array_equal(generate("moons-noise", 7, rows=400).column("X3"), x3)   # seeded
    assert not np.array_equal(generate("moons-noise", 8, rows=400).column("X3"), x3)


def test_moons_noise_from_a_training_configuration_uses_every_feature():
    problem = problem_of({"data": {"dataset": "moons-noise", "seed": 0}, "model": "logistic"})
    assert problem.features == ("X1", "X2", "X3") and problem.target == "Y" and problem.dataset.rows == 200
