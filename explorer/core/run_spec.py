"""One run as data (`RunSpec`), in a scene and in the session alike: its method, settings, start, and for
first-order methods the mini-batch, seed and learning-rate schedule; read from and written to a scene's
"runs" list.

    {"method": "gd", "settings": {"lr": 0.1}, "start": [0, 0],
     "batch": 8, "seed": 3,                                         optional: a fit's mini-batches
     "schedule": {"name": "cosine", "period": 200, "lr_min": 0, "warmup": 10}}    optional

"batch", "seed" and "schedule" are written only when they are not the defaults (every row, seed 0,
a constant rate), so a scene without them reads exactly as before.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from explorer.core.batches import MAX_SEED
from explorer.core.colours import method_colour
from explorer.core.methods import ALL_METHODS, LEAST_SQUARES, make_optimizer, no_batches, no_schedule
from explorer.core.optimizer_base import Optimizer
from explorer.core.schedules import CONSTANT, WARMUP, Schedule, ScheduleError, make_schedule
from explorer.core.scene_checks import SceneError, _check_keys, _number_map, _object, _point, _show, _text, _whole

MAX_BATCH = 100_000   # rows: the most a dataset holds (core.data.MAX_ROWS)


@dataclass(frozen=True)
class RunSpec:
    """One optimizer run: method name, settings overriding its defaults, start point ((x, y); a fit's: one
    number per trained parameter); a first-order method's mini-batch size (None: every row) and seed, and
    its learning-rate schedule."""

    method: str
    settings: dict[str, float]
    start: tuple[float, ...]
    batch: int | None = None
    seed: int = 0
    schedule: Schedule = CONSTANT

    @property
    def colour(self) -> str:
        """Its method's colour: the same in every scene, whatever the run's place in it."""
        return method_colour(self.method)


def optimizer_of(spec, objective) -> Optimizer:
    """The optimizer a RunSpec describes."""
    return make_optimizer(spec.method, objective, batch=spec.batch, seed=spec.seed, schedule=spec.schedule,
                          **spec.settings)


def run_to_dict(spec) -> dict[str, Any]:
    out = {"method": spec.method, "settings": {k: spec.settings[k] for k in sorted(spec.settings)},
           "start": list(spec.start)}
    if spec.batch is not None:
        out["batch"], out["seed"] = spec.batch, spec.seed
    if spec.schedule != CONSTANT:
        out["schedule"] = spec.schedule.as_dict()
    return out


def read_run(data: Any, where: str, size: int = 2, fit: bool = False, residual: bool = False) -> RunSpec:
    """A checked RunSpec from plain data; `size` numbers in the start, `fit` when the scene fits data
    (mini-batches need rows), `residual` when it is given as residuals (Gauss–Newton, Levenberg–Marquardt)."""
    data = _object(data, where)
    _check_keys(data, ("method", "start"), ("settings", "batch", "seed", "schedule"), where)
    method = _text(data["method"], f"{where}.method")
    if method not in ALL_METHODS:
        raise SceneError(f"{where}.method: unknown method {_show(method)} (choose from {', '.join(ALL_METHODS)})")
    if method in LEAST_SQUARES and not residual:
        raise SceneError(f"{where}.method: {method} needs a fit given as residuals (\"fit\": {{\"residual\": true}})")
    settings = _number_map(data.get("settings", {}), f"{where}.settings")
    allowed = ALL_METHODS[method].hyperparameters()
    for key in settings:
        if key not in allowed:
            raise SceneError(f"{where}.settings: unknown setting {_show(key)} for {method} "
                             f"(it has {', '.join(allowed) or 'none'})")
    batch = data.get("batch")
    if batch is not None:
        if not fit:
            raise SceneError(f"{where}.batch: mini-batches need a fit of data (this scene has no rows)")
        if no_batches(method):
            raise SceneError(f"{where}.batch: {no_batches(method)}")
        batch = _whole(batch, f"{where}.batch", 1, MAX_BATCH)
    elif "seed" in data:
        raise SceneError(f"{where}.seed: a seed shuffles mini-batches; give \"batch\" too")
    seed = _whole(data.get("seed", 0), f"{where}.seed", 0, MAX_SEED)
    schedule = CONSTANT
    if "schedule" in data:
        schedule = _schedule(data["schedule"], f"{where}.schedule")
        if schedule != CONSTANT and no_schedule(method):
            raise SceneError(f"{where}.schedule: {no_schedule(method)}")
    try:
        make_optimizer(method, None, schedule=schedule, **settings)  # the method's own range checks
    except ValueError as err:
        raise SceneError(f"{where}.settings: {err}") from None
    return RunSpec(method, settings, _point(data["start"], f"{where}.start", size), batch, seed, schedule)


def _schedule(value: Any, where: str) -> Schedule:
    value = dict(_object(value, where))
    if "name" not in value:
        raise SceneError(f"{where}: missing key 'name'")
    name = _text(value.pop("name"), f"{where}.name")
    settings = _number_map(value, where)
    try:
        return make_schedule(name, **settings)
    except ScheduleError as err:
        raise SceneError(f"{where}: {err}") from None


__all__ = ["RunSpec", "optimizer_of", "run_to_dict", "read_run", "WARMUP"]
