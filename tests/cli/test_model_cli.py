"""`run`, `inspect` and `sweep` with --model: the JSON contract, held-out metrics checked against scikit-learn
from the printed parameters, and one-line refusals."""
import json

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, mean_squared_error, precision_score
from sklearn.metrics import r2_score, recall_score

from explorer.core.data import csv_text
from explorer.core.datasets import generate
from tests.cli.cli_calls import error, output, strict_json

CLASSES = ("--dataset", "classes-2d", "--target", "Y", "--features", "X1,X2")


def run_json(capsys, *argv):
    return strict_json(output(capsys, "run", *argv, "--json"))


def columns(name="classes-2d"):
    d = generate(name)
    return np.column_stack([d.column("X1"), d.column("X2")]), d.column("Y")


def logistic_probability(params, X):
    z = X @ np.asarray(params["W1"]) + np.asarray(params["b1"])
    return 1.0 / (1.0 + np.exp(-z[:, 0]))


def test_logistic_regression_is_judged_on_held_out_rows_as_scikit_learn_judges_it(capsys):
    out = run_json(capsys, *CLASSES, "--model", "logistic", "--test-fraction", "0.3", "--split-seed", "4",
                   "--method", "gd", "--lr", "0.5", "--steps", "60")
    train, test = out["split"]["train"], out["split"]["test"]
    assert sorted(train + test) == list(range(200)) and not set(train) & set(test) and len(test) == 60
    assert out["parameter_shapes"] == {"W1": [2, 1], "b1": [1]} and out["task"] == "binary"
    (gd,) = out["runs"]
    assert gd["initial_parameters"] == {"W1": [[0.0], [0.0]], "b1": [0.0]}   # logistic starts at zero
    assert len(gd["steps"]) == 61 and gd["steps"][0]["step"] == 0
    X, y = columns()
    p = logistic_probability(gd["parameters"], X)
    last = gd["steps"][-1]
    for part, rows in (("train", train), ("test", test)):
        truth, guess = y[rows], (p[rows] >= 0.5).astype(int)
        m = last[part]
        assert m["accuracy"] == pytest.approx(accuracy_score(truth, guess))
        assert m["precision"] == pytest.approx(precision_score(truth, guess, zero_division=0))
        assert m["recall"] == pytest.approx(recall_score(truth, guess, zero_division=0))
        assert m["f1"] == pytest.approx(f1_score(truth, guess, zero_division=0))
        assert m["confusion"] == confusion_matrix(truth, guess, labels=[0, 1]).tolist()
        # mean binary cross-entropy on that part, by hand
        bce = -np.mean(truth * np.log(p[rows]) + (1 - truth) * np.log(1 - p[rows]))
        assert m["loss"] == pytest.approx(bce, rel=1e-9)
    assert last["loss"] == pytest.approx(last["data_loss"]) == pytest.approx(last["train"]["loss"])
    assert last["test"]["accuracy"] > 0.7   # two overlapping classes a line separates fairly well


def test_the_penalty_is_l2_times_the_squared_weights_not_the_biases(capsys):
    out = run_json(capsys, *CLASSES, "--model", "mlp:3:tanh", "--l2", "0.1", "--method", "adam", "--lr", "0.05",
                   "--steps", "5", "--init-seed", "2")
    (adam,) = out["runs"]
    assert out["parameter_shapes"] == {"W1": [2, 3], "b1": [3], "W2": [3, 1], "b2": [1]}
    weights = sum(np.sum(np.square(adam["parameters"][w])) for w in ("W1", "W2"))
    last = adam["steps"][-1]
    assert last["loss"] == pytest.approx(last["data_loss"] + 0.1 * weights, rel=1e-9)
    first = run_json(capsys, *CLASSES, "--model", "mlp:3:tanh", "--method", "gd", "--steps", "0", "--init-seed", "2")
    assert first["runs"][0]["initial_parameters"] == adam["initial_parameters"]   # the same seed, the same start
    other = run_json(capsys, *CLASSES, "--model", "mlp:3:tanh", "--method", "gd", "--steps", "0", "--init-seed", "3")
    assert other["runs"][0]["initial_parameters"] != adam["initial_parameters"]


def test_linear_regression_reaches_least_squares_with_r2_as_scikit_learn_computes_it(capsys):
    out = run_json(capsys, "--dataset", "line", "--model", "linear", "--method", "bfgs", "--steps", "50")
    (bfgs,) = out["runs"]
    d = generate("line")
    X, y = d.column("X")[:, None], d.column("Y")
    A = np.column_stack([X, np.ones(len(y))])
    w, b = np.linalg.lstsq(A, y, rcond=None)[0]
    assert bfgs["parameters"]["W1"][0][0] == pytest.approx(w, rel=1e-6)
    assert bfgs["parameters"]["b1"][0] == pytest.approx(b, rel=1e-6)
    prediction = X[:, 0] * bfgs["parameters"]["W1"][0][0] + bfgs["parameters"]["b1"][0]
    assert bfgs["steps"][-1]["train"]["mse"] == pytest.approx(mean_squared_error(y, prediction))
    assert bfgs["steps"][-1]["train"]["r2"] == pytest.approx(r2_score(y, prediction))
    assert "test" not in bfgs["steps"][-1] or bfgs["steps"][-1]["test"] == {}


