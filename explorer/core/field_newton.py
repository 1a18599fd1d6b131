"""Newton–Raphson for a system F(x) = 0 (F: Rⁿ → Rⁿ), one step at a time, with Back and Forward.

Each step solves the linear model F(x) + J p = 0: p = −J⁻¹F(x), with J from autograd. `NewtonRun`
has the interface of `trajectory.Run` (start, states, path, values, position, step_forward,
step_back, status, reason, summary, end_point, finished, as_dict, max_steps), so a timeline can
hold it; its plotted value is |F| (Euclidean).

Why it stops:
- "root found": |F| <= tolerance and the Newton step from there is at most
  ROOT_DISTANCE·max(1, |x|) (the linear model's root is within reach), or F is exactly 0. A small
  |F| alone is not enough: F = (exp(−x), y) gets as small as you like and has no root.
- "singular Jacobian": s_min <= SINGULAR_TOLERANCE·s_max (J's singular values), so p is undefined
  or meaninglessly long.
- "diverged": the point left |xᵢ| <= bound, or F or J is not finite at the new point.
- "step limit"; and "undefined start" when F or J is not finite at the start.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.history import ITERATION, History, Stepping
from explorer.core.expression import ERRORS
from explorer.core.fields import FieldCalculus
from explorer.core.trajectory import COST_AXES, DIVERGED, RUNNING, STEP_LIMIT, UNDEFINED_START

ROOT_FOUND, SINGULAR_JACOBIAN = "root found", "singular Jacobian"
ROOT = "root"                  # `end_point` of a run that found one
ROOT_TOLERANCE = 1e-10         # |F| at most this (and the next step tiny): a root; the window's and the CLI's default
ROOT_DISTANCE = 1e-6           # a root is within reach: |Newton step| <= this × max(1, |x|)
SINGULAR_TOLERANCE = 1e-12     # J is singular when s_min <= this × s_max
SUMMARIES = {
    RUNNING: "running",
    SINGULAR_JACOBIAN: "singular Jacobian: the linear model has no unique root",
    DIVERGED: "diverged",
    UNDEFINED_START: "F is not defined at the start point",
}


@dataclass(frozen=True)
class NewtonState:
    point: np.ndarray
    value: float           # |F(point)|: what the timeline plots
    residual: np.ndarray   # F(point)
    jacobian: np.ndarray
    iteration: int = 0


@dataclass(frozen=True)
class NewtonStep:
    """One step p = −J⁻¹F from `start` to `end`."""

    index: int
    start: np.ndarray
    end: np.ndarray
    vector: np.ndarray
    length: float
    residual_before: float   # |F(start)|
    residual_after: float    # |F(end)|: the linear model predicted 0
    determinant: float       # det J at start

    def as_dict(self) -> dict:
        return {"step": self.index, "from": self.start.tolist(), "to": self.end.tolist(),
                "vector": self.vector.tolist(), "length": self.length, "residual_before": self.residual_before,
                "residual_after": self.residual_after, "determinant": self.determinant}


def norm(v) -> float:
    """Euclidean length without overflow for entries near 1e300."""
    v = np.asarray(v, dtype=float)
    top = float(np.max(np.abs(v), initial=0.0))
    if top == 0 or not np.isfinite(top):
        return top
    return top * float(np.linalg.norm(v / top))


class NewtonRun(Stepping):
    """Newton–Raphson on a square field from `start`; `position` is the state on show; a state's value is |F|."""

    method, title = "newton", "Newton–Raphson"

    def __init__(self, calculus: FieldCalculus, start, max_steps: int = 100, tolerance: float = ROOT_TOLERANCE,
                 bound: float = 1e8):
        if calculus.size != calculus.dimension:
            raise ValueError(f"Newton–Raphson solves F = 0 for as many components as variables; "
                             f"this field has {calculus.size} components of {calculus.dimension} variables")
        if max_steps < 0:
            raise ValueError("the number of steps cannot be negative")
        self.calculus = calculus
        self.start = np.asarray(start, dtype=float).reshape(-1).copy()
        self.max_steps, self.tolerance, self.bound = int(max_steps), float(tolerance), float(bound)
        self.reset()

    def reset(self) -> None:
        self.states: History = History()   # with array views of the states' numbers
        self.records: list[NewtonStep] = []
        self.position = 0
        self._stop(RUNNING, "")
        first = self._state(self.start, 0)
        self.states.append(first)
        if not _finite(first):
            self._stop(UNDEFINED_START,
                       f"F = ({_numbers(first.residual)}) at the start point ({_numbers(first.point)})")
        elif not self._check_root(first) and self.max_steps == 0:
            self._stop(STEP_LIMIT, "stopped after 0 steps")

    def _state(self, point: np.ndarray, iteration: int) -> NewtonState:
        value, jacobian = self.calculus.value_and_jacobian(point)
        return NewtonState(point, norm(value), value, jacobian, iteration)

    def evaluation_counts(self) -> np.ndarray:
        """(states, 3) ints as `Run`'s: F evaluations, Jacobian evaluations (one tape with F) and 0 Hessians."""
        done = self.states.numbers(ITERATION).astype(np.int64) + 1
        return np.stack([done, done, np.zeros_like(done)], axis=1)

    def cost(self, axis: str = "iterations", count: int | None = None) -> np.ndarray:
        """x values for `values` on an axis of trajectory.COST_AXES (as `Run.cost`)."""
        if axis not in COST_AXES:
            raise ValueError(f"unknown cost axis '{axis}' (choose from {', '.join(COST_AXES)})")
        iterations = self.states.numbers(ITERATION, count).astype(np.int64)
        if axis == "iterations":
            return iterations
        return iterations + 1 if axis in ("value", "gradient") else np.zeros_like(iterations)

    @property
    def summary(self) -> str:
        """The outcome in one sentence."""
        if self.status == STEP_LIMIT:
            return f"stopped at the step limit ({_steps(self.max_steps)})"
        if self.status == ROOT_FOUND:   # "F = 0" only where it is exactly: else the |F| it stopped at
            value = self.states[-1].value
            return "root found: F = 0" if value == 0 else f"root found: |F| = {value:.2g}"
        return SUMMARIES.get(self.status, self.status)

    def step_forward(self) -> bool:
        """Show the next state, computing it if it is new; False when the run has stopped."""
        if self.position < len(self.states) - 1:
            self.position += 1
            return True
        if self.finished:
            return False
        old = self.states[-1]
        p = self._newton_step(old)
        if p is None:
            return False
        with np.errstate(**ERRORS):
            new = self._state(old.point + p, old.iteration + 1)
        if not _finite(new):  # nothing non-finite enters the history
            self._stop(DIVERGED, f"F or J is not finite at ({_numbers(new.point)}), where step {new.iteration} led")
            return False
        self.records.append(NewtonStep(new.iteration, old.point, new.point, p, norm(p), old.value, new.value,
                                       float(np.linalg.det(old.jacobian))))
        self.states.append(new)
        self.position = len(self.states) - 1
        if np.max(np.abs(new.point)) > self.bound:
            self._stop(DIVERGED, f"the point left |xᵢ| <= {self.bound:g} at step {new.iteration}")
        elif not self._check_root(new) and new.iteration >= self.max_steps:
            self._stop(STEP_LIMIT, f"stopped after {_steps(self.max_steps)}; |F| = {new.value:.2g}")
        return True

    def _newton_step(self, state: NewtonState) -> np.ndarray | None:
        """−J⁻¹F at `state`, or None after stopping the run because J is singular there."""
        with np.errstate(**ERRORS):
            s = np.linalg.svd(state.jacobian, compute_uv=False)
            if s[0] == 0 or s[-1] <= SINGULAR_TOLERANCE * s[0]:
                self._stop(SINGULAR_JACOBIAN, f"det J = {np.linalg.det(state.jacobian):.3g}, singular values "
                                              f"{_numbers(s)} at ({_numbers(state.point)}); |F| = {state.value:.2g}")
                return None
            p = -np.linalg.solve(state.jacobian, state.residual)
        if not np.all(np.isfinite(p)):
            self._stop(DIVERGED, f"the Newton step from ({_numbers(state.point)}) is not finite")
            return None
        return p

    def _check_root(self, state: NewtonState) -> bool:
        if state.value == 0:
            self._stop(ROOT_FOUND, f"F = 0 exactly after {_steps(state.iteration)}", ROOT)
            return True
        if state.value > self.tolerance:
            return False
        with np.errstate(**ERRORS):
            s = np.linalg.svd(state.jacobian, compute_uv=False)
            regular = s[0] > 0 and s[-1] > SINGULAR_TOLERANCE * s[0]
            distance = norm(np.linalg.solve(state.jacobian, state.residual)) if regular else np.inf
        if distance <= ROOT_DISTANCE * max(1.0, norm(state.point)):
            self._stop(ROOT_FOUND, f"|F| = {state.value:.2g} <= {self.tolerance:g} after {_steps(state.iteration)}; "
                                   f"the next step would be {distance:.2g} long", ROOT)
            return True
        return False

    def _stop(self, status: str, reason: str, end_point: str | None = None) -> None:
        self.status, self.reason, self.end_point = status, reason, end_point

    def as_dict(self) -> dict:
        return {"method": self.method, "settings": {}, "path": self.path.tolist(), "values": self.values.tolist(),
                "residuals": [s.residual.tolist() for s in self.states],
                "status": self.status, "summary": self.summary, "end_point": self.end_point,
                "reason": self.reason,
                "evaluations": {k: self.cost(k).tolist() for k in ("value", "gradient", "hessian")},
                "steps": [r.as_dict() for r in self.records]}


def _steps(n: int) -> str:
    return f"{n} step" if n == 1 else f"{n} steps"


def _numbers(values) -> str:
    return ", ".join(f"{float(v):.3g}" for v in np.ravel(values))


def _finite(state: NewtonState) -> bool:
    return bool(np.all(np.isfinite(state.point)) and np.all(np.isfinite(state.residual))
                and np.all(np.isfinite(state.jacobian)))
