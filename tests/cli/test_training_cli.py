"""`run` with --batch, --seed and --schedule; --residual with Gauss–Newton and Levenberg–Marquardt; `inspect
--residual`. Every expectation is computed here by hand (numpy, scipy) from the data and the formulas."""
import math

import numpy as np
import pytest
from scipy.optimize import least_squares

from explorer.cli import main
from explorer.core.data import csv_text
from explorer.core.datasets import generate
from explorer.core.methods import ALL_METHODS, FIRST_ORDER
from tests.cli.cli_calls import error, output, strict_json

MSE = "(w*X + b - Y)^2"
FIT = ["--loss", MSE, "--train", "w,b", "--start", "0,0"]
GROWTH = ["--dataset", "growth", "--residual", "a*exp(b*X) - Y", "--train", "a,b"]


@pytest.fixture
def line_csv(tmp_path):
    path = tmp_path / "line.csv"
    path.write_text(csv_text(generate("line", seed=7)))
    return str(path)


def run_json(capsys, *argv):
    return strict_json(output(capsys, "run", *argv, "--json"))


def columns(path_or_dataset):
    d = path_or_dataset
    return d.column("X"), d.column("Y")


# ---------------------------------------------------------------- mini-batches

def test_a_seed_reproduces_the_run_and_another_seed_does_not(capsys, line_csv):
    argv = ["--data", line_csv, *FIT, "--method", "gd,momentum", "--lr", "0.05", "--batch", "5", "--steps", "30"]
    first = run_json(capsys, *argv, "--seed", "11")
    again = run_json(capsys, *argv, "--seed", "11")
    other = run_json(capsys, *argv, "--seed", "12")
    assert first == again
    for a, b in zip(first["runs"], other["runs"]):
        assert a["steps"][0]["batch"] != b["steps"][0]["batch"]
        assert a["path"][-1] != b["path"][-1]
    assert first["rows"] == other["rows"] == 50   # with --data the seed shuffles batches only: same rows
    assert first["runs"][0]["batch"] == 5 and first["runs"][0]["seed"] == 11


def test_with_a_dataset_the_seed_also_draws_the_data(capsys):
    argv = ["--dataset", "line", *FIT, "--method", "gd", "--batch", "10", "--steps", "3"]
    a, b = run_json(capsys, *argv, "--seed", "1"), run_json(capsys, *argv, "--seed", "2")
    assert (a["dataset"], b["dataset"]) == ("line (seed 1)", "line (seed 2)")
    assert a["runs"][0]["seed"] == 1 and a["runs"][0]["values"][0] != b["runs"][0]["values"][0]


def test_one_epoch_uses_every_row_once(capsys, line_csv):
    # 50 rows in batches of 8: 7 batches an epoch (six of 8 rows and one of 2), then a new epoch
    (gd,) = run_json(capsys, "--data", line_csv, *FIT, "--method", "gd", "--batch", "8", "--seed", "4",
                     "--steps", "14")["runs"]
    steps = gd["steps"]
    assert [s["epoch"] for s in steps] == [0] * 7 + [1] * 7
    for epoch in (steps[:7], steps[7:]):
        rows = [i for s in epoch for i in s["batch"]]
        assert sorted(rows) == list(range(50))
        assert sorted(len(s["batch"]) for s in epoch) == [2] + [8] * 6
        assert all(s["batch"] == sorted(s["batch"]) for s in epoch)   # 0-based indices in file order
    assert [s["batch"] for s in steps[:7]] != [s["batch"] for s in steps[7:]]   # reshuffled


@pytest.mark.parametrize("method", ["gd", "momentum"])
def test_each_step_follows_the_mean_gradient_of_its_batch(capsys, line_csv, method):
    X, Y = columns(generate("line", seed=7))
    (r,) = run_json(capsys, "--data", line_csv, *FIT, "--method", method, "--lr", "0.03", "--batch", "6",
                    "--seed", "9", "--steps", "12")["runs"]
    velocity = np.zeros(2)
    for s in r["steps"]:
        w, b = s["from"]
        rows = np.array(s["batch"])
        e = w * X[rows] + b - Y[rows]
        g = np.array([np.mean(2 * e * X[rows]), np.mean(2 * e)])   # ∇ of mean (wX + b − Y)² over the batch
        velocity = (0.9 * velocity if method == "momentum" else 0) - s["lr"] * g
        np.testing.assert_allclose(s["vector"], velocity, rtol=1e-10, atol=1e-15)


