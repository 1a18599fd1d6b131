"""The Hessian of a model's loss, its spectrum and the Gauss–Newton matrix, against autograd's dense matrices,
finite differences and numpy's eigensolvers."""
import numpy as np
import pytest
from autograd import grad, hessian, jacobian

import explorer.core.model_curvature as curvature
from explorer.core.data import Dataset
from explorer.core.model_curvature import (RESIDUAL, gauss_newton_matrix, gauss_newton_product, hessian_matrix,
                                           residual_jacobian_singular_values, signed, spectrum, top_eigenvectors)
from explorer.core.model_fit import ModelObjective, ModelProblem
from tests.helpers import fd_hessian


def blobs(rng, rows=30, classes=2, features=2):
    """Rows of `features` normal features and an integer class 0..classes−1 shifting their mean."""
    y = np.arange(rows) % classes
    X = rng.normal(size=(rows, features)) + np.outer(y, np.linspace(1.0, -0.5, features))
    return Dataset.from_columns("blobs", {**{f"X{j + 1}": X[:, j] for j in range(features)}, "Y": y.astype(float)})


def wave(rng, rows=25):
    """A regression target: a noisy sine of two features."""
    X = rng.normal(size=(rows, 2))
    return Dataset.from_columns("wave", {"X1": X[:, 0], "X2": X[:, 1],
                                         "Y": np.sin(X[:, 0]) + 0.3 * X[:, 1] + 0.1 * rng.normal(size=rows)})


def loss_of(problem):
    network, X, y = problem.network, problem.X_train, problem.y_train
    return lambda t: network.loss(t, X, y)


def explicit_gauss_newton(problem, theta):
    """(1/n) Σ Jᵢᵀ Hℓ,ᵢ Jᵢ + 2·l2 on the weights, Jᵢ from autograd's jacobian of the logits and Hℓ by hand."""
    network, X = problem.network, problem.X_train
    j = jacobian(lambda t: network.logits(t, X))(theta)             # (rows, K, n)
    z = network.logits(theta, X)
    if network.task == "regression":
        hl = np.full((len(X), 1, 1), 2.0)
    elif network.task == "binary":
        s = 1 / (1 + np.exp(-z[:, 0]))
        hl = (s * (1 - s))[:, None, None]
    else:
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        hl = np.array([np.diag(q) - np.outer(q, q) for q in p])
    g = np.einsum("rkn,rkl,rlm->nm", j, hl, j) / len(X)
    weights = np.zeros(problem.dimension)
    weights[network._weights] = 2 * network.l2
    return g + np.diag(weights)


CASES = {   # name -> (dataset maker, model, penalties)
    "binary": (lambda rng: blobs(rng), "mlp:3", {"l2": 0.01}),
    "classes": (lambda rng: blobs(rng, classes=3), "mlp:3", {"l2": 0.02, "l1": 0.01}),
    "regression": (wave, "mlp:4", {"l2": 0.005}),
}


def case(name, rng):
    make, model, penalties = CASES[name]
    problem = ModelProblem(make(rng), model, "Y", ["X1", "X2"], **penalties)
    return problem, problem.initial(1)


# ---------------------------------------------------------------- the dense matrices

@pytest.mark.parametrize("name", sorted(CASES))
def test_the_dense_hessian_is_autograds_and_the_gradients_finite_differences(name, rng):
    problem, theta = case(name, rng)
    h = hessian_matrix(problem, theta)
    np.testing.assert_allclose(h, hessian(loss_of(problem))(theta), atol=1e-10)
    np.testing.assert_allclose(h, fd_hessian(grad(loss_of(problem)), theta), atol=1e-6)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gauss_newton_is_the_explicit_jacobian_sum_psd_and_its_product_agrees(name, rng):
    problem, theta = case(name, rng)
    g = gauss_newton_matrix(problem, theta)
    np.testing.assert_allclose(g, explicit_gauss_newton(problem, theta), atol=1e-10)
    assert np.linalg.eigvalsh(g).min() >= -1e-12 * np.abs(g).max()
    v = rng.normal(size=problem.dimension)
    np.testing.assert_allclose(gauss_newton_product(problem, theta)(v), g @ v, atol=1e-10)


