"""Sweep a setting: one setting of the network fit on show (l2, l1, lr, steps, batch, method, model,
test-fraction) over several values and seeds, each run to its end in a pool of processes (core.sweep, the
job core.model_training.sweep_job) while the window keeps drawing; a progress bar and Cancel; then the final
train and test metric against the value, a dot per seed and the mean joined by a line, the seeds' spread
(min to max) as a bar.

The runs start from the fit as it is: its data, model, penalties and split, and the selected run's method,
settings, mini-batch and step limit (the seed of each run: its initialisation and its batches' shuffle).
"""
from __future__ import annotations

import math
import threading
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar,
                               QPushButton, QVBoxLayout)

from explorer.core.colours import SPLIT_COLOURS
from explorer.ui.views.drawing.axis_numbers import small_plot
from explorer.ui.views.drawing.palette import error_label
from explorer.ui.views.drawing.plot_legend import LegendKey, PlotLegend
from explorer.ui.views.plots.metrics_view import METRIC_NAMES, METRICS, STYLES

SETTINGS = ("l2", "l1", "lr", "steps", "batch", "method", "model", "test-fraction")   # core.sweep.SWEEPABLE
EXAMPLES = {"l2": "0, 0.0001, 0.001, 0.01, 0.1", "l1": "0, 0.0001, 0.001, 0.01", "lr": "0.001, 0.01, 0.05, 0.1",
            "steps": "50, 100, 200, 400", "batch": "8, 16, 32, 64", "method": "gd, momentum, adam",
            "model": "logistic mlp:4 mlp:16 mlp:16,16", "test-fraction": "0.1, 0.2, 0.3, 0.5"}
LOG_DECADES = 2      # positive values spanning this many decades go on a log axis
BEAM_SHARE = 0.025   # the spread bars' caps, as a share of the values' span
NAME_PT = 12


def engine():
    """(sweep, parse_values, summarise) of core.sweep and the job of core.model_training: imported when a sweep
    starts, so the window opens without the pool's machinery."""
    from explorer.core.model_training import sweep_job
    from explorer.core.sweep import parse_values, summarise, sweep
    return sweep, parse_values, summarise, sweep_job


def sweep_config(controller) -> dict:
    """The plain settings of the network fit on show and its selected run (core.model_training's config)."""
    c = controller
    fit, problem = c.fit.spec, c.model.problem
    network, d = fit.network, fit.data
    data = ({"csv": d.csv, "source": d.source} if d.csv is not None else
            {"dataset": d.dataset, "seed": d.seed, "rows": d.rows, "noise": getattr(d, "noise", None)})
    config = {"data": data, "target": problem.target, "features": list(problem.features), "model": network.model,
              "l2": network.l2, "l1": network.l1, "init_seed": network.init_seed,
              "test_fraction": network.test_fraction, "split_seed": network.split_seed,
              "standardise": network.standardise, "steps": c.max_steps}
    if c.configs:
        run = c.configs[c.selected]
        config.update(method=run.method, settings=dict(run.settings), batch=run.batch)
    else:
        config.update(method="adam", settings={"lr": 0.05}, batch=None)
    return config


class SweepThread(QThread):
    """Runs the sweep off the window's thread; progress and the results come back as signals."""

    progressed = Signal(int, int)
    finished_with = Signal(object)
    failed = Signal(str)

    def __init__(self, runner, job, values, seeds, parent=None):
        super().__init__(parent)
        self.runner, self.job, self.values, self.seeds = runner, job, values, seeds
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            results = self.runner(self.job, self.values, self.seeds, progress=self.progressed.emit,
                                  cancel=self.cancel)
        except Exception as err:  # noqa: BLE001 - a sweep that breaks says so; the window stays
            self.failed.emit(str(err).splitlines()[0] if str(err) else type(err).__name__)
            return
        self.finished_with.emit(results)


