import json

import numpy as np
import pytest

from explorer.cli import main


def run_json(capsys, *argv):
    code = main(["run", *argv, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)["runs"]


def test_run_json_shape_and_numbers(capsys):
    runs = run_json(capsys, "x**2 + 10*y**2", "--method", "gd,newton", "--start", "1,1", "--steps", "3",
                    "--lr", "0.04")
    assert [r["method"] for r in runs] == ["gd", "newton"]
    gd = runs[0]
    assert gd["path"][0] == [1, 1]
    np.testing.assert_allclose(gd["path"], [[0.92**k, 0.2**k] for k in range(4)], rtol=1e-12)
    assert gd["status"] == "step limit" and len(gd["values"]) == 4 and len(gd["steps"]) == 3
    step = gd["steps"][0]
    assert set(step) >= {"vector", "length", "predicted_linear", "predicted_quadratic", "actual", "eigenvalues",
                         "classification"}
    assert runs[1]["path"][-1] == [0, 0] and runs[1]["status"] == "converged"


def test_run_negative_start_and_settings(capsys):
    runs = run_json(capsys, "-cos(x)*cos(y)", "--method", "momentum,adam", "--start", "-0.5,0.3", "--steps", "2",
                    "--momentum", "0.5", "--set", "beta2=0.99")
    assert runs[0]["settings"]["momentum"] == 0.5 and runs[1]["settings"]["beta2"] == 0.99
    assert runs[0]["path"][0] == [-0.5, 0.3]


def test_run_table(capsys):
    assert main(["run", "x^2+y^2", "--method", "gd", "--start", "1,1", "--steps", "2", "--lr", "0.25"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("gd (lr=0.25): step limit")
    assert "0.5" in out.splitlines()[3]


@pytest.mark.parametrize("argv, words", [
    (["--method", "sgd", "--start", "1,1"], "unknown method 'sgd'"),
    (["--method", "gd", "--start", "1"], "--start needs 2 numbers"),
    (["--method", "gd", "--start", "1,1", "--steps", "-2"], "--steps must be between 0"),
    (["--method", "gd", "--start", "1,1", "--steps", "x"], "--steps needs a whole number"),
    (["--method", "newton", "--start", "1,1", "--lr", "0.1"], "none of newton has a setting 'lr'"),
    (["--method", "gd", "--start", "1,1", "--lr", "-0.1"], "lr must be positive"),
    (["--method", "gd", "--start", "1,1", "--set", "beta"], "--set needs NAME=VALUE"),
])
def test_run_bad_input(capsys, argv, words):
    code = main(["run", "x**2 + y**2", *argv])
    err = capsys.readouterr().err
    assert code == 2 and words in err and err.count("\n") == 1
