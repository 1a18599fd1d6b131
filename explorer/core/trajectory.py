"""A run: one method from one start; its history, Back/Forward, and why it stopped.

Every step is explained (the teaching point: curvature makes the real decrease differ from the
gradient's prediction). For the step p from x:
    linear model     decrease  −∇f(x)·p
    quadratic model  decrease  −∇f(x)·p − ½ pᵀ H(x) p
    actual           decrease  f(x) − f(x + p)      (< 0: the step went uphill)

Why a run stopped, and what its end point is. When |∇f| <= tolerance the Hessian there decides:
a minimum (convex), a saddle point, a maximum (concave) or inconclusive (degenerate), with the
relative zero tolerance of `calculus`. A tiny gradient is not always a stationary point: f may
be flat (exp(x)·cos(y) far to the left, a slope of 1e-8, 1e-10·(x² + y²)). The local quadratic
model says where its stationary point is: the step d = Σ (vᵢ·∇f) / max(|λᵢ|, τ) vᵢ over the
Hessian's eigen-pairs, τ = 1e-9·max|λ| (so a direction of zero curvature that still has a slope
puts it far away; an all-zero Hessian with ∇f ≠ 0 puts it at infinity). If |d| > 0.05 (in the
units of x and y) the run is "still falling", not converged. The threshold sits between the
farthest genuine end points measured (|d| <= 0.021: x^p + y² minima up to p = 20 reached by
Newton, where d = x/(p-1); non-degenerate ones have |d| ~ |∇f|/|λ|min < 1e-6) and flat ground
(|d| = 1 for exp(x)·cos(y) at x = -14, 0.12 on the tail of -exp(-x² - y²) at (3, 3), 5 for
1e-8·x + y²). |d| does not change when f is scaled by c > 0. It is not a proof: no local model
can tell a very flat minimum from a slope that flattens for ever.

The class must also hold where the stationary point may be. Along the eigenvector of the smallest
|λ|, |∇f| may stay below the tolerance out to about r = (tolerance + |∇f|) / |λ|min; the Hessian is
evaluated at x ± 2r, and if an eigenvalue's sign differs at either (or f is undefined there) the end
point is inconclusive (nearly singular Hessian). x² + y³ from (1, 1): Newton stops at y = 4.9e-4
with eigenvalues 0.0029 and 2, convex, but at y − 2r < 0 the point is a saddle and f(0, −0.01) < 0:
not a minimum. A flat but genuine minimum (x⁴ + y⁴, x¹⁰ + y²) keeps its class on both sides and
stays a minimum.

Without a Hessian (a model with more parameters than core.model_fit.HESSIAN_LIMIT: `Objective.hessian_note`)
nothing above is claimed: a step's record has no eigenvalues, no quadratic prediction and no class, and an
end point with |∇f| <= tolerance is "not tested" (a stationary point of unknown kind). A mini-batched run on an
objective whose states hold only their batch's gradient (`full_gradient_with_batches` False) never tests
|∇f|: it stops at its step limit or when it diverges, and says so.
"""
from __future__ import annotations

import numpy as np

from explorer.core.calculus import (CLASS_NAMES, CONCAVE, CONVEX, DEGENERATE, SADDLE, UNDEFINED, ZERO_TOLERANCE,
                                    PointAnalysis)
from explorer.core.history import (BATCH_LOSS, F_EVALS, GRADIENT_EVALS, HESSIAN_EVALS, ITERATION, ROWS, RUNNING,
                                   History, Stepping)
from explorer.core.least_squares import NO_DECREASE, SINGULAR_JTJ
from explorer.core.objective import Objective
from explorer.core.methods import make_optimizer
from explorer.core.optimizer_base import Optimizer, State, StepFailed
from explorer.core.step_records import StepRecord, StepRecords
from explorer.core.trust_region import COLLAPSED

CONVERGED, STEP_LIMIT, DIVERGED = "converged", "step limit", "diverged"   # and history.RUNNING
SINGULAR, LINE_SEARCH_FAILED = "singular Hessian", "line search failed"
STILL_FALLING, UNDEFINED_START = "still falling", "undefined start"

# what a CONVERGED run's end point is (`Run.end_point`; None for every other status)
MINIMUM, SADDLE_POINT, MAXIMUM, DEGENERATE_POINT = "minimum", "saddle point", "maximum", "degenerate"
NOT_TESTED = "not tested"   # |∇f| <= tolerance where no Hessian is formed (module docstring)
END_POINTS = {CONVEX: MINIMUM, SADDLE: SADDLE_POINT, CONCAVE: MAXIMUM}