class SweepDialog(QDialog):
    def __init__(self, controller, parent=None, engine_of=engine):
        super().__init__(parent)
        self.controller, self.engine_of = controller, engine_of
        self.thread, self.results, self.summary = None, None, {}
        self.setWindowTitle("Sweep a setting")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.setting = QComboBox()
        self.setting.addItems(list(SETTINGS))
        self.setting.setToolTip("The setting each run changes; everything else is the fit on show and its "
                                "selected run")
        self.setting.currentTextChanged.connect(self._setting_chosen)
        form.addRow("setting", self.setting)
        self.values = QLineEdit()
        self.values.setToolTip("The values to try, separated by commas (models as the builder writes them, "
                               "e.g. mlp:16,16:relu, separated by spaces)")
        form.addRow("values", self.values)
        self.seeds = QLineEdit("0, 1, 2")
        self.seeds.setToolTip("The seeds: each value runs once per seed (its initial weights and its batches' "
                              "shuffle); the plot shows their mean and spread")
        form.addRow("seeds", self.seeds)
        self.metric_box = QComboBox()
        self.metric_box.setToolTip("The final metric drawn against the value, on the training and the test rows")
        self.metric_box.activated.connect(lambda _: self.draw())
        form.addRow("metric", self.metric_box)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.run_button = QPushButton("Run sweep")
        self.run_button.setToolTip("Train every value × seed to its end in the background (every core)")
        self.run_button.clicked.connect(lambda: self.start())
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop handing out runs and stop those under way; the finished ones stay")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setToolTip("Runs finished of the sweep's value × seed runs")
        for widget in (self.run_button, self.cancel_button, self.progress):
            buttons.addWidget(widget)
        layout.addLayout(buttons)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.legend = PlotLegend(11)
        layout.addWidget(self.legend)
        self.plot = small_plot()
        self.plot.setMenuEnabled(False)
        self.plot.setMinimumSize(520, 300)
        layout.addWidget(self.plot, 1)
        self._setting_chosen(self.setting.currentText())
        task = getattr(controller.model.problem, "task", "binary")
        for key in METRICS[task]:
            self.metric_box.addItem(METRIC_NAMES[key], key)
        if task == "regression":   # a loss goes down: R² first, then the test loss
            self.metric_box.addItem("loss", "loss")

    def _setting_chosen(self, name: str) -> None:
        self.values.setPlaceholderText(f"e.g. {EXAMPLES[name]}")
        self.values.setText(EXAMPLES[name])

    def value_texts(self) -> list[str]:
        text = self.values.text()
        if self.setting.currentText() == "model":   # a model's own commas stay: 'mlp:4, mlp:16,16' is two
            return [t.strip(",") for t in text.replace(";", " ").split() if t.strip(",")]
        return [t.strip() for t in text.split(",") if t.strip()]

    def seed_list(self) -> list[int]:
        seeds = []
        for t in (t.strip() for t in self.seeds.text().split(",")):
            if not t:
                continue
            if not t.isdigit():
                raise ValueError(f"seeds: '{t}' is not a whole number ≥ 0")
            seeds.append(int(t))
        if not seeds:
            raise ValueError("seeds: give at least one, e.g. 0, 1, 2")
        return seeds

    def start(self) -> bool:
        """Check the values and seeds and start the sweep in the background (False with one line if wrong)."""
        if self.thread is not None:
            return False
        sweep, parse_values, _, job = self.engine_of()
        name = self.setting.currentText()
        try:
            values = parse_values(name, self.value_texts())
            seeds = self.seed_list()
        except ValueError as err:
            self.error.setText(f"⚠ {err}")
            return False
        self.error.setText("")
        self.name = name
        self.thread = SweepThread(sweep, partial(job, sweep_config(self.controller), name), values, seeds, self)
        self.thread.progressed.connect(self._progressed)
        self.thread.finished_with.connect(self._finished)
        self.thread.failed.connect(self._failed)
        self.progress.setRange(0, len(values) * len(seeds))
        self.progress.setValue(0)
        self.status.setText(f"Running {len(values)} values × {len(seeds)} seeds of {name}…")
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.thread.start()
        return True

    def cancel(self) -> None:
        if self.thread is not None:
            self.thread.cancel.set()
            self.status.setText("Cancelling: the runs under way are stopped…")

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _done(self) -> None:
        self.thread.wait()
        self.thread = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _failed(self, message: str) -> None:
        self._done()
        self.error.setText(f"⚠ the sweep stopped: {message}")

    def _finished(self, results) -> None:
        self._done()
        self.results = list(results)
        failed = [r for r in self.results if "error" in r]
        total = getattr(results, "total", len(self.results))
        said = f"{len(self.results)} of {total} runs finished" + (" (cancelled)" if getattr(results, "cancelled",
                                                                                        False) else "")
        if failed:
            said += f"; {len(failed)} failed, e.g. {failed[0]['value']} seed {failed[0]['seed']}: {failed[0]['error']}"
        self.status.setText(said)
        self.draw()

    # ---------------------------------------------------------------- the plot
    def positions(self, values) -> tuple[np.ndarray, bool, list[str] | None]:
        """Where each value goes on the horizontal axis: (x, log axis?, tick labels or None for numbers)."""
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        if not numbers:
            return np.arange(len(values), dtype=float), False, [str(v) for v in values]
        v = np.asarray(values, float)
        if np.all(v > 0) and v.max() / v.min() >= 10 ** LOG_DECADES:
            return np.log10(v), True, [f"{x:g}" for x in values]   # to scale on a log axis, labelled by value
        if np.any(v <= 0) and np.sum(v > 0) > 1 and v[v > 0].max() / v[v > 0].min() >= 10 ** LOG_DECADES:
            return np.arange(len(values), dtype=float), False, [f"{x:g}" for x in values]   # spaced evenly
        return v, False, None

    def draw(self) -> None:
        if not self.results:
            return
        _, _, summarise, _ = self.engine_of()
        key = self.metric_box.currentData()
        ok = [r for r in self.results if "error" not in r]
        values = list(dict.fromkeys(r["value"] for r in self.results))
        x, log, labels = self.positions(values)
        where = dict(zip(values, x))
        beam = BEAM_SHARE * (float(np.ptp(x)) or 1.0)
        self.plot.clear()
        self.summary = {}
        for part in ("train", "test"):
            colour = SPLIT_COLOURS[part]
            rows = summarise(ok, (part, key))
            self.summary[part] = rows
            xs = np.array([where[r["value"]] for r in rows if r["mean"] is not None])
            means = np.array([r["mean"] for r in rows if r["mean"] is not None])
            if not len(means):
                continue
            self.plot.plot(xs, means, pen=pg.mkPen(colour, width=2.5, style=STYLES[part]), symbol="o", symbolSize=10,
                           symbolBrush=colour, symbolPen="#ffffff")
            lows = np.array([r["mean"] - r["min"] for r in rows if r["mean"] is not None])
            highs = np.array([r["max"] - r["mean"] for r in rows if r["mean"] is not None])
            self.plot.addItem(pg.ErrorBarItem(x=xs, y=means, top=highs, bottom=lows, beam=beam,
                                              pen=pg.mkPen(colour, width=1.5)))
            seeds = [(where[r["value"]], r.get(part, {}).get(key)) for r in ok]
            seeds = [(a, b) for a, b in seeds if b is not None and math.isfinite(b)]
            if seeds:
                self.plot.plot(*np.array(seeds).T, pen=None, symbol="o", symbolSize=5, symbolBrush=colour + "80",
                               symbolPen=None)
        axis = self.plot.getAxis("bottom")
        if labels is not None:
            axis.setTicks([list(zip(x, labels))])
        else:
            axis.setTicks(None)
        shown = self.metric_box.currentText()
        numbers = all(isinstance(v, (int, float)) for v in values)
        name = self.name + (" (log scale)" if log else " (evenly spaced, not to scale)" if labels and numbers
                            else "")
        style = {"font-size": f"{NAME_PT}pt", "color": "#222222"}
        self.plot.setLabel("bottom", name, **style)
        self.plot.setLabel("left", f"final {shown}", **style)
        self.legend.set_keys([LegendKey(f"{part} rows: mean, min–max over seeds", SPLIT_COLOURS[part],
                                        pens=(pg.mkPen(SPLIT_COLOURS[part], width=2.5, style=STYLES[part]),))
                               for part in ("train", "test")])

    def closeEvent(self, event) -> None:
        """Closing the dialog cancels a sweep under way (its workers are stopped)."""
        if self.thread is not None:
            self.thread.cancel.set()
            self.thread.wait()
        super().closeEvent(event)
