"""A name that looks like a product typed without '*' gets a hint when its --param is missing."""
import pytest

from explorer.cli import main


@pytest.mark.parametrize("argv, words", [
    (["inspect", "xy + x", "--at", "1,2"], "give its value with --param xy=VALUE; did you mean x*y?"),
    (["inspect", "xyz", "--at", "1,2,3"], "--param xyz=VALUE; did you mean x*y*z?"),
    (["grid", "xx", "--x", "-1:1", "--y", "-1:1", "--out", "g.npz"], "--param xx=VALUE; did you mean x*x?"),
    (["run", "sinx + y^2", "--method", "gd", "--start", "1,2"], "--param sinx=VALUE; did you mean sin(x)?"),
    (["inspect", "sin x + 1", "--at", "1,2"], "'sin' is a function: write sin(x) at column 1"),
])
def test_slip_hints_reach_the_command_line(capsys, argv, words):
    code = main(argv)
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("landscape-explorer: error: ") and words in err


def test_an_ordinary_missing_parameter_has_no_hint(capsys):
    assert main(["inspect", "a*x", "--at", "1,2"]) == 2
    assert "did you mean" not in capsys.readouterr().err
