"""The controller's model reader (`controller.model`): what the window's model views read of a network fit
(the decision region, the metrics per step, the inspector's summary for many parameters) and the model
builder's commands. Every number comes from the session (explorer.session, over core.model_fit).

The session's readings it forwards (the SESSION API of issue 25):
    decision_grid(n)   (xs, ys, values, kind): values[i, j] at (xs[i], ys[j]) over the two features' plane;
                       with one feature (regression: the model's curve) ys is None and values[i] is at xs[i]
    run_metrics(i)     per computed state of run i: {"step", "loss", "data_loss", "train": {…}, "test": {…}}
    step_metrics()     the same for the selected run's state on show
    model_summary()    {"parameters", "norms": {name: ‖·‖}, "gradient_norm", "hessian_extremes": (λmin, λmax)}
and of issue 26's sensitivity (session.sensitivity_reading): input_jacobian_at() at the chosen row,
feature_importance(rows), probability_arrow() for the decision region, choose_row(row) (not undoable).
"""
from __future__ import annotations

import numpy as np

from explorer.core.fit_scene import DataSpec, FitSetupError, NetworkSpec
from explorer.core.model_fit import HESSIAN_LIMIT
from explorer.core.network import ModelError
from explorer.session import line_reading, model_spectrum
from explorer.session.errors import FitCommandError, SessionError
from explorer.ui.control.sharpness_worker import SharpnessWorker
from explorer.ui.control.worker_slot import WorkerSlot

SUMMARY_ABOVE = 16   # parameters above which the inspector shows norms and extreme eigenvalues, not H itself


def is_model(problem) -> bool:
    """Is `problem` a model from the library (a ModelProblem: it has a network), not a typed loss?"""
    return getattr(problem, "network", None) is not None


