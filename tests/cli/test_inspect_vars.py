"""`inspect EXPR --vars x,y,z,w --at ...`: a function of any number of named variables, checked by hand."""
import pytest

from tests.cli.cli_calls import error, output, strict_json

G = "x*y*z + w^2"
# ∇g = (yz, xz, xy, 2w) = (6, 3, 2, 8) at (1, 2, 3, 4); the Hessian's off-diagonal entries are z, y, x
GRADIENT = [6, 3, 2, 8]
HESSIAN = [[0, 3, 2, 0], [3, 0, 1, 0], [2, 1, 0, 0], [0, 0, 0, 2]]


def test_four_named_variables_by_hand(capsys):
    out = strict_json(output(capsys, "inspect", G, "--vars", "x,y,z,w", "--at", "1,2,3,4", "--json"))
    assert out["variables"] == ["x", "y", "z", "w"] and out["point"] == [1, 2, 3, 4]
    assert out["value"] == 22 and out["gradient"] == GRADIENT and out["hessian"] == HESSIAN
    # w's own eigenvalue 2 stands apart from x, y, z's block, whose eigenvalues sum to its trace 0
    assert 2 in out["eigenvalues"] and sum(out["eigenvalues"]) == pytest.approx(2)
    assert out["classification"] == "saddle"


def test_the_table_names_the_variables(capsys):
    out = output(capsys, "inspect", G, "--vars", "x, y, z, w", "--at", "1,2,3,4")
    assert "f(x, y, z, w) = x*y*z + w^2" in out and "at (x, y, z, w) = (1, 2, 3, 4)" in out
    assert "gradient      (6, 3, 2, 8)" in out


def test_names_of_the_persons_choosing_and_one_variable(capsys):
    out = strict_json(output(capsys, "inspect", "theta1^2*lam + lam", "--vars", "theta1,lam", "--at", "3,2",
                             "--json"))
    assert out["gradient"] == [12, 10] and out["hessian"] == [[4, 6], [6, 0]]   # 2θλ, θ² + 1; 2λ, 2θ, 0
    out = strict_json(output(capsys, "inspect", "t^3", "--vars", "t", "--at", "2", "--json"))
    assert out["gradient"] == [12] and out["hessian"] == [[12]] and out["classification"] == "convex"


def test_sixteen_variables_and_other_names_as_parameters(capsys):
    names = [f"a{k}" for k in range(16)]
    text = " + ".join(f"{k + 1}*{n}^2" for k, n in enumerate(names)) + " + c*a0"
    out = strict_json(output(capsys, "inspect", text, "--vars", ",".join(names), "--at", ",".join(["1"] * 16),
                             "--param", "c=5", "--json"))
    assert out["gradient"] == [2 * (k + 1) + 5 * (k == 0) for k in range(16)]
    assert out["eigenvalues"] == [2 * (k + 1) for k in range(16)]


def test_without_vars_it_is_x_y_and_z_as_before(capsys):
    out = strict_json(output(capsys, "inspect", "x*y*z", "--at", "1,2,3", "--json"))
    assert out["variables"] == ["x", "y", "z"] and out["gradient"] == [6, 3, 2]


@pytest.mark.parametrize("argv, message", [
    (["--vars", "x,y,x", "--at", "1,2,3"], "--vars: the variable 'x' is named twice"),
    (["--vars", "x,,y", "--at", "1,2,3"], "--vars: variable 2: a name is empty"),
    (["--vars", "x,sin", "--at", "1,2"], "--vars: variable 2: 'sin' is the name of a function"),
    (["--vars", "x,pi", "--at", "1,2"], "--vars: variable 2: 'pi' is the name of a constant"),
    (["--vars", "x,2y", "--at", "1,2"], "--vars: variable 2: '2y' is not a valid name"),
    (["--vars", ",".join(f"v{k}" for k in range(17)), "--at", "1"], "--vars: 17 variables: at most 16"),
    (["--vars", "x,y,z,w", "--at", "1,2,3"], "--at needs 4 numbers, one per variable (x, y, z, w), like 1,-2,0.5,0"),
    (["--vars", "x,y", "--at", "1,b"], "--at: 'b' is not a number"),
    (["--vars", "x,y", "--at", "1,2"], "the expression has a parameter 'z': give its value with --param z=VALUE"),
])
def test_bad_input_is_one_line(capsys, argv, message):
    assert message in error(capsys, "inspect", "x*y*z", *argv)


def test_vars_is_refused_where_the_variables_are_fixed(capsys):
    assert "a fit's variables are its --train names" in error(
        capsys, "inspect", "--dataset", "line", "--loss", "(w*X + b - Y)^2", "--train", "w,b", "--at", "0,0",
        "--vars", "w,b")
    assert "a field (u, v) is one of x and y" in error(capsys, "inspect", "(x, y)", "--vars", "x,y", "--at", "1,2")
