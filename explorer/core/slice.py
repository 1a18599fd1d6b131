"""The slice along a step: φ(α) = f(x + α·d), its Taylor models, the Armijo line and the three decreases.

    φ(α)        = f(x + α d)                       sampled (plain numpy, vectorised)
    linear      = φ(0) + α φ′(0),                  φ′(0) = ∇f(x)·d       (autograd)
    quadratic   = linear + ½ α² φ″(0),             φ″(0) = dᵀ H(x) d      (autograd)
    Armijo line = φ(0) + c₁ α φ′(0)                where the method searches along d

At the α taken the decreases are: linear −α φ′(0), quadratic −α φ′(0) − ½ α² φ″(0), actual
φ(0) − φ(α) — the same numbers as the run's StepRecord (α d is the step). The lesson is told from
the step taken: actual − linear = −∫₀^α (α − t) φ″(t) dt, so f falls more than the gradient
predicts where φ″ < 0 along the step, less where φ″ > 0; where φ″ changes sign inside the step
(`bends`, φ″ by autograd at BEND_SAMPLES points of [0, α]) the weighted whole decides, and a gap
below AGREE of f's size is rounding (`comparison` says 'agree').

Direction and α by method: gradient descent d = −∇f, α = lr; a line-search method (damped
Newton, BFGS, CG) d = its search direction, α = the step length it accepted; any other d = the
step, α = 1. The α range shows 0, the α taken, and — when within REACH times the α taken — the
first trial of a line search (α = 1) and the quadratic model's minimiser, with room on both sides
(`alpha_range`). The picture's f-range (`frame`) holds what the lesson needs, as offsets from f(x)
(readable where f(x) is large): the three decreases, the models over the step (the quadratic one to
its minimiser), f up to the farthest point in view — not f's far values along a long α range.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from autograd import elementwise_grad

from explorer.core.calculus import ZERO_TOLERANCE
from explorer.core.expression import ERRORS
from explorer.core.optimizer_base import State, StepFailed

SAMPLES = 201
BEND_SAMPLES = 33   # φ″ is read at this many points of [0, α taken]
SLICE_WORK = 2**25  # rows × parameters per sample beyond which a model's slice takes fewer samples (`affordable`)
MIN_SAMPLES = 17
AGREE = 1e-9        # actual and linear decreases closer than this times |f| agree (rounding)
REACH = 10.0        # a line search's first trial or the model's minimiser is in view within this × α taken
FRAME_PAD = 0.15    # the f-range's margin, a share of what it holds
MARGIN = 1.5        # the α range runs this far past the farthest point it shows (`alpha_range`)


@dataclass(frozen=True)
class Bend:
    """A stretch [start, end] of α along the step where φ″ has one sign (`case`: zero, positive, negative or undefined)."""

    start: float
    end: float
    case: str


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
    bends: tuple[Bend, ...] = ()   # the sign of φ″ along [0, taken], in order

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

    @property
    def comparison(self) -> str:
        """How the actual decrease compares with the linear one: 'more', 'less', 'agree' (a gap below AGREE
        of f's size: rounding) or 'undefined'."""
        d = self.decreases
        gap, size = d.actual - d.linear, max(abs(self.value), abs(self.actual_value))
        if not (math.isfinite(gap) and math.isfinite(size)):
            return "undefined"
        if abs(gap) <= AGREE * size:
            return "agree"
        return "more" if gap > 0 else "less"

    def frame(self) -> tuple[float, float]:
        """The f-range to show, as offsets from f(x): the three decreases, the linear model over the step,
        the quadratic model up to its minimiser where that is in view, and f up to the farthest point the
        α range was widened for (`alpha_range`: a line search's first trial, the model's minimiser)."""
        reach = max(self.taken, self.alpha[-1] / MARGIN)
        bottom = self.quadratic_minimiser
        spans = {"linear": self.taken, "phi": reach,
                 "quadratic": max(self.taken, bottom if bottom is not None and bottom <= reach else 0.0)}
        held = [0.0, *(-m.decrease for m in self.marks)]
        for name, end in spans.items():
            inside = (self.alpha >= 0.0) & (self.alpha <= end * (1 + 1e-12))
            held.extend(getattr(self, name)[inside] - self.value)
        held = np.asarray(held, dtype=float)
        held = held[np.isfinite(held)]
        lo, hi = (float(held.min()), float(held.max())) if held.size else (0.0, 0.0)
        pad = FRAME_PAD * (hi - lo) if hi > lo else max(abs(self.value) * 1e-12, 1e-300)
        return lo - pad, hi + pad

    _scale: float = 0.0      # ‖H‖·‖d‖², what φ″(0) is compared with


def step_slice(objective, start, direction, taken: float, c1: float | None = None, actual_value=None,
               samples: int = SAMPLES, span: tuple[float, float] | None = None) -> StepSlice:
    """The slice from `start` along `direction` (α taken = `taken`); `span` overrides `alpha_range`.

    `objective` gives f (vectorised `values` when it has it) and its derivatives at `start`;
    `actual_value` is f where the method went, if known (else φ(taken)).
    """
    x = np.asarray(start, dtype=float).reshape(-1)
    d = np.asarray(direction, dtype=float).reshape(-1)
    samples = affordable(objective, samples)
    if getattr(objective, "hessian_note", lambda: None)():   # a big network: φ″(0) = dᵀ(H·d), H never formed
        value, gradient = objective.value_and_gradient(x)
        hessian = None
        curvature = float(d @ objective.hessian_vector_product(x, d))
    else:
        value, gradient, hessian = objective.derivatives(x)
        curvature = float(d @ hessian @ d)
    slope = float(gradient @ d)
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
    if hessian is None:   # without H, φ″ along the step is compared with its own size at the start
        scale = abs(curvature) if math.isfinite(curvature) else math.inf
    else:
        scale = float(np.linalg.norm(hessian, 2)) * float(d @ d) if np.all(np.isfinite(hessian)) else math.inf
    return StepSlice(x, d, at, float(value), slope, curvature, c1, alpha, phi, linear, quadratic, armijo,
                     decreases, float(actual_value), bends(objective, x, d, at, scale), scale)


def bends(objective, x, d, taken: float, scale: float) -> tuple[Bend, ...]:
    """The sign of φ″ along [0, taken] as stretches; φ″ at BEND_SAMPLES points at once by autograd, a sign
    change placed where φ″ crosses 0 between two samples. () where φ″ cannot be had along the step, and for a
    model whose Hessian is not formed (each sample of φ″ is a second derivative of the whole network)."""
    if not (math.isfinite(taken) and taken > 0) or not hasattr(objective, "along"):
        return ()
    if getattr(objective, "hessian_note", lambda: None)():
        return ()
    alpha = np.linspace(0.0, taken, affordable(objective, BEND_SAMPLES))
    phi = objective.along(x, d)
    try:
        with np.errstate(**ERRORS):
            slope = elementwise_grad(lambda a: phi(a) + 0.0 * a)   # + 0·α: on the tape even where φ is linear
            second = np.asarray(elementwise_grad(lambda a: slope(a) + 0.0 * a)(alpha), float)
    except (ValueError, TypeError, FloatingPointError, OverflowError, np.linalg.LinAlgError):
        return ()
    if second.shape != alpha.shape:
        return ()
    cases = [_curvature_case(float(c), scale) for c in second]
    out, start = [], 0.0
    for k in range(1, len(alpha)):
        if cases[k] != cases[k - 1]:
            a0, a1, c0, c1 = alpha[k - 1], alpha[k], second[k - 1], second[k]
            cross = a0 - c0 * (a1 - a0) / (c1 - c0) if np.isfinite(c0 - c1) and c1 != c0 else 0.5 * (a0 + a1)
            cross = float(min(max(cross, a0), a1))
            out.append(Bend(start, cross, cases[k - 1]))
            start = cross
    out.append(Bend(start, float(taken), cases[-1]))
    return tuple(out)


def alpha_range(taken: float, slope: float, curvature: float, line_search: bool = False) -> tuple[float, float]:
    """[−¼ h, h], h = 1.5 × the largest of: α taken, 1 for a line search's first trial, and the quadratic
    model's minimiser −φ′/φ″ when φ″ > 0 and it lies ahead — the last two only within REACH × α taken
    (when α taken > 0); h = 1 when all are 0."""
    step = abs(float(taken))
    candidates = [step]
    if line_search:
        candidates.append(1.0)
    if curvature > 0 and slope < 0 and np.isfinite(slope / curvature):
        candidates.append(-slope / curvature)
    near = [a for a in candidates if a <= REACH * step]   # far ones would shrink the step to a dot
    reach = max(near if step > 0 else candidates)
    high = MARGIN * reach if np.isfinite(reach) and reach > 0 else 1.0
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


def affordable(objective, samples: int) -> int:
    """`samples`, or fewer (at least MIN_SAMPLES) where each costs more than SLICE_WORK / samples numbers: a
    network of thousands of parameters on many rows (rows × parameters a sample), so its pane keeps up with
    Step; a surface's and a small fit's slices keep every sample."""
    per_sample = int(getattr(objective, "rows", 0) or 0) * int(getattr(objective, "dimension", 0) or 0)
    if per_sample * samples <= SLICE_WORK:
        return samples
    return max(MIN_SAMPLES, min(samples, SLICE_WORK // max(1, per_sample)))


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
