"""The checks a scene file's values go through, each raising one `SceneError` line that says where.

Shared by `explorer.core.scene` and the parts of a scene that belong to one kind of problem
(`field_scene`, `fit_scene`); `scene` re-exports the error classes and MAX_COORDINATE.
"""
from __future__ import annotations

import json
import math
from typing import Any

MAX_COORDINATE = 1e6


class SceneError(ValueError):
    """A scene that cannot be read or written; the message is one line starting 'scene file:'."""

    def __init__(self, message: str):
        self.message = "scene file: " + " ".join(str(message).splitlines())
        super().__init__(self.message)


class SceneCancelled(SceneError):
    """The person cancelled the check of a scene being opened: nothing was taken."""

    def __init__(self):
        super().__init__("opening cancelled")



def _check_keys(data: dict, required: tuple[str, ...], optional: tuple[str, ...], where: str) -> None:
    inside = f" in {where}" if where else ""
    for key in data:
        if key not in required and key not in optional:
            raise SceneError(f"unknown key {_show(key)}{inside}")
    for key in required:
        if key not in data:
            raise SceneError(f"missing key '{key}'{inside}")


def _show(value: Any) -> str:
    """A value as a person editing JSON would call it, short."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)} item{'' if len(value) == 1 else 's'}" if value else "an empty list"
    if isinstance(value, int) and abs(value) > 10**40:
        return "a number with more than 40 digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:36] + "...'"


def _finite(value: Any) -> float | None:
    """`value` as a float if it is a finite JSON number (true/false are not numbers), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _number(value: Any, where: str) -> float:
    number = _finite(value)
    if number is None:
        raise SceneError(f"'{where}' must be a finite number, not {_show(value)}")
    return number


def _positive(value: Any, where: str) -> float:
    number = _number(value, where)
    if not 0 < number <= MAX_COORDINATE:
        raise SceneError(f"'{where}' must be positive and at most {MAX_COORDINATE:,.0f}, not {_show(number)}")
    return number


def _whole(value: Any, where: str, low: float, high: float, wording: str | None = None) -> int:
    number = _finite(value)
    if number is None or not number.is_integer() or not low <= number <= high:
        wording = wording or f"a whole number between {low:g} and {high:g}"
        raise SceneError(f"'{where}' must be {wording}, not {_show(value)}")
    return int(number)


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise SceneError(f"'{where}' must be true or false, not {_show(value)}")
    return value


def _text(value: Any, where: str, longest: int | None = None) -> str:
    if not isinstance(value, str):
        raise SceneError(f"'{where}' must be text, not {_show(value)}")
    if longest is not None and len(value) > longest:
        raise SceneError(f"'{where}' is {len(value):,} characters long; at most {longest:,}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise SceneError(f"'{where}' is not valid text") from None
    return value


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise SceneError(f"'{where}' must be an object, not {_show(value)}")
    return value


def _number_map(value: Any, where: str) -> dict[str, float]:
    return {k: _number(v, f"{where}.{k}") for k, v in _object(value, where).items()}


def _point(value: Any, where: str, size: int) -> tuple[float, ...]:
    if not isinstance(value, (list, tuple)) or len(value) != size:
        raise SceneError(f"'{where}' must be a list of {size} numbers, not {_show(value)}")
    point = tuple(_number(v, where) for v in value)
    if any(abs(v) > MAX_COORDINATE for v in point):
        raise SceneError(f"'{where}' must lie within ±{MAX_COORDINATE:,.0f}, not {list(point)}")
    return point


def _range(value: Any, where: str) -> tuple[float, float]:
    low, high = _point(value, where, 2)
    if not low < high:
        raise SceneError(f"'{where}' must be [A, B] with A < B, not [{low:g}, {high:g}]")
    return low, high
