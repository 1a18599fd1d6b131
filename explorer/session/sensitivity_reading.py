"""What the session reads of a network fit's sensitivity: the input–output Jacobian at a chosen row and feature
importance over the data, at the selected run's state on show (Qt-free; the numbers from core.sensitivity).

A mixin of `Session`. The chosen row is session state, not part of the scene and not undoable (like the run
selected): a click on a data point chooses it; by default it is the first test row (row 0 without a test part).
J over every row is computed once per state on show and kept (the last few states), so the Jacobian at another
row and the importance cost nothing more. It costs 0.5–2.5 gradients of the loss over the same rows
(tests/benchmarks/bench_sensitivity.py: 0.16 ms for 400 rows of a 41-parameter network, 12–28 ms for 10,000
rows of a 337-parameter one, 30–130 ms for 10,000 rows of 4,547 or 17,025 parameters), so the window computes
it on its own thread up to INLINE_WORK and in a worker above (`sensitivity_work`, as the summary's Lanczos is).
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from explorer.core.sensitivity import input_jacobian, output_names, probability_gradient, raw_rows, row_indices

SENSITIVITY_ROW = "sensitivity_row"   # the change named when the chosen row changes
KEPT_STATES = 8                       # states whose Jacobians are kept
INLINE_WORK = 4_000_000               # rows × parameters × outputs up to which the window's thread computes J


class SensitivityReadings:
    _sensitivity_row: int | None = None

    def sensitivity_row(self) -> int | None:
        """The chosen row (file order), or the default: the first test row, else row 0. None without a network."""
        problem = self.model_problem
        if problem is None:
            return None
        row = self._sensitivity_row
        if row is not None and 0 <= row < problem.dataset.rows:
            return row
        test = row_indices(problem, "test")
        return int(test[0]) if test.size else 0

    def choose_row(self, row: int) -> bool:
        """Choose the row the Jacobian is read at (not undoable); False when it is the row chosen already."""
        problem = self.model_problem
        if problem is None or not 0 <= int(row) < problem.dataset.rows:
            raise ValueError(f"there is no row {row}" + (f" (the data has {problem.dataset.rows})" if problem else ""))
        if int(row) == self.sensitivity_row() and self._sensitivity_row is not None:
            return False
        self._sensitivity_row = int(row)
        self._notify({SENSITIVITY_ROW})
        return True

    def input_jacobian_at(self, row: int | None = None) -> dict | None:
        """At the state on show, for `row` (default the chosen one): {"row", "part" ("train"/"test"), "features",
        "outputs" (core.sensitivity.output_names), "x": the row's raw features, "jacobian": (outputs, inputs)}.
        None without a network."""
        problem = self.model_problem
        if problem is None:
            return None
        row = self.sensitivity_row() if row is None else int(row)
        J = self._jacobians()
        part = "test" if row in set(row_indices(problem, "test").tolist()) else "train"
        return {"row": row, "part": part, "features": list(problem.features), "outputs": list(output_names(problem)),
                "x": raw_rows(problem)[row], "jacobian": J[row]}

    def feature_importance(self, rows: str = "all") -> dict | None:
        """At the state on show: {"features", "outputs", "importance": mean |∂output/∂input| over the rows and
        outputs (inputs,), "per_output": (outputs, inputs), "rows": how many}. None without a network."""
        problem = self.model_problem
        if problem is None:
            return None
        picked = row_indices(problem, rows)
        per_output = np.mean(np.abs(self._jacobians()[picked]), axis=0)
        return {"features": list(problem.features), "outputs": list(output_names(problem)),
                "importance": per_output.mean(axis=0), "per_output": per_output, "rows": int(picked.size)}

    def probability_arrow(self) -> dict | None:
        """For the decision region (two features or more): at the chosen row, {"row", "at": (x1, x2), "gradient":
        the first two features' components of ∇ₓ of the output drawn (binary P(y=1); classes the predicted class's
        probability; regression the prediction), at the row's own values of every feature, "output": its name}.
        None without a network or with one feature."""
        problem = self.model_problem
        if problem is None or len(problem.features) < 2:
            return None
        row = self.sensitivity_row()
        k, gradient = probability_gradient(problem, self._shown_theta(), row)   # one row: cheap at any size
        x = raw_rows(problem)[row]
        return {"row": row, "at": (float(x[0]), float(x[1])), "gradient": np.asarray(gradient, dtype=float)[:2],
                "output": output_names(problem)[k]}

    def sensitivity_work(self):
        """None when J at the state on show is at hand (or there is no network); else a function that computes
        and keeps it. It shares nothing with the session (the immutable problem, a copy of θ), so it may run off
        the window's thread."""
        problem = self.model_problem
        if problem is None:
            return None
        theta = self._shown_theta()
        key = (id(problem), theta.tobytes())
        if _kept_jacobian(key, problem) is not None:
            return None
        return lambda: _keep(key, problem, input_jacobian(problem, theta))

    def sensitivity_is_cheap(self) -> bool:
        """Is J over every row cheap enough for the window's thread (INLINE_WORK)?"""
        problem = self.model_problem
        return problem is None or problem.dataset.rows * problem.dimension * problem.network.n_outputs <= INLINE_WORK

    def _shown_theta(self) -> np.ndarray:
        run = self.selected_run()
        return np.array(run.current.point if run is not None else self.setup.default_start, dtype=float)

    def _jacobians(self) -> np.ndarray:
        """J over every row at the state on show, (rows, outputs, inputs), kept per (problem, θ)."""
        problem, theta = self.model_problem, self._shown_theta()
        key = (id(problem), theta.tobytes())
        J = _kept_jacobian(key, problem)
        return J if J is not None else _keep(key, problem, input_jacobian(problem, theta))


def _kept_jacobian(key, problem) -> np.ndarray | None:
    with _lock:
        kept = _kept.get(key)
        if kept is None or kept[0] is not problem:
            return None
        _kept.move_to_end(key)
        return kept[1]


def _keep(key, problem, J: np.ndarray) -> np.ndarray:
    with _lock:   # a worker may keep one while the window reads
        _kept[key] = (problem, J)
        while len(_kept) > KEPT_STATES:
            _kept.popitem(last=False)
    return J


_kept: "OrderedDict" = OrderedDict()   # (id(problem), θ bytes) -> (problem, J): the last few states' Jacobians
_lock = threading.Lock()
