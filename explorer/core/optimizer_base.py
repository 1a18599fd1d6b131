"""What every optimizer shares: one interface, ``step(state) -> state``, and the count of its work.

Each method is built with the objective and its hyperparameters; a state is immutable data
(point, value, gradient, iteration and the method's memory), so Step, Back and Play, the
exporter and the command line all drive the same code. Derivatives come from `Objective`,
i.e. from autograd.

Every state also carries `evaluations`: how many values, gradients and Hessians of f the method
has needed so far (what a fair x-axis of a loss plot counts). A step counts what it asks of the
objective through `Optimizer.evaluate`, each quantity once per point, and f and ∇f at the step's
own start for free (the state holds them): gradient descent costs (1, 1, 0) a step, Newton
(1, 1, 1), a line search one f (backtracking) or one f and ∇f (Wolfe) per trial. Counting happens
before the objective's cache, so runs that share an objective are each charged in full; the
explanations and inspector (`Objective.analyze`) are not the method's work and are not counted.
`rows` counts the rows whose gradient the method computed (a fit's data; 0 for a surface): a full
gradient costs every row, a mini-batch gradient its batch, so rows / n is the epochs used.

Mini-batches and schedules (first-order methods only): with `batches` (a BatchPlan) step t follows
the mean gradient over the rows `batches.batch(t)` and, with `schedule`, takes the rate
`schedule.lr(lr, t)`. A mini-batched state still holds the full loss and its gradient (what the
views, the stop rule and the inspector show; not counted as the method's work) and, in
`batch_loss` and `batch_gradient`, the loss and gradient of its own step's batch (counted).
"""
from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar, NamedTuple

import numpy as np

from explorer.core.batches import BatchPlan
from explorer.core.objective import Objective
from explorer.core.schedules import CONSTANT, Schedule


