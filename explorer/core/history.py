"""A run's states with their numbers kept in arrays that grow by doubling.

Views draw a run's path and values up to the step on show on every frame. Building those arrays
from the states each time walks the whole history (the longer a run plays, the slower every
frame); here each state's point, value, iteration, evaluation counts and mini-batch loss (nan when
none) are copied once, when it is appended, and reading the first k of them is a slice — a view,
no Python loop. Memory: the states themselves (about 1 KB each with their gradient and memory)
plus 8·(n + 7) bytes a state.
"""
from __future__ import annotations

import numpy as np

FIRST_CAPACITY = 64
VALUE, ITERATION, F_EVALS, GRADIENT_EVALS, HESSIAN_EVALS, ROWS, BATCH_LOSS = range(7)
COLUMNS = 7
RUNNING = "running"   # a run's status while it may still take steps (trajectory's stop reasons name the rest)


class History(list):
    """A list of states (append only; a new run starts a new History) with array views of their numbers."""

    def __init__(self):
        super().__init__()
        self._points: np.ndarray | None = None
        self._numbers = np.empty((FIRST_CAPACITY, COLUMNS))

    def append(self, state) -> None:
        super().append(state)
        k = len(self) - 1
        point = np.asarray(state.point, dtype=float).reshape(-1)
        if self._points is None:
            self._points = np.empty((FIRST_CAPACITY, point.size))
        if k >= len(self._points):   # amortised: double the room
            self._points = np.concatenate([self._points, np.empty_like(self._points)])
            self._numbers = np.concatenate([self._numbers, np.empty_like(self._numbers)])
        self._points[k] = point
        evaluations = tuple(getattr(state, "evaluations", (0, 0, 0, 0)))
        evaluations += (0,) * (4 - len(evaluations))
        batch_loss = getattr(state, "batch_loss", None)
        self._numbers[k] = (state.value, state.iteration, *evaluations, np.nan if batch_loss is None else batch_loss)

    def extend(self, states) -> None:
        for state in states:
            self.append(state)

    def points(self, count: int | None = None) -> np.ndarray:
        """(count, n): the first `count` states' points (all by default); a read-only view."""
        return self._view(self._points, count)

    def values(self, count: int | None = None) -> np.ndarray:
        return self._view(self._numbers[:, VALUE], count)

    def numbers(self, column: int, count: int | None = None) -> np.ndarray:
        """One of VALUE, ITERATION, F_EVALS, GRADIENT_EVALS, HESSIAN_EVALS, ROWS, BATCH_LOSS for the first
        `count` states."""
        return self._view(self._numbers[:, column], count)

    def _view(self, array, count):
        n = len(self) if count is None else max(0, min(int(count), len(self)))
        if array is None:
            return np.empty((0, 0))
        view = array[:n]
        view.flags.writeable = False
        return view

    def __setitem__(self, *args):
        raise TypeError("a run's history only grows: append states")

    def __delitem__(self, *args):
        raise TypeError("a run's history only grows: append states")


class Stepping:
    """What every kind of run shares (trajectory.Run, field_newton.NewtonRun): a History of states, the
    state on show (`position`), Back and Forward over it, and its path and values as array views.

    A subclass sets `states`, `position` and `status`, and computes new states in `step_forward`."""

    states: History
    position: int
    status: str

    @property
    def current(self):
        return self.states[self.position]

    @property
    def path(self) -> np.ndarray:
        return self.states.points().copy()

    @property
    def values(self) -> np.ndarray:
        return self.states.values().copy()

    def shown_path(self) -> np.ndarray:
        """The points up to the state on show: a read-only view (no walk over the history; views draw it)."""
        return self.states.points(self.position + 1)

    def shown_values(self) -> np.ndarray:
        return self.states.values(self.position + 1)

    def shown_distances(self) -> np.ndarray:
        """‖x_t − x_end‖ for the states up to the one on show, x_end being the last state computed (the run's
        end point once it has stopped)."""
        points = self.states.points()
        return np.linalg.norm(points[:self.position + 1] - points[-1], axis=1)

    @property
    def finished(self) -> bool:
        return self.status != RUNNING

    def can_step_forward(self) -> bool:
        return self.position < len(self.states) - 1 or not self.finished

    def step_forward(self) -> bool:
        raise NotImplementedError

    def step_back(self) -> bool:
        if self.position == 0:
            return False
        self.position -= 1
        return True

    def run_to_end(self) -> None:
        self.position = len(self.states) - 1
        while self.step_forward():
            pass