# the loss plot's x-axes: iterations, or the cumulative evaluations the method needed (State.evaluations);
# "epochs" (a fit's: rows whose gradient was computed / rows of the data) compares mini-batches fairly
COST_AXES = {"iterations": "iterations", "value": "f evaluations", "gradient": "∇f evaluations",
             "hessian": "Hessian evaluations", "epochs": "epochs (passes over the data)"}

STATE_MATRIX_LIMIT = 1024   # parameters: past this a step's --json state leaves its n×n matrix out
FLAT_DISTANCE = 0.05  # |d| beyond this: the gradient is tiny because f is flat (module docstring)
NEARBY = 2.0          # how far past the linear model's reach the end point's class is checked (docstring)
NEARLY_SINGULAR = "stationary point, second-order test inconclusive (nearly singular Hessian)"

SUMMARIES = {
    RUNNING: "running",
    DIVERGED: "diverged",
    SINGULAR: "singular Hessian",
    LINE_SEARCH_FAILED: "line search failed",
    SINGULAR_JTJ: "singular JᵀJ — the Gauss–Newton step is undefined here",
    NO_DECREASE: "no decrease — no damping μ finds a step that lowers the loss",
    COLLAPSED: "trust region collapsed — no radius gave the decrease the model predicted",
    STILL_FALLING: "{f} is still falling: |∇{f}| is tiny because {f} is flat here — not a stationary point",
    UNDEFINED_START: "{f} is not defined at the start point",
    MINIMUM: "converged to a minimum",
    SADDLE_POINT: "converged to a saddle point — not a minimum",
    MAXIMUM: "converged to a maximum — not a minimum",
    DEGENERATE_POINT: "stationary point, second-order test inconclusive (degenerate Hessian)",
    NOT_TESTED: "|∇{f}| is below the tolerance; the Hessian was not computed, so not known to be a minimum",
}


def model_step(analysis: PointAnalysis) -> np.ndarray:
    """The step to the stationary point of the local quadratic model (rule in the module docstring)."""
    g = np.asarray(analysis.gradient, dtype=float)
    if not np.any(g):
        return np.zeros_like(g)
    lam, vectors = analysis.eigenvalues, analysis.eigenvectors
    top = float(np.max(np.abs(lam)))
    if top == 0:
        return np.full_like(g, np.inf)   # f is linear here: the model has no stationary point
    # -H⁻¹g with each |λ| raised to the zero tolerance: a flat direction with a slope goes far
    curvature = np.where(lam < 0, -1.0, 1.0) * np.maximum(np.abs(lam), ZERO_TOLERANCE * top)
    return -vectors @ ((vectors.T @ g) / curvature)