def test_standardisation_uses_the_training_rows_only(capsys):
    out = run_json(capsys, *CLASSES, "--model", "logistic", "--standardise", "--test-fraction", "0.5",
                   "--method", "gd", "--steps", "0")
    X, _ = columns()
    rows = out["split"]["train"]
    assert out["standardise"]["columns"] == ["X1", "X2"]
    assert out["runs"][0]["standardise"] == out["standardise"] and out["runs"][0]["split"] == out["split"]
    np.testing.assert_allclose(out["standardise"]["mean"], X[rows].mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(out["standardise"]["std"], X[rows].std(axis=0), rtol=1e-12)
    assert not np.allclose(out["standardise"]["mean"], X.mean(axis=0))


def test_inspect_reads_the_parameters_run_printed(capsys, tmp_path):
    out = run_json(capsys, *CLASSES, "--model", "mlp:3:tanh", "--l2", "0.01", "--method", "adam", "--steps", "10",
                   "--test-fraction", "0.25")
    (adam,) = out["runs"]
    path = tmp_path / "trained.json"
    path.write_text(json.dumps({"parameters": adam["parameters"]}))
    seen = strict_json(output(capsys, "inspect", *CLASSES, "--model", "mlp:3:tanh", "--l2", "0.01",
                              "--test-fraction", "0.25", "--params", str(path), "--json"))
    assert seen["loss"] == pytest.approx(adam["steps"][-1]["loss"], rel=1e-12)
    assert seen["test"] == adam["steps"][-1]["test"]
    assert {k: np.shape(v) for k, v in seen["gradient"].items()} == {k: np.shape(v) for k, v in
                                                                     adam["parameters"].items()}
    # ∂L/∂W2[1, 0] against a central difference of the loss that inspect prints
    h, moved = 1e-6, {k: np.array(v) for k, v in adam["parameters"].items()}
    values = []
    for sign in (1, -1):
        moved["W2"][1, 0] = adam["parameters"]["W2"][1][0] + sign * h
        path.write_text(json.dumps({k: v.tolist() for k, v in moved.items()}))
        values.append(strict_json(output(capsys, "inspect", *CLASSES, "--model", "mlp:3:tanh", "--l2", "0.01",
                                         "--test-fraction", "0.25", "--params", str(path), "--json"))["loss"])
    assert seen["gradient"]["W2"][1][0] == pytest.approx((values[0] - values[1]) / (2 * h), rel=1e-5, abs=1e-8)
    text = output(capsys, "inspect", *CLASSES, "--model", "mlp:3:tanh", "--l2", "0.01", "--test-fraction", "0.25",
                  "--params", str(path))
    assert "test:" in text and "accuracy" in text and "|∂L/∂W1|" in text


def test_a_csv_file_with_chosen_target_and_features(capsys, tmp_path):
    path = tmp_path / "classes.csv"
    path.write_text(csv_text(generate("classes-2d")))
    out = run_json(capsys, "--data", str(path), "--target", "Y", "--features", "X2", "--model", "logistic",
                   "--method", "gd", "--steps", "3")
    assert out["features"] == ["X2"] and out["parameter_shapes"]["W1"] == [1, 1]


def test_the_text_output_names_the_model_and_both_parts(capsys):
    text = output(capsys, "run", *CLASSES, "--model", "logistic", "--test-fraction", "0.3", "--method", "gd",
                  "--steps", "20")
    assert "logistic (3 parameters, binary) predicting Y from X1, X2" in text
    assert "140 training rows, 60 test rows" in text and "test accuracy" in text


@pytest.mark.parametrize("argv, message", [
    (("--model", "mlp:0"), "--model"),
    (("--model", "mlp:4:swish"), "swish"),
    (("--model", "logistic", "--l2", "-1"), "--l2 must be between 0"),
    (("--model", "logistic", "--test-fraction", "0.95"), "--test-fraction"),
    (("--model", "logistic", "--target", "Z"), "'Z'"),
    (("--model", "logistic", "--loss", "(w*X1 - Y)^2"), "not both"),
    (("--model", "logistic", "--start", "0,0"), "--init-seed"),
    (("--l2", "0.1",), "--l2 goes with --model"),
])
def test_bad_model_input_is_one_line(capsys, argv, message):
    args = ["run", "--dataset", "classes-2d", "--method", "gd", *argv]
    if "--start" not in argv and "--model" not in argv:
        args.append("--loss")
        args.append("(w*X1 - Y)^2")
        args += ["--train", "w", "--start", "0"]
    assert message in error(capsys, *args)


def test_inspect_refuses_parameters_of_the_wrong_shape(capsys, tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"W1": [[1.0, 2.0]], "b1": [0.0]}))
    line = error(capsys, "inspect", *CLASSES, "--model", "logistic", "--params", str(path))
    assert "'W1' has shape (1, 2); this model's is (2, 1)" in line


