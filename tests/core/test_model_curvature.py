"""The Hessian of a model's loss, its spectrum and the Gauss–Newton matrix, against autograd's dense matrices,
finite differences and numpy's eigensolvers."""
import numpy as np
import pytest
from autograd import hessian

from explorer.core.data import Dataset
from explorer.core.model_curvature import RESIDUAL, signed, top_eigenvectors
from explorer.core.model_fit import ModelProblem


def blobs(rng, rows=30, classes=2, features=2):
    """Rows of `features` normal features and an integer class 0..classes−1 shifting their mean."""
    y = np.arange(rows) % classes
    X = rng.normal(size=(rows, features)) + np.outer(y, np.linspace(1.0, -0.5, features))
    return Dataset.from_columns("blobs", {**{f"X{j + 1}": X[:, j] for j in range(features)}, "Y": y.astype(float)})


def dense_hessian(problem, theta):
    network, X, y = problem.network, problem.X_train, problem.y_train
    return hessian(lambda t: network.loss(t, X, y))(np.asarray(theta, dtype=float))


def test_top_eigenvectors_are_the_dense_hessians_largest_pairs_with_the_sign_convention(rng):
    problem = ModelProblem(blobs(rng), "mlp:3", "Y", ["X1", "X2"], l2=0.01)
    theta = problem.initial(1)
    h = dense_hessian(problem, theta)
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