class Run(Stepping):
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

    @property
    def value_name(self) -> str:
        """What the run minimises, as its texts name it: f, or a fit's loss L."""
        return getattr(self.objective, "value_name", "f")

    def reset(self) -> None:
        self.states: History = History()   # with array views of the states' numbers
        self.records = StepRecords(self)     # computed on demand
        self.position = 0
        self._stop(RUNNING, "")
        first = self.optimizer.start(self.start)
        f = self.value_name
        if not _finite(first):   # where f is not finite, ∇f (autograd's 1/x of log(x) at x < 0) means nothing
            found = (f"{f} = {first.value:.6g}" if not np.isfinite(first.value) else
                     f"{f} = {first.value:.6g}, ∇{f} = ({_numbers(first.gradient)})")
            self._stop(UNDEFINED_START, f"{found} at the start point ({_numbers(first.point)})",
                       summary=None if not np.isfinite(first.value) else f"∇{f} is not defined at the start point")
        self.states.append(first)
        if self.status == RUNNING:
            self._check_convergence(first)

    def evaluation_counts(self) -> np.ndarray:
        """(states, 3) ints: the f, ∇f and Hessian evaluations the method needed up to each state."""
        return np.column_stack([self.states.numbers(c) for c in (F_EVALS, GRADIENT_EVALS, HESSIAN_EVALS)]
                               ).astype(np.int64).reshape(-1, 3)

    def cost(self, axis: str = "iterations", count: int | None = None) -> np.ndarray:
        """x values for `values` on a fair axis (a key of COST_AXES): iterations or cumulative evaluations
        (ints), or epochs (floats; a surface has no rows: its epochs are its iterations), for the first
        `count` states (all by default)."""
        if axis not in COST_AXES:
            raise ValueError(f"unknown cost axis '{axis}' (choose from {', '.join(COST_AXES)})")
        if axis == "epochs":
            rows = getattr(self.objective, "rows", 0)
            if not rows:
                return self.states.numbers(ITERATION, count).astype(np.int64)
            return self.states.numbers(ROWS, count) / rows
        column = (ITERATION, F_EVALS, GRADIENT_EVALS, HESSIAN_EVALS)[list(COST_AXES).index(axis)]
        return self.states.numbers(column, count).astype(np.int64)

    @property
    def batched(self) -> bool:
        """Each step follows a mini-batch's gradient."""
        return self.optimizer.batches is not None

    def batch_losses(self, count: int | None = None) -> np.ndarray:
        """The loss of each state's own mini-batch there (nan without mini-batches), first `count` states."""
        return self.states.numbers(BATCH_LOSS, count)

    def lr_of_step(self, t: int) -> float | None:
        """The learning rate step t takes (None for methods without one)."""
        return self.optimizer.rate(t) if "lr" in self.optimizer.settings() else None

    @property
    def summary(self) -> str:
        """The outcome in one sentence: the status column, captions, inspector and CLI all say this."""
        status, end_point, summary = self._summary
        if (status, end_point) == (self.status, self.end_point):
            return summary
        return _summary(self.status, self.end_point, self.max_steps, self.value_name)   # status set from outside

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
            self._stop(DIVERGED, f"{self.value_name} or the point became non-finite at step {new.iteration}")
            return False
        self.states.append(new)
        self.position = len(self.states) - 1
        if np.max(np.abs(new.point)) > self.bound:
            self._stop(DIVERGED, f"the point left |x|, |y| <= {self.bound:g} at step {new.iteration}")
        elif not self._check_convergence(new) and new.iteration >= self.max_steps:
            f = self.value_name
            if self.batched and not getattr(self.objective, "full_gradient_with_batches", True):
                self._stop(STEP_LIMIT, f"stopped after {_steps(self.max_steps)}; |∇{f}| over every row not computed "
                                       f"(each step computes its mini-batch's gradient only)")
            else:
                norm = float(np.linalg.norm(new.gradient))
                self._stop(STEP_LIMIT, f"stopped after {_steps(self.max_steps)}; |∇{f}| = {norm:.2g}")
        return True

    def _check_convergence(self, state: State) -> bool:
        if self.batched and not getattr(self.objective, "full_gradient_with_batches", True):
            if self.max_steps == 0:
                self._stop(STEP_LIMIT, "stopped after 0 steps")
            return False   # only the batch's gradient is known: no |∇f| test (module docstring)
        norm = float(np.linalg.norm(state.gradient))
        if norm <= self.tolerance:
            self._classify_end(state, f"|∇{self.value_name}| = {norm:.2g} <= {self.tolerance:g} "
                                      f"after {_steps(state.iteration)}")
            return True
        if self.max_steps == 0:
            self._stop(STEP_LIMIT, "stopped after 0 steps")
        return False

    def _classify_end(self, state: State, why: str) -> None:
        """|∇f| is below the tolerance: a stationary point of which kind, or only flat ground?"""
        note = self._hessian_note()
        if note is not None:
            self._stop(CONVERGED, f"{why}; {note}, so the point's kind is not tested", NOT_TESTED)
            return
        analysis = self.objective.analyze(state.point)
        if analysis.curvature == UNDEFINED:
            self._stop(CONVERGED, f"{why}; the Hessian is not finite here", DEGENERATE_POINT,
                       "stationary point, second-order test inconclusive (Hessian not finite)")
            return
        distance = float(np.linalg.norm(model_step(analysis)))
        eigenvalues = f"eigenvalues {_numbers(analysis.eigenvalues)}"
        if distance > FLAT_DISTANCE:
            where = ("the Hessian is zero, so the quadratic model is linear and has no stationary point"
                     if np.isinf(distance) else
                     f"the quadratic model's stationary point is {distance:.2g} away (> {FLAT_DISTANCE:g})")
            self._stop(STILL_FALLING, f"{why}, but {where}; {eigenvalues}")
        elif (changed := _class_changes_nearby(self.objective, analysis, self.tolerance, self.value_name)) is not None:
            self._stop(CONVERGED, f"{why}; {eigenvalues}, but the Hessian is nearly singular: {changed}",
                       DEGENERATE_POINT, NEARLY_SINGULAR)
        else:
            self._stop(CONVERGED, f"{why}; {eigenvalues}", END_POINTS.get(analysis.curvature, DEGENERATE_POINT))

    def _stop(self, status: str, reason: str, end_point: str | None = None, summary: str | None = None) -> None:
        self.status, self.reason, self.end_point = status, reason, end_point
        self._summary = (status, end_point, summary or _summary(status, end_point, self.max_steps, self.value_name))

    def _hessian_note(self) -> str | None:
        note = getattr(self.objective, "hessian_note", None)
        return None if note is None else note()

    def _explain(self, old: State, new: State) -> StepRecord:
        p = new.point - old.point
        linear = -float(old.gradient @ p)   # the batch's gradient where the state holds only that one
        note = self._hessian_note()
        if note is None:
            analysis = self.objective.analyze(old.point)
            quadratic = linear - 0.5 * float(p @ analysis.hessian @ p)
            eigenvalues, classification = analysis.eigenvalues, CLASS_NAMES[analysis.curvature]
        else:
            quadratic, eigenvalues, classification = float("nan"), np.empty(0), "not computed"
        t, plan = old.iteration, self.optimizer.batches
        return StepRecord(new.iteration, old.point, new.point, p, float(np.linalg.norm(p)), linear, quadratic,
                          old.value - new.value, eigenvalues, classification,
                          self.lr_of_step(t), None if plan is None else plan.batch(t),
                          None if plan is None else plan.epoch(t), note)

    def carried(self, k: int) -> dict:
        """What step k + 1 started from: ∇f at its start ("gradient") and the method's state it carried in
        ("state", Optimizer.method_state; an n×n inverse Hessian left out past STATE_MATRIX_LIMIT parameters)."""
        state = self.states[k]
        carried = self.optimizer.method_state(state)
        if state.point.size > STATE_MATRIX_LIMIT:
            carried = {key: v for key, v in carried.items() if key != "inverse_hessian"}
        lists = lambda v: v.tolist() if isinstance(v, np.ndarray) else v   # noqa: E731 (plain JSON types)
        return {"gradient": state.gradient.tolist(), "state": {key: lists(v) for key, v in carried.items()}}

    def as_dict(self) -> dict:
        out = {"method": self.method, "settings": self.optimizer.settings(),
               "path": self.path.tolist(), "values": self.values.tolist(),
               "status": self.status, "summary": self.summary, "end_point": self.end_point,
               "reason": self.reason,
               "evaluations": {k: self.cost(k).tolist() for k in ("value", "gradient", "hessian")},
               "steps": [{**r.as_dict(), **self.carried(k)} for k, r in enumerate(self.records)]}
        plan, schedule = self.optimizer.batches, self.optimizer.schedule
        if plan is not None:   # null batch losses would say nothing: only mini-batched runs carry these
            out.update(batch=plan.size, seed=plan.seed, batch_losses=self.batch_losses().tolist())
        if not schedule.is_constant:
            out["schedule"] = schedule.as_dict()
        return out


