"""A run: one method from one start; its history, Back/Forward, and why it stopped.

Every step is explained (the teaching point: curvature makes the real decrease differ from the
gradient's prediction). For the step p from x:
    linear model     decrease  −∇f(x)·p
    quadratic model  decrease  −∇f(x)·p − ½ pᵀ H(x) p
    actual           decrease  f(x) − f(x + p)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.calculus import CLASS_NAMES
from explorer.core.objective import Objective
from explorer.core.optimizers import Optimizer, State, StepFailed, make_optimizer

RUNNING, CONVERGED, STEP_LIMIT, DIVERGED = "running", "converged", "step limit", "diverged"
SINGULAR, LINE_SEARCH_FAILED = "singular Hessian", "line search failed"


@dataclass(frozen=True)
class StepRecord:
    """What one step did and what the local models predicted for it."""

    index: int                 # 1 for the step from path[0] to path[1]
    start: np.ndarray
    end: np.ndarray
    vector: np.ndarray
    length: float
    predicted_linear: float
    predicted_quadratic: float
    actual: float
    eigenvalues: np.ndarray    # of the Hessian at `start`, ascending
    classification: str        # of `start`

    def as_dict(self) -> dict:
        return {"step": self.index, "from": self.start.tolist(), "to": self.end.tolist(),
                "vector": self.vector.tolist(), "length": self.length,
                "predicted_linear": self.predicted_linear, "predicted_quadratic": self.predicted_quadratic,
                "actual": self.actual, "eigenvalues": self.eigenvalues.tolist(),
                "classification": self.classification}


class Run:
    """States of one optimizer from `start`; `position` is the state on show (Back/Forward)."""

    def __init__(self, optimizer: Optimizer, start, max_steps: int = 100, tolerance: float = 1e-6,
                 bound: float = 1e8):
        if max_steps < 0:
            raise ValueError("the number of steps cannot be negative")
        self.optimizer, self.objective = optimizer, optimizer.objective
        self.start = np.asarray(start, dtype=float).copy()
        self.max_steps, self.tolerance, self.bound = int(max_steps), float(tolerance), float(bound)
        self.reset()

    @property
    def method(self) -> str:
        return self.optimizer.name

    def reset(self) -> None:
        self.states: list[State] = []
        self.records: list[StepRecord] = []
        self.position = 0
        self.status, self.reason = RUNNING, ""
        first = self.optimizer.start(self.start)
        if not _finite(first):
            self._stop(DIVERGED, "f or its gradient is not finite at the start point")
        self.states.append(first)
        if self.status == RUNNING:
            self._check_convergence(first)

    @property
    def current(self) -> State:
        return self.states[self.position]

    @property
    def path(self) -> np.ndarray:
        return np.array([s.point for s in self.states])

    @property
    def values(self) -> np.ndarray:
        return np.array([s.value for s in self.states])

    @property
    def finished(self) -> bool:
        return self.status != RUNNING

    def can_step_forward(self) -> bool:
        return self.position < len(self.states) - 1 or not self.finished

    def step_forward(self) -> bool:
        """Show the next state, computing it if it is new; False when the run has stopped."""
        if self.position < len(self.states) - 1:
            self.position += 1
            return True
        if self.finished:
            return False
        state = self.states[-1]
        try:
            new = self.optimizer.step(state)
        except StepFailed as failure:
            self._stop(failure.status, failure.reason)
            return False
        except (np.linalg.LinAlgError, FloatingPointError, OverflowError) as err:
            self._stop(DIVERGED, f"the step could not be computed ({err})")
            return False
        if not _finite(new):
            # stop before a NaN or inf enters the history
            self._stop(DIVERGED, f"f or the point became non-finite at step {new.iteration}")
            return False
        self.records.append(self._explain(state, new))
        self.states.append(new)
        self.position = len(self.states) - 1
        if np.max(np.abs(new.point)) > self.bound:
            self._stop(DIVERGED, f"the point left |x|, |y| <= {self.bound:g} at step {new.iteration}")
        elif not self._check_convergence(new) and new.iteration >= self.max_steps:
            self._stop(STEP_LIMIT, f"stopped after {_steps(self.max_steps)}")
        return True

    def step_back(self) -> bool:
        if self.position == 0:
            return False
        self.position -= 1
        return True

    def run_to_end(self) -> None:
        self.position = len(self.states) - 1
        while self.step_forward():
            pass

    def _check_convergence(self, state: State) -> bool:
        norm = float(np.linalg.norm(state.gradient))
        if norm <= self.tolerance:
            self._stop(CONVERGED, f"converged: |∇f| = {norm:.2g} <= {self.tolerance:g} after {_steps(state.iteration)}")
            return True
        if self.max_steps == 0:
            self._stop(STEP_LIMIT, "stopped after 0 steps")
        return False

    def _stop(self, status: str, reason: str) -> None:
        self.status, self.reason = status, reason

    def _explain(self, old: State, new: State) -> StepRecord:
        analysis = self.objective.analyze(old.point)
        p = new.point - old.point
        linear = -float(old.gradient @ p)
        quadratic = linear - 0.5 * float(p @ analysis.hessian @ p)
        return StepRecord(new.iteration, old.point, new.point, p, float(np.linalg.norm(p)), linear, quadratic,
                          old.value - new.value, analysis.eigenvalues, CLASS_NAMES[analysis.curvature])

    def as_dict(self) -> dict:
        return {"method": self.method, "settings": self.optimizer.settings(),
                "path": self.path.tolist(), "values": self.values.tolist(),
                "status": self.status, "reason": self.reason,
                "steps": [r.as_dict() for r in self.records]}


def _steps(n: int) -> str:
    return f"{n} step" if n == 1 else f"{n} steps"


def _finite(state: State) -> bool:
    return bool(np.isfinite(state.value) and np.all(np.isfinite(state.point)) and np.all(np.isfinite(state.gradient)))


def race(objective: Objective, start, methods: list[tuple[str, dict]], **run_options) -> list[Run]:
    """One run per (method name, settings), all on the same function from the same start."""
    return [Run(make_optimizer(name, objective, **settings), start, **run_options) for name, settings in methods]
