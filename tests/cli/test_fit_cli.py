"""`inspect` and `run` with --data / --dataset, --loss and --train."""
import json

import numpy as np
import pytest

from explorer.cli import main
from explorer.core.data import csv_text
from explorer.core.datasets import GENERATORS, generate
from tests.cli.cli_calls import error, output

MSE = "(w*X + b - Y)^2"


@pytest.fixture
def line_csv(tmp_path):
    path = tmp_path / "line.csv"
    path.write_text(csv_text(generate("line")))
    return str(path)


def lstsq(d, features):
    A = np.column_stack([d.column(f) for f in features] + [np.ones(d.rows)])
    return np.linalg.lstsq(A, d.column("Y"), rcond=None)[0], A


def test_run_on_a_csv_file_reaches_least_squares(capsys, line_csv):
    out = output(capsys, "run", "--data", line_csv, "--loss", MSE, "--train", "w,b", "--method", "gd",
                 "--start", "0,0", "--lr", "0.05", "--steps", "3000", "--json")
    result = json.loads(out)
    assert result["variables"] == ["w", "b"]
    (gd,) = result["runs"]
    assert gd["method"] == "gd" and gd["settings"] == {"lr": 0.05}
    assert gd["path"][0] == [0, 0] and (gd["status"], gd["end_point"]) == ("converged", "minimum")
    np.testing.assert_allclose(gd["path"][-1], lstsq(generate("line"), ["X"])[0], rtol=1e-6)
    assert len(gd["steps"]) == len(gd["path"]) - 1 and len(gd["steps"][0]["eigenvalues"]) == 2


def test_run_table_names_the_parameters(capsys):
    out = output(capsys, "run", "--dataset", "line", "--loss", MSE, "--train", "w,b", "--method", "newton",
                 "--start", "0,0")
    lines = out.splitlines()
    assert lines[0] == f"mean over the 50 rows of line (seed 0) of {MSE}"
    assert lines[2].startswith("newton (singular_tolerance=1e-12): converged to a minimum")
    assert lines[3].split()[:4] == ["k", "w", "b", "loss"]
    w, b = lstsq(generate("line"), ["X"])[0]
    assert [float(v) for v in lines[5].split()[1:3]] == pytest.approx([w, b], rel=1e-5)


def test_inspect_four_parameters_against_the_closed_form(capsys):
    d = generate("plane", seed=3)
    out = output(capsys, "inspect", "--dataset", "plane", "--seed", "3", "--loss", "(a*X1 + b*X2 + c*X3 + d - Y)^2",
                 "--train", "a,b,c,d", "--at", "1,-1,0.5,2", "--json")
    result = json.loads(out)
    _, A = lstsq(d, ["X1", "X2", "X3"])
    theta, y = np.array([1, -1, 0.5, 2]), d.column("Y")
    assert result["variables"] == ["a", "b", "c", "d"] and result["point"] == [1, -1, 0.5, 2]
    assert result["rows"] == 100 and result["dataset"] == "plane (seed 3)"
    assert result["value"] == pytest.approx(np.mean((A @ theta - y) ** 2))
    np.testing.assert_allclose(result["gradient"], 2 / 100 * A.T @ (A @ theta - y), rtol=1e-10)
    np.testing.assert_allclose(result["hessian"], 2 / 100 * A.T @ A, rtol=1e-10)
    np.testing.assert_allclose(result["eigenvalues"], np.linalg.eigvalsh(2 / 100 * A.T @ A), rtol=1e-10)
    assert result["classification"] == "convex" and result["condition_number"] > 1


def test_inspect_table(capsys):
    out = output(capsys, "inspect", "--dataset", "line", "--loss", MSE, "--train", "w,b", "--at", "2,1")
    assert out.splitlines()[0] == f"f(w, b) = mean over the 50 rows of line (seed 0) of {MSE}"
    assert "class         convex" in out


def test_a_slider_value_and_a_negative_loss(capsys):
    # ridge: the penalty lam w² pulls w towards 0; '-' at the start of --loss is the loss, not an option
    d = generate("line")
    _, A = lstsq(d, ["X"])
    ridge = np.linalg.solve(A.T @ A / 50 + np.diag([1.0, 0.0]), A.T @ d.column("Y") / 50)
    out = output(capsys, "run", "--dataset", "line", "--loss", "-2*(w*X + b)*Y + (w*X + b)^2 + Y^2 + lam*w^2",
                 "--train", "w,b", "--param", "lam=1", "--method", "newton", "--start", "0,0", "--json")
    np.testing.assert_allclose(json.loads(out)["runs"][0]["path"][-1], ridge, rtol=1e-10)


def test_standardised_scales_converge_with_gradient_descent(capsys):
    argv = ["run", "--dataset", "scales", "--loss", "(u*X1 + v*X2 - Y)^2", "--train", "u,v", "--method", "gd",
            "--start", "0,0", "--lr", "0.3", "--steps", "300", "--json"]
    (before,) = json.loads(output(capsys, *argv))["runs"]
    assert before["status"] == "diverged"   # lr = 0.3 is far beyond 2/λmax ≈ 1e-4 here
    (after,) = json.loads(output(capsys, *argv, "--standardise", "X1,X2"))["runs"]
    assert (after["status"], after["end_point"]) == ("converged", "minimum")