def test_sgd_is_a_batch_of_one_row(capsys):
    (sgd,) = run_json(capsys, "--dataset", "line", *FIT, "--method", "gd", "--batch", "1", "--steps", "50")["runs"]
    assert all(len(s["batch"]) == 1 for s in sgd["steps"])
    assert sorted(s["batch"][0] for s in sgd["steps"]) == list(range(50))
    assert len(sgd["batch_losses"]) == len(sgd["path"])


def test_a_batch_of_every_row_is_plain_gradient_descent(capsys):
    argv = ["--dataset", "line", *FIT, "--method", "gd", "--lr", "0.05", "--steps", "40"]
    plain, full = run_json(capsys, *argv), run_json(capsys, *argv, "--batch", "50")
    assert full["runs"][0]["path"] == plain["runs"][0]["path"]
    assert "batch" not in full["runs"][0]["steps"][0]


def test_the_table_shows_batch_seed_schedule_lr_and_epoch(capsys):
    out = output(capsys, "run", "--dataset", "line", "--seed", "3", *FIT, "--method", "gd", "--lr", "0.05",
                 "--batch", "8", "--schedule", "exponential", "--set", "gamma=0.5", "--steps", "8")
    lines = out.splitlines()
    assert lines[2].startswith("gd (lr=0.05; mini-batch 8 of 50 rows, seed 3; schedule exponential (gamma 0.5)): ")
    head = lines[3].split()
    assert head[:6] == ["k", "w", "b", "loss", "|step|", "lr"] and head[6] == "epoch"
    row = lines[5 + 2].split()   # state 3: after the step t = 2, of the first epoch (counted from 1)
    assert float(row[5]) == pytest.approx(0.05 * 0.5**2) and row[6] == "1"
    assert lines[-1].split()[6] == "2"   # step t = 7 is the first of the second epoch (7 batches an epoch)


# ---------------------------------------------------------------- schedules

def formula(name, settings, warmup, lr0, t):
    """The lr of step t, written from the issue's formulas."""
    if name == "constant":
        rate = lr0
    elif name == "exponential":
        rate = lr0 * settings["gamma"] ** t
    elif name == "step":
        rate = lr0 * settings["drop"] ** math.floor(t / settings["every"])
    elif name == "inverse-time":
        rate = lr0 / (1 + settings["decay"] * t)
    else:
        T = settings["period"]
        rate = settings["lr_min"] + 0.5 * (lr0 - settings["lr_min"]) * (1 + math.cos(math.pi * min(t, T) / T))
    return rate * min(1.0, (t + 1) / warmup) if warmup else rate


@pytest.mark.parametrize("name, settings, warmup", [
    ("constant", {}, 0),
    ("constant", {}, 4),
    ("exponential", {"gamma": 0.8}, 0),
    ("step", {"drop": 0.5, "every": 3}, 0),
    ("inverse-time", {"decay": 0.25}, 2),
    ("cosine", {"period": 7, "lr_min": 0.001}, 0),
    ("cosine", {"period": 5, "lr_min": 0.0}, 3),
])
def test_the_lr_of_every_step_follows_the_schedule(capsys, name, settings, warmup):
    argv = ["x^2 + 4*y^2", "--method", "gd", "--start", "1,1", "--lr", "0.02", "--steps", "12"]
    argv += ["--schedule", name] + [f"--set={k}={v:g}" for k, v in settings.items()]
    argv += [f"--set=warmup={warmup}"] if warmup else []
    (gd,) = run_json(capsys, *argv)["runs"]
    assert len(gd["steps"]) == 12
    for t, s in enumerate(gd["steps"]):
        lr = formula(name, settings, warmup, 0.02, t)
        assert s["lr"] == pytest.approx(lr, rel=1e-14)
        x, y = s["from"]
        np.testing.assert_allclose(s["vector"], [-lr * 2 * x, -lr * 8 * y], rtol=1e-13)   # the lr was used
    if name != "constant" or warmup:
        assert gd["schedule"] == {"name": name, **settings, "warmup": warmup}


def test_a_schedule_with_momentum_on_a_surface(capsys):
    (m,) = run_json(capsys, "x^2 + y^2", "--method", "momentum", "--start", "1,-1", "--lr", "0.1",
                    "--schedule", "step", "--set", "schedule.every=2", "--steps", "5")["runs"]
    assert [s["lr"] for s in m["steps"]] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])
    assert "batch" not in m and "epoch" not in m["steps"][0]


