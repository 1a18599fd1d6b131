"""The model presets (34–39) do what their notes say: each number of a note is computed here, from the preset's
own runs (the session, as the window plays them) and from the sweep its note asks for (core.model_training's
job, as the sweep dialog and `landscape-explorer sweep` run it); metrics are recomputed with scikit-learn
from the network's own probabilities."""
import numpy as np
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_score, recall_score

from explorer.core.model_training import SweepJob
from explorer.core.preset_library import load_presets
from explorer.core.sweep import summarise, sweep
from explorer.session import Session

PRESETS = {path.stem: scene for path, scene in load_presets()}
MODEL_PRESETS = ("34-held-out-logistic", "35-xor-network", "36-overfitting-and-l2",
                 "37-sgd-minibatch-momentum-network", "38-activations", "39-depth")


def played(name):
    scene = PRESETS[name]
    s = Session.from_scene(scene)
    s.jump(scene.max_steps, budget=None)
    return s


def end(s, run=0):
    """The metrics at a run's last state."""
    return s.run_metrics(run)[-1]


def config(s):
    """The preset as core.model_training's plain settings, with its first run's method (what a sweep runs)."""
    fit, run = s.setup.fit, s.setup.runs[0]
    d = fit.data
    return {"data": {"dataset": d.dataset, "seed": d.seed, "rows": d.rows, "noise": d.noise},
            "target": fit.target, "features": list(fit.features), "model": fit.network.model,
            "l2": fit.network.l2, "l1": fit.network.l1, "init_seed": fit.network.init_seed,
            "test_fraction": fit.network.test_fraction, "split_seed": fit.network.split_seed,
            "method": run.method, "settings": dict(run.settings), "batch": run.batch, "steps": s.setup.max_steps}


def swept(s, name, values, seeds=(0, 1, 2)):
    """{value: {"train"|"test": {metric: mean over the seeds}}} of the sweep the note describes (two processes)."""
    results = sweep(SweepJob(config(s), name), values, seeds, workers=2)
    assert not any("error" in r for r in results)
    out = {}
    for part in ("train", "test"):
        for key in ("accuracy", "loss"):
            for row in summarise(results, (part, key)):
                out.setdefault(row["value"], {}).setdefault(part, {})[key] = row["mean"]
    return out


def test_every_model_preset_is_a_network_fit_with_held_out_rows_and_a_note():
    for name in MODEL_PRESETS:
        scene = PRESETS[name]
        assert scene.fit.network is not None and scene.fit.network.test_fraction > 0, name
        assert scene.title and len(scene.note) > 100, name


def test_logistic_regression_judged_on_held_out_rows():
    s = played("34-held-out-logistic")
    problem, (run,) = s.problem, s.runs
    assert (problem.network.spec.text, len(problem.y_train), len(problem.y_test)) == ("logistic", 140, 60)
    assert run.optimizer.settings()["lr"] == 0.5 and len(run.states) == 201
    m = end(s)
    assert round(m["train"]["accuracy"], 3) == 0.879 and round(m["test"]["accuracy"], 3) == 0.833
    assert round(m["test"]["loss"], 3) == 0.354 and round(m["train"]["loss"], 3) == 0.264
    # scikit-learn's reading of the same predictions on the test rows
    theta = run.states[-1].point
    truth = problem.y_test
    guess = (problem.network.probabilities(theta, problem.X_test) >= 0.5).astype(int)
    assert confusion_matrix(truth, guess).tolist() == m["test"]["confusion"] == [[24, 4], [6, 26]]
    assert round(precision_score(truth, guess), 3) == 0.867 == round(m["test"]["precision"], 3)
    assert round(recall_score(truth, guess), 3) == 0.812 == round(m["test"]["recall"], 3)
    assert round(f1_score(truth, guess), 3) == 0.839 == round(m["test"]["f1"], 3)
    assert accuracy_score(truth, guess) == pytest.approx(m["test"]["accuracy"])


