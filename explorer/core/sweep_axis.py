"""Where a sweep's values sit along its plot's horizontal axis: numbers to scale (log where the positive values span
two decades or more, a 0 among them drawn a decade to the left, past a break), anything else as evenly spaced
labelled places in the order given."""
from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real
from typing import Sequence

from explorer.core.ticks import MINUS, format_tick, nice_ticks, superscript

DECADES_FOR_LOG = 2     # positive values whose largest is at least 10² times the smallest go on a log axis


@dataclass(frozen=True)
class ValueAxis:
    """kind: "log", "linear" or "categories"; values: the distinct values as drawn, left to right; places: each
    value's place, 0 (left end) to 1 (right end); ticks: round (place, text) marks for a numeric axis (the
    categories' own names otherwise); gap: the place of the break between 0 and the decades on a log axis."""
    kind: str
    values: tuple
    places: tuple[float, ...]
    ticks: tuple[tuple[float, str], ...]
    gap: float | None = None

    def place(self, value) -> float:
        return self.places[next(i for i, v in enumerate(self.values) if v == value)]

    @property
    def labels(self) -> tuple[tuple[float, str], ...]:
        """(place, text) of each value itself, written short: 0.001, 2.5, 10⁻⁵, mlp:16,16:relu."""
        return tuple((p, value_text(v)) for p, v in zip(self.places, self.values))


def is_number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


def value_text(value) -> str:
    """A value as typed, powers written as the window writes them: 0.001, 2.5, 1500, 10⁻⁴, 5·10⁻⁴."""
    if not is_number(value):
        return str(value)
    text = f"{value:.3e}" if value != 0 and not 1e-3 <= abs(value) < 1e6 else f"{value:.6g}"
    if "e" in text:
        text = text.split("e")[0].rstrip("0").rstrip(".") + "e" + text.split("e")[1]
        mantissa, exponent = text.split("e")
        head = "" if mantissa in ("1", "-1") else f"{mantissa}·"
        text = ("-" if mantissa == "-1" else "") + f"{head}10{superscript(str(int(exponent)).replace('-', MINUS))}"
    return text.replace("-", MINUS)


def value_axis(values: Sequence) -> ValueAxis:
    """The axis for these values (repeats and order of seeds don't matter: each distinct value has one place)."""
    distinct: list = []
    for value in values:
        if not any(value == seen for seen in distinct):
            distinct.append(value)
    if not distinct:
        return ValueAxis("categories", (), (), ())
    if not all(is_number(v) for v in distinct):
        places = _even(len(distinct))
        return ValueAxis("categories", tuple(distinct), places, tuple(zip(places, map(value_text, distinct))))
    distinct.sort()
    positive = [v for v in distinct if v > 0]
    if distinct[0] >= 0 and len(positive) >= 2 and positive[-1] >= 10 ** DECADES_FOR_LOG * positive[0]:
        return _log_axis(distinct, positive)
    lo, hi = distinct[0], distinct[-1]
    if hi == lo:
        return ValueAxis("linear", (lo,), (0.5,), ((0.5, value_text(lo)),))
    ticks, step = nice_ticks(lo, hi)
    magnitude = max(abs(t) for t in ticks)
    return ValueAxis("linear", tuple(distinct), tuple((v - lo) / (hi - lo) for v in distinct),
                     tuple((float((t - lo) / (hi - lo)), format_tick(float(t), step, magnitude)) for t in ticks))


def _log_axis(distinct: list, positive: list) -> ValueAxis:
    low, high = math.log10(positive[0]), math.log10(positive[-1])
    zero = len(positive) < len(distinct)
    start = low - 1 if zero else low        # a 0 is drawn one decade left of the smallest positive value

    def place(v):
        return (math.log10(v) - start) / (high - start) if v > 0 else 0.0

    powers = list(range(math.ceil(low - 1e-9), math.floor(high + 1e-9) + 1))
    powers = powers[::math.ceil(len(powers) / 7)]           # seven marks at most
    plain = all(-3 <= k <= 4 for k in powers)               # 0.001 … 10000 as decimals, else all as 10ᵏ
    ticks = [(place(10.0 ** k), _power_text(k, plain)) for k in powers]
    if zero:
        ticks.insert(0, (0.0, "0"))
    return ValueAxis("log", tuple(distinct), tuple(place(v) for v in distinct), tuple(ticks),
                     gap=(low - 0.5 - start) / (high - start) if zero else None)


def _power_text(k: int, plain: bool) -> str:
    if plain:
        return f"{10.0 ** k:.{max(0, -k)}f}"
    return "1" if k == 0 else f"10{superscript(str(k).replace('-', MINUS))}"


def _even(n: int) -> tuple[float, ...]:
    """n places spread evenly with half a step free at each end."""
    return tuple((i + 0.5) / n for i in range(n))