def test_decay_goes_to_rmsprop_unless_prefixed_with_schedule(capsys):
    argv = ["x^2 + y^2", "--method", "rmsprop", "--start", "1,1", "--steps", "3", "--schedule", "inverse-time"]
    (r,) = run_json(capsys, *argv, "--set", "schedule.decay=0.5")["runs"]
    assert r["settings"]["decay"] == 0.9 and r["schedule"]["decay"] == 0.5
    assert main(["run", *argv, "--set", "decay=0.5", "--json"]) == 0
    out, err = capsys.readouterr()
    (r,) = strict_json(out)["runs"]
    assert r["settings"]["decay"] == 0.5 and r["schedule"]["decay"] == 0.01   # the schedule's default
    assert err.count("\n") == 1 and "schedule.decay" in err


# ---------------------------------------------------------------- least squares

def test_gauss_newton_solves_linear_least_squares_in_one_step(capsys):
    X, Y = columns(generate("line"))
    answer = np.linalg.lstsq(np.column_stack([X, np.ones_like(X)]), Y, rcond=None)[0]
    out = run_json(capsys, "--dataset", "line", "--residual", "w*X + b - Y", "--train", "w,b", "--start", "5,-3",
                   "--method", "gauss-newton")
    (gn,) = out["runs"]
    np.testing.assert_allclose(gn["path"][1], answer, rtol=1e-12)
    assert (gn["status"], gn["end_point"]) == ("converged", "minimum")
    assert out["residual"] == "w*X + b - Y" and out["loss"] == "(w*X + b - Y)^2"


def test_levenberg_marquardt_converges_on_growth_to_scipy_s_answer(capsys):
    X, Y = columns(generate("growth"))
    answer = least_squares(lambda t: t[0] * np.exp(t[1] * X) - Y, [1.0, 0.0], method="lm", xtol=1e-15,
                           ftol=1e-15, gtol=1e-15).x
    (lm,) = run_json(capsys, *GROWTH, "--start", "1,0", "--method", "levenberg-marquardt", "--steps", "200")["runs"]
    assert (lm["status"], lm["end_point"]) == ("converged", "minimum")
    np.testing.assert_allclose(lm["path"][-1], answer, rtol=1e-6)
    assert lm["settings"] == {"damping": 1e-3}


