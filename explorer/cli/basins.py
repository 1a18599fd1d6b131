"""`landscape-explorer basins`: where a method ends from every start of a grid, saved as .npz or .png."""
from __future__ import annotations

import os

import numpy as np

from explorer.cli.arguments import (UsageError, add_params_option, check_out_folder, grid_axes,
                                    parameters_for, tolerance as tolerance_of, whole_number)
from explorer.cli.basins_picture import picture
from explorer.cli.limits import MAX_STEPS
from explorer.cli.method_options import method_settings
from explorer.core.basins import METHODS, BasinMap, basins
from explorer.core.expression import parse
from explorer.core.files import AtomicWrite

MAX_N = 1000   # starts per axis: each one a whole run


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "basins", help="where a method ends from every start of a grid (.npz arrays or a .png picture)",
        description="Run one optimizer from every start of an N×N grid (all starts at once) and say where each "
                    "ends: which minimum, saddle point or maximum, or none (diverged, stopped at the step limit, "
                    "failed). The .npz holds x (N,), y (N,), label (N, N) with label[i, j] for the start "
                    "(x[i], y[j]) — rows follow x, as in the grid command's arrays — an index into ends (K, 2) "
                    "and kinds (K,) (minimum, saddle, maximum, degenerate), or -1 for none; outcome (N, N) "
                    "indexes outcomes (why each start stopped). The .png shows a colour per end (the window's), white "
                    f"for none, x to the right and y up with their ticks, the ends marked, a key and a title. Methods: {', '.join(METHODS)}.")
    p.add_argument("expression", metavar="EXPR")
    p.add_argument("--method", required=True, metavar="NAME", help=f"one of {', '.join(METHODS)}")
    p.add_argument("--lr", metavar="V", help="learning rate of the methods that have one")
    p.add_argument("--momentum", metavar="B", help="momentum β of momentum and nesterov")
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="any other hyperparameter, e.g. --set beta2=0.99 (repeatable)")
    p.add_argument("--steps", default="300", metavar="S", help=f"most steps per start (default 300, at most "
                                                               f"{MAX_STEPS})")
    p.add_argument("--tolerance", default="1e-6", metavar="T", help="converged when |∇f| <= T (default 1e-6)")
    p.add_argument("--x", required=True, metavar="A:B", help="x range of the starts, e.g. --x -5:5")
    p.add_argument("--y", required=True, metavar="C:D", help="y range of the starts")
    p.add_argument("-n", default="200", metavar="N", help=f"starts per axis (2 to {MAX_N}; default 200)")
    add_params_option(p)
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.npz for the arrays, FILE.png for the picture")
    p.set_defaults(run=run)


def run(args) -> int:
    x, y = grid_axes(args, MAX_N)
    out = args.out.strip()
    kind = os.path.splitext(out)[1].lower()
    if kind not in (".npz", ".png"):
        raise UsageError(f"--out must name a .npz or .png file; got '{out}'")
    check_out_folder(out)
    method = args.method.strip()
    if method not in METHODS:
        raise UsageError(f"--method: '{method}' has no basins here (choose from {', '.join(METHODS)})")
    steps = whole_number(args.steps, "--steps", 0, MAX_STEPS)
    tolerance = tolerance_of(args.tolerance)
    expression = parse(args.expression.strip(), ("x", "y"))
    params = parameters_for(expression, args.param)
    settings = method_settings([method], args)[0][1]
    # the temporary comes first: an unwritable --out fails before the work, an interrupted run leaves nothing
    with AtomicWrite(out) as w:
        try:
            bmap = basins(expression, method, x, y, params=params, settings=settings, max_steps=steps,
                          tolerance=tolerance)
        except ValueError as err:
            raise UsageError(str(err)) from None
        if kind == ".npz":
            with open(w.path, "wb") as fh:
                np.savez(fh, expression=np.array(expression.text), method=np.array(method), **bmap.arrays())
        else:
            picture(bmap, f"where {method} ends · f = {expression.text}").save(w.path, format="PNG")
    print(summary(bmap))
    return 0


def summary(bmap: BasinMap) -> str:
    """The ends found, one line each, and the starts that found none."""
    settings = ", ".join(f"{k}={v:g}" for k, v in bmap.settings.items())
    lines = [f"{bmap.method} ({settings}): {bmap.label.size} starts, {len(bmap.ends)} end"
             + ("" if len(bmap.ends) == 1 else "s"),
             f"{'end':>4}  {'kind':<10} {'x':>11} {'y':>11} {'f':>12} {'starts':>8}"]
    for k, (end, kind) in enumerate(zip(bmap.ends, bmap.kinds)):
        lines.append(f"{k:>4}  {kind:<10} {end[0]:>11.6g} {end[1]:>11.6g} {bmap.end_values[k]:>12.6g} "
                     f"{bmap.counts[k]:>8}")
    none = bmap.unfinished()
    if none:
        lines.append(f"{-1:>4}  {'none':<10} " + ", ".join(f"{why}: {count}" for why, count in none.items()))
    return "\n".join(lines)
