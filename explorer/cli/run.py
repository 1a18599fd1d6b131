"""`landscape-explorer run`: optimizer paths from a start point, with what each step explains."""
from __future__ import annotations

from explorer.cli.arguments import (UsageError, add_params_option, assignments, number, parameters_for, point,
                                    whole_number)
from explorer.cli import field_commands
from explorer.cli import fit_commands
from explorer.cli.output import json_text
from explorer.core.expression import parse
from explorer.core.objective import Objective
from explorer.core.optimizers import METHODS
from explorer.core.trajectory import race

MAX_STEPS = 100_000


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("run", help="run optimizers from a start point and print their paths",
                              description="Run one or more optimizers from the same start on f(x, y). "
                                          f"Methods: {', '.join(METHODS)}.")
    p.add_argument("expression", metavar="EXPR", nargs="?")
    p.add_argument("--method", required=True, metavar="NAME[,NAME...]", help=f"one or more of {', '.join(METHODS)}")
    p.add_argument("--start", required=True, metavar="X,Y", help="start point, e.g. --start -1.2,1")
    p.add_argument("--steps", default="100", metavar="N", help="most steps per run (default 100)")
    p.add_argument("--lr", metavar="V", help="learning rate of the methods that have one")
    p.add_argument("--momentum", metavar="B", help="momentum β of momentum and nesterov")
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="any other hyperparameter, e.g. --set beta2=0.99 (repeatable)")
    p.add_argument("--tolerance", default="1e-6", metavar="T", help="converged when |∇f| <= T (default 1e-6)")
    add_params_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    fit_commands.add_options(p)
    p.set_defaults(run=run)


def method_settings(names: list[str], args) -> list[tuple[str, dict]]:
    """Each method with the settings that apply to it; a setting no method has is an error."""
    wanted = assignments(args.set, "--set")
    if args.lr is not None:
        wanted["lr"] = number(args.lr, "--lr")
    if args.momentum is not None:
        wanted["momentum"] = number(args.momentum, "--momentum")
    for key in wanted:
        if not any(key in METHODS[n].hyperparameters() for n in names):
            option = f"--{key}" if key in ("lr", "momentum") else f"--set {key}"
            raise UsageError(f"{option}: none of {', '.join(names)} has a setting '{key}'")
    return [(n, {k: v for k, v in wanted.items() if k in METHODS[n].hyperparameters()}) for n in names]


def run(args) -> int:
    if fit_commands.is_fit(args):  # --loss averaged over --data or --dataset
        return fit_commands.run(args)
    if field_commands.is_field_text(args.expression):  # '(u, v)': a field, solved by newton
        return field_commands.run_field(args)
    names = [n.strip() for n in args.method.split(",")]
    for n in names:
        if n not in METHODS:
            raise UsageError(f"--method: unknown method '{n}' (choose from {', '.join(METHODS)})")
    start = point(args.start, "--start")
    steps = whole_number(args.steps, "--steps", 0, MAX_STEPS)
    tolerance = number(args.tolerance, "--tolerance")
    expression = parse(args.expression.strip(), ("x", "y"))
    objective = Objective(expression, parameters_for(expression, args.param))
    try:
        runs = race(objective, start, method_settings(names, args), max_steps=steps, tolerance=tolerance)
    except ValueError as err:
        raise UsageError(str(err)) from None
    for r in runs:
        r.run_to_end()
    if args.json:
        print(json_text({"runs": [r.as_dict() for r in runs]}))
    else:
        print("\n\n".join(table(r) for r in runs))
    return 0


def table(r) -> str:
    settings = ", ".join(f"{k}={v:g}" for k, v in r.optimizer.settings().items())
    lines = [f"{r.method} ({settings}): {r.summary}" + (f" — {r.reason}" if r.reason else ""),
             f"{'k':>5} {'x':>12} {'y':>12} {'f':>13} {'|step|':>10} {'linear':>11} {'quadratic':>11} "
             f"{'actual':>11}  class"]
    for k, s in enumerate(r.states):
        row = f"{k:>5} {s.point[0]:>12.6g} {s.point[1]:>12.6g} {s.value:>13.6g}"
        if k:
            rec = r.records[k - 1]
            row += (f" {rec.length:>10.4g} {rec.predicted_linear:>11.4g} {rec.predicted_quadratic:>11.4g} "
                    f"{rec.actual:>11.4g}  {rec.classification}" + ("  ↑ f increased" if rec.uphill else ""))
        lines.append(row)
    return "\n".join(lines)