def _class_changes_nearby(objective: Objective, analysis: PointAnalysis, tolerance: float,
                          f: str = "f") -> str | None:
    """Where |∇f| may still be below the tolerance, does the Hessian keep the end point's class? None if
    it does, else what changes (the rule in the module docstring)."""
    if analysis.curvature not in END_POINTS:
        return None
    k = int(np.argmin(np.abs(analysis.eigenvalues)))
    weakest, direction = abs(float(analysis.eigenvalues[k])), analysis.eigenvectors[:, k]
    reach = NEARBY * (tolerance + float(np.linalg.norm(analysis.gradient))) / weakest
    for sign in (-1.0, 1.0):
        there = objective.calculus.analyze(analysis.point + sign * reach * direction)   # not counted: no step's
        if there.curvature not in (analysis.curvature, DEGENERATE):   # an eigenvalue changed sign (or f broke)
            return (f"{reach:.2g} away along its flattest direction (where |∇{f}| may still be <= {tolerance:g}) "
                    f"the curvature is {CLASS_NAMES[there.curvature]} (eigenvalues {_numbers(there.eigenvalues)})")
    return None


def _steps(n: int) -> str:
    return f"{n} step" if n == 1 else f"{n} steps"


def _summary(status: str, end_point: str | None, max_steps: int, f: str = "f") -> str:
    if status == STEP_LIMIT:
        return f"stopped at the step limit ({_steps(max_steps)})"
    return SUMMARIES.get(end_point or status, status).replace("{f}", f)


def _numbers(values) -> str:
    return ", ".join(f"{float(v):.3g}" for v in np.ravel(values))


def _finite(state: State) -> bool:
    return bool(np.isfinite(state.value) and np.all(np.isfinite(state.point)) and np.all(np.isfinite(state.gradient)))


def race(objective: Objective, start, methods: list[tuple[str, dict]], **run_options) -> list[Run]:
    """One run per (method name, settings), all on the same function from the same start."""
    return [Run(make_optimizer(name, objective, **settings), start, **run_options) for name, settings in methods]