def test_sweep_gives_one_result_per_value_and_seed_in_order(capsys):
    out = strict_json(output(capsys, "sweep", *CLASSES, "--model", "logistic", "--test-fraction", "0.3",
                             "--method", "gd", "--steps", "30", "--vary", "l2", "0", "1", "--seeds", "0,1",
                             "--workers", "1", "--json"))
    assert [(r["value"], r["seed"]) for r in out["results"]] == [(0.0, 0), (0.0, 1), (1.0, 0), (1.0, 1)]
    # logistic starts at zero whatever the seed: full-batch runs from one start agree
    assert out["results"][0]["test"] == out["results"][1]["test"]
    # a heavy penalty pulls the weights to zero: the training loss rises towards log 2
    assert out["results"][2]["train"]["loss"] > out["results"][0]["train"]["loss"]
    single = run_json(capsys, *CLASSES, "--model", "logistic", "--test-fraction", "0.3", "--method", "gd",
                      "--steps", "30", "--l2", "1")
    assert out["results"][2]["test"] == single["runs"][0]["steps"][-1]["test"]


def test_sweep_refuses_a_setting_it_cannot_vary(capsys):
    assert "'depth' cannot be swept" in error(capsys, "sweep", *CLASSES, "--model", "logistic", "--method", "gd",
                                          "--vary", "depth", "1", "2")


def test_softmax_on_blobs_reports_accuracy_and_macro_f1_as_scikit_learn_does(capsys):
    out = run_json(capsys, "--dataset", "blobs", "--model", "softmax", "--test-fraction", "0.25", "--method", "adam",
                   "--lr", "0.1", "--steps", "40")
    assert out["task"] == "classes" and out["parameter_shapes"] == {"W1": [2, 3], "b1": [3]}
    (adam,) = out["runs"]
    d = generate("blobs")
    X, y = np.column_stack([d.column("X1"), d.column("X2")]), d.column("Y").astype(int)
    z = X @ np.asarray(adam["parameters"]["W1"]) + np.asarray(adam["parameters"]["b1"])
    guess = np.argmax(z, axis=1)
    rows = out["split"]["test"]
    m = adam["steps"][-1]["test"]
    assert m["accuracy"] == pytest.approx(accuracy_score(y[rows], guess[rows]))
    assert m["macro_f1"] == pytest.approx(f1_score(y[rows], guess[rows], average="macro"))
    # mean cross-entropy on the test rows by hand: log Σ exp(z) − z_y
    ce = np.mean(np.log(np.sum(np.exp(z[rows]), axis=1)) - z[rows, y[rows]])
    assert m["loss"] == pytest.approx(ce, rel=1e-9)


def test_a_written_dataset_trains_as_the_built_in_one(capsys, tmp_path):
    path = tmp_path / "moons.csv"
    output(capsys, "dataset", "moons", "--rows", "80", "--noise", "0.1", "--data-seed", "3", "--out", str(path))
    common = ("--model", "mlp:4", "--method", "gd", "--steps", "5", "--test-fraction", "0.25")
    from_file = run_json(capsys, "--data", str(path), *common)
    built_in = run_json(capsys, "--dataset", "moons", "--rows", "80", "--noise", "0.1", "--data-seed", "3", *common)
    assert from_file["runs"][0]["steps"] == built_in["runs"][0]["steps"]


def test_a_sweep_in_two_processes_draws_its_picture(capsys, tmp_path):
    from PIL import Image
    path = tmp_path / "lr.png"
    out = strict_json(output(capsys, "sweep", *CLASSES, "--model", "logistic", "--test-fraction", "0.3",
                             "--method", "gd", "--steps", "10", "--vary", "lr", "0.01", "0.1", "1", "--workers", "2",
                             "--out", str(path), "--json"))
    assert [r["value"] for r in out["results"]] == [0.01, 0.1, 1.0] and out["metric"] == "accuracy"
    # a larger rate goes further in 10 steps: the training loss falls with lr
    losses = [r["train"]["loss"] for r in out["results"]]
    assert losses[0] > losses[1] > losses[2]
    with Image.open(path) as picture:
        assert picture.width > 400 and picture.height > 300


def test_inspect_reads_the_whole_output_of_a_run_of_one_method_and_refuses_several(capsys, tmp_path):
    args = (*CLASSES, "--model", "logistic", "--test-fraction", "0.25")
    text = output(capsys, "run", *args, "--method", "gd", "--lr", "0.5", "--steps", "5", "--json")
    path = tmp_path / "trained.json"
    path.write_text(text)   # exactly what `run --json > trained.json` writes
    seen = strict_json(output(capsys, "inspect", *args, "--params", str(path), "--json"))
    assert seen["loss"] == pytest.approx(json.loads(text)["runs"][0]["steps"][-1]["loss"], rel=1e-12)
    path.write_text(output(capsys, "run", *args, "--method", "gd,adam", "--steps", "5", "--json"))
    assert "holds 2 runs; give one run's" in error(capsys, "inspect", *args, "--params", str(path))
