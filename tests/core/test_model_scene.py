"""Scenes of a network fit: the "network" and "split" keys read strictly, written back the same, a run's start
"init"; and the loss slice over two of a network's parameters equals the loss at those points."""
import json

import numpy as np
import pytest

from explorer.core.datasets import generate
from explorer.core.fit_scene import DataSpec, FitSpec, NetworkSpec, build_fit, initial_theta
from explorer.core.model_fit import ModelProblem
from explorer.core.model_map import MAP_WORK, ModelSliceCalculus, thinned
from explorer.core.model_scene import MAX_PARAMETERS, default_axes
from explorer.core.scene import SceneError, scene_from_dict, scene_from_json, scene_to_json
from explorer.core.split import split_rows


def network_data(fit=None, runs=None, **changes):
    data = {"format_version": 1, "expression": "",
            "fit": {"data": {"dataset": "moons", "seed": 1, "rows": 60, "noise": 0.2},
                    "network": {"model": "mlp:3:tanh", "l2": 0.01, "l1": 0.0, "init_seed": 4, "standardise": True},
                    "split": {"test_fraction": 0.25, "seed": 2}, "target": "Y", "features": ["X1", "X2"],
                    "axes": ["W2[0,0]", "W2[1,0]"], "held": "run", **(fit or {})},
            "runs": runs if runs is not None else [{"method": "adam", "settings": {"lr": 0.05}, "start": "init"}],
            "x_range": [-4, 4], "y_range": [-4, 4]}
    data.update(changes)
    return data


def test_a_network_scene_reads_back_what_was_written_with_init_starts():
    scene = scene_from_dict(network_data())
    fit = scene.fit
    assert fit.network == NetworkSpec("mlp:3:tanh", 0.01, 0.0, 4, 0.25, 2, True)
    assert fit.data == DataSpec("moons", 1, 60, noise=0.2)
    # 2 inputs, 3 hidden, 1 output: W1 2×3, b1 3, W2 3×1, b2 1
    assert fit.dimension == 13 and fit.trained[0] == "W1[0,0]" and fit.trained[-1] == "b2[0]"
    problem = build_fit(fit, "", {})
    assert isinstance(problem, ModelProblem) and problem.dimension == 13
    assert np.array_equal(scene.runs[0].start, problem.initial(4))
    assert len(problem.y_test) == 15 and len(problem.y_train) == 45   # 25 % of 60 held out
    text = scene_to_json(scene)
    data = json.loads(text)
    assert data["runs"][0]["start"] == "init" and "train" not in data["fit"]
    assert data["fit"]["split"] == {"test_fraction": 0.25, "seed": 2}
    assert scene_from_json(text) == scene


def test_a_start_other_than_the_initial_one_is_written_as_numbers():
    start = [0.5] * 13
    scene = scene_from_dict(network_data(runs=[{"method": "gd", "start": start}]))
    assert scene.runs[0].start == tuple(start)
    assert json.loads(scene_to_json(scene))["runs"][0]["start"] == start


def test_target_features_and_train_may_be_left_out():
    data = network_data()
    for key in ("target", "features", "split"):
        del data["fit"][key]
    fit = scene_from_dict(data).fit
    assert fit.target == "Y" and fit.features == ("X1", "X2") and fit.network.test_fraction == 0.0
    assert "split" not in json.loads(scene_to_json(scene_from_dict(data)))["fit"]


@pytest.mark.parametrize("fit, words", [
    ({"network": {"model": "mlp:0:tanh"}}, "fit.network.model"),
    ({"network": {"model": "mlp:3:swish"}}, "fit.network.model"),
    ({"network": {"model": "mlp:3", "l2": -1}}, "'fit.network.l2' must be >= 0"),
    ({"network": {"model": "mlp:3", "dropout": 0.5}}, "dropout"),
    ({"split": {"test_fraction": 0.95}}, "'fit.split.test_fraction' must lie in [0, 0.9]"),
    ({"split": {"test_fraction": 0.2, "stratify": True}}, "stratify"),
    ({"target": "Z"}, "fit.target: no column 'Z'"),
    ({"features": ["X1", "Q"]}, "fit.features: no column 'Q'"),
    ({"axes": ["W1[0,0]", "W9[0,0]"]}, "fit.axes"),
    ({"train": ["a", "b"]}, "fit.train"),
    ({"model": "w*X1"}, "'fit.model' belongs to a typed loss"),
    ({"held": [1, 2]}, "fit.held"),
    ({"data": {"dataset": "moons", "noise": -1}}, "'fit.data.noise' must be >= 0"),
    ({"network": {"model": "mlp:1024,1024"}}, f"at most {MAX_PARAMETERS:,}"),
])
def test_a_broken_network_scene_is_refused_naming_the_key(fit, words):
    with pytest.raises(SceneError) as caught:
        scene_from_dict(network_data(fit))
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_a_typed_loss_or_a_start_of_the_wrong_size_is_refused():
    with pytest.raises(SceneError, match="expression: a network's fit has no typed loss"):
        scene_from_dict(network_data(expression="(w*X1 - Y)^2"))
    with pytest.raises(SceneError, match=r"runs\[0\]"):
        scene_from_dict(network_data(runs=[{"method": "gd", "start": [0, 0]}]))
    data = network_data()
    del data["fit"]["network"]
    data["fit"]["split"] = {"test_fraction": 0.2}
    with pytest.raises(SceneError, match="'fit.split' holds out rows of a network's fit"):
        scene_from_dict(data)