def test_gauss_newton_equals_the_hessian_for_a_linear_model_with_squared_error(rng):
    problem = ModelProblem(wave(rng), "linear", "Y", ["X1", "X2"], l2=0.1)
    theta = rng.normal(size=problem.dimension)
    np.testing.assert_allclose(gauss_newton_matrix(problem, theta), hessian_matrix(problem, theta), atol=1e-12)
    # and differs for a network away from a perfect fit: the dropped term is not zero
    problem, theta = case("regression", rng)
    assert np.abs(gauss_newton_matrix(problem, theta) - hessian_matrix(problem, theta)).max() > 1e-3


def test_a_model_too_large_for_a_dense_matrix_is_refused_in_one_line(rng):
    problem = ModelProblem(blobs(rng), "mlp:400", "Y", ["X1", "X2"])
    with pytest.raises(ValueError, match=r"not formed for 1,601 parameters \(at most 1,000\)"):
        hessian_matrix(problem, problem.initial())


# ---------------------------------------------------------------- singular values of the Jacobian

def test_regression_residual_jacobians_singular_values_squared_give_gauss_newton(rng):
    problem = ModelProblem(wave(rng), "mlp:4", "Y", ["X1", "X2"])   # no penalty
    theta = problem.initial(2)
    sigma, note = residual_jacobian_singular_values(problem, theta)
    assert note is None and np.all(np.diff(sigma) <= 0)
    network, X, y = problem.network, problem.X_train, problem.y_train
    j = jacobian(lambda t: network.logits(t, X)[:, 0] - y)(theta)
    np.testing.assert_allclose(sigma, np.linalg.svd(j, compute_uv=False), atol=1e-10)
    eig = np.sort(np.linalg.eigvalsh(gauss_newton_matrix(problem, theta)))[::-1]
    padded = np.zeros(problem.dimension)
    padded[:len(sigma)] = 2 / len(y) * sigma ** 2
    np.testing.assert_allclose(padded, eig, atol=1e-10)


@pytest.mark.parametrize("classes", [2, 3])
def test_classifiers_whitened_jacobians_singular_values_squared_give_gauss_newton(classes, rng):
    problem = ModelProblem(blobs(rng, rows=12, classes=classes), "mlp:3", "Y", ["X1", "X2"])
    theta = problem.initial(4)
    sigma, note = residual_jacobian_singular_values(problem, theta)
    eig = np.sort(np.linalg.eigvalsh(explicit_gauss_newton(problem, theta)))[::-1]
    padded = np.zeros(problem.dimension)
    m = min(len(sigma), problem.dimension)
    padded[:m] = sigma[:m] ** 2 / len(problem.y_train)
    np.testing.assert_allclose(padded, eig, atol=1e-10)


def test_a_jacobian_with_too_many_rows_is_not_formed_and_says_why(rng):
    problem = ModelProblem(blobs(rng, rows=2100), "logistic", "Y", ["X1", "X2"])
    sigma, note = residual_jacobian_singular_values(problem, problem.initial())
    assert sigma is None and note == ("singular values not computed: the Jacobian would be 2,100 × 3 "
                                      "(formed up to 2,000 rows × 1,000 parameters)")


# ---------------------------------------------------------------- eigenvectors and spectra

def test_top_eigenvectors_are_the_dense_hessians_largest_pairs_with_the_sign_convention(rng):
    problem = ModelProblem(blobs(rng), "mlp:3", "Y", ["X1", "X2"], l2=0.01)
    theta = problem.initial(1)
    h = hessian(loss_of(problem))(theta)
    expected, vectors = np.linalg.eigh(h)
    values, found = top_eigenvectors(problem, theta, k=2, seed=3)
    np.testing.assert_allclose(values, expected[::-1][:2], rtol=1e-8)
    for i in range(2):
        assert np.linalg.norm(h @ found[:, i] - values[i] * found[:, i]) <= RESIDUAL * abs(expected).max()
        assert found[np.argmax(np.abs(found[:, i])), i] > 0
        assert abs(found[:, i] @ vectors[:, -1 - i]) == pytest.approx(1.0, abs=1e-8)
    # the same picture from another start: the sign convention fixes the vectors
    np.testing.assert_allclose(top_eigenvectors(problem, theta, k=2, seed=11)[1], found, atol=1e-4)


def test_signed_flips_a_column_whose_largest_entry_is_negative():
    v = np.array([[0.1, -0.2], [-0.9, 0.3], [0.2, 0.1]])
    np.testing.assert_allclose(signed(v), [[-0.1, -0.2], [0.9, 0.3], [-0.2, 0.1]])