class StepFailed(Exception):
    """The method cannot take a step from here; `status` names why (e.g. 'singular Hessian')."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


class Evaluations(NamedTuple):
    """Evaluations of f, ∇f and the Hessian a method needed (cumulative along a run)."""

    value: int = 0
    gradient: int = 0
    hessian: int = 0
    rows: int = 0     # rows whose gradient was computed (module docstring)

    def plus(self, other: "Evaluations") -> "Evaluations":
        return Evaluations(*(a + b for a, b in zip(self, other)))


@dataclass(frozen=True)
class State:
    point: np.ndarray
    value: float
    gradient: np.ndarray
    iteration: int = 0
    memory: dict[str, Any] = field(default_factory=dict)
    evaluations: Evaluations = Evaluations()   # cumulative, from the start's (1, 1, 0)
    batch_loss: float | None = None            # mini-batched: the loss of this state's step's batch here
    batch_gradient: np.ndarray | None = None   # ... and its mean gradient (what the step follows)


def _rows(objective) -> int:
    """The rows a full gradient of `objective` costs (a fit's data; 0 for a surface)."""
    return int(getattr(objective, "rows", 0))


class _Tally:
    """The objective as one step sees it: counts each quantity once per point (module docstring)."""

    def __init__(self, objective, state: State):
        self.objective = objective
        self.known: dict[bytes, set[str]] = {_key(state.point): {"value", "gradient"}}
        self.used = {"value": 0, "gradient": 0, "hessian": 0, "rows": 0}
        self.rows = _rows(objective)

    def _ask(self, x, *quantities: str) -> None:
        known = self.known.setdefault(_key(x), set())
        for q in quantities:
            if q not in known:
                known.add(q)
                self.used[q] += 1
                if q == "gradient":
                    self.used["rows"] += self.rows

    def _ask_batch(self, rows) -> None:
        """A batch's gradient: always counted (another batch is another quantity), with its rows."""
        self.used["gradient"] += 1
        self.used["rows"] += len(rows)

    def batch_value_and_gradient(self, x, rows):
        """The mean loss and gradient over `rows`."""
        self._ask_batch(rows)
        return self.objective.batch_value_and_gradient(x, rows)

    def with_batch(self, x, rows):
        """The full loss and gradient (shown, not the method's work) and a batch's (counted)."""
        self._ask_batch(rows)
        return self.objective.with_batch(x, rows)

    def residuals_and_jacobian(self, x):
        """A least-squares fit's residuals and their Jacobian: one forward and one reverse pass, counted as f and ∇f."""
        self._ask(x, "value", "gradient")
        return self.objective.residuals_and_jacobian(x)

    def residuals(self, x):
        self._ask(x, "value")
        return self.objective.residuals(x)

    def value(self, x):
        self._ask(x, "value")
        return self.objective.value(x)

    def value_and_gradient(self, x):
        self._ask(x, "value", "gradient")
        return self.objective.value_and_gradient(x)

    def gradient(self, x):
        self._ask(x, "gradient")
        return self.objective.gradient(x)

    def curvature_along(self, x, d):
        """dᵀH(x)d from a Hessian-vector product: about a gradient's work, counted as one ∇f (with its rows)."""
        self._ask_batch(range(self.rows))
        return self.objective.curvature_along(x, d)

    def derivatives(self, x):
        self._ask(x, "value", "gradient", "hessian")
        return self.objective.derivatives(x)


def _key(x) -> bytes:
    return np.asarray(x, dtype=float).tobytes()


_ACTIVE = threading.local()   # .tallies: {id(optimizer): its step's _Tally} for the steps running on this thread


def _tallies() -> dict[int, _Tally]:
    if not hasattr(_ACTIVE, "tallies"):
        _ACTIVE.tallies = {}
    return _ACTIVE.tallies


def _tallied(step):
    """Wrap a method's `step` so that the state it returns carries the evaluations it used."""

    @functools.wraps(step)
    def counted_step(self, state):
        tallies = _tallies()
        if id(self) in tallies:   # a subclass's step calling super().step: one tally
            return step(self, state)
        tallies[id(self)] = tally = _Tally(self.objective, state)
        try:
            new = step(self, state)
        finally:
            del tallies[id(self)]
        return replace(new, evaluations=state.evaluations.plus(Evaluations(**tally.used)))

    return counted_step


@dataclass
class Optimizer:
    """Base: `start` makes the first state, `step` the next one."""

    objective: Objective
    batches: BatchPlan | None = field(default=None, kw_only=True)   # first-order methods on a fit
    schedule: Schedule = field(default=CONSTANT, kw_only=True)      # methods with an lr
    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    first_order: ClassVar[bool] = False   # steps from gradients alone: may take mini-batches and schedules

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__:
            cls.step = _tallied(cls.__dict__["step"])

    @property
    def evaluate(self):
        """What a step asks for values and derivatives: the objective, counted (module docstring)."""
        return _tallies().get(id(self)) or self.objective

    @classmethod
    def hyperparameters(cls) -> dict[str, float]:
        """Names and defaults of the method's hyperparameters."""
        return {f.name: f.default for f in fields(cls) if f.name not in ("objective", "batches", "schedule")}

    def settings(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in self.hyperparameters()}

    def start(self, point) -> State:
        x = np.asarray(point, dtype=float).copy()
        if self.batches is None:
            value, gradient = self.objective.value_and_gradient(x)
            return State(x, value, gradient, 0, self.initial_memory(x), Evaluations(1, 1, 0, _rows(self.objective)))
        batch = self.batches.batch(0)
        value, gradient, batch_loss, batch_gradient = self.objective.with_batch(x, batch)
        return State(x, value, gradient, 0, self.initial_memory(x), Evaluations(1, 1, 0, len(batch)),
                     batch_loss, batch_gradient)

    def initial_memory(self, x: np.ndarray) -> dict[str, Any]:
        return {}

    def method_state(self, state: State) -> dict[str, Any]:
        """What the method carries into its next step from `state`, by the names the command line's --json and
        the window's drawings use (issue 27): velocity; m, v, m_hat, v_hat; v; sum_sq; inverse_hessian;
        direction, beta; radius. {} for a method that carries nothing."""
        return {}

    def step(self, state: State) -> State:
        raise NotImplementedError

    def rate(self, t: int) -> float:
        """The learning rate of step t: lr, or the schedule's (exactly lr when constant)."""
        return self.lr if self.schedule.is_constant else self.schedule.lr(self.lr, t)

    def step_gradient(self, state: State) -> np.ndarray:
        """The gradient the step from `state` follows: ∇f there, or its batch's mean gradient."""
        return state.gradient if self.batches is None else state.batch_gradient

    def gradient_at(self, x, t: int) -> np.ndarray:
        """∇f at x, or the mean gradient at x over step t's batch (Nesterov's look-ahead)."""
        if self.batches is None:
            return self.evaluate.gradient(x)
        return self.evaluate.batch_value_and_gradient(x, self.batches.batch(t))[1]

    def moved_to(self, state: State, x_new: np.ndarray, memory=None, value=None, gradient=None) -> State:
        memory = state.memory if memory is None else memory
        if self.batches is None:
            if value is None or gradient is None:
                value, gradient = self.evaluate.value_and_gradient(x_new)
            return State(x_new, value, gradient, state.iteration + 1, memory)
        # the full loss and gradient are for showing and stopping, not the method's work: not counted
        t = state.iteration + 1
        value, gradient, batch_loss, batch_gradient = self.evaluate.with_batch(x_new, self.batches.batch(t))
        return State(x_new, value, gradient, t, memory, batch_loss=batch_loss, batch_gradient=batch_gradient)
