import json
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from explorer.cli import main
from tests.helpers import gui_modules_loaded_by

ROOT = pathlib.Path(__file__).resolve().parents[2]


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_inspect_json_three_variables(capsys):
    code, out, err = run_cli(capsys, "inspect", "4*x**2 - 3*y + 2*z**3", "--at", "1,-2,4", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["gradient"] == [8, -3, 96]
    assert data["value"] == 4 + 6 + 128
    assert data["hessian"] == [[8, 0, 0], [0, 0, 0], [0, 0, 48]]
    assert data["eigenvalues"] == [0, 8, 48]
    assert data["classification"] == "degenerate"


def test_inspect_negative_expression_and_point(capsys):
    code, out, _ = run_cli(capsys, "inspect", "-x**2 - y**2", "--at", "-1,2", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["value"] == -5 and data["gradient"] == [2, -4] and data["classification"] == "concave"
    code, out, _ = run_cli(capsys, "inspect", "-x^2", "--at=-1,2", "--json")
    assert code == 0 and json.loads(out)["value"] == -1


def test_inspect_table_is_readable(capsys):
    code, out, _ = run_cli(capsys, "inspect", "x**2 + 2*x*y + 3*y**2", "--at", "2,3")
    assert code == 0
    assert "gradient      (10, 22)" in out
    assert "convex" in out


def test_inspect_with_parameters(capsys):
    code, out, _ = run_cli(capsys, "inspect", "a*x**2 + b*y", "--at", "1,1", "--param", "a=3", "--param", "b=-1",
                           "--json")
    assert code == 0 and json.loads(out)["gradient"] == [6, -1]


def test_non_finite_results_are_null_in_json(capsys):
    code, out, _ = run_cli(capsys, "inspect", "log(x)", "--at", "-1,0", "--json")
    data = json.loads(out)
    assert code == 0 and data["value"] is None and data["classification"] == "undefined"
    assert data["gradient"] == [None, None] and data["hessian"] == [[None, None], [None, None]]   # not 1/x = −1


def test_an_undefined_f_has_no_gradient_in_the_table(capsys):
    code, out, _ = run_cli(capsys, "inspect", "log(x) + y^2", "--at", "-1,1")
    lines = out.splitlines()
    assert code == 0 and "value         nan" in lines
    assert "gradient      undefined (f is not finite here)" in lines and "Hessian       undefined" in lines
    assert "-1" not in out.split("value")[1]   # autograd's 1/x at x = −1 is shown nowhere


def test_grid_writes_the_documented_arrays(capsys, tmp_path):
    out = tmp_path / "g.npz"
    code, _, err = run_cli(capsys, "grid", "x**2 - y**2", "--x", "-5:5", "--y", "-1:3", "-n", "11", "--out", str(out))
    assert code == 0 and err == ""
    d = np.load(out)
    assert d["x"].tolist() == np.linspace(-5, 5, 11).tolist()
    assert d["z"].shape == d["hxx"].shape == d["hxy"].shape == d["hyy"].shape == (11, 11)
    assert d["z"][0, 10] == 25 - 9
    assert d["eigenvalues"].shape == (11, 11, 2) and np.all(d["eigenvalues"] == [-2, 2])
    assert d["classes"].dtype == np.int8 and np.all(d["classes"] == 3)


@pytest.mark.parametrize("argv, words", [
    (["inspect", "2x", "--at", "1,2"], "'2x': write 2*x to multiply at column 1"),
    (["inspect", "x+", "--at", "1,2"], "expected an expression after '+'"),
    (["inspect", "x", "--at", "1"], "--at needs 2 numbers or 3 numbers"),
    (["inspect", "x", "--at", "1,b"], "'b' is not a number"),
    (["inspect", "x + z", "--at", "1,2"], "give three coordinates"),
    (["inspect", "a*x", "--at", "1,2"], "--param a=VALUE"),
    (["inspect", "x", "--at", "1,2", "--param", "q=1"], "no parameter 'q'"),
    (["inspect", "x"], "--at"),
    (["grid", "x", "--x", "5:-5", "--y", "0:1", "--out", "g.npz"], "range 5:-5 is empty"),
    (["grid", "x", "--x", "-5:5", "--y", "0:1", "-n", "1", "--out", "g.npz"], "-n must be between 2"),
    (["grid", "x", "--x", "-5:5", "--y", "0:1", "--out", "g.txt"], ".npz"),
    (["grid", "x", "--x", "-5:5", "--y", "0:1", "--out", "/no/such/dir/g.npz"], "does not exist"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_input_exits_2_with_one_line(capsys, argv, words):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("landscape-explorer: error: ")
    assert words in err
    assert "Traceback" not in err


def test_failed_grid_leaves_no_file(capsys, tmp_path):
    out = tmp_path / "g.npz"
    code, _, _ = run_cli(capsys, "grid", "foo(x)", "--x", "0:1", "--y", "0:1", "--out", str(out))
    assert code == 2 and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["landscape-explorer"], [sys.executable, "-m", "explorer"],
                                     [sys.executable, str(ROOT / "main.py")]])
def test_every_entry_point_reaches_the_same_program(command):
    from explorer import __version__
    done = subprocess.run(command + ["--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == f"landscape-explorer {__version__}"
    done = subprocess.run(command + ["inspect", "x*y", "--at", "2,3", "--json"], capture_output=True, text=True,
                          timeout=60)
    assert json.loads(done.stdout)["gradient"] == [3, 2]


def test_core_never_imports_qt():
    assert gui_modules_loaded_by("import explorer.core.expression, explorer.core.calculus") == []
    sources = (ROOT / "explorer" / "core").rglob("*.py")
    assert not [p for p in sources if any(f"import {m}" in p.read_text() or f"from {m}" in p.read_text()
                                          for m in ("PySide6", "pyqtgraph", "OpenGL"))]
