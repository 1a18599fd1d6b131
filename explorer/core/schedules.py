"""Learning-rate schedules for the first-order methods: the learning rate of step t (t = 0, 1, ...).

lr₀ is the method's own lr. With every setting's name:

    constant       lr₀
    exponential    lr₀·γᵗ                                         gamma in (0, 1]
    step           lr₀·drop^⌊t/every⌋                              drop in (0, 1], every ≥ 1 steps
    inverse-time   lr₀/(1 + decay·t)                               decay ≥ 0
    cosine         lr_min + ½(lr₀ − lr_min)(1 + cos(π·min(t, T)/T))  period T ≥ 1 steps, lr_min ≥ 0

and, for any of them, a linear warm-up over the first W steps: the rate above times min(1, (t + 1)/W),
so step 0 takes lr/W and step W − 1 onwards the full rate (W = 0: no warm-up). The schedule's clock is
not shifted by the warm-up. A constant schedule without warm-up gives exactly lr₀, bit for bit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# name -> its settings with their defaults
SCHEDULES: dict[str, dict[str, float]] = {
    "constant": {},
    "exponential": {"gamma": 0.99},
    "step": {"drop": 0.5, "every": 100},
    "inverse-time": {"decay": 0.01},
    "cosine": {"period": 200, "lr_min": 0.0},
}
WARMUP = "warmup"
MAX_STEPS_SETTING = 1_000_000     # every, period and warmup: whole numbers of steps up to this

_CHECKS = {   # name -> (test, what it must be)
    "gamma": (lambda v: 0 < v <= 1, "in (0, 1]"),
    "drop": (lambda v: 0 < v <= 1, "in (0, 1]"),
    "decay": (lambda v: v >= 0, "0 or more"),
    "lr_min": (lambda v: v >= 0, "0 or more"),
    "every": (lambda v: v == int(v) and 1 <= v <= MAX_STEPS_SETTING, f"a whole number of steps, 1 to {MAX_STEPS_SETTING:,}"),
    "period": (lambda v: v == int(v) and 1 <= v <= MAX_STEPS_SETTING, f"a whole number of steps, 1 to {MAX_STEPS_SETTING:,}"),
    WARMUP: (lambda v: v == int(v) and 0 <= v <= MAX_STEPS_SETTING, f"a whole number of steps, 0 to {MAX_STEPS_SETTING:,}"),
}


class ScheduleError(ValueError):
    """A schedule that cannot be made; str() is one line."""


@dataclass(frozen=True)
class Schedule:
    """A schedule's name, its settings (all of them, sorted; hashable) and its warm-up steps."""

    name: str = "constant"
    settings: tuple[tuple[str, float], ...] = ()
    warmup: int = 0

    @property
    def values(self) -> dict[str, float]:
        return dict(self.settings)

    @property
    def is_constant(self) -> bool:
        """lr₀ at every step (the plain method)."""
        return self.name == "constant" and self.warmup == 0

    def lr(self, lr0: float, t: int) -> float:
        """The learning rate of step t (module docstring)."""
        s, t = self.values, int(t)
        if self.name == "constant":
            rate = lr0
        elif self.name == "exponential":
            rate = lr0 * s["gamma"] ** t
        elif self.name == "step":
            rate = lr0 * s["drop"] ** (t // int(s["every"]))
        elif self.name == "inverse-time":
            rate = lr0 / (1 + s["decay"] * t)
        else:   # cosine
            period, low = int(s["period"]), s["lr_min"]
            rate = low + 0.5 * (lr0 - low) * (1 + math.cos(math.pi * min(t, period) / period))
        if t + 1 < self.warmup:
            rate = rate * (t + 1) / self.warmup
        return float(rate)

    def lrs(self, lr0: float, count: int) -> np.ndarray:
        """The rates of steps 0 … count − 1."""
        return np.array([self.lr(lr0, t) for t in range(int(count))], dtype=float)

    def describe(self) -> str:
        """'cosine (period 200, lr_min 0), warm-up 10' — what the run table and captions say."""
        inner = ", ".join(f"{k} {v:g}" for k, v in self.settings)
        text = self.name + (f" ({inner})" if inner else "")
        return text + (f", warm-up {self.warmup}" if self.warmup else "")

    def as_dict(self) -> dict:
        """What scenes and `run --json` write: the name, every setting and the warm-up."""
        return {"name": self.name, **self.values, WARMUP: self.warmup}


CONSTANT = Schedule()


def make_schedule(name: str = "constant", **settings: float) -> Schedule:
    """The schedule `name` with its defaults overridden by `settings` (`warmup` among them);
    ScheduleError naming the setting at fault."""
    if name not in SCHEDULES:
        raise ScheduleError(f"unknown schedule '{name}' (choose from {', '.join(SCHEDULES)})")
    allowed = SCHEDULES[name]
    values = dict(allowed)
    warmup = 0
    for key, value in settings.items():
        if key != WARMUP and key not in allowed:
            has = ", ".join(list(allowed) + [WARMUP])
            raise ScheduleError(f"the {name} schedule has no setting '{key}' (it has {has})")
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ScheduleError(f"schedule setting '{key}' must be a number, not {value!r}") from None
        test, text = _CHECKS[key]
        if not (math.isfinite(value) and test(value)):
            raise ScheduleError(f"schedule setting '{key}' must be {text}, not {value:g}")
        if key == WARMUP:
            warmup = int(value)
        else:
            values[key] = int(value) if key in ("every", "period") else value
    return Schedule(name, tuple(sorted((k, float(v)) for k, v in values.items())), warmup)
