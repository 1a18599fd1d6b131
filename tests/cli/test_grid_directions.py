"""`grid --model ... --params FILE.json --directions KIND`: the .npz's losses checked against a forward pass written
here in numpy, its directions' layout, and one-line refusals."""
import json

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import hessian

from explorer.core.datasets import generate
from tests.cli.cli_calls import error, output, strict_json

DATA = ("--dataset", "classes-2d", "--target", "Y", "--features", "X1,X2", "--model", "mlp:3:tanh")


@pytest.fixture
def params_file(capsys, tmp_path):
    out = strict_json(output(capsys, "run", *DATA, "--method", "gd", "--lr", "0.5", "--steps", "30", "--json"))
    path = tmp_path / "p.json"
    path.write_text(json.dumps(out["runs"][0]["parameters"]))
    return path, out["runs"][0]["parameters"]


def loss_by_hand(flat):
    """Mean binary cross-entropy of a 2-3-1 tanh network on classes-2d, θ flat in W1, b1, W2, b2's row-major order."""
    d = generate("classes-2d")
    X, y = np.column_stack([d.column("X1"), d.column("X2")]), d.column("Y")
    W1, b1, W2, b2 = anp.reshape(flat[:6], (2, 3)), flat[6:9], anp.reshape(flat[9:12], (3, 1)), flat[12:13]
    z = (anp.dot(anp.tanh(anp.dot(X, W1) + b1), W2) + b2)[:, 0]
    return anp.mean(anp.log1p(anp.exp(z)) - y * z)


def plane(capsys, tmp_path, params, *options):
    out = tmp_path / "plane.npz"
    output(capsys, "grid", *DATA, "--params", str(params), *options, "--out", str(out))
    return np.load(out)


def test_random_plane_holds_the_loss_at_each_point(capsys, tmp_path, params_file):
    path, params = params_file
    d = plane(capsys, tmp_path, path, "--directions", "random", "--span", "0.5", "-n", "5", "--seed", "3")
    assert d["loss"].shape == (5, 5)
    np.testing.assert_allclose(d["a"], np.linspace(-0.5, 0.5, 5))
    np.testing.assert_allclose(d["b"], d["a"])
    flat = np.concatenate([np.ravel(params[k]) for k in ("W1", "b1", "W2", "b2")])
    np.testing.assert_allclose(d["centre"], flat)
    assert list(d["parameter_names"][:4]) == ["W1[0,0]", "W1[0,1]", "W1[0,2]", "W1[1,0]"]
    for i in (0, 2, 4):
        for j in (1, 4):
            point = d["centre"] + d["a"][i] * d["d1"] + d["b"][j] * d["d2"]
            assert d["loss"][i, j] == pytest.approx(loss_by_hand(point), rel=1e-10)
    # filter-normalised: each hidden neuron's column of d1's W1 has the norm of θ*'s column
    np.testing.assert_allclose(np.linalg.norm(d["d1"][:6].reshape(2, 3), axis=0),
                               np.linalg.norm(np.asarray(params["W1"]), axis=0))


def test_params_plane_is_two_unit_vectors(capsys, tmp_path, params_file):
    d = plane(capsys, tmp_path, params_file[0], "--directions", "params:W1[1,2],b2[0]", "-n", "3")
    names = list(d["parameter_names"])
    assert d["d1"][names.index("W1[1,2]")] == 1.0 and d["d1"].sum() == 1.0
    assert d["d2"][names.index("b2[0]")] == 1.0 and d["d2"].sum() == 1.0
    shifted = d["centre"].copy()
    shifted[names.index("W1[1,2]")] += 1.0
    assert d["loss"][2, 1] == pytest.approx(loss_by_hand(shifted), rel=1e-10)


def test_pca_plane_is_centred_on_the_trained_runs_end(capsys, tmp_path, params_file):
    path, params = params_file
    d = plane(capsys, tmp_path, path, "--directions", "pca", "--method", "gd", "--lr", "0.5", "--steps", "20",
              "-n", "3")
    flat = np.concatenate([np.ravel(params[k]) for k in ("W1", "b1", "W2", "b2")])
    assert not np.allclose(d["centre"], flat)   # 20 more steps of gd from θ*
    assert loss_by_hand(d["centre"]) < loss_by_hand(flat)
    assert abs(d["d1"] @ d["d2"]) < 1e-10 * np.linalg.norm(d["d1"]) * np.linalg.norm(d["d2"])   # principal axes
    assert d["loss"][1, 1] == pytest.approx(loss_by_hand(d["centre"]), rel=1e-10)


def test_hessian_plane_is_the_two_top_eigenvectors(capsys, tmp_path, params_file):
    d = plane(capsys, tmp_path, params_file[0], "--directions", "hessian", "-n", "3")
    H = hessian(loss_by_hand)(d["centre"])
    values, vectors = np.linalg.eigh(H)
    assert abs(d["d1"] @ vectors[:, -1]) == pytest.approx(1.0, abs=1e-8)
    assert abs(d["d2"] @ vectors[:, -2]) == pytest.approx(1.0, abs=1e-6)
    assert d["d1"] @ H @ d["d1"] == pytest.approx(values[-1], rel=1e-8)


@pytest.mark.parametrize("options, message", [
    (("--directions", "sideways"), "--directions is params:NAME1,NAME2, random, hessian or pca; got 'sideways'"),
    (("--directions", "params:W1[0,0]"), "needs two parameter names"),
    (("--directions", "params:W1[0,0],W9[0,0]"), "'W9[0,0]' is not a parameter of mlp:3:tanh"),
    (("--directions", "random", "--span", "-1"), "--span must be a number > 0"),
    (("--directions", "random", "--steps", "4"), "they go with --directions pca"),
    (("--directions", "random", "--x", "0:1"), "--x and --y go with EXPR"),
])
def test_bad_options_are_refused_in_one_line(capsys, tmp_path, params_file, options, message):
    assert message in error(capsys, "grid", *DATA, "--params", str(params_file[0]), *options,
                            "--out", str(tmp_path / "x.npz"))


def test_a_plane_needs_its_point_and_a_network(capsys, tmp_path):
    out = str(tmp_path / "x.npz")
    assert "needs --params FILE.json" in error(capsys, "grid", *DATA, "--directions", "random", "--out", out)
    assert "needs --directions KIND" in error(capsys, "grid", *DATA, "--out", out)
    assert "--span goes with --directions" in error(capsys, "grid", "x^2", "--x", "0:1", "--y", "0:1",
                                                   "--span", "2", "--out", out)
    assert error(capsys, "grid", "x^2", "--out", out) == "the following arguments are required: --x, --y"
    assert "--l2 goes with --model" in error(capsys, "grid", "x^2", "--x", "0:1", "--y", "0:1", "--l2", "1",
                                             "--out", out)
    assert "--dataset goes with --directions" in error(capsys, "grid", "x^2", "--x", "0:1", "--y", "0:1",
                                                       "--dataset", "moons", "--out", out)
