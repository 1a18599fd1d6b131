"""The sweep dialog: the runs it asks for (the fit's settings with one changed), its progress and Cancel from
the window's thread, and the plot of final train and test metrics against the value (mean and spread)."""
import threading
from types import SimpleNamespace

import numpy as np
import pytest

from explorer.ui.panels.sweep_dialog import SweepDialog, sweep_config


def stub_sweep(job, values, seeds, progress=None, cancel=None):
    """core.sweep.sweep's contract, run here: every (value, seed) in order, progress, cancel."""
    out, total = [], len(values) * len(seeds)
    progress(0, total)
    for value in values:
        for seed in seeds:
            if cancel is not None and cancel.is_set():
                return Results(out, True, total)
            out.append({"value": value, "seed": seed, **job(value, seed)})
            progress(len(out), total)
    return Results(out, False, total)


class Results(list):
    def __init__(self, items, cancelled, total):
        super().__init__(items)
        self.cancelled, self.total = cancelled, total


def stub_summarise(results, key_path):
    rows = {}
    for r in results:
        rows.setdefault(r["value"], []).append(r[key_path[0]][key_path[1]])
    return [{"value": v, "mean": float(np.mean(n)), "min": min(n), "max": max(n)} for v, n in rows.items()]


def stub_parse(name, texts):
    return [float(t) for t in texts] if name in ("l2", "l1", "lr", "test-fraction") else list(texts)


SEEN = []


def stub_job(config, name, value, seed):
    SEEN.append((config["l2"], config["method"], name, value, seed))
    return {"train": {"accuracy": 1.0 - value - 0.01 * seed}, "test": {"accuracy": 0.9 - 2 * value + 0.01 * seed}}


def controller():
    network = SimpleNamespace(model="mlp:4:tanh", l2=0.0, l1=0.0, init_seed=0, test_fraction=0.3, split_seed=0,
                              standardise=False)
    data = SimpleNamespace(csv=None, source="", dataset="moons", seed=0, rows=200, noise=0.2)
    problem = SimpleNamespace(task="binary", target="Y", features=("X1", "X2"))
    return SimpleNamespace(fit=SimpleNamespace(spec=SimpleNamespace(network=network, data=data)),
                           model=SimpleNamespace(problem=problem), max_steps=150, selected=0,
                           configs=[SimpleNamespace(method="adam", settings={"lr": 0.05}, batch=16)])


@pytest.fixture
def dialog(qtbot):
    SEEN.clear()
    d = SweepDialog(controller(), engine_of=lambda: (stub_sweep, stub_parse, stub_summarise, stub_job))
    qtbot.addWidget(d)
    d.show()
    return d


def test_the_runs_are_the_fit_and_its_selected_run_with_one_setting_changed(dialog):
    config = sweep_config(dialog.controller)
    assert config["data"] == {"dataset": "moons", "seed": 0, "rows": 200, "noise": 0.2}
    assert (config["model"], config["method"], config["settings"], config["batch"], config["steps"]) == \
        ("mlp:4:tanh", "adam", {"lr": 0.05}, 16, 150)
    assert (config["test_fraction"], config["features"], config["target"]) == (0.3, ["X1", "X2"], "Y")


def test_a_sweep_runs_in_the_background_and_draws_mean_and_spread_per_value(dialog, qtbot):
    dialog.setting.setCurrentText("l2")
    dialog.values.setText("0.001, 0.01, 0.1")
    dialog.seeds.setText("0, 1")
    assert dialog.start()
    qtbot.waitUntil(lambda: dialog.thread is None, timeout=5000)
    assert len(SEEN) == 6 and {s[2] for s in SEEN} == {"l2"}
    assert dialog.progress.value() == 6 and "6 of 6 runs finished" in dialog.status.text()
    test = dialog.summary["test"]
    assert [r["value"] for r in test] == [0.001, 0.01, 0.1]
    assert test[2]["mean"] == pytest.approx(0.9 - 0.2 + 0.005)
    assert (test[2]["min"], test[2]["max"]) == pytest.approx((0.7, 0.71))
    # the values span two decades: a log axis, labelled by the values
    ticks = dialog.plot.getAxis("bottom")._tickLevels[0]
    assert [label for _, label in ticks] == ["0.001", "0.01", "0.1"]
    assert [pos for pos, _ in ticks] == pytest.approx([-3, -2, -1])
    assert "log scale" in dialog.plot.getAxis("bottom").labelText


def test_bad_values_or_seeds_are_one_line_and_nothing_runs(dialog):
    dialog.setting.setCurrentText("l2")
    dialog.values.setText("0.1, lots")
    assert not dialog.start() and dialog.error.text().startswith("⚠") and dialog.thread is None
    dialog.values.setText("0.1")
    dialog.seeds.setText("0, -1")
    assert not dialog.start() and "seeds" in dialog.error.text()


def test_cancel_stops_the_sweep_and_keeps_what_finished(qtbot):
    gate, started = threading.Event(), threading.Event()

    def slow_job(config, name, value, seed):
        started.set()
        gate.wait(5)
        return stub_job(config, name, value, seed)

    d = SweepDialog(controller(), engine_of=lambda: (stub_sweep, stub_parse, stub_summarise, slow_job))
    qtbot.addWidget(d)
    d.setting.setCurrentText("l2")
    d.values.setText("0, 0.1, 0.2")
    d.seeds.setText("0")
    assert d.start()
    assert d.cancel_button.isEnabled() and not d.run_button.isEnabled()
    assert started.wait(5)   # the first run is under way
    d.cancel_button.click()
    gate.set()
    qtbot.waitUntil(lambda: d.thread is None, timeout=5000)
    assert "1 of 3 runs finished (cancelled)" in d.status.text()
    assert d.run_button.isEnabled()


def test_every_control_says_what_it_does(dialog):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QProgressBar, QWidget
    controls = [w for w in dialog.findChildren(QWidget)
                if isinstance(w, (QComboBox, QLineEdit, QAbstractButton, QProgressBar))
                and not isinstance(w.parentWidget(), QComboBox)]
    assert len(controls) >= 7 and all(w.toolTip() for w in controls)


def test_models_are_separated_by_spaces_and_keep_their_own_commas(dialog):
    dialog.setting.setCurrentText("model")
    dialog.values.setText("logistic, mlp:4 mlp:16,16:relu; mlp:8")
    assert dialog.value_texts() == ["logistic", "mlp:4", "mlp:16,16:relu", "mlp:8"]
    x, log, labels = dialog.positions(dialog.value_texts())
    assert list(x) == [0, 1, 2, 3] and labels == dialog.value_texts() and not log