def test_the_initial_start_follows_the_init_seed():
    spec = scene_from_dict(network_data()).fit
    other = FitSpec(spec.data, spec.trained, spec.axes, target="Y", features=("X1", "X2"),
                    network=NetworkSpec("mlp:3:tanh", init_seed=5))
    assert initial_theta(spec) != initial_theta(other)
    assert initial_theta(FitSpec(DataSpec("line"), ("w", "b"), ("w", "b"))) is None


@pytest.mark.parametrize("model, dataset, axes", [
    ("mlp:4:tanh", "moons", ("W1[0,1]", "W1[1,1]")),     # one hidden unit's two inputs
    ("mlp:4:tanh", "moons", ("W1[0,0]", "b2[0]")),       # the first and the last layer
    ("mlp:3,2:relu", "blobs", ("b1[2]", "W2[1,1]")),     # two layers in the middle, three classes
    ("mlp:3,2:sigmoid", "wave", ("W3[0,0]", "W3[1,0]")),  # regression, the last layer
    ("softmax", "blobs", ("W1[0,1]", "b1[2]")),
])
def test_the_slice_is_the_loss_at_the_grid_points_with_the_others_held(model, dataset, axes):
    data = generate(dataset, 0, 40)
    features = [c for c in data.columns if c != "Y"]
    problem = ModelProblem(data, model, "Y", features, l2=0.03, l1=0.02, split=split_rows(40, 0.25, 1))
    theta = problem.initial(3) + np.random.default_rng(0).normal(0, 0.3, problem.dimension)
    i, j = (problem.trained.index(a) for a in axes)
    xs, ys = np.array([-1.5, 0.0, 0.7, 2.0]), np.array([-0.4, 0.3, 1.1])
    cmap = ModelSliceCalculus(problem, i, j, theta).curvature_map(xs, ys)
    objective = problem.objective()
    for a, b in ((0, 0), (2, 1), (3, 2)):
        point = theta.copy()
        point[i], point[j] = xs[a], ys[b]
        assert cmap.z[a, b] == pytest.approx(problem.value(point), rel=1e-12, abs=1e-12)
        gradient = objective.value_and_gradient(point)[1]
        assert (cmap.gx[a, b], cmap.gy[a, b]) == pytest.approx((gradient[i], gradient[j]), abs=1e-10)
        hi, hj = (objective.hessian_vector_product(point, np.eye(problem.dimension)[k]) for k in (i, j))
        assert (cmap.hxx[a, b], cmap.hxy[a, b], cmap.hyy[a, b]) == pytest.approx((hi[i], hi[j], hj[j]), abs=1e-9)


def test_default_axes_are_two_parameters_of_the_last_layer():
    data = generate("moons", 0, 30)
    assert default_axes(ModelProblem(data, "logistic", "Y", ["X1", "X2"])) == ("W1[0,0]", "W1[1,0]")
    assert default_axes(ModelProblem(data, "mlp:5,1:tanh", "Y", ["X1", "X2"])) == ("W3[0,0]", "b3[0]")


def test_a_costly_map_is_thinned_to_an_even_grid_over_the_same_window():
    x, y = np.linspace(-2, 3, 200), np.linspace(0, 1, 100)
    assert thinned(x, y, 10) == (x, y)
    tx, ty = thinned(x, y, 64_000)
    assert tx[0] == -2 and tx[-1] == 3 and ty[0] == 0 and ty[-1] == 1
    assert tx.size * ty.size * 64_000 <= MAP_WORK * 1.05 or min(tx.size, ty.size) == 15
    assert np.allclose(np.diff(tx), np.diff(tx)[0])
