"""Optimizers as small classes behind one interface: ``step(state) -> state``.

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

from explorer.core.batches import BatchPlan, batch_plan
from explorer.core.line_search import LineSearchFailed, backtracking, strong_wolfe
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


@dataclass
class GradientDescent(Optimizer):
    lr: float = 0.01
    name: ClassVar[str] = "gd"
    title: ClassVar[str] = "gradient descent"
    first_order: ClassVar[bool] = True

    def step(self, state):
        # x ← x − η ∇f   (η = η_t with a schedule; ∇f the batch's mean gradient with mini-batches)
        return self.moved_to(state, state.point - self.rate(state.iteration) * self.step_gradient(state))


@dataclass
class Momentum(Optimizer):
    lr: float = 0.01
    momentum: float = 0.9
    name: ClassVar[str] = "momentum"
    title: ClassVar[str] = "heavy-ball momentum"
    first_order: ClassVar[bool] = True

    def initial_memory(self, x):
        return {"velocity": np.zeros_like(x)}

    def step(self, state):
        # v ← βv − η∇f,  x ← x + v
        v = self.momentum * state.memory["velocity"] - self.rate(state.iteration) * self.step_gradient(state)
        return self.moved_to(state, state.point + v, {"velocity": v})


@dataclass
class Nesterov(Momentum):
    """Momentum whose gradient is taken where the velocity is about to carry the point."""

    name: ClassVar[str] = "nesterov"
    title: ClassVar[str] = "Nesterov momentum"

    def step(self, state):
        # v ← βv − η∇f(x + βv),  x ← x + v
        v0 = state.memory["velocity"]
        ahead = self.gradient_at(state.point + self.momentum * v0, state.iteration)
        v = self.momentum * v0 - self.rate(state.iteration) * ahead
        return self.moved_to(state, state.point + v, {"velocity": v})


@dataclass
class RMSProp(Optimizer):
    lr: float = 0.01
    decay: float = 0.9
    eps: float = 1e-8
    name: ClassVar[str] = "rmsprop"
    title: ClassVar[str] = "RMSProp"
    first_order: ClassVar[bool] = True

    def initial_memory(self, x):
        return {"mean_square": np.zeros_like(x)}

    def step(self, state):
        # s ← ρs + (1−ρ)g²,  x ← x − η g / (√s + ε)
        g = self.step_gradient(state)
        s = self.decay * state.memory["mean_square"] + (1 - self.decay) * g * g
        lr = self.rate(state.iteration)
        return self.moved_to(state, state.point - lr * g / (np.sqrt(s) + self.eps), {"mean_square": s})


@dataclass
class Adam(Optimizer):
    lr: float = 0.05
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    name: ClassVar[str] = "adam"
    title: ClassVar[str] = "Adam"
    first_order: ClassVar[bool] = True

    def initial_memory(self, x):
        return {"m": np.zeros_like(x), "v": np.zeros_like(x)}

    def step(self, state):
        # Kingma & Ba: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², bias-corrected m̂, v̂; x ← x − η m̂/(√v̂ + ε)
        g, t = self.step_gradient(state), state.iteration + 1
        m = self.beta1 * state.memory["m"] + (1 - self.beta1) * g
        v = self.beta2 * state.memory["v"] + (1 - self.beta2) * g * g
        m_hat, v_hat = m / (1 - self.beta1**t), v / (1 - self.beta2**t)
        lr = self.rate(state.iteration)
        return self.moved_to(state, state.point - lr * m_hat / (np.sqrt(v_hat) + self.eps), {"m": m, "v": v})


@dataclass
class Newton(Optimizer):
    singular_tolerance: float = 1e-12
    name: ClassVar[str] = "newton"
    title: ClassVar[str] = "Newton (pure)"

    def step(self, state):
        # Newton: p = −H⁻¹∇f, full step, whatever the curvature (so it can walk onto a saddle)
        _, g, h = self.evaluate.derivatives(state.point)
        if not np.all(np.isfinite(h)):
            raise StepFailed("diverged", "the Hessian is not finite here")
        lam = np.linalg.eigvalsh(h)
        if np.min(np.abs(lam)) <= self.singular_tolerance * max(1.0, np.max(np.abs(lam))):
            raise StepFailed("singular Hessian",
                             f"the Hessian is singular here (eigenvalues {lam[0]:.3g}, {lam[-1]:.3g}): "
                             "the Newton step is undefined")
        return self.moved_to(state, state.point - np.linalg.solve(h, g))


@dataclass
class DampedNewton(Optimizer):
    min_curvature: float = 1e-6
    c1: float = 1e-4
    name: ClassVar[str] = "damped-newton"
    title: ClassVar[str] = "damped Newton"

    def step(self, state):
        # eigenvalue modification: H = VΛVᵀ -> VΛ'Vᵀ with λ' = max(|λ|, δ), always positive definite,
        # so p = −VΛ'⁻¹Vᵀ∇f goes downhill; then backtracking until Armijo's decrease holds
        _, g, h = self.evaluate.derivatives(state.point)
        if not np.all(np.isfinite(h)):
            raise StepFailed("diverged", "the Hessian is not finite here")
        lam, vectors, modified = self.modified_curvatures(h)
        p = -vectors @ ((vectors.T @ g) / modified)
        try:
            t, x_new, f_new = backtracking(self.evaluate.value, state.point, state.value, g, p, self.c1)
        except LineSearchFailed as err:
            raise StepFailed("line search failed", str(err)) from None
        return self.moved_to(state, x_new, {"step_length": t})

    def modified_curvatures(self, h) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Eigenvalues λ (ascending), eigenvectors (columns) of ½(H + Hᵀ), and λ' = max(|λ|, δ)."""
        lam, vectors = np.linalg.eigh(0.5 * (h + h.T))
        delta = self.min_curvature * max(1.0, float(np.max(np.abs(lam))))
        return lam, vectors, np.maximum(np.abs(lam), delta)


