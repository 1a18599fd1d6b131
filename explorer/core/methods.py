"""Every optimizer by the name people type (gd, newton, bfgs, ..., gauss-newton), and how one is made
with its settings checked: the one table the command line, the session and the window read."""
from __future__ import annotations

import numpy as np

from explorer.core.batches import batch_plan
from explorer.core.least_squares import GaussNewton, LevenbergMarquardt
from explorer.core.objective import Objective
from explorer.core.optimizer_base import Optimizer
from explorer.core.optimizers import (BFGS, AdaGrad, Adam, ConjugateGradient, DampedNewton, GradientDescent,
                                      Momentum, Nesterov, Newton, RMSProp)
from explorer.core.quasi_newton import LBFGS
from explorer.core.trust_region import TrustRegion
from explorer.core.schedules import CONSTANT, Schedule

_RANGES = {"lr": (0, np.inf, "positive"), "damping": (0, np.inf, "positive"), "eps": (0, np.inf, "positive"),
           "min_curvature": (0, np.inf, "positive"), "singular_tolerance": (0, np.inf, "positive"),
           "momentum": (0, 1, "in [0, 1)"), "beta1": (0, 1, "in [0, 1)"), "beta2": (0, 1, "in [0, 1)"),
           "decay": (0, 1, "in [0, 1)"), "c1": (0, 1, "in (0, 1)"), "c2": (0, 1, "in (0, 1)"),
           "memory": (0, np.inf, "a whole number >= 1"), "radius": (0, np.inf, "positive"),
           "max_radius": (0, np.inf, "positive")}
_ZERO_OK = {"momentum", "beta1", "beta2", "decay"}
BFGS_LIMIT = 1024   # parameters: BFGS's inverse-Hessian estimate is then 8 MB in every state of a run

# METHODS step on any function; Gauss–Newton and Levenberg–Marquardt only on a fit given as residuals
METHODS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (
    GradientDescent, Momentum, Nesterov, RMSProp, AdaGrad, Adam, Newton, DampedNewton, BFGS, LBFGS, ConjugateGradient,
    TrustRegion)}
FIRST_ORDER = tuple(name for name, cls in METHODS.items() if cls.first_order)
LEAST_SQUARES: dict[str, type[Optimizer]] = {cls.name: cls for cls in (GaussNewton, LevenbergMarquardt)}
ALL_METHODS: dict[str, type[Optimizer]] = {**METHODS, **LEAST_SQUARES}


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
    note = objective.hessian_note() if cls in (Newton, DampedNewton, TrustRegion) and hasattr(objective, "hessian_note") else None
    if note:
        raise ValueError(f"{name} needs the Hessian: {note}; choose a method of gradients only")
    if cls is BFGS and getattr(objective, "dimension", 0) > BFGS_LIMIT:   # a model: n×n numbers kept every step
        raise ValueError(f"bfgs keeps an n×n matrix at every step: at most {BFGS_LIMIT:,} parameters, "
                         f"not {objective.dimension:,} (cg and the first-order methods keep vectors only)")
    allowed = cls.hyperparameters()
    for key, value in settings.items():
        if key not in allowed:
            raise ValueError(f"{name} has no setting '{key}' (it has {', '.join(allowed) or 'none'})")
        low, high, text = _RANGES.get(key, (-np.inf, np.inf, "a finite number"))
        if not (np.isfinite(value) and low < value < high or (low == 0 and value == 0 and key in _ZERO_OK)):
            raise ValueError(f"{name}: {key} must be {text}, not {value:g}")
    if "memory" in settings and (settings["memory"] != int(settings["memory"]) or settings["memory"] < 1):
        raise ValueError(f"{name}: memory must be a whole number >= 1, not {settings['memory']:g}")
    if cls is TrustRegion:
        radius = settings.get("radius", TrustRegion.radius)
        if settings.get("max_radius", TrustRegion.max_radius) < radius:
            raise ValueError(f"{name}: max_radius must be at least radius ({radius:g}), "
                             f"not {settings.get('max_radius', TrustRegion.max_radius):g}")
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
