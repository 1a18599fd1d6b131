"""`landscape-explorer grid`: the surface and its curvature arrays over a grid, saved as .npz."""
from __future__ import annotations

import numpy as np

from explorer.cli import field_commands, grid_directions, model_commands
from explorer.cli.arguments import UsageError, add_params_option, check_out_folder, grid_axes, parameters_for
from explorer.cli.limits import MAX_N
from explorer.core.calculus import SurfaceCalculus
from explorer.core.expression import parse
from explorer.core.files import AtomicWrite


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("grid", help="surface and curvature arrays over a grid, saved as .npz",
                              description="Compute z, the Hessian, its eigenvalues and the curvature classes "
                                          "on an N×N grid (z[i, j] = f(x[i], y[j])) and save them as .npz.")
    p.add_argument("expression", metavar="EXPR", nargs="?")
    p.add_argument("--x", metavar="A:B", help="x range, e.g. --x -5:5")
    p.add_argument("--y", metavar="C:D", help="y range")
    p.add_argument("-n", default="200", metavar="N", help=f"points per axis (2 to {MAX_N}; default 200)")
    add_params_option(p)
    p.add_argument("--out", required=True, metavar="FILE.npz")
    model_commands.add_options(p)   # a network's plane (explorer.cli.grid_directions)
    grid_directions.add_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    if grid_directions.wanted(args):   # --model ... --directions KIND: a network's loss over a plane
        return grid_directions.run(args)
    missing = [name for name, value in (("EXPR", args.expression), ("--x", args.x), ("--y", args.y)) if value is None]
    if missing:
        raise UsageError(f"the following arguments are required: {', '.join(missing)}")
    if field_commands.is_field_text(args.expression):  # '(u, v)': a field
        return field_commands.grid_field(args)
    x, y = grid_axes(args, MAX_N)
    out = args.out.strip()
    if not out.endswith(".npz"):
        raise UsageError(f"--out must name a .npz file; got '{out}'")
    check_out_folder(out)
    expression = parse(args.expression.strip(), ("x", "y"))
    params = parameters_for(expression, args.param)
    # the temporary comes first: an unwritable --out fails before the work, an interrupted run leaves nothing
    with AtomicWrite(out) as w:
        cmap = SurfaceCalculus(expression, params).curvature_map(x, y)
        with open(w.path, "wb") as fh:
            np.savez(fh, expression=np.array(expression.text), **cmap.arrays())
    return 0
