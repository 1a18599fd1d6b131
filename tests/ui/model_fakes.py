"""A stand-in controller for the model views: a real ModelProblem and a real Run (core), read the way the
session's model readings (explorer.ui.control.model_control) are, so the views can be tested on their own."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from explorer.core.datasets import generate
from explorer.core.methods import make_optimizer
from explorer.core.model_fit import ModelProblem
from explorer.core.split import split_rows
from explorer.core.trajectory import Run


def model_problem(dataset="moons", model="mlp:4:tanh", rows=120, test_fraction=0.3, features=("X1", "X2"),
                  target="Y", seed=0) -> ModelProblem:
    data = generate(dataset, seed, rows=rows)
    split = split_rows(data.rows, test_fraction, 0) if test_fraction else None
    return ModelProblem(data, model, target, features, split=split)


class FakeModelReader:
    """What ModelReader gives, computed here from the problem and the run (the session does it in the program)."""

    view = "metrics"   # the model pane's view on show

    def __init__(self, problem, run=None, batch_rows=None):
        self.problem, self.run, self.batch_rows_per_step = problem, run, batch_rows

    def on_show(self):
        if self.run is None:
            return self.problem.initial(0), None
        return np.asarray(self.run.current.point, float), self.run

    def run_colour(self):
        return "#8C510A"

    def steps_per_epoch(self):
        rows = self.batch_rows_per_step
        return None if rows is None else len(self.problem.y_train) / rows

    def batch_rows(self):
        if self.run is None or self.batch_rows_per_step is None:
            return None
        return np.asarray(self.problem.split.train)[self.run.optimizer.batches.batch(self.run.current.iteration)]

    def decision_held(self):
        return {}

    def decision_grid(self, n=120):
        p = self.problem
        theta = self.on_show()[0]
        d = p.dataset
        columns = [np.asarray(d.column(f), float) for f in p.features]
        spans = []
        for c in columns:
            pad = 0.1 * (c.max() - c.min())
            spans.append(np.linspace(c.min() - pad, c.max() + pad, n))
        if len(columns) == 1 and p.task == "regression":
            return spans[0], None, p.network.predict(theta, spans[0][:, None]), "regression"
        if len(columns) != 2:
            return None
        xs, ys = spans
        X = np.stack(np.meshgrid(xs, ys, indexing="ij"), axis=-1).reshape(-1, 2)
        values = (p.network.probabilities(theta, X) if p.task == "binary" else p.network.predict(theta, X))
        return xs, ys, np.asarray(values).reshape(n, n), p.task

    def _record(self, state):
        return {"step": int(state.iteration), "loss": float(state.value), **self.problem.metrics(state.point)}

    def run_metrics(self, index=None):
        return [self._record(s) for s in self.run.states] if self.run is not None else []

    def step_metrics(self):
        return self._record(self.run.current) if self.run is not None else None

    def model_summary(self):
        return None

    def probability_arrow(self):
        return None   # the chosen row's arrow: the session's (tests/ui/test_sensitivity_view.py)

    def choose_row(self, row):
        return False


class FakeController(QObject):
    fitChanged = Signal()
    runsChanged = Signal()
    selectionChanged = Signal(int)
    pathsChanged = Signal()
    sensitivityRowChanged = Signal()
    modelViewChanged = Signal()
    playing = False

    def __init__(self, reader):
        super().__init__()
        self.model = reader


def trained_run(problem, method="adam", steps=40, lr=0.05, batch=None) -> Run:
    run = Run(make_optimizer(method, problem.objective(), batch=batch, lr=lr), problem.initial(0), max_steps=steps)
    run.run_to_end()
    return run