@dataclass
class BFGS(Optimizer):
    c1: float = 1e-4
    c2: float = 0.9
    name: ClassVar[str] = "bfgs"
    title: ClassVar[str] = "BFGS"

    def initial_memory(self, x):
        return {"inverse_hessian": np.eye(x.size), "scaled": False}

    def step(self, state):
        hinv, g = state.memory["inverse_hessian"], state.gradient
        p = -hinv @ g
        try:
            ls = strong_wolfe(self.evaluate.value_and_gradient, state.point, state.value, g, p, self.c1, self.c2)
        except LineSearchFailed as err:
            raise StepFailed("line search failed", str(err)) from None
        s, y = ls.point - state.point, ls.gradient - g
        sy = float(s @ y)
        scaled = state.memory["scaled"]
        if sy > 1e-12 * np.linalg.norm(s) * np.linalg.norm(y):
            if not scaled:  # Nocedal & Wright (6.20): H₀ = (yᵀs / yᵀy) I before the first update
                hinv, scaled = np.eye(s.size) * sy / float(y @ y), True
            # H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ,  ρ = 1 / yᵀs
            rho = 1.0 / sy
            a = np.eye(s.size) - rho * np.outer(s, y)
            hinv = a @ hinv @ a.T + rho * np.outer(s, s)
        memory = {"inverse_hessian": hinv, "scaled": scaled, "step_length": ls.t}
        return self.moved_to(state, ls.point, memory, ls.value, ls.gradient)


@dataclass
class ConjugateGradient(Optimizer):
    c1: float = 1e-4
    c2: float = 0.1
    name: ClassVar[str] = "cg"
    title: ClassVar[str] = "conjugate gradient (PR+)"

    def initial_memory(self, x):
        return {"direction": None}

    def step(self, state):
        g = state.gradient
        d = state.memory["direction"]
        d = -g if d is None or float(g @ d) >= 0 else d  # restart with steepest descent if not downhill
        try:
            ls = strong_wolfe(self.evaluate.value_and_gradient, state.point, state.value, g, d, self.c1, self.c2)
        except LineSearchFailed as err:
            raise StepFailed("line search failed", str(err)) from None
        # Polak–Ribière+: β = max(0, g₁ᵀ(g₁ − g₀) / g₀ᵀg₀),  d ← −g₁ + βd
        beta = max(0.0, float(ls.gradient @ (ls.gradient - g)) / float(g @ g))
        memory = {"direction": -ls.gradient + beta * d, "step_length": ls.t}
        return self.moved_to(state, ls.point, memory, ls.value, ls.gradient)


