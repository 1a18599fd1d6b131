"""`inspect --model ... --params FILE --input-jacobian`: the JSON's shapes and keys, logistic regression's closed
form P(1−P)·w from the file's own parameters, the plain text's table, and one-line refusals."""
import json

import numpy as np
import pytest

from explorer.core.datasets import generate
from tests.cli.cli_calls import error, output, strict_json


def trained(capsys, tmp_path, *data, model):
    out = strict_json(output(capsys, "run", *data, "--model", model, "--method", "adam", "--lr", "0.05",
                             "--steps", "30", "--json"))
    path = tmp_path / "params.json"
    path.write_text(json.dumps(out["runs"][0]["parameters"]))
    return str(path), out["runs"][0]["parameters"]


def test_logistic_jacobian_in_json_is_p_one_minus_p_times_w_at_every_row(capsys, tmp_path):
    data = ("--dataset", "classes-2d", "--rows", "80", "--test-fraction", "0.25")
    path, params = trained(capsys, tmp_path, *data, model="logistic")
    out = strict_json(output(capsys, "inspect", *data, "--model", "logistic", "--params", path, "--input-jacobian",
                             "--json"))
    d = generate("classes-2d", rows=80)
    X = np.column_stack([d.column("X1"), d.column("X2")])
    w, b = np.asarray(params["W1"])[:, 0], np.asarray(params["b1"])[0]
    P = 1 / (1 + np.exp(-(X @ w + b)))
    J = np.asarray(out["input_jacobian"])
    assert J.shape == (80, 1, 2) and out["outputs"] == ["P(Y = 1)"]
    np.testing.assert_allclose(J[:, 0, :], (P * (1 - P))[:, None] * w, rtol=1e-10)
    assert list(out["feature_importance"]) == ["X1", "X2"]
    np.testing.assert_allclose(list(out["feature_importance"].values()), np.abs(J).mean(axis=(0, 1)))
    assert out["feature_importance_per_output"]["P(Y = 1)"] == out["feature_importance"]
    assert "gradient" in out and "train" in out   # inspect's own keys stay


def test_classes_give_one_jacobian_row_per_class_summing_to_zero(capsys, tmp_path):
    data = ("--dataset", "blobs", "--rows", "60", "--classes", "4")
    path, _ = trained(capsys, tmp_path, *data, model="mlp:3:tanh")
    out = strict_json(output(capsys, "inspect", *data, "--model", "mlp:3:tanh", "--params", path,
                             "--input-jacobian", "--json"))
    J = np.asarray(out["input_jacobian"])
    assert J.shape == (60, 4, 2) and out["outputs"] == [f"P(Y = {k})" for k in range(4)]
    np.testing.assert_allclose(J.sum(axis=1), 0, atol=1e-12)
    assert set(out["feature_importance_per_output"]) == set(out["outputs"])


def test_plain_text_shows_the_importance_table_and_the_first_rows(capsys, tmp_path):
    data = ("--dataset", "moons-noise", "--rows", "50")
    path, _ = trained(capsys, tmp_path, *data, model="mlp:4:tanh")
    text = output(capsys, "inspect", *data, "--model", "mlp:4:tanh", "--params", path, "--input-jacobian")
    assert "feature importance" in text
    table = text[text.index("feature importance"):].splitlines()[1:4]
    assert sorted(line.split()[0] for line in table) == ["X1", "X2", "X3"]
    assert "row 0 (X1 = " in text and "row 4 (" in text and "row 5 (" not in text
    assert "∂P(Y = 1)/∂(X1, X2, X3) = (" in text


def test_without_the_option_nothing_is_added(capsys, tmp_path):
    data = ("--dataset", "moons", "--rows", "30")
    path, _ = trained(capsys, tmp_path, *data, model="logistic")
    out = strict_json(output(capsys, "inspect", *data, "--model", "logistic", "--params", path, "--json"))
    assert "input_jacobian" not in out and "feature_importance" not in out


@pytest.mark.parametrize("argv, message", [
    (("x**2 + y**2", "--at", "1,2", "--input-jacobian"), "--input-jacobian goes with --model SPEC"),
    (("--dataset", "moons", "--model", "logistic", "--input-jacobian"), "needs --params FILE.json"),
])
def test_refusals_are_one_line(capsys, argv, message):
    assert message in error(capsys, "inspect", *argv)