def test_a_loss_without_data_is_computed_with_a_warning(capsys):
    assert main(["inspect", "--dataset", "line", "--loss", "(w - 1)^2 + b^2", "--train", "w,b", "--at", "0,0",
                 "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["value"] == 1
    assert err == "landscape-explorer: the loss uses no column of the data: every row gives the same value\n"


def test_a_refusal_after_a_warning_is_its_one_line_alone(capsys):
    from tests.cli.cli_calls import error
    line = error(capsys, "inspect", "--dataset", "line", "--loss", "(w - 1)^2 + b^2", "--train", "w,b", "--at", "0")
    assert "--at" in line and "uses no column" not in line     # the warning is not said before the refusal


def test_semicolon_file(capsys, tmp_path):
    path = tmp_path / "eu.csv"
    path.write_bytes("\ufeffX;Y\n0;1\n1;2,5\n2;4\n".encode())
    result = json.loads(output(capsys, "inspect", "--data", str(path), "--loss", MSE, "--train", "w,b",
                               "--at", "1.5,1", "--json"))
    assert result["value"] == pytest.approx(0.0) and result["gradient"] == pytest.approx([0, 0], abs=1e-15)


@pytest.mark.parametrize("argv, message", [
    (["run", "--method", "gd", "--start", "0,0"], "give the function EXPR, e.g. \"x^2 + y^2\" (or fit data"),
    (["run", "x^2", "--dataset", "line", "--method", "gd", "--start", "0,0"], "--dataset goes with --loss EXPR"),
    (["run", "x^2", "--loss", MSE, "--dataset", "line", "--train", "w,b", "--method", "gd", "--start", "0,0"],
     "give either EXPR ('x^2') or --loss, not both"),
    (["run", "--loss", MSE, "--train", "w,b", "--method", "gd", "--start", "0,0"],
     "--loss needs data: --data FILE.csv or --dataset NAME (line, plane, classes-1d, classes-2d, scales, growth, moons, "
     "circles, xor, spirals, blobs, wave, moons-noise)"),
    (["run", "--dataset", "line", "--loss", MSE, "--method", "gd", "--start", "0,0"],
     "--loss needs --train NAMES: the parameters to fit, e.g. --train w,b"),
    (["inspect", "--dataset", "lines", "--loss", MSE, "--train", "w,b", "--at", "0,0"],
     "--dataset: unknown dataset 'lines' (choose from line, plane, classes-1d, classes-2d, scales, growth, "
     "moons, circles, xor, spirals, blobs, wave, moons-noise)"),
    (["inspect", "--dataset", "line", "--seed", "-1", "--loss", MSE, "--train", "w,b", "--at", "0,0"],
     "--seed must be between 0 and 4294967295; got -1"),
    (["inspect", "--dataset", "line", "--loss", MSE, "--train", "w,b", "--at", "0,0,1"],
     "--at needs 2 numbers, one per trained parameter (w, b), like 0,0; got '0,0,1'"),
    (["inspect", "--dataset", "line", "--loss", "(w*x + b - Y)^2", "--train", "w,b", "--at", "0,0"],
     "--loss: 'x' is neither a column of the data (X, Y), a trained parameter (w, b) nor given a value; "
     "did you mean the column 'X'? (names are case-sensitive)"),
    (["inspect", "--dataset", "line", "--loss", MSE + " + lam*w^2", "--train", "w,b", "--at", "0,0"],
     "--loss: 'lam' is neither a column of the data (X, Y), a trained parameter (w, b) nor given a value; "
     "give it one with --param lam=VALUE"),
    (["inspect", "--dataset", "line", "--loss", MSE, "--train", "w,X", "--at", "0,0"],
     "--train: 'X' is a column of the data; give the parameter another name"),
    (["inspect", "--dataset", "line", "--loss", MSE, "--train", "w,,b", "--at", "0,0"],
     "--train: trained parameter 2: a name is empty"),
    (["inspect", "--dataset", "line", "--loss", MSE, "--train", "w,b,c", "--at", "0,0,0"],
     "--loss: the loss does not use the trained parameter 'c'"),
    (["inspect", "--dataset", "line", "--loss", MSE, "--train", "w,b", "--param", "X=1", "--at", "0,0"],
     "--param X: 'X' is a column of the data, not a parameter"),
    (["inspect", "--dataset", "line", "--loss", MSE, "--train", "w,b", "--param", "q=1", "--at", "0,0"],
     "--param q: the loss has no parameter 'q'"),
    (["inspect", "--dataset", "line", "--loss", "(w*X + b - Y", "--train", "w,b", "--at", "0,0"], "--loss: "),
    (["inspect", "--dataset", "line", "--standardise", "Z", "--loss", MSE, "--train", "w,b", "--at", "0,0"],
     "--dataset: line (seed 0) has no column 'Z'"),
    (["run", "--dataset", "line", "--loss", MSE, "--train", "w,b", "--method", "gd,nope", "--start", "0,0"],
     "--method: unknown method 'nope'"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    assert error(capsys, *argv).startswith(message)


def test_bad_files(capsys, tmp_path, line_csv):
    bad = tmp_path / "bad.csv"
    bad.write_text("X,Y\n1,2\n3,oops\n")
    fit = ["--loss", MSE, "--train", "w,b", "--at", "0,0"]
    assert error(capsys, "inspect", "--data", str(bad), *fit) == \
        "--data: bad.csv, line 3, column 'Y': 'oops' is not a number"
    assert error(capsys, "inspect", "--data", str(tmp_path / "none.csv"), *fit).startswith("--data: cannot read")
    assert error(capsys, "inspect", "--data", line_csv, "--dataset", "line", *fit) == \
        "give either --data FILE.csv or --dataset NAME, not both"
    assert error(capsys, "inspect", "--data", line_csv, "--seed", "2", *fit) == \
        "--seed goes with --dataset (a file's rows are what they are)"


def test_help_lists_the_datasets(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for name in GENERATORS:
        assert f"{name}:" in out
    assert "--loss EXPR" in out and "--train NAMES" in out
