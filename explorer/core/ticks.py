"""Round tick values in the function's own units, and how they read."""
from __future__ import annotations

import math

import numpy as np

MINUS = "\u2212"
_SUPERSCRIPT = str.maketrans("0123456789" + MINUS, "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def superscript(digits: str) -> str:
    """'−10' -> '⁻¹⁰'."""
    return digits.translate(_SUPERSCRIPT)


def nice_ticks(lo: float, hi: float, target: int = 5) -> tuple[np.ndarray, float]:
    """Multiples of a round step (1, 2 or 5 × 10^k) inside [lo, hi] or within half a percent of it,
    and the step: the step that gives closest to `target` ticks (the larger one on a tie)."""
    span = hi - lo
    if not span > 0 or not math.isfinite(span):
        return np.array([lo]) if math.isfinite(lo) else np.zeros(0), 1.0
    power = math.floor(math.log10(span / max(target, 1)))
    best = None
    for step in (m * 10.0 ** k for k in (power - 1, power, power + 1) for m in (1, 2, 5)):
        slack = 0.005 * span / step     # a grid's lowest value is seldom exactly 0: still label 0
        first, last = math.ceil(lo / step - slack), math.floor(hi / step + slack)
        score = (abs(last - first + 1 - target), -step)
        if best is None or score < best[0]:
            best = (score, first, last, step)
    _, first, last, step = best
    ticks = np.arange(first, last + 1) * step
    return np.where(np.abs(ticks) < step * 1e-9, 0.0, ticks), step


def format_tick(value: float, step: float, magnitude: float | None = None) -> str:
    """As many decimals as the step needs; scientific only for very large or small numbers.

    `magnitude`: the largest |value| on the axis, so that one axis is written in one style."""
    if value == 0:
        return "0"
    big = max(abs(value) if magnitude is None else magnitude, abs(step))
    if big >= 1e5 or big < 1e-3:    # written as the caption writes numbers: 5·10¹⁰, 10⁻⁴ (never 5e+10)
        mantissa, exponent = f"{value:.1e}".split("e")
        mantissa = mantissa.removesuffix(".0")
        power = superscript(str(int(exponent)).replace("-", MINUS))
        head = {"1": "", "-1": MINUS}.get(mantissa, f"{mantissa}·".replace("-", MINUS))
        return f"{head}10{power}"
    else:
        decimals = max(0, -math.floor(math.log10(abs(step)) + 1e-9))
        text = f"{value:.{decimals}f}"
    return text.replace("-", MINUS)


def height_ticks(zmin: float, zmax: float, level, target: int = 5, min_gap: float = 0.14) -> list[float]:
    """Round values of f for the vertical axis; `level` maps f to the drawn height in [0, 1].

    Linear heights: evenly spaced round numbers. Log heights: 0 and ±10^k (then ±5·10^k, ±2·10^k if
    fewer than three), the largest first, each kept only if its drawn height is at least `min_gap`
    from the ones kept already.
    """
    if not (math.isfinite(zmin) and math.isfinite(zmax)) or zmax <= zmin:
        return [zmin] if math.isfinite(zmin) else []
    ticks, _ = nice_ticks(zmin, zmax, target)
    linear_gap = np.diff(level(ticks)) if len(ticks) > 1 else np.ones(1)
    if len(ticks) >= 2 and np.min(linear_gap) >= min_gap * 0.9:
        return [float(t) for t in ticks]
    top = math.floor(math.log10(max(abs(zmin), abs(zmax))))
    lo, hi = zmin - 0.005 * (zmax - zmin), zmax + 0.005 * (zmax - zmin)
    kept: list[float] = []
    for mantissas in ((1,), (5, 2)):    # powers of ten first; 5s and 2s only where those are too few
        if len(kept) >= 3:
            break
        for v in [0.0] + [s * m * 10.0 ** k for k in range(top, top - 12, -1) for m in mantissas for s in (1, -1)]:
            h = float(level(v))
            if lo <= v <= hi and all(abs(h - float(level(k))) >= min_gap for k in kept) and v not in kept:
                kept.append(v)
    return sorted(kept)