def test_inspect_shows_the_gauss_newton_matrix_and_what_it_drops(capsys):
    X, Y = columns(generate("growth"))
    a, b, n = 1.5, 0.4, len(X)
    out = strict_json(output(capsys, "inspect", *GROWTH, "--at", f"{a},{b}", "--json"))
    e = np.exp(b * X)
    r, J = a * e - Y, np.column_stack([e, a * X * e])   # r = a·e^{bX} − Y and its Jacobian
    second = np.array([[0 * X, X * e], [X * e, a * X**2 * e]])   # ∇²rᵢ
    np.testing.assert_allclose(out["gauss_newton_matrix"], 2 / n * J.T @ J, rtol=1e-12)
    np.testing.assert_allclose(out["dropped_term"], 2 / n * np.einsum("i,jki->jk", r, second), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(np.array(out["hessian"]) - out["gauss_newton_matrix"], out["dropped_term"], atol=1e-12)
    text = output(capsys, "inspect", *GROWTH, "--at", f"{a},{b}")
    assert "(2/n)·JᵀJ" in text and "H − (2/n)·JᵀJ" in text and "Hessian" in text


def test_on_a_linear_model_the_gauss_newton_matrix_is_the_hessian(capsys):
    out = strict_json(output(capsys, "inspect", "--dataset", "plane", "--residual", "a*X1 + b*X2 + c*X3 + d - Y",
                        "--train", "a,b,c,d", "--at", "1,2,3,4", "--json"))
    np.testing.assert_allclose(out["gauss_newton_matrix"], out["hessian"], rtol=1e-12)
    assert np.max(np.abs(out["dropped_term"])) <= 1e-12 * np.max(np.abs(out["hessian"]))


# ---------------------------------------------------------------- strict JSON, refusals, help

def test_json_is_strict_even_when_a_run_diverges(capsys):
    text = output(capsys, "run", "--dataset", "line", *FIT, "--method", "gd,adam", "--lr", "5", "--batch", "1",
                  "--steps", "300", "--schedule", "cosine", "--json")
    runs = strict_json(text)["runs"]
    assert runs[0]["status"] == "diverged"
    text = output(capsys, "run", "log(x) + y^2", "--method", "gd", "--start", "-1,1", "--schedule", "cosine",
                  "--json")
    assert strict_json(text)["runs"][0]["values"] == [None]   # log(−1) is nan: null, never NaN


@pytest.mark.parametrize("argv, words", [
    (["run", "x^2 + y^2", "--method", "gd", "--start", "1,1", "--batch", "4"], ["--batch needs data", "gd"]),
    (["run", "--dataset", "line", *FIT, "--method", "gd,newton", "--batch", "4"], ["--batch", "newton"]),
    (["run", "--dataset", "line", *FIT, "--method", "bfgs", "--batch", "4"], ["--batch", "bfgs"]),
    (["run", "--dataset", "growth", "--residual", "a*exp(b*X) - Y", "--train", "a,b", "--start", "1,0",
      "--method", "levenberg-marquardt", "--batch", "4"], ["--batch", "levenberg-marquardt"]),
    (["run", "--dataset", "line", *FIT, "--method", "gd", "--batch", "0"], ["--batch must be between 1"]),
    (["run", "--dataset", "line", *FIT, "--method", "gd", "--batch", "2.5"], ["--batch needs a whole number"]),
    (["run", "--dataset", "line", *FIT, "--method", "gauss-newton"], ["gauss-newton", "--residual", "--loss"]),
    (["run", "x^2 + y^2", "--method", "levenberg-marquardt", "--start", "1,1"],
     ["levenberg-marquardt", "--residual"]),
    (["run", "--dataset", "line", *FIT, "--method", "newton", "--schedule", "cosine"], ["newton", "schedule"]),
    (["run", "--dataset", "line", *FIT, "--method", "gd", "--schedule", "linear"], ["unknown schedule 'linear'"]),
    (["run", "--dataset", "line", *FIT, "--method", "gd", "--schedule", "cosine", "--set", "gamma=0.5"],
     ["gamma", "cosine schedule"]),
    (["run", "--dataset", "line", *FIT, "--method", "gd", "--set", "every=3"], ["every", "--schedule step"]),
    (["run", "--dataset", "line", *FIT, "--method", "gd", "--set", "schedule.period=3"], ["--schedule"]),
    (["run", "--dataset", "line", *FIT, "--method", "gd", "--schedule", "exponential", "--set", "gamma=1.5"],
     ["gamma", "(0, 1]"]),
    (["run", "--dataset", "line", *FIT, "--method", "gd", "--schedule", "step", "--set", "every=0"], ["every"]),
    (["run", "--dataset", "line", *FIT, "--method", "gd", "--set", "warmup=-1"], ["warmup"]),
    (["run", "(x^2 - y, x + y - 2)", "--method", "newton", "--start", "1,1", "--schedule", "cosine"],
     ["--schedule", "field"]),
    (["run", "--dataset", "line", "--loss", MSE, "--residual", "w*X + b - Y", "--train", "w,b", "--start", "0,0",
      "--method", "gd"], ["--loss", "--residual", "not both"]),
    (["run", "--dataset", "line", *FIT, "--method", "sgd"], ["unknown method 'sgd'", "--batch 1"]),
    (["inspect", "--dataset", "growth", "--residual", "a*exp(b*x) - Y", "--train", "a,b", "--at", "1,0"],
     ["--residual: ", "'x'"]),
])
def test_refusals_are_one_line_and_exit_2(capsys, argv, words):
    message = error(capsys, *argv)
    for word in words:
        assert word in message


def test_seed_with_a_file(capsys, line_csv):
    assert "--batch" in error(capsys, "run", "--data", line_csv, *FIT, "--method", "gd", "--seed", "3")
    run_json(capsys, "--data", line_csv, *FIT, "--method", "gd", "--seed", "3", "--batch", "4", "--steps", "2")


def test_help_lists_every_method_and_schedule(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for name in ALL_METHODS:
        assert name in out
    for name in ("constant", "exponential", "step", "inverse-time", "cosine", "warmup", "--batch", "--residual"):
        assert name in out
    assert ", ".join(FIRST_ORDER) in out


def test_export_of_a_function_refuses_least_squares_methods_saying_what_they_need(capsys, tmp_path):
    message = error(capsys, "export", "x^2 + y^2", "--method", "gauss-newton", "--out", str(tmp_path / "a.gif"))
    assert "gauss-newton needs a fit given as residuals" in message and "\n" not in message.strip()
    assert not (tmp_path / "a.gif").exists()
