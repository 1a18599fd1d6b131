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
    assert runs[1]["end_point"] == "minimum" and runs[1]["summary"] == "converged to a minimum"
    assert gd["end_point"] is None and gd["summary"] == "stopped at the step limit (3 steps)"
    assert [s["uphill"] for s in gd["steps"]] == [False] * 3


def test_run_negative_start_and_settings(capsys):
    runs = run_json(capsys, "-cos(x)*cos(y)", "--method", "momentum,adam", "--start", "-0.5,0.3", "--steps", "2",
                    "--momentum", "0.5", "--set", "beta2=0.99")
    assert runs[0]["settings"]["momentum"] == 0.5 and runs[1]["settings"]["beta2"] == 0.99
    assert runs[0]["path"][0] == [-0.5, 0.3]


def test_run_table(capsys):
    assert main(["run", "x^2+y^2", "--method", "gd", "--start", "1,1", "--steps", "2", "--lr", "0.25"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("gd (lr=0.25): stopped at the step limit (2 steps) — ")
    assert "0.5" in out.splitlines()[3]


def test_run_names_a_saddle_point(capsys):
    # one Newton step from (0.5, −0.3) lands on the saddle point (0, 0) of x² − y²
    assert main(["run", "x^2 - y^2", "--method", "newton", "--start", "0.5,-0.3"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.startswith("newton (singular_tolerance=1e-12): converged to a saddle point — not a minimum — ")
    assert header.endswith("eigenvalues -2, 2")
    (newton,) = run_json(capsys, "x^2 - y^2", "--method", "newton", "--start", "0.5,-0.3")
    assert newton["status"] == "converged" and newton["end_point"] == "saddle point"


def test_run_names_a_maximum_and_marks_the_uphill_step(capsys):
    # −(x² + y²) from (1, 2): Newton jumps to the top, f rises from −5 to 0
    assert main(["run", "-(x^2+y^2)", "--method", "newton", "--start", "1,2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "converged to a maximum — not a minimum" in lines[0]
    assert lines[-1].endswith("concave  ↑ f increased")
    (newton,) = run_json(capsys, "-(x^2+y^2)", "--method", "newton", "--start", "1,2")
    assert newton["end_point"] == "maximum" and newton["steps"][0]["uphill"] is True


def test_run_says_f_is_still_falling_on_exp_x_cos_y(capsys):
    # Newton steps x by −1 each time; at x = −14 |∇f| = e^−14 < 1e-6, yet there is no stationary point
    (newton,) = run_json(capsys, "exp(x)*cos(y)", "--method", "newton", "--start", "1,0")
    assert newton["path"][-1] == [-14, 0]
    assert newton["status"] == "still falling" and newton["end_point"] is None
    assert newton["summary"].startswith("f is still falling")


def test_run_from_where_f_is_undefined(capsys):
    assert main(["run", "log(x)+y^2", "--method", "gd", "--start", "-1.2,1"]) == 0
    assert capsys.readouterr().out.startswith("gd (lr=0.01): f is not defined at the start point — ")
    (gd,) = run_json(capsys, "log(x)+y^2", "--method", "gd", "--start", "-1.2,1")
    assert gd["status"] == "undefined start" and gd["end_point"] is None and gd["steps"] == []


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