def test_xor_needs_the_hidden_layer():
    s = played("35-xor-network")
    m = end(s)
    assert s.problem.network.spec.text == "mlp:4:tanh" and len(s.runs[0].states) == 501
    assert round(m["test"]["accuracy"], 2) == 0.90 and round(m["train"]["accuracy"], 3) == 0.964
    job = SweepJob(config(s), "model")
    for seed in (0, 1, 2):   # logistic regression starts at zero: every seed ends the same
        assert job("logistic", seed)["test"]["accuracy"] == pytest.approx(0.65)


@pytest.mark.slow
def test_a_wide_network_overfits_forty_rows_and_l2_cures_it():
    s = played("36-overfitting-and-l2")
    m = end(s)
    assert s.problem.dimension == 1185 and len(s.problem.y_train) == 40
    assert m["train"]["accuracy"] == 1.0 and m["train"]["loss"] < 0.0005
    assert round(m["test"]["loss"], 2) == 0.97 and round(m["test"]["accuracy"], 2) == 0.84
    by_l2 = swept(s, "l2", [0.0, 0.001, 0.003, 0.01, 0.03])
    test_loss = {v: by_l2[v]["test"]["loss"] for v in by_l2}
    assert test_loss[0.0] == pytest.approx(1.0, abs=0.05)
    assert round(test_loss[0.003], 2) == 0.32 and min(test_loss, key=test_loss.get) == 0.003
    assert test_loss[0.01] > test_loss[0.003] and test_loss[0.03] > test_loss[0.01]   # the penalty underfits
    assert round(by_l2[0.003]["test"]["accuracy"], 2) == 0.86
    assert round(by_l2[0.01]["train"]["accuracy"], 2) == 0.75


def test_full_batch_mini_batches_sgd_and_momentum_on_one_network():
    s = played("37-sgd-minibatch-momentum-network")
    runs = s.runs
    assert [(r.method, None if r.optimizer.batches is None else r.optimizer.batches.size) for r in runs] == \
        [("gd", None), ("gd", 16), ("gd", 1), ("momentum", 16)]
    assert len({tuple(r.states[0].point) for r in runs}) == 1   # one start
    rows = len(s.problem.y_train)
    assert rows == 140 and round(300 * 16 / rows) == 34 and round(300 / rows) == 2   # passes over the data
    losses = [round(end(s, i)["train"]["loss"], 3) for i in range(4)]
    assert losses == [0.299, 0.300, 0.301, 0.270]


def test_activations_compared_on_circles():
    s = played("38-activations")
    assert round(end(s)["test"]["accuracy"], 3) == 0.967
    by_model = swept(s, "model", ["mlp:8:tanh", "mlp:8:relu", "mlp:8:sigmoid", "mlp:8:linear"])
    accuracy = {v: round(by_model[v]["test"]["accuracy"], 2) for v in by_model}
    assert accuracy == {"mlp:8:tanh": 0.97, "mlp:8:relu": 0.97, "mlp:8:sigmoid": 0.96, "mlp:8:linear": 0.40}


@pytest.mark.slow
def test_depth_compared_on_spirals():
    s = played("39-depth")
    m = end(s)
    assert m["train"]["accuracy"] == 1.0 and round(m["test"]["accuracy"], 3) == 0.933
    by_model = swept(s, "model", ["mlp:6", "mlp:6,6", "mlp:6,6,6", "mlp:6,6,6,6"])
    accuracy = [round(by_model[v]["test"]["accuracy"], 2) for v in ("mlp:6", "mlp:6,6", "mlp:6,6,6", "mlp:6,6,6,6")]
    assert accuracy[:3] == [0.79, 0.89, 0.93]
    # "about 0.86": three seeds' mean of 60 test rows each, which moves by a row between numpy builds and CPUs
    # (0.86 where the note was written, 0.87 on another machine): the claim is the drop after three layers
    assert abs(accuracy[3] - 0.86) <= 0.015 and accuracy[3] < accuracy[2]
