"""The command line on fields: inspect, grid and run (Newton–Raphson)."""
import json

import numpy as np
import pytest

from explorer.cli import main


def cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, *argv) -> str:
    code, out, err = cli(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("landscape-explorer: error: ")
    return err


# ---------------------------------------------------------------- inspect

def test_inspect_polar_map_has_determinant_two(capsys):
    code, out, err = cli(capsys, "inspect", "(x*cos(y), x*sin(y))", "--at", "2,0.6", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["determinant"] == 2
    c, s = np.cos(0.6), np.sin(0.6)
    np.testing.assert_allclose(data["value"], [2 * c, 2 * s], rtol=1e-15)
    np.testing.assert_allclose(data["jacobian"], [[c, -2 * s], [s, 2 * c]], rtol=1e-15)
    np.testing.assert_allclose(data["singular_values"], [2, 1], rtol=1e-15)   # descending
    assert data["trace"] == pytest.approx(3 * c)
    # eigenvalues of J = R(θ)·diag(1, 2): a complex pair with λ·λ̄ = det = 2 and λ + λ̄ = trace
    (re1, im1), (re2, im2) = data["eigenvalues"]
    assert re1 == pytest.approx(re2) and im1 == pytest.approx(-im2) and im1 < 0
    assert re1 ** 2 + im1 ** 2 == pytest.approx(2) and 2 * re1 == pytest.approx(3 * c)
    assert data["components"] == ["x*cos(y)", "x*sin(y)"] and data["point"] == [2, 0.6]


def test_inspect_table_shows_the_same_numbers(capsys):
    code, out, _ = cli(capsys, "inspect", "(2*x + y, x - y)", "--at", "1,1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "F(x, y) = (2*x + y, x - y)   (R² → R²)"
    assert "value             (3, 0)" in lines
    assert "Jacobian          [           2             1 ]" in lines
    assert "                  [           1            -1 ]" in lines
    assert "determinant       -3" in lines and "trace             1" in lines
    # J = [[2, 1], [1, -1]] is symmetric: real eigenvalues (1 ± √13)/2, |λ| are the singular values
    root13 = np.sqrt(13)
    assert f"eigenvalues       {(1 - root13) / 2:.10g}, {(1 + root13) / 2:.10g}" in lines
    assert f"singular values   {(1 + root13) / 2:.10g}, {(root13 - 1) / 2:.10g}" in lines


def test_inspect_table_writes_complex_eigenvalues(capsys):
    code, out, _ = cli(capsys, "inspect", "(x - 2*y, 2*x + y)", "--at", "0,0")
    assert code == 0 and "eigenvalues       1 - 2i, 1 + 2i" in out


def test_inspect_non_square_field(capsys):
    code, out, _ = cli(capsys, "inspect", "(x*y, x + y, x - y)", "--at", "1,2", "--json")
    data = json.loads(out)
    assert code == 0 and data["value"] == [2, 3, -1]
    assert data["jacobian"] == [[2, 1], [1, 1], [1, -1]]
    np.testing.assert_allclose(data["singular_values"], [np.sqrt(7), np.sqrt(2)], rtol=1e-14)
    assert not {"determinant", "trace", "eigenvalues"} & set(data)
    code, out, _ = cli(capsys, "inspect", "(x*y, x + y, x - y)", "--at", "1,2")
    assert "R² → R³" in out and "determinant" not in out and "eigenvalues" not in out


def test_inspect_field_of_three_variables_with_a_parameter(capsys):
    code, out, _ = cli(capsys, "inspect", "(a*x*z, y - z)", "--at", "1,2,3", "--param", "a=2", "--json")
    data = json.loads(out)
    assert code == 0 and data["variables"] == ["x", "y", "z"]
    assert data["value"] == [6, -1] and data["jacobian"] == [[6, 0, 2], [0, 1, -1]]


def test_inspect_undefined_field_gives_null(capsys):
    code, out, _ = cli(capsys, "inspect", "(log(x), y)", "--at", "-1,0", "--json")
    data = json.loads(out)
    assert code == 0 and data["value"][0] is None
    assert data["singular_values"] == [None, None] and data["determinant"] is None


@pytest.mark.parametrize("argv, words", [
    (("inspect", "(x, y", "--at", "1,2"), "'(' is never closed at column 1"),
    (("inspect", "(x, 2y)", "--at", "1,2"), "write 2*y to multiply at column 5"),
    (("inspect", "(x*z, y)", "--at", "1,2"), "the field uses z: give three coordinates"),
    (("inspect", "(a*x, y)", "--at", "1,2"), "--param a=VALUE"),
    (("inspect", "(x,)", "--at", "1,2"), "at least two components"),
])
def test_inspect_bad_fields(capsys, argv, words):
    assert words in refused(capsys, *argv)


# ---------------------------------------------------------------- grid

def test_grid_writes_u_v_the_jacobian_and_det(capsys, tmp_path):
    out = tmp_path / "f.npz"
    code, _, err = cli(capsys, "grid", "(x^2 - y, x*y)", "--x", "-1:2", "--y", "0:3", "-n", "4", "--out", str(out))
    assert code == 0 and err == ""
    d = np.load(out)
    assert set(d.files) == {"expression", "x", "y", "u", "v", "jxx", "jxy", "jyx", "jyy", "det"}
    np.testing.assert_array_equal(d["x"], [-1, 0, 1, 2])
    X, Y = np.meshgrid(d["x"], d["y"], indexing="ij")
    np.testing.assert_array_equal(d["u"], X ** 2 - Y)
    np.testing.assert_array_equal(d["v"], X * Y)
    np.testing.assert_array_equal(d["jxx"], 2 * X)      # ∂u/∂x
    np.testing.assert_array_equal(d["jxy"], -np.ones_like(X))  # ∂u/∂y
    np.testing.assert_array_equal(d["jyx"], Y)          # ∂v/∂x
    np.testing.assert_array_equal(d["jyy"], X)          # ∂v/∂y
    np.testing.assert_array_equal(d["det"], 2 * X ** 2 + Y)
    assert str(d["expression"]) == "(x^2 - y, x*y)"


def test_grid_refuses_fields_that_are_not_plane_maps(capsys, tmp_path):
    err = refused(capsys, "grid", "(x, y, x*y)", "--x", "0:1", "--y", "0:1", "--out", str(tmp_path / "f.npz"))
    assert "R² → R²" in err and "3 components" in err
    assert not (tmp_path / "f.npz").exists()


def test_grid_surface_still_works(capsys, tmp_path):
    out = tmp_path / "s.npz"
    code, _, _ = cli(capsys, "grid", "x*y", "--x", "0:1", "--y", "0:1", "-n", "3", "--out", str(out))
    assert code == 0 and "hxy" in np.load(out).files


# ---------------------------------------------------------------- run

def test_run_newton_finds_both_roots(capsys):
    for start, root in (("2,0", [1, 1]), ("-3,3", [-2, 4])):
        code, out, err = cli(capsys, "run", "(x^2 - y, x + y - 2)", "--method", "newton", "--start", start,
                             "--json")
        assert code == 0 and err == ""
        (r,) = json.loads(out)["runs"]
        assert r["method"] == "newton" and r["status"] == "root found" and r["end_point"] == "root"
        np.testing.assert_allclose(r["path"][-1], root, atol=1e-9)
        assert r["values"][0] == pytest.approx(np.linalg.norm(r["residuals"][0]))


def test_run_newton_stops_at_the_windows_tolerance_1e_10(capsys):
    # the same |F| <= 1e-10 as the window and the README (not run's |∇f| default 1e-6); --tolerance changes it
    code, out, _ = cli(capsys, "run", "(exp(x) - 2, y^2 - 3)", "--method", "newton", "--start", "0,1", "--json")
    (r,) = json.loads(out)["runs"]
    assert code == 0 and 0 < r["values"][-1] <= 1e-10 and "<= 1e-10 after" in r["reason"]
    code, out, _ = cli(capsys, "run", "(x^2 - y, x + y - 2)", "--method", "newton", "--start", "2,0",
                       "--tolerance", "1e-6", "--json")
    (r,) = json.loads(out)["runs"]
    assert code == 0 and r["summary"] == "root found: |F| = 2.1e-09" and len(r["steps"]) == 4
    assert r["reason"].startswith("|F| = 2.1e-09 <= 1e-06 after 4 steps")


def test_run_newton_table_and_step_limit(capsys):
    code, out, _ = cli(capsys, "run", "(x^2 - y, x + y - 2)", "--method", "newton", "--start", "2,0",
                       "--steps", "1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("newton (Newton–Raphson for F = 0): stopped at the step limit (1 step)")
    assert lines[1].split() == ["k", "x", "y", "|F|", "|step|", "det", "J"]
    assert lines[2].split() == ["0", "2", "0", "4", "5"]
    assert lines[3].split()[:3] == ["1", "1.2", "0.8"]


def test_run_newton_reports_a_singular_jacobian(capsys):
    code, out, _ = cli(capsys, "run", "(x^2 - y, x + y - 2)", "--method", "newton", "--start", "-0.5,0", "--json")
    assert code == 0 and json.loads(out)["runs"][0]["status"] == "singular Jacobian"


@pytest.mark.parametrize("argv, words", [
    (("--method", "gd"), "--method gd: a field F = (u, v) is solved for F = 0 with --method newton"),
    (("--method", "newton,bfgs"), "--method bfgs"),
    (("--method", "newton", "--lr", "0.1"), "--lr"),
    (("--method", "newton", "--steps", "-1"), "--steps"),
])
def test_run_on_a_field_refuses_other_settings(capsys, argv, words):
    err = refused(capsys, "run", "(x^2 - y, x + y - 2)", "--start", "1,1", *argv)
    assert words in err


def test_run_newton_needs_a_square_system(capsys):
    err = refused(capsys, "run", "(x, y, x*y)", "--method", "newton", "--start", "1,1")
    assert "R² → R³" in err


def test_export_of_a_field_refuses_what_newton_raphson_cannot_do(capsys, tmp_path):
    # export renders a field '(u, v)' with Newton–Raphson runs: other methods, settings and R² → R³ get one line
    out = f"{tmp_path}/frames/"
    err = refused(capsys, "export", "(x, y)", "--method", "gd", "--out", out)
    assert "--method gd: a field F = (u, v) is solved for F = 0 with newton (Newton–Raphson) only" in err
    err = refused(capsys, "export", "(x, y)", "--lr", "0.1", "--out", out)
    assert "--lr: Newton–Raphson on a field has no such setting" in err
    err = refused(capsys, "export", "(x, y, x*y)", "--out", out)
    assert "the window draws fields of two components" in err
