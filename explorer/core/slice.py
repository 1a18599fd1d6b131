"""The slice along a step: φ(α) = f(x + α·d), its Taylor models, the Armijo line and the three decreases.

    φ(α)        = f(x + α d)                       sampled (plain numpy, vectorised)
    linear      = φ(0) + α φ′(0),                  φ′(0) = ∇f(x)·d       (autograd)
    quadratic   = linear + ½ α² φ″(0),             φ″(0) = dᵀ H(x) d      (autograd)
    Armijo line = φ(0) + c₁ α φ′(0)                where the method searches along d

At the α taken the decreases are: linear −α φ′(0), quadratic −α φ′(0) − ½ α² φ″(0), actual
φ(0) − φ(α) — the same numbers as the run's StepRecord (α d is the step). φ″(0) decides the
lesson: 0, the linear prediction is exact; > 0, f decreases by less than it; < 0, by more.

Direction and α by method: gradient descent d = −∇f, α = lr; a line-search method (damped
Newton, BFGS, CG) d = its search direction, α = the step length it accepted; any other d = the
step, α = 1. The α range shows 0, the α taken, the first trial of a line search (α = 1) and the
quadratic model's minimiser when it has one, with room on both sides (`alpha_range`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from explorer.core.calculus import ZERO_TOLERANCE
from explorer.core.optimizers import State, StepFailed

SAMPLES = 201
CURVATURE_CASES = ("zero", "positive", "negative", "undefined")


@dataclass(frozen=True)
class Decreases:
    """How much f went down at the α taken: predicted by each model, and actually."""

    linear: float
    quadratic: float
    actual: float

    @property
    def ratio_linear(self) -> float:
        """actual / linear prediction: 1 on a plane, < 1 where f curves up, > 1 where it curves down."""
        return _ratio(self.actual, self.linear)

    @property
    def ratio_quadratic(self) -> float:
        """actual / quadratic prediction (1 when f is quadratic along the step)."""
        return _ratio(self.actual, self.quadratic)


@dataclass(frozen=True)
class Mark:
    """A labelled decrease for the view: at α, from φ(0) down to `value` (= φ(0) − decrease)."""

    label: str
    alpha: float
    value: float
    decrease: float


@dataclass(frozen=True)
class StepSlice:
    """φ along one step, sampled, with everything the slice view draws (arrays share `alpha`)."""

    start: np.ndarray        # x
    direction: np.ndarray    # d
    taken: float             # the α of the step: x + taken·d is where the method went
    value: float             # φ(0) = f(x)
    slope: float             # φ′(0) = ∇f(x)·d
    curvature: float         # φ″(0) = dᵀH(x)d
    c1: float | None         # Armijo's constant where the method searches along d, else None
    alpha: np.ndarray        # samples, ascending; 0 and `taken` among them
    phi: np.ndarray          # f(x + α d)
    linear: np.ndarray       # φ(0) + α φ′(0)
    quadratic: np.ndarray    # φ(0) + α φ′(0) + ½ α² φ″(0)
    armijo: np.ndarray | None
    decreases: Decreases     # at `taken`
    actual_value: float      # f where the method went (φ(taken), from the run when it has it)

    @property
    def curvature_case(self) -> str:
        """The sign of φ″(0): 'zero' (within the calculus tolerance), 'positive', 'negative' or 'undefined'."""
        return _curvature_case(self.curvature, self._scale)

    @property
    def quadratic_minimiser(self) -> float | None:
        """α* = −φ′(0)/φ″(0), where the quadratic model is lowest along d; None unless φ″(0) > 0."""
        return -self.slope / self.curvature if self.curvature_case == "positive" else None

    @property
    def marks(self) -> list[Mark]:
        """The three decreases at the α taken, as labelled marks."""
        d = self.decreases
        return [Mark("linear prediction", self.taken, self.value - d.linear, d.linear),
                Mark("quadratic prediction", self.taken, self.value - d.quadratic, d.quadratic),
                Mark("actual", self.taken, self.actual_value, d.actual)]

    _scale: float = 0.0      # ‖H‖·‖d‖², what φ″(0) is compared with


def step_slice(objective, start, direction, taken: float, c1: float | None = None, actual_value=None,
               samples: int = SAMPLES, span: tuple[float, float] | None = None) -> StepSlice:
    """The slice from `start` along `direction` (α taken = `taken`); `span` overrides `alpha_range`.

    `objective` gives f (vectorised `values` when it has it) and its derivatives at `start`;
    `actual_value` is f where the method went, if known (else φ(taken)).
    """
    x = np.asarray(start, dtype=float).reshape(-1)
    d = np.asarray(direction, dtype=float).reshape(-1)
    value, gradient, hessian = objective.derivatives(x)
    slope, curvature = float(gradient @ d), float(d @ hessian @ d)
    lo, hi = span if span is not None else alpha_range(taken, slope, curvature, c1 is not None)
    alpha = np.union1d(np.linspace(lo, hi, samples), [0.0, float(taken)])
    phi = _values(objective, x[None, :] + alpha[:, None] * d[None, :])
    phi[alpha == 0] = value
    linear = value + alpha * slope
    quadratic = linear + 0.5 * alpha**2 * curvature
    armijo = None if c1 is None else value + c1 * alpha * slope
    at = float(taken)
    if actual_value is None:
        actual_value = float(phi[alpha == at][0])
    decreases = Decreases(-at * slope, -at * slope - 0.5 * at * at * curvature, float(value) - float(actual_value))
    scale = float(np.linalg.norm(hessian, 2)) * float(d @ d) if np.all(np.isfinite(hessian)) else math.inf
    return StepSlice(x, d, at, float(value), slope, curvature, c1, alpha, phi, linear, quadratic, armijo,
                     decreases, float(actual_value), scale)


def alpha_range(taken: float, slope: float, curvature: float, line_search: bool = False) -> tuple[float, float]:
    """[−¼ h, h], h = 1.5 × the largest of: α taken, 1 for a line search's first trial, and the quadratic
    model's minimiser −φ′/φ″ when φ″ > 0 and it lies ahead; h = 1 when all are 0."""
    candidates = [abs(float(taken))]
    if line_search:
        candidates.append(1.0)
    if curvature > 0 and slope < 0 and np.isfinite(slope / curvature):
        candidates.append(-slope / curvature)
    reach = max(candidates)
    high = 1.5 * reach if np.isfinite(reach) and reach > 0 else 1.0
    return -0.25 * high, high


