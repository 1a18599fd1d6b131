"""`run --model ... --sharpness`: "sharpness" on every step of --json, checked against a dense autograd Hessian
built from the printed parameters; the bound per run (and per step under a schedule); one-line refusals."""
import numpy as np
import pytest
from autograd import hessian

from explorer.core.datasets import generate
from explorer.core.model_fit import ModelProblem
from tests.cli.cli_calls import error, output, strict_json

WAVE = ("--dataset", "wave", "--rows", "40", "--model", "mlp:3:tanh")


def run_json(capsys, *argv):
    return strict_json(output(capsys, "run", *WAVE, *argv, "--json"))


def test_every_step_has_the_dense_hessians_largest_eigenvalue(capsys):
    out = run_json(capsys, "--method", "gd", "--lr", "0.2", "--steps", "6", "--sharpness")
    (gd,) = out["runs"]
    assert [s["step"] for s in gd["steps"]] == list(range(7)) and all("sharpness" in s for s in gd["steps"])
    assert gd["stability_bound"] == pytest.approx(2 / 0.2)
    problem = ModelProblem(generate("wave", rows=40), "mlp:3:tanh", "Y", ["X"])
    theta = problem.network.flatten({k: np.asarray(v) for k, v in gd["parameters"].items()})
    h = hessian(lambda p: problem.network.loss(p, problem.X_train, problem.y_train))(theta)
    assert gd["steps"][-1]["sharpness"] == pytest.approx(np.linalg.eigvalsh(h)[-1], rel=1e-6)


def test_every_kth_step_and_the_last_and_null_between(capsys):
    out = run_json(capsys, "--method", "momentum,adam", "--lr", "0.05", "--momentum", "0.5", "--steps", "5",
                   "--sharpness", "2")
    momentum, adam = out["runs"]
    for r in (momentum, adam):
        assert [s["sharpness"] is not None for s in r["steps"]] == [True, False, True, False, True, True]
    assert momentum["stability_bound"] == pytest.approx((2 + 2 * 0.5) / 0.05)
    assert adam["stability_bound"] is None and "adam" in adam["stability_note"]


def test_a_schedule_gives_each_step_its_own_bound(capsys):
    out = run_json(capsys, "--method", "gd", "--lr", "0.2", "--steps", "4", "--schedule", "step", "--set",
                   "every=2", "--set", "drop=0.5", "--sharpness")
    assert [s["stability_bound"] for s in out["runs"][0]["steps"]] == pytest.approx([10, 10, 20, 20, 40])


def test_the_table_has_a_column_and_says_the_bound(capsys):
    text = output(capsys, "run", *WAVE, "--method", "gd", "--lr", "0.2", "--steps", "3", "--sharpness")
    assert "λmax" in text and "the stability bound is 10" in text


@pytest.mark.parametrize("argv, words", [
    (("run", "x^2 + y^2", "--start", "1,1", "--method", "gd", "--sharpness"), "--sharpness goes with --model"),
    (("run", *WAVE, "--method", "gd", "--sharpness", "0"), "--sharpness"),
    (("run", *WAVE, "--method", "gd", "--sharpness", "two"), "--sharpness"),
])
def test_refusals_are_one_line(capsys, argv, words):
    assert words in error(capsys, *argv)
