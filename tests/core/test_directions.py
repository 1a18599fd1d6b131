"""The loss along chosen directions: filter normalisation, the batched slice against L evaluated point by point,
the slice's 2×2 Hessian against a dense autograd Hessian, PCA against numpy's SVD, Hessian directions against
eigh, projections and the line between two runs' ends."""
import numpy as np
import pytest
from autograd import hessian

from explorer.core.data import Dataset
from explorer.core.directions import (DirectionError, DirectionSliceCalculus, DirectionSpec, check_spec,
                                      filter_normalised, line_values, pca_directions, plane_centre, plane_directions)
from explorer.core.model_fit import ModelProblem


def small_problem(rng, model="mlp:3:tanh", rows=40, l2=0.01, task="binary"):
    X = rng.normal(size=(rows, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float) if task == "binary" else np.arange(rows) % 3
    data = Dataset.from_columns("d", {"X1": X[:, 0], "X2": X[:, 1], "Y": y})
    return ModelProblem(data, model, "Y", ["X1", "X2"], l2=l2)


def test_filter_normalisation_gives_each_neuron_its_own_norm(rng):
    problem = small_problem(rng, "mlp:5,4:tanh")
    theta = rng.normal(size=problem.dimension)
    d1, d2 = plane_directions(problem, DirectionSpec("random", seed=3), theta)
    for d in (d1, d2):
        for name, part in problem.network.unflatten(d).items():
            own = problem.network.unflatten(theta)[name]
            if name.startswith("W"):   # a neuron is a column of W (fan-in × fan-out)
                np.testing.assert_allclose(np.linalg.norm(part, axis=0), np.linalg.norm(own, axis=0), rtol=1e-12)
            else:
                np.testing.assert_allclose(np.linalg.norm(part), np.linalg.norm(own), rtol=1e-12)
    assert abs(d1 @ d2) < np.linalg.norm(d1) * np.linalg.norm(d2)   # two draws, not one
    again = plane_directions(problem, DirectionSpec("random", seed=3), theta)
    np.testing.assert_array_equal(again[0], d1)   # reproducible from the seed


def test_filter_normalisation_of_a_zero_bias_is_zero(rng):
    problem = small_problem(rng)
    theta = rng.normal(size=problem.dimension)
    theta[problem.network._layers[0][3]:problem.network._layers[0][4]] = 0.0
    d = filter_normalised(problem, theta, rng.normal(size=problem.dimension))
    assert not np.any(problem.network.unflatten(d)["b1"])


@pytest.mark.parametrize("model, task", [("mlp:4,3:tanh", "binary"), ("mlp:3:relu", "classes"),
                                         ("logistic", "binary")])
def test_slice_is_the_loss_at_each_point_of_the_plane(rng, model, task):
    problem = small_problem(rng, model, task=task)
    theta = rng.normal(size=problem.dimension)
    d1, d2 = rng.normal(size=(2, problem.dimension))
    calculus = DirectionSliceCalculus(problem, theta, d1, d2)
    a, b = np.linspace(-1, 1, 5), np.linspace(-0.5, 2, 4)
    reference = np.array([[problem.value(theta + x * d1 + y * d2) for y in b] for x in a])
    np.testing.assert_allclose(calculus.values(a, b), reference, rtol=1e-12, atol=1e-13)
    cmap = calculus.curvature_map(a, b)
    np.testing.assert_allclose(cmap.z, reference, rtol=1e-12, atol=1e-13)
    assert calculus.values([0.0], [0.0])[0, 0] == pytest.approx(problem.value(theta), rel=1e-13)


def test_slice_hessian_is_the_projected_dense_hessian(rng):
    problem = small_problem(rng, "mlp:3:tanh", l2=0.05)
    theta = rng.normal(size=problem.dimension)
    d1, d2 = plane_directions(problem, DirectionSpec("random", seed=1), theta)
    a, b = 0.3, -0.2
    point = theta + a * d1 + b * d2
    H = hessian(lambda t: problem.network.loss(t, problem.X_train, problem.y_train))(point)
    D = np.column_stack([d1, d2])
    expected = D.T @ H @ D
    cmap = DirectionSliceCalculus(problem, theta, d1, d2).curvature_map([a], [b])
    got = np.array([[cmap.hxx[0, 0], cmap.hxy[0, 0]], [cmap.hxy[0, 0], cmap.hyy[0, 0]]])
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


def test_slice_gradient_matches_finite_differences(rng):
    problem = small_problem(rng, "mlp:4:sigmoid")
    theta = rng.normal(size=problem.dimension)
    d1, d2 = rng.normal(size=(2, problem.dimension))
    calculus = DirectionSliceCalculus(problem, theta, d1, d2)
    cmap = calculus.curvature_map([0.1], [0.2])
    h = 1e-6
    fd_a = (problem.value(theta + (0.1 + h) * d1 + 0.2 * d2) - problem.value(theta + (0.1 - h) * d1 + 0.2 * d2)) / (2 * h)
    assert cmap.gx[0, 0] == pytest.approx(fd_a, rel=1e-6)


def test_params_directions_are_unit_vectors_of_the_two_parameters(rng):
    problem = small_problem(rng)
    theta = rng.normal(size=problem.dimension)
    d1, d2 = plane_directions(problem, DirectionSpec("params", axes=("W1[1,2]", "b2[0]")), theta)
    i, j = problem.trained.index("W1[1,2]"), problem.trained.index("b2[0]")
    np.testing.assert_array_equal(d1, np.eye(problem.dimension)[i])
    np.testing.assert_array_equal(d2, np.eye(problem.dimension)[j])
    with pytest.raises(DirectionError, match="'W9\\[0,0\\]' is not a parameter"):
        plane_directions(problem, DirectionSpec("params", axes=("W9[0,0]", "b2[0]")), theta)


def test_hessian_directions_are_the_top_eigenvectors(rng):
    problem = small_problem(rng, "mlp:3:tanh")
    theta = rng.normal(size=problem.dimension)
    d1, d2 = plane_directions(problem, DirectionSpec("hessian"), theta)
    H = hessian(lambda t: problem.network.loss(t, problem.X_train, problem.y_train))(theta)
    values, vectors = np.linalg.eigh(H)
    for d, k in ((d1, -1), (d2, -2)):
        assert np.linalg.norm(d) == pytest.approx(1.0)
        assert abs(d @ vectors[:, k]) == pytest.approx(1.0, abs=1e-8)
        assert d[np.argmax(np.abs(d))] > 0   # the sign convention
        assert d @ H @ d == pytest.approx(values[k], rel=1e-8)


def test_pca_directions_against_numpy_svd(rng):
    path = np.cumsum(rng.normal(size=(30, 6)) * [3, 1, 0.5, 0.1, 0.1, 0.1], axis=0)
    (d1, d2), end = pca_directions(path)
    _, s, vt = np.linalg.svd(path - path[-1], full_matrices=False)
    np.testing.assert_array_equal(end, path[-1])
    for d, k in ((d1, 0), (d2, 1)):
        assert abs(d @ vt[k]) == pytest.approx(1.0)
        assert np.linalg.norm(d) == pytest.approx(1.0)
        assert d[np.argmax(np.abs(d))] > 0
    # the path's spread along d1 is its largest singular value
    assert np.linalg.norm((path - path[-1]) @ d1) == pytest.approx(s[0])
    with pytest.raises(DirectionError, match="on a line"):
        pca_directions(np.outer(np.arange(5.0), np.ones(3)))


def test_pca_centre_is_the_runs_end(rng):
    problem = small_problem(rng)
    path = rng.normal(size=(10, problem.dimension))
    centre = plane_centre(DirectionSpec("pca"), path[3], np.zeros(problem.dimension), [path])
    np.testing.assert_array_equal(centre, path[-1])
    d1, d2 = plane_directions(problem, DirectionSpec("pca"), centre, [path])
    # every point of the path lies in the plane's span up to the two components' residual
    coefficients = DirectionSliceCalculus(problem, centre, d1, d2).project(path)
    assert coefficients.shape == (10, 2)


def test_projection_recovers_the_coefficients(rng):
    problem = small_problem(rng)
    theta = rng.normal(size=problem.dimension)
    d1, d2 = rng.normal(size=(2, problem.dimension))
    calculus = DirectionSliceCalculus(problem, theta, d1, d2)
    np.testing.assert_allclose(calculus.project(theta + 2 * d1 - d2), [2.0, -1.0], atol=1e-12)
    many = theta + np.array([[1, 0], [0, 1], [0.5, -3]]) @ np.array([d1, d2])
    np.testing.assert_allclose(calculus.project(many), [[1, 0], [0, 1], [0.5, -3]], atol=1e-12)
    np.testing.assert_allclose(calculus.point(0.5, -3), many[2])


def test_runs_line_goes_from_one_end_to_the_other(rng):
    problem = small_problem(rng)
    a_path, b_path = rng.normal(size=(2, 5, problem.dimension))
    spec = DirectionSpec("runs", seed=2, runs=(0, 1))
    centre = plane_centre(spec, a_path[0], None, [a_path, b_path])
    d1, d2 = plane_directions(problem, spec, centre, [a_path, b_path])
    np.testing.assert_allclose(centre - d1, a_path[-1])
    np.testing.assert_allclose(centre + d1, b_path[-1])
    assert abs(d1 @ d2) < 1e-12 * np.linalg.norm(d1) * np.linalg.norm(d2)
    ts = np.linspace(0, 1, 5)
    line = line_values(problem, a_path[-1], b_path[-1] - a_path[-1], ts)
    np.testing.assert_allclose(line, [problem.value(a_path[-1] + t * (b_path[-1] - a_path[-1])) for t in ts])
    with pytest.raises(DirectionError, match="runs 1 and 3"):
        plane_centre(DirectionSpec("runs", runs=(0, 2)), a_path[0], None, [a_path, b_path])


@pytest.mark.parametrize("spec, message", [(DirectionSpec("sideways"), "not 'sideways'"),
                                           (DirectionSpec(span=0.0), "span must be a number > 0"),
                                           (DirectionSpec(centre="middle"), "not 'middle'"),
                                           (DirectionSpec("runs", runs=(1, 1)), "two different run numbers")])
def test_bad_specs_say_what_is_wrong(spec, message):
    with pytest.raises(DirectionError, match=message):
        check_spec(spec)


def test_hessian_directions_of_a_bigger_network_settle_early(rng):
    problem = small_problem(rng, "mlp:8,8:tanh", rows=60)
    theta = problem.initial(0) * 1.5
    d1, d2 = plane_directions(problem, DirectionSpec("hessian"), theta)
    H = hessian(lambda t: problem.network.loss(t, problem.X_train, problem.y_train))(theta)
    values, vectors = np.linalg.eigh(H)
    assert abs(d1 @ vectors[:, -1]) == pytest.approx(1.0, abs=1e-8)
    assert abs(d2 @ vectors[:, -2]) == pytest.approx(1.0, abs=1e-6)