class ModelReader:
    """Reads the session through `controller`; a refusal of the model builder goes to `fitFailed(part, why)`."""

    def __init__(self, controller):
        self._controller = controller
        self._workers = {name: WorkerSlot(f"network {name}") for name in ("summary", "spectrum", "sensitivity", "line")}
        self.sharpness = SharpnessWorker(self)
        self.in_place = False   # an export's frames: every reading computed here, not in a worker

    session = property(lambda self: self._controller.session)

    @property
    def problem(self):
        """The ModelProblem on show (None for a typed loss, a surface or a field)."""
        if self.session.setup.fit is None:
            return None
        problem = self.session.problem
        return problem if is_model(problem) else None

    def on_show(self):
        """(θ, run or None): the selected run's parameters at the step on show, or the start of new runs."""
        c = self._controller
        run = c.selected_run()
        if run is not None:
            return np.asarray(run.current.point, float), run
        start = np.asarray(c.setup.default_start, float)
        return start, None

    def run_colour(self) -> str:
        c = self._controller
        return c.configs[c.selected].colour if c.selected_run() is not None else "#444444"

    def steps_per_epoch(self) -> float | None:
        """Steps that make one epoch (training rows / batch rows) for a mini-batched selected run; else None."""
        run, problem = self._controller.selected_run(), self.problem
        plan = getattr(getattr(run, "optimizer", None), "batches", None)
        if plan is None or problem is None:
            return None
        return len(problem.y_train) / plan.size

    def batch_rows(self) -> np.ndarray | None:
        """The rows (file order) of the mini-batch the selected run's step from the state on show uses; None
        for a full-batch run. A batch indexes the training rows (core.model_fit), so it maps through the split."""
        problem, rows = self.problem, self._controller.batch.shown_batch()
        if problem is None or rows is None:
            return None
        train = np.arange(problem.dataset.rows) if problem.split is None else np.asarray(problem.split.train)
        return train[np.asarray(rows, dtype=np.intp)]

    def decision_held(self) -> dict[str, float]:
        return self.session.decision_held() if self.problem is not None else {}

    def decision_grid(self, n: int = 120):
        return self.session.decision_grid(n) if self.problem is not None else None

    def run_metrics(self, index: int | None = None) -> list[dict]:
        return self.session.run_metrics(index) if self.problem is not None else []

    def step_metrics(self) -> dict | None:
        return self.session.step_metrics() if self.problem is not None else None

    def model_summary(self) -> dict | None:
        return self.session.model_summary() if self.problem is not None else None

    def input_jacobian_at(self) -> dict | None:
        """The input–output Jacobian at the chosen row (session.sensitivity_reading)."""
        return self.session.input_jacobian_at() if self.problem is not None else None

    def feature_importance(self, rows: str = "all") -> dict | None:
        return self.session.feature_importance(rows) if self.problem is not None else None

    def probability_arrow(self) -> dict | None:
        return self.session.probability_arrow() if self.problem is not None else None

    def sensitivity_or_later(self, ready) -> bool:
        """True when the Jacobian over every row at the state on show is at hand (computed here when cheap); else
        False, and a worker computes it (summary_or_later's way): `ready()` on the window's thread when done."""
        if self.problem is None:
            return False
        return self._or_later("sensitivity", self.session.sensitivity_work(), ready,
                              self.session.sensitivity_is_cheap(), lambda: True) is not None

    def choose_row(self, row: int) -> bool:
        """Read the Jacobian at file row `row` (not undoable; the controller's sensitivityRowChanged follows)."""
        return self.problem is not None and self.session.choose_row(row)

    def summary_or_later(self, ready) -> dict | None:
        """The summary of the state on show if it is at hand (or cheap: up to HESSIAN_LIMIT parameters); else
        None, and it is computed in a worker thread (Lanczos on a big network takes seconds) while the window
        goes on; `ready()` is called on the window's thread when it is done."""
        if self.problem is None:
            return None
        return self._or_later("summary", self.session.model_summary_work(), ready,
                              self.problem.dimension <= HESSIAN_LIMIT, self.session.cached_model_summary)

    def sharpness_or_later(self, ready):
        """The selected run's sharpness so far (session.sharpness_reading); missing steps are estimated in a
        worker thread and `ready()` is called as they come (ui.control.sharpness_worker)."""
        return self.sharpness.reading(ready)

    def spectrum_or_later(self, ready) -> dict | None:
        """The Hessian's and Gauss–Newton's spectra at the state on show (session.model_spectrum) if at hand (or
        cheap: up to HESSIAN_LIMIT parameters); else None, computed in a worker thread, and `ready()` is called
        on the window's thread when it is done."""
        if self.problem is None:
            return None
        return self._or_later("spectrum", model_spectrum.spectrum_work(self.session), ready,
                              self.problem.dimension <= HESSIAN_LIMIT,
                              lambda: model_spectrum.cached_spectrum(self.session))

    def line_or_later(self, ready) -> dict | None:
        """The loss along the map's two lines through θ* (session.line_reading) if at hand (or cheap); else None,
        computed in a worker thread, and `ready()` is called on the window's thread when it is done."""
        if self.problem is None:
            return None
        return self._or_later("line", line_reading.line_work(self.session), ready,
                              line_reading.line_is_cheap(self.session), lambda: line_reading.line_reading(self.session))

    def _or_later(self, slot: str, work, ready, cheap: bool, read):
        """`read()` once `work` (None: nothing is left to compute) has run: here where it is `cheap` or an export's
        frame waits for it (`in_place`); else None, and worker slot `slot` runs it while the window goes on,
        calling `ready()` on the window's thread when it is done."""
        if work is not None:
            if not (cheap or self.in_place):
                self._workers[slot].start(work, ready)
                return None
            work()
        return read()

    @property
    def view(self) -> str:
        """The model pane's view on show (core.model_scene.MODEL_VIEW_NAMES)."""
        fit = self.session.setup.fit
        return fit.view if fit is not None else "metrics"

    # ---------------------------------------------------------------- commands
    def show_view(self, name: str) -> bool:
        """Show `name` in the model pane (one undoable command; nothing when it is on show)."""
        return self._controller.command(self.session.set_model_view, name)

    def start(self, dataset: str = "moons", model: str = "mlp:4:tanh") -> bool:
        """Switch to a model fit (one undoable command)."""
        c = self._controller
        c.pause()
        return c.command(self.session.start_model_fit, dataset=dataset, model=model)

    def set_network(self, network: dict, data: dict, target: str | None = None, features=None) -> bool:
        """The model builder's whole state (plain dicts of NetworkSpec's and DataSpec's fields) as one undoable
        command; a refusal goes to fitFailed(part, why)."""
        c = self._controller
        try:
            self.session.set_network(network=NetworkSpec(**network), data=DataSpec(**data), target=target,
                                     features=tuple(features) if features else None)
        except (FitCommandError, FitSetupError) as err:
            c.fitFailed.emit(err.field, str(err))
            return False
        except ModelError as err:
            c.fitFailed.emit(err.part, str(err))
            return False
        except SessionError as err:
            c.fitFailed.emit("model", str(err))
            return False
        except Exception as err:  # noqa: BLE001 - nothing typed may take the window down
            c.report_failure("set up that model", err)
            return False
        c.fitFailed.emit("", "")
        return True