_RANGES = {"lr": (0, np.inf, "positive"), "damping": (0, np.inf, "positive"), "eps": (0, np.inf, "positive"),
           "min_curvature": (0, np.inf, "positive"), "singular_tolerance": (0, np.inf, "positive"),
           "momentum": (0, 1, "in [0, 1)"), "beta1": (0, 1, "in [0, 1)"), "beta2": (0, 1, "in [0, 1)"),
           "decay": (0, 1, "in [0, 1)"), "c1": (0, 1, "in (0, 1)"), "c2": (0, 1, "in (0, 1)")}
_ZERO_OK = {"momentum", "beta1", "beta2", "decay"}

METHODS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (
    GradientDescent, Momentum, Nesterov, RMSProp, Adam, Newton, DampedNewton, BFGS, ConjugateGradient)}
FIRST_ORDER = tuple(name for name, cls in METHODS.items() if cls.first_order)
# METHODS step on any function; Gauss–Newton and Levenberg–Marquardt only on a fit given as residuals. They
# subclass Optimizer in core.least_squares, which adds them to these two maps when it is imported (just below,
# or first, by whoever imports it first: either order leaves both modules whole)
LEAST_SQUARES: dict[str, type[Optimizer]] = {}
ALL_METHODS: dict[str, type[Optimizer]] = dict(METHODS)
import explorer.core.least_squares  # noqa: E402,F401


def no_batches(method: str) -> str | None:
    """Why `method` takes no mini-batches, in the words every refusal uses (None: it takes them)."""
    return None if method in FIRST_ORDER else f"{method} uses every row (mini-batches are for {', '.join(FIRST_ORDER)})"


def no_schedule(method: str) -> str | None:
    """Why `method` takes no learning-rate schedule, in the words every refusal uses (None: it takes one)."""
    return None if method in FIRST_ORDER else (f"{method} has no learning rate to schedule "
                                               f"(schedules are for {', '.join(FIRST_ORDER)})")


def make_optimizer(name: str, objective: Objective, batch: int | None = None, seed: int = 0,
                   schedule: Schedule | None = None, **settings: float) -> Optimizer:
    """The method called `name` with its defaults overridden by `settings`; `batch` rows a step (None:
    every row) shuffled by `seed`, and a learning-rate `schedule`, for the first-order methods."""
    if name not in ALL_METHODS:
        raise ValueError(f"unknown method '{name}' (choose from {', '.join(ALL_METHODS)})")
    cls = ALL_METHODS[name]
    allowed = cls.hyperparameters()
    for key, value in settings.items():
        if key not in allowed:
            raise ValueError(f"{name} has no setting '{key}' (it has {', '.join(allowed) or 'none'})")
        low, high, text = _RANGES.get(key, (-np.inf, np.inf, "a finite number"))
        if not (np.isfinite(value) and low < value < high or (low == 0 and value == 0 and key in _ZERO_OK)):
            raise ValueError(f"{name}: {key} must be {text}, not {value:g}")
    schedule = CONSTANT if schedule is None else schedule
    if not schedule.is_constant and no_schedule(name):
        raise ValueError(no_schedule(name))
    plan = None
    if batch is not None:
        if no_batches(name):
            raise ValueError(no_batches(name))
        rows = getattr(objective, "rows", None)
        if rows is None and objective is not None:
            raise ValueError("mini-batches need data: a fit of a loss over rows")
        plan = batch_plan(rows, batch, seed) if rows is not None else None
    return cls(objective, batches=plan, schedule=schedule, **{k: float(v) for k, v in settings.items()})
