"""Inputs that once crashed the command line (issue 14): each ends in a result (exit 0) or in one
clean line on stderr (exit 2), never a traceback, and every --json output is strict JSON."""
import subprocess
import sys

import numpy as np
import pytest

from explorer.core.methods import METHODS
from tests.cli.cli_calls import strict_json


def cli(*argv, cwd=None):
    return subprocess.run([sys.executable, "-m", "explorer", *argv], capture_output=True, text=True, timeout=120,
                          cwd=cwd)


def result(done):
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and "Traceback" not in done.stdout
    return done.stdout


def one_line(done, *words):
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("landscape-explorer: error: "), done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    for word in words:
        assert word in done.stderr
    return done.stderr


def table_row(text, name):
    return next(line[14:].strip() for line in text.splitlines() if line.startswith(name))


def test_unary_plus_in_inspect():
    data = strict_json(result(cli("inspect", "+x", "--at", "1,2", "--json")))
    assert data["value"] == 1 and data["gradient"] == [1, 0] and data["classification"] == "degenerate"


def test_unary_plus_in_run_and_grid(tmp_path):
    data = strict_json(result(cli("run", "+x^2 + y^2", "--method", "newton", "--start", "1,2", "--json")))
    assert data["runs"][0]["path"][-1] == [0, 0]
    result(cli("grid", "+x^2 + y^2", "--x", "-1:1", "--y", "-1:1", "-n", "3", "--out", "g.npz", cwd=tmp_path))
    with np.load(tmp_path / "g.npz") as grid:
        assert grid["z"][1, 1] == 0 and grid["hxx"][1, 1] == 2


def test_division_by_a_parameter_at_zero_is_inf_and_undefined():
    text = result(cli("inspect", "x^2/a + y^2", "--param", "a=0", "--at", "1,2"))
    assert table_row(text, "value") == "inf"
    assert table_row(text, "class") == "undefined"
    data = strict_json(result(cli("inspect", "x^2/a + y^2", "--param", "a=0", "--at", "1,2", "--json")))
    # f = inf: its derivatives are undefined with it (∂f/∂y = 4 is not shown as if it meant something)
    assert data["value"] is None and data["gradient"] == [None, None] and data["classification"] == "undefined"


def test_parameter_power_overflow_is_inf():
    text = result(cli("inspect", "x + a^b", "--param", "a=10", "--param", "b=400", "--at", "1,2"))
    assert table_row(text, "value") == "inf" and table_row(text, "class") == "undefined"


def test_negative_base_to_a_fractional_power_is_nan_not_a_real_part():
    text = result(cli("inspect", "x + a^b", "--param", "a=-1", "--param", "b=0.5", "--at", "1,2"))
    assert table_row(text, "value") == "nan" and table_row(text, "class") == "undefined"
    done = cli("run", "x + a^b", "--param", "a=-1", "--param", "b=0.5", "--method", "damped-newton,gd",
               "--start", "1,2", "--json")
    for run in strict_json(result(done))["runs"]:
        assert run["status"] == "undefined start" and run["values"] == [None]


@pytest.mark.parametrize("text, value", [("x" + "+x" * 199, 200), ("-" * 199 + "x", -1), ("x" + "*x" * 199, 1)])
def test_long_flat_chains_at_the_depth_limit_evaluate(text, value):
    assert strict_json(result(cli("inspect", text, "--at", "1,2", "--json")))["value"] == value


@pytest.mark.parametrize("text", ["x" + "+x" * 200, "-" * 200 + "x", "x" + "^x" * 200, "sin(" * 61 + "x" + ")" * 61,
                                  "x+" * 1000 + "x"])
def test_past_the_depth_or_length_limit_is_one_line(text):
    one_line(cli("inspect", text, "--at", "1,2"), "too")


def test_comment_sign_is_refused_with_its_column():
    one_line(cli("inspect", "x # + y", "--at", "1,2"), "'#'", "at column 3")


def test_run_json_is_strict_where_f_is_not_finite():
    data = strict_json(result(cli("run", "log(x)+y^2", "--method", "gd", "--start", "0,0", "--json")))
    assert data["runs"][0]["values"] == [None] and data["runs"][0]["status"] == "undefined start"


def test_every_method_gives_strict_json_on_a_function_that_blows_up():
    done = cli("run", "1/x + y^2 - exp(x*y)", "--method", ",".join(METHODS), "--start", "0.1,3", "--steps", "30",
               "--json")
    assert len(strict_json(result(done))["runs"]) == len(METHODS)


@pytest.mark.parametrize("axis, words", [(["--x=-1e308:1e308", "--y", "0:1"], ["--x", "too wide"]),
                                         (["--x", "0:1", "--y=-1.7e308:1e307"], ["--y", "too wide"]),
                                         (["--x", "1:1.0000000000000002", "--y", "0:1"], ["--x", "distinct"])])
def test_grid_axes_must_be_finite_and_distinct(tmp_path, axis, words):
    one_line(cli("grid", "x", *axis, "--out", "g.npz", cwd=tmp_path), *words)
    assert list(tmp_path.iterdir()) == []


def test_grid_of_a_huge_but_finite_domain_has_finite_axes(tmp_path):
    result(cli("grid", "x", "--x", "1e308:1.7e308", "--y", "0:1", "-n", "3", "--out", "g.npz", cwd=tmp_path))
    with np.load(tmp_path / "g.npz") as grid:
        assert np.all(np.isfinite(grid["x"])) and grid["x"][-1] == 1.7e308


@pytest.mark.parametrize("argv", [
    ["run", "x^2 + y^2", "--method", "gd", "--start", "1,1"],
    ["run", "(x^2 - 1, y - x)", "--method", "newton", "--start", "1,1"],
    ["run", "--dataset", "line", "--loss", "(w*X + b - Y)^2", "--train", "w,b", "--method", "gd", "--start", "0,0"],
    ["basins", "x^2 + y^2", "--method", "gd", "--x", "-1:1", "--y", "-1:1", "-n", "4", "--out", "b.npz"],
], ids=["run", "field", "fit", "basins"])
def test_one_policy_for_a_tolerance_in_every_command(capsys, argv):
    from tests.cli.cli_calls import error
    assert error(capsys, *argv, "--tolerance", "-1") == "--tolerance must be zero or positive; got -1"
    assert error(capsys, *argv, "--tolerance", "nan") == "--tolerance: nan is not a finite number"
