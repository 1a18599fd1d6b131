"""`inspect --model ... --params FILE --spectrum [K]`: the keys and their order against numpy's eigvalsh of
autograd's Hessian, Lanczos's ends for a large model, and one-line refusals."""
import json

import numpy as np
import pytest
from autograd import hessian

from explorer.core.datasets import generate
from explorer.core.model_fit import ModelProblem
from tests.cli.cli_calls import error, output, strict_json

CLASSES = ("--dataset", "classes-2d", "--target", "Y", "--features", "X1,X2")


def saved(tmp_path, capsys, model, *extra):
    """Train a few steps and save the parameters run printed; (path, run's JSON)."""
    out = strict_json(output(capsys, "run", *CLASSES, "--model", model, *extra, "--method", "adam", "--steps", "15",
                             "--json"))
    path = tmp_path / "params.json"
    path.write_text(json.dumps({"parameters": out["runs"][0]["parameters"]}))
    return path, out


def dense_eigenvalues(model, params, l2=0.0):
    """eigvalsh of autograd's Hessian of the same loss, built from the dataset directly."""
    problem = ModelProblem(generate("classes-2d"), model, "Y", ["X1", "X2"], l2=l2)
    theta = problem.network.flatten({k: np.asarray(v) for k, v in params.items()})
    return np.linalg.eigvalsh(hessian(lambda t: problem.network.loss(t, problem.X_train, problem.y_train))(theta))


def test_a_small_models_spectrum_is_every_eigenvalue_ascending(tmp_path, capsys):
    path, run = saved(tmp_path, capsys, "mlp:3", "--l2", "0.01")
    out = strict_json(output(capsys, "inspect", *CLASSES, "--model", "mlp:3", "--l2", "0.01", "--params", str(path),
                             "--spectrum", "--json"))
    expected = dense_eigenvalues("mlp:3", run["runs"][0]["parameters"], l2=0.01)
    assert out["complete"] is True and len(out["hessian_eigenvalues"]) == out["parameter_count"] == 13
    np.testing.assert_allclose(out["hessian_eigenvalues"], expected, atol=1e-10)
    assert out["hessian_eigenvalues"] == sorted(out["hessian_eigenvalues"])
    assert out["gauss_newton_eigenvalues"] == sorted(out["gauss_newton_eigenvalues"])
    assert out["negative_count"] == int(np.sum(expected < -1e-8 * np.abs(expected).max()))
    assert out["condition_number"] == (pytest.approx(expected[-1] / expected[0]) if expected[0] > 0 else None)
    text = output(capsys, "inspect", *CLASSES, "--model", "mlp:3", "--l2", "0.01", "--params", str(path),
                  "--spectrum")
    assert "Hessian spectrum (all 13 eigenvalues):" in text and f"λmax = {expected[-1]:.6g}" in text
    assert "negative directions: " in text and "Gauss–Newton spectrum" in text


def test_a_large_models_spectrum_is_its_k_smallest_and_k_largest(tmp_path, capsys):
    path, _ = saved(tmp_path, capsys, "mlp:40,30")   # 1,381 parameters
    out = strict_json(output(capsys, "inspect", *CLASSES, "--model", "mlp:40,30", "--params", str(path),
                             "--spectrum", "3", "--json"))
    values = out["hessian_eigenvalues"]
    assert out["complete"] is False and out["parameter_count"] == 1381 and len(values) == 6
    assert values == sorted(values) and len(out["hessian_residuals"]) == 6
    assert len(out["gauss_newton_eigenvalues"]) == 6 and out["products"] > 0
    text = output(capsys, "inspect", *CLASSES, "--model", "mlp:40,30", "--params", str(path), "--spectrum", "3")
    assert "the 3 smallest and 3 largest eigenvalues by Lanczos" in text and "negative directions: at least" in text
    assert f"{sum(out['hessian_converged'])} of 6 converged" in text


@pytest.mark.parametrize("k, message", [("0", "--spectrum must be between 1 and 500; got 0"),
                                        ("many", "--spectrum needs a whole number; got 'many'")])
def test_a_bad_k_is_one_line(k, message, tmp_path, capsys):
    path, _ = saved(tmp_path, capsys, "logistic")
    assert error(capsys, "inspect", *CLASSES, "--model", "logistic", "--params", str(path), "--spectrum",
                 k) == message


def test_spectrum_without_a_model_is_one_line(capsys):
    assert "--spectrum goes with --model" in error(capsys, "inspect", "x**2 + y**2", "--at", "1,2", "--spectrum")


def test_the_jacobians_singular_values_squared_are_gauss_newtons_eigenvalues(tmp_path, capsys):
    """A regression without a penalty: eig(G) = (2/n)·σ² of the residuals' Jacobian (rows × parameters)."""
    path = tmp_path / "data.csv"
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 2))
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1]
    path.write_text("X1,X2,Y\n" + "\n".join(f"{a},{b},{c}" for a, b, c in zip(X[:, 0], X[:, 1], y)) + "\n")
    data = ("--data", str(path), "--target", "Y", "--features", "X1,X2")
    run = strict_json(output(capsys, "run", *data, "--model", "mlp:3", "--method", "adam", "--steps", "5", "--json"))
    params = tmp_path / "params.json"
    params.write_text(json.dumps(run["runs"][0]["parameters"]))
    out = strict_json(output(capsys, "inspect", *data, "--model", "mlp:3", "--params", str(params), "--spectrum",
                             "--json"))
    sigma = np.asarray(out["jacobian_singular_values"])
    assert out["task"] == "regression" and len(sigma) == 13 and np.all(np.diff(sigma) <= 0)
    np.testing.assert_allclose(np.sort(2 / 30 * sigma ** 2), out["gauss_newton_eigenvalues"], atol=1e-10)


def test_a_hessian_that_is_not_finite_is_said_in_one_line_and_null_in_json(tmp_path, capsys):
    params = tmp_path / "huge.json"   # linear activations, weights of 1e200: the Hessian's products overflow
    params.write_text(json.dumps({"W1": [[1e200, 1e200], [1e200, 1e200]], "b1": [0.0, 0.0], "W2": [[1e200], [1e200]],
                                  "b2": [0.0]}))
    argv = ("inspect", *CLASSES, "--model", "mlp:2:linear", "--params", str(params), "--spectrum")
    out = strict_json(output(capsys, *argv, "--json"))
    assert out["lambda_max"] is None and out["condition_number"] is None and out["negative_count"] is None
    assert "Hessian spectrum: not computed (the loss or its derivatives are not finite at these parameters)" in \
        output(capsys, *argv)
