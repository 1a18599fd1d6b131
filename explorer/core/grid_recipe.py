"""Which recipe a curvature map of f takes: forward mode on a column of x and a row of y, or reverse mode
on whole blocks (explorer.core.calculus.SurfaceCalculus), chosen once per f from a trace of its
operations and a table of what each costs; and the forward-mode derivative both recipes' tests use.
Either recipe gives the same numbers to rounding; the choice is only about speed.
"""
from __future__ import annotations

import autograd.tracer
import numpy as np
from autograd.core import JVPNode, primitive_jvps
from autograd.tracer import Node, isbox, new_box

from explorer.core.expression import ERRORS


def jvp(fun, x, tangent):
    """fun(x) and its derivative along `tangent` (autograd's forward mode); the derivative is
    0.0 when fun(x) does not depend on x (autograd's make_jvp would warn)."""
    with autograd.tracer.trace_stack.new_trace() as trace:  # looked up per call: per thread
        start = new_box(x, trace, JVPNode.new_root(tangent))
        end = fun(start)
        if isbox(end) and end._trace == start._trace:
            return end._value, end._node.g
        return end, np.float64(0.0)


# What one operation of f adds to a curvature map at N = 400, in ms as measured on the development
# machine (only their ratios matter): (reverse recipe, forward recipe where the result covers the
# whole grid, forward recipe where it is a row, a column or a number). Keyed by the primitive's name,
# with for binary ones which arguments depend on x or y: "both", "one" (or "first" / "second" where
# it matters), or "meet" (a row meets a column: x*y, y - x², the first result over the whole grid).
# Forward mode pays about twice reverse mode for a costly function over the whole grid (its three
# passes re-evaluate it), almost nothing for one of x alone or y alone. Checked against measured maps
# of 32 expressions (the benchmark's, the presets', trigonometric ones of x and y together): it picked
# the faster recipe for all 32; the closest calls (Himmelblau, exp(sin(xy))/(1 + x²)) differ by ~5%.
_COSTS = {
    ("add", "both"): (0.6, 2.5, 0.2), ("add", "one"): (0.0, 0.2, 0.1),
    ("subtract", "both"): (0.9, 3.0, 0.2), ("subtract", "one"): (0.4, 1.0, 0.15),
    ("multiply", "both"): (5.0, 5.5, 0.4), ("multiply", "one"): (0.3, 0.9, 0.1),
    ("divide", "both"): (8.0, 10.3, 1.0), ("divide", "first"): (0.4, 1.2, 0.1),
    ("divide", "second"): (3.9, 4.8, 0.6),
    ("power", "both"): (16.7, 22.4, 1.0), ("power", "first"): (4.0, 5.3, 0.9), ("power", "second"): (4.9, 5.7, 1.0),
    ("minimum", "both"): (2.5, 7.4, 0.3), ("maximum", "both"): (2.5, 7.4, 0.3),
    ("minimum", "one"): (1.5, 4.0, 0.3), ("maximum", "one"): (1.5, 4.0, 0.3),
    "square": (2.3, 2.2, 0.5), "negative": (0.7, 1.2, 0.4), "absolute": (5.9, 8.0, 0.8), "fabs": (5.9, 8.0, 0.8),
    "sin": (5.1, 11.0, 0.7), "cos": (6.0, 12.0, 0.9), "tan": (6.3, 12.0, 1.0),
    "arcsin": (4.9, 7.6, 0.9), "arccos": (5.3, 8.3, 0.9), "arctan": (3.4, 4.7, 0.7),
    "sinh": (2.8, 4.1, 0.7), "cosh": (3.0, 4.3, 0.8), "tanh": (4.9, 7.0, 1.0),
    "exp": (2.4, 2.3, 0.4), "log": (2.6, 2.7, 0.5), "log10": (2.7, 3.9, 0.7), "sqrt": (3.7, 6.6, 0.6),
    ("add", "meet"): (0.2, 1.0, 0.0), ("subtract", "meet"): (0.25, 1.0, 0.0), ("multiply", "meet"): (0.95, 0.6, 0.0),
    ("divide", "meet"): (4.6, 2.7, 0.0), ("power", "meet"): (11.9, 6.3, 0.0),
    ("minimum", "meet"): (1.5, 3.7, 0.0), ("maximum", "meet"): (1.5, 3.7, 0.0),
}
_UNKNOWN_COST = (3.0, 6.0, 0.7)
_FULL = (2, 3)   # the probe's grid
_FIXED_COSTS = (6.4, 3.6)   # (reverse, forward): a map of f = x


class _OperationLog(Node):
    """A trace node that only writes down which primitive made it, from which arguments, and its shape."""

    __slots__ = ["log", "shape"]

    def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
        self.log, self.shape = parents[0].log, np.shape(value)
        self.log.append((getattr(fun, "__name__", ""), tuple(parent_argnums), self.shape,
                         tuple(p.shape for p in parents)))
        if fun not in primitive_jvps:   # no forward mode for it: the reverse recipe it must be
            raise NotImplementedError(f"no JVP for {getattr(fun, '__name__', fun)}")

    def initialize_root(self, log, shape):
        self.log, self.shape = log, shape


def operations(fn) -> list[tuple[str, tuple[int, ...], tuple[int, ...], tuple[tuple[int, ...], ...]]]:
    """(primitive name, argument numbers that depend on x or y, result shape, their shapes) of each operation of
    fn(x, y) on a 2×1 column x and a 1×3 row y: (2, 3) is the whole grid, anything else a row, a
    column or a number. Operations on constants alone are not listed (they cost nothing)."""
    log = []
    with autograd.tracer.trace_stack.new_trace() as trace, np.errstate(**ERRORS):
        x = new_box(np.array([[0.3], [0.7]]), trace, _OperationLog.new_root(log, (2, 1)))
        y = new_box(np.array([[0.2, 0.5, 0.9]]), trace, _OperationLog.new_root(log, (1, 3)))
        fn(x, y)
    return log


def recipe_costs(fn) -> tuple[float, float]:
    """Estimated (reverse, forward) cost of a curvature map of fn, from `operations` and `_COSTS`."""
    reverse, forward = _FIXED_COSTS
    for name, argnums, shape, inputs in operations(fn):
        which = "both" if len(argnums) > 1 else ("first" if argnums == (0,) else "second")
        if shape == _FULL and _FULL not in inputs:
            which = "meet"   # where a row meets a column: x*y, y - x²
        costs = (_COSTS.get((name, which)) or _COSTS.get((name, "both" if which == "meet" else "one"))
                 or _COSTS.get(name, _UNKNOWN_COST))
        reverse += costs[0]
        forward += costs[1] if shape == _FULL else costs[2]
    return reverse, forward


def forward_is_cheaper(fn) -> bool:
    """Whether `_forward_block` is expected to beat `_reverse_block` for fn(x, y)."""
    try:
        reverse, forward = recipe_costs(fn)
    except Exception:   # noqa: BLE001 - an f that cannot be traced this way, or has an operation
        return False    # without a forward-mode rule, keeps the reverse recipe
    return forward <= reverse
