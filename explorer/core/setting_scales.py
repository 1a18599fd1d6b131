"""Where a method's numeric setting lives on a slider: its range, logarithmic where the range spans decades
(learning rate, ε, damping, radius) and linear on [0, 1) for the β's, and the whole numbers of a memory.

A slider has whole positions 0 … `positions`; `value(position)` and `position(value)` map between them:

    log:     v = low · 10^(p · step)         (step in decades: 100 positions a decade)
    linear:  v = low + p · step

A log slider's values are rounded to three significant figures (it moves 2.3 % a position, so the rounding
never moves a value to another position), a linear one's to a tenth of its step. Qt-free: the sliders, the
animate sweep and tests read it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

DECADE_STEP = 0.01   # a log slider's position: a hundredth of a decade


@dataclass(frozen=True)
class SettingScale:
    low: float
    high: float
    log: bool
    step: float            # log: decades a position; linear: the value a position
    whole: bool = False    # whole numbers only (l-bfgs' memory)

    @property
    def positions(self) -> int:
        span = math.log10(self.high / self.low) if self.log else self.high - self.low
        return max(1, round(span / self.step))

    def value(self, position: int) -> float:
        p = min(max(int(position), 0), self.positions)
        if self.log:
            return float(f"{self.low * 10 ** (math.log10(self.high / self.low) * p / self.positions):.3g}")
        v = self.low + (self.high - self.low) * p / self.positions
        return float(round(v)) if self.whole else round(v, max(0, -math.floor(math.log10(self.step))) + 1)

    def position(self, value: float) -> int:
        if self.log:
            share = math.log10(max(value, self.low) / self.low) / math.log10(self.high / self.low)
        else:
            share = (value - self.low) / (self.high - self.low)
        return min(max(round(share * self.positions), 0), self.positions)

    def holding(self, value: float) -> SettingScale:
        """This scale widened to hold `value` (a setting typed beyond the table's range)."""
        if self.low <= value <= self.high or not math.isfinite(value) or (self.log and value <= 0):
            return self
        if self.log:
            low, high = min(self.low, 10.0 ** math.floor(math.log10(value))), max(self.high, 10.0 ** math.ceil(
                math.log10(value)))
        else:
            low, high = min(self.low, value), max(self.high, value)
        return replace(self, low=low, high=high)


def _log(low: float, high: float) -> SettingScale:
    return SettingScale(low, high, True, DECADE_STEP)


BETA = SettingScale(0.0, 0.999, False, 0.001)   # [0, 1): β = 1 would never forget
SCALES: dict[str, SettingScale] = {
    "lr": _log(1e-5, 10.0), "eps": _log(1e-12, 1e-1), "damping": _log(1e-8, 1e2),
    "radius": _log(1e-3, 1e2), "max_radius": _log(1.0, 1e3), "min_curvature": _log(1e-12, 1.0),
    "singular_tolerance": _log(1e-16, 1e-2), "c1": _log(1e-6, 0.5),
    "c2": SettingScale(0.01, 0.99, False, 0.01),
    "momentum": BETA, "beta1": BETA, "beta2": BETA, "decay": BETA,
    "memory": SettingScale(1.0, 50.0, False, 1.0, whole=True),
}

TIPS: dict[str, str] = {
    "lr": "learning rate α: the step is −α·∇f (log scale)",
    "momentum": "β: the share of the last step the next one keeps (v ← βv − α∇f)",
    "beta1": "β₁: Adam's memory of gradients (m ← β₁m + (1 − β₁)∇f)",
    "beta2": "β₂: Adam's memory of squared gradients (v ← β₂v + (1 − β₂)∇f²)",
    "decay": "ρ: RMSProp's memory of squared gradients (v ← ρv + (1 − ρ)∇f²)",
    "eps": "ε: added to √v so a step never divides by zero (log scale)",
    "damping": "τ: the starting damping μ₀ = τ·max diag(JᵀJ) (log scale)",
    "radius": "the trust region's first radius: the model is trusted this far (log scale)",
    "max_radius": "the largest radius the trust region may grow to (log scale)",
    "memory": "m: the pairs (s, y) L-BFGS keeps to build its inverse Hessian",
    "c1": "c₁: the sufficient-decrease constant of the line search (Armijo; log scale)",
    "c2": "c₂: the curvature constant of the line search (Wolfe)",
    "min_curvature": "the smallest eigenvalue damped Newton lets H keep (log scale)",
    "singular_tolerance": "below this relative size an eigenvalue of H counts as zero (log scale)",
}


def scale_of(name: str, value: float, default: float | None = None) -> SettingScale:
    """The slider scale of setting `name` now at `value` (a setting not in the table: three decades
    either side of its default, or ±10 around it where it may be zero or negative)."""
    scale = SCALES.get(name)
    if scale is None:
        centre = default if default is not None and math.isfinite(default) else value
        scale = _log(centre / 1e3, centre * 1e3) if centre > 0 else SettingScale(centre - 10, centre + 10, False,
                                                                               0.02)
    return scale.holding(value)