def slice_of_step(run, position: int | None = None, samples: int = SAMPLES) -> StepSlice | None:
    """The slice of the step leaving state `position` (default: the one on show) of a trajectory.Run.

    The next state is the run's own when it has been computed; otherwise the method's step is
    computed here (the run is not changed). None where no step leaves that state.
    """
    position = run.position if position is None else position
    state = run.states[position]
    if position + 1 < len(run.states):
        new = run.states[position + 1]
    else:
        if run.finished:
            return None
        try:
            with np.errstate(all="ignore"):
                new = run.optimizer.step(state)
        except (StepFailed, np.linalg.LinAlgError, FloatingPointError, OverflowError):
            return None
        if not np.all(np.isfinite(new.point)):
            return None
    direction, taken = step_direction(run.optimizer, state, new)
    return step_slice(run.objective, state.point, direction, taken, getattr(run.optimizer, "c1", None),
                      new.value, samples)


def step_direction(optimizer, old: State, new: State) -> tuple[np.ndarray, float]:
    """(d, α) of a step (rule in the module docstring); x + α d = the new point."""
    p = new.point - old.point
    t = new.memory.get("step_length")
    if t:
        return p / t, float(t)
    if optimizer.name == "gd":
        return -np.asarray(old.gradient, dtype=float), float(optimizer.lr)
    return p, 1.0


def _values(objective, points: np.ndarray) -> np.ndarray:
    if hasattr(objective, "values"):
        return np.asarray(objective.values(points), dtype=float)
    return np.array([objective.value(p) for p in points], dtype=float)   # an objective without a vectorised f


def _curvature_case(curvature: float, scale: float) -> str:
    if not (np.isfinite(curvature) and np.isfinite(scale)):
        return "undefined"
    if abs(curvature) <= ZERO_TOLERANCE * scale:
        return "zero"
    return "positive" if curvature > 0 else "negative"


def _ratio(a: float, b: float) -> float:
    return a / b if b != 0 else math.nan