def test_a_complete_spectrum_is_every_eigenvalue_of_both_matrices_with_its_counts(rng):
    problem, theta = case("classes", rng)
    out = spectrum(problem, theta)
    h = np.linalg.eigvalsh(hessian(loss_of(problem))(theta))
    g = np.linalg.eigvalsh(explicit_gauss_newton(problem, theta))
    assert out["complete"] and len(out["hessian_eigenvalues"]) == problem.dimension
    np.testing.assert_allclose(out["hessian_eigenvalues"], h, atol=1e-10)
    np.testing.assert_allclose(out["gauss_newton_eigenvalues"], g, atol=1e-10)
    assert out["lambda_max"] == pytest.approx(h[-1]) and out["lambda_min"] == pytest.approx(h[0])
    assert out["negative_count"] == int(np.sum(h < -1e-8 * np.abs(h).max())) and out["negative_count"] > 0
    assert out["condition_number"] is None                   # λmin < 0: indefinite
    assert out["gauss_newton"]["negative_count"] == 0


def test_a_positive_definite_hessian_has_its_condition_number(rng):
    problem = ModelProblem(wave(rng), "linear", "Y", ["X1", "X2"], l2=0.1)
    out = spectrum(problem, np.zeros(3))
    h = np.linalg.eigvalsh(hessian(loss_of(problem))(np.zeros(3)))
    assert out["condition_number"] == pytest.approx(h[-1] / h[0]) and out["negative_count"] == 0


def test_lanczos_ends_agree_with_the_dense_spectrum(rng, monkeypatch):
    problem, theta = case("classes", rng)   # 21 parameters, taken as if too many to form H
    monkeypatch.setattr(curvature, "SPECTRUM_DENSE_LIMIT", 10)
    out = spectrum(problem, theta, k=3)
    h = np.linalg.eigvalsh(hessian(loss_of(problem))(theta))
    g = np.linalg.eigvalsh(explicit_gauss_newton(problem, theta))
    assert not out["complete"] and out["converged"] and out["products"] > 0
    np.testing.assert_allclose(out["hessian_eigenvalues"], np.r_[h[:3], h[-3:]], atol=1e-8)
    np.testing.assert_allclose(out["gauss_newton_eigenvalues"], np.r_[g[:3], g[-3:]], atol=1e-8)
    assert max(out["hessian_residuals"]) <= RESIDUAL * np.abs(h).max() and all(out["hessian_converged"])
    assert len(out["gauss_newton_converged"]) == 6


def test_a_two_thousand_parameter_networks_extremes_are_eigenpairs(rng):
    problem = ModelProblem(blobs(rng, rows=60, features=3), "mlp:40,40", "Y", ["X1", "X2", "X3"], l2=0.001)
    theta = problem.initial(0)
    assert problem.dimension == 1841
    out = spectrum(problem, theta, k=2)
    assert not out["complete"] and len(out["hessian_eigenvalues"]) == 4
    values, vectors = top_eigenvectors(problem, theta, k=1)
    assert out["lambda_max"] == pytest.approx(values[0], rel=1e-6)
    hvp = ModelObjective(problem).hvp_at(theta)
    assert np.linalg.norm(hvp(vectors[:, 0]) - values[0] * vectors[:, 0]) <= 2 * RESIDUAL * abs(values[0])
    assert out["gauss_newton"]["lambda_min"] >= -1e-6 * out["gauss_newton"]["lambda_max"]


@pytest.mark.parametrize("dense_limit", [1000, 3])
def test_a_hessian_that_is_not_finite_gives_no_numbers_and_no_error(dense_limit, rng, monkeypatch):
    """A linear-activation network with weights of 1e200: its logits and their products overflow."""
    monkeypatch.setattr(curvature, "SPECTRUM_DENSE_LIMIT", dense_limit)
    problem = ModelProblem(wave(rng), "mlp:2:linear", "Y", ["X1", "X2"])
    theta = np.full(problem.dimension, 1e200)
    out = spectrum(problem, theta)
    assert out["lambda_max"] is None and out["condition_number"] is None and out["negative_count"] is None
    assert out["converged"] is False
    if dense_limit == 1000:   # weights of 1e308: the hidden values overflow, and so does the Jacobian
        assert residual_jacobian_singular_values(problem, np.full(problem.dimension, 1e308)) == (
            None, "singular values not computed: the Jacobian is not finite at these parameters")
