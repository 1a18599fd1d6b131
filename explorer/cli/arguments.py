"""Parsing of command-line values: points, ranges, NAME=VALUE pairs; negatives where people write them."""
from __future__ import annotations

import argparse
import math
import os
import sys

import numpy as np

from explorer.core.expression import ERRORS, glued_name_hint


class UsageError(Exception):
    """Bad command-line input: reported as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse that reports errors as one line and never abbreviates options."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message):
        raise UsageError(message)


def protect_negatives(argv: list[str], option_strings: set[str]) -> list[str]:
    """Let '-x**2' or '--at -1,2' through argparse, which takes anything starting with '-' for an option.

    A token that starts with '-' but is not one of our options gets a leading blank: argparse
    then treats it as a value, and the value parsers strip the blank again.
    """
    out = []
    for token in argv:
        is_option = token in option_strings or token.split("=", 1)[0] in option_strings
        if token.startswith("-") and token != "--" and not is_option:
            token = " " + token
        out.append(token)
    return out


def number(text: str, what: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise UsageError(f"{what}: '{text.strip()}' is not a number") from None
    if not math.isfinite(value):
        raise UsageError(f"{what}: {text.strip()} is not a finite number")
    return value


def tolerance(text: str) -> float:
    """--tolerance T (converged when |∇f| <= T): a finite number, zero or more, for every command."""
    value = number(text, "--tolerance")
    if value < 0:
        raise UsageError(f"--tolerance must be zero or positive; got {value:g}")
    return value


def whole_number(text: str, what: str, low: int, high: int) -> int:
    """A whole number in [low, high], or a UsageError naming the option."""
    try:
        value = int(text.strip())
    except ValueError:
        raise UsageError(f"{what} needs a whole number; got '{text.strip()}'") from None
    if not low <= value <= high:
        raise UsageError(f"{what} must be between {low} and {high}; got {value}")
    return value


def point(text: str, what: str, sizes: tuple[int, ...] = (2,)) -> list[float]:
    """'1,-2' -> [1.0, -2.0]; the count must be one of `sizes`."""
    parts = [p for p in text.strip().split(",")]
    if len(parts) not in sizes or any(not p.strip() for p in parts):
        want = " or ".join(f"{n} numbers" for n in sizes)
        raise UsageError(f"{what} needs {want} separated by commas, like {','.join(['1', '-2', '0.5'][:sizes[0]])}; "
                         f"got '{text.strip()}'")
    return [number(p, what) for p in parts]


def interval(text: str, what: str) -> tuple[float, float]:
    """'-5:5' -> (-5.0, 5.0) with A < B."""
    parts = text.strip().split(":")
    if len(parts) != 2:
        raise UsageError(f"{what} needs a range A:B, like -5:5; got '{text.strip()}'")
    lo, hi = number(parts[0], what), number(parts[1], what)
    if not lo < hi:
        raise UsageError(f"{what}: the range {lo:g}:{hi:g} is empty (A must be less than B)")
    if not math.isfinite(hi - lo):  # its points would be spaced by inf: nan and inf coordinates
        raise UsageError(f"{what}: the range {lo:g}:{hi:g} is too wide (B - A must be a finite number)")
    return lo, hi


def axis(bounds: tuple[float, float], n: int, what: str) -> np.ndarray:
    """n evenly spaced points from A to B, every one of them a finite number."""
    with np.errstate(**ERRORS):
        points = np.linspace(*bounds, n)
    if not (np.all(np.isfinite(points)) and np.all(np.diff(points) > 0)):
        lo, hi = bounds
        raise UsageError(f"{what}: {n} points from {lo:.17g} to {hi:.17g} are not distinct finite numbers")
    return points


def grid_axes(args, max_n: int) -> tuple[np.ndarray, np.ndarray]:
    """The axes of the N×N grid that --x A:B, --y C:D and -n N ask for (grid, basins)."""
    xr, yr = interval(args.x, "--x"), interval(args.y, "--y")
    n = whole_number(args.n, "-n", 2, max_n)
    return axis(xr, n, "--x"), axis(yr, n, "--y")


def check_out_folder(out: str) -> None:
    """--out must name a file in a folder that exists (checked before any work)."""
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise UsageError(f"--out: '{folder}' is not a folder" if os.path.exists(folder)
                         else f"--out: the folder '{folder}' does not exist")


def assignments(items: list[str] | None, what: str) -> dict[str, float]:
    """['a=1', 'b=-2'] -> {'a': 1.0, 'b': -2.0}."""
    out = {}
    for item in items or []:
        name, sep, value = item.strip().partition("=")
        if not sep or not name.strip():
            raise UsageError(f"{what} needs NAME=VALUE, like a=1; got '{item.strip()}'")
        out[name.strip()] = number(value, f"{what} {name.strip()}")
    return out


def parameters_for(expression, items: list[str] | None) -> dict[str, float]:
    """The --param values, checked against the expression's parameters."""
    params = assignments(items, "--param")
    for name in expression.parameters:
        if name not in params:
            hint = glued_name_hint(name, expression.variables)  # 'xy' is more often x*y than a parameter
            also = f"; did you mean {hint}?" if hint else ""
            raise UsageError(f"the expression has a parameter '{name}': give its value with --param {name}=VALUE"
                             + also)
    for name in params:
        if name not in expression.parameters:
            raise UsageError(f"--param {name}: the expression has no parameter '{name}'")
    return params


def add_params_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--param", action="append", metavar="NAME=VALUE",
                        help="value of a parameter in the expression (repeatable)")


_HELD: list[str] = []   # the command's warnings: said once it has succeeded, never before its one-line error


def warn(message: str) -> None:
    _HELD.append(f"landscape-explorer: {message}")


def say_warnings(succeeded: bool) -> None:
    """Print the warnings held so far if the command succeeded; forget them either way."""
    lines, _HELD[:] = list(_HELD), []
    for line in lines if succeeded else ():
        print(line, file=sys.stderr)
