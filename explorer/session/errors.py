"""A command the session refuses, and the check of a point every command that takes one makes."""
from __future__ import annotations

import math

from explorer.core.scene import MAX_COORDINATE


class SessionError(ValueError):
    """A command that cannot be carried out; the message says why, in one line."""


def checked_point(point, what: str = "a start point") -> tuple[float, float]:
    try:
        x, y = (float(v) for v in point)
    except (TypeError, ValueError):
        raise SessionError(f"{what} needs two numbers x, y") from None
    if not all(math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in (x, y)):
        raise SessionError(f"{what} must be finite and within ±{MAX_COORDINATE:,.0f}")
    return x, y


class FitCommandError(SessionError):
    """A fit the session refuses; `field` names the part at fault (data, train, loss, model, axes, held)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def checked_vector(point, size: int, names, what: str = "a start point") -> tuple[float, ...]:
    """`size` finite numbers within the coordinate limit, one per name in `names`."""
    try:
        values = tuple(float(v) for v in point)
    except (TypeError, ValueError):
        values = ()
    if len(values) != size:
        example = ", ".join(["0"] * size)
        raise SessionError(f"{what} needs {size} numbers, one per trained parameter ({', '.join(names)}), "
                           f"like {example}")
    if not all(math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in values):
        raise SessionError(f"{what} must be finite and within ±{MAX_COORDINATE:,.0f}")
    return values
