"""`landscape-explorer run`: optimizer paths from a start point, with what each step explains.

Training options of the first-order methods (gd, momentum, nesterov, rmsprop, adagrad, adam): `--batch K` (a fit's
mini-batches of K rows, shuffled by `--seed`) and `--schedule NAME` (a learning-rate schedule, on a function
too). `--set NAME=VALUE` gives a setting to the schedule when the schedule has it and to the methods when
they have it; `--set schedule.NAME=VALUE` always means the schedule's (RMSProp's `decay` and inverse-time's
share a name: there, plain `decay` stays RMSProp's).
"""
from __future__ import annotations

from explorer.cli import field_commands
from explorer.cli import fit_commands
from explorer.cli import model_commands
from explorer.cli import sharpness_option
from explorer.cli.arguments import UsageError, add_params_option, parameters_for, point, whole_number
from explorer.cli.limits import MAX_STEPS
from explorer.cli.method_options import gradient_tolerance, method_names, training
from explorer.cli.output import json_text
from explorer.cli.tables import run_table
from explorer.core.expression import parse
from explorer.core.objective import Objective
from explorer.core.methods import FIRST_ORDER, LEAST_SQUARES, METHODS
from explorer.core.trajectory import race

_SCHEDULE_FORMS = {"constant": "lr₀", "exponential": "lr₀·gamma^t", "step": "lr₀·drop^floor(t/every)",
                   "inverse-time": "lr₀/(1 + decay·t)",
                   "cosine": "lr_min + ½(lr₀ − lr_min)(1 + cos(π·min(t, period)/period))"}


def add_parser(subparsers) -> None:
    least = ", ".join(LEAST_SQUARES)
    p = subparsers.add_parser("run", help="run optimizers from a start point and print their paths",
                              description="Run one or more optimizers from the same start on f(x, y), or on the "
                                          f"loss of a fit of data. Methods: {', '.join(METHODS)}; on a fit given "
                                          f"with --residual also {least}.")
    p.add_argument("expression", metavar="EXPR", nargs="?")
    p.add_argument("--start", metavar="X,Y", help="start point, e.g. --start -1.2,1; for a fit, one number per "
                                                  "trained parameter, or random: each ~ N(0, 1), drawn by "
                                                  "--start-seed (a --model starts from its initialisation: "
                                                  "--init-seed)")
    p.add_argument("--start-seed", metavar="S", help="the seed of --start random (default 0): the same seed, the "
                                                      "same start")
    add_method_options(p)
    add_params_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    fit_commands.add_options(p)
    model_commands.add_options(p)
    sharpness_option.add_option(p)
    p.set_defaults(run=run)


def add_method_options(p) -> None:
    """--method, --steps, --lr, --momentum, --set, --tolerance, --batch and --schedule (run and sweep)."""
    least = ", ".join(LEAST_SQUARES)
    p.add_argument("--method", required=True, metavar="NAME[,NAME...]",
                   help=f"one or more of {', '.join(METHODS)}; with --residual also {least}")
    p.add_argument("--steps", default="100", metavar="N", help="most steps per run (default 100)")
    p.add_argument("--lr", metavar="V", help="learning rate of the methods that have one")
    p.add_argument("--momentum", metavar="B", help="momentum β of momentum and nesterov")
    p.add_argument("--eps", metavar="E", help="ε of rmsprop, adagrad and adam (x −= lr·g/(√s + ε))")
    p.add_argument("--memory", metavar="M", help="the pairs (s, y) l-bfgs keeps (a whole number >= 1; default 10)")
    p.add_argument("--radius", metavar="R", help="the trust region's first radius (default 1)")
    p.add_argument("--max-radius", metavar="R", help="the largest radius the trust region grows to (default 100)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="any other hyperparameter, e.g. --set beta2=0.99, or a setting of --schedule, e.g. "
                        "--set period=200 or --set warmup=10 (--set schedule.decay=V: the schedule's, where a "
                        "method has a setting of that name) (repeatable)")
    p.add_argument("--tolerance", metavar="T", help="converged when |∇f| <= T (default 1e-6); for a field's "
                                                    "Newton–Raphson, a root when |F| <= T (default 1e-10)")
    first = ", ".join(FIRST_ORDER)
    group = p.add_argument_group("training", f"for the first-order methods ({first})")
    group.add_argument("--batch", metavar="K",
                       help="a fit's mini-batches: each step follows the mean gradient of K rows; every epoch "
                            "reshuffles the rows by --seed (default: every row; --batch 1 is SGD)")
    group.add_argument("--schedule", metavar="NAME",
                       help="the learning rate of step t (t = 0, 1, ...; lr₀ = --lr): "
                            + "; ".join(f"{n} {f}" for n, f in _SCHEDULE_FORMS.items())
                            + "; settings with --set, e.g. --set period=200, and --set warmup=W: the rate "
                              "times min(1, (t + 1)/W)")


def run(args) -> int:
    sharpness_option.asked(args)   # --sharpness: only with --model
    if model_commands.is_model(args):   # --model trained on --dataset or --data
        return model_commands.run(args)
    if args.start is None:
        raise UsageError("the following arguments are required: --start")
    if args.batch is not None and args.expression is not None and args.loss is None and args.residual is None:
        training([n.strip() for n in args.method.split(",")], args, data=False)   # refused: no rows
    fit = fit_commands.is_fit(args)   # --loss or --residual averaged over --data or --dataset
    fit_commands.check_start(args, fit)
    if fit:
        return fit_commands.run(args)
    if field_commands.is_field_text(args.expression):  # '(u, v)': a field, solved by newton
        if args.schedule is not None:
            raise UsageError("--schedule: Newton–Raphson on a field has no learning rate to schedule")
        return field_commands.run_field(args)
    names = method_names(args.method)
    start = point(args.start, "--start")
    steps = whole_number(args.steps, "--steps", 0, MAX_STEPS)
    tolerance = gradient_tolerance(args)
    expression = parse(args.expression.strip(), ("x", "y"))
    objective = Objective(expression, parameters_for(expression, args.param))
    methods = training(names, args, data=False)
    try:
        runs = race(objective, start, methods, max_steps=steps, tolerance=tolerance)
    except ValueError as err:
        raise UsageError(str(err)) from None
    for r in runs:
        r.run_to_end()
    if args.json:
        print(json_text({"runs": [r.as_dict() for r in runs]}))
    else:
        print("\n\n".join(run_table(r) for r in runs))
    return 0
