"""`landscape-explorer run`: optimizer paths from a start point, with what each step explains.

Training options of the first-order methods (gd, momentum, nesterov, rmsprop, adam): `--batch K` (a fit's
mini-batches of K rows, shuffled by `--seed`) and `--schedule NAME` (a learning-rate schedule, on a function
too). `--set NAME=VALUE` gives a setting to the schedule when the schedule has it and to the methods when
they have it; `--set schedule.NAME=VALUE` always means the schedule's (RMSProp's `decay` and inverse-time's
share a name: there, plain `decay` stays RMSProp's).
"""
from __future__ import annotations

from explorer.cli.arguments import (UsageError, add_params_option, assignments, number, parameters_for, point,
                                    tolerance as tolerance_of, warn, whole_number)
from explorer.cli import field_commands
from explorer.cli import fit_commands
from explorer.cli.output import json_text
from explorer.core.batches import MAX_SEED
from explorer.core.expression import parse
from explorer.core.objective import Objective
from explorer.core.optimizers import ALL_METHODS, FIRST_ORDER, LEAST_SQUARES, METHODS, no_batches, no_schedule
from explorer.core.run_spec import MAX_BATCH
from explorer.core.schedules import SCHEDULES, WARMUP, Schedule, ScheduleError, make_schedule
from explorer.core.trajectory import race

MAX_STEPS = 100_000
GRADIENT_TOLERANCE = "1e-6"   # --tolerance of f and L (a field's Newton–Raphson: field_newton.ROOT_TOLERANCE)
SCHEDULE_PREFIX = "schedule."
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
    p.add_argument("--method", required=True, metavar="NAME[,NAME...]",
                   help=f"one or more of {', '.join(METHODS)}; with --residual also {least}")
    p.add_argument("--start", required=True, metavar="X,Y", help="start point, e.g. --start -1.2,1")
    p.add_argument("--steps", default="100", metavar="N", help="most steps per run (default 100)")
    p.add_argument("--lr", metavar="V", help="learning rate of the methods that have one")
    p.add_argument("--momentum", metavar="B", help="momentum β of momentum and nesterov")
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="any other hyperparameter, e.g. --set beta2=0.99, or a setting of --schedule, e.g. "
                        "--set period=200 or --set warmup=10 (--set schedule.decay=V: the schedule's, where a "
                        "method has a setting of that name) (repeatable)")
    p.add_argument("--tolerance", metavar="T", help="converged when |∇f| <= T (default 1e-6); for a field's "
                                                    "Newton–Raphson, a root when |F| <= T (default 1e-10)")
    add_params_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
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
    fit_commands.add_options(p)
    p.set_defaults(run=run)


def method_names(text: str, residual: bool | None = None) -> list[str]:
    """The --method names, checked: `residual` None on a function, False/True on a fit given by --loss/--residual."""
    names = [n.strip() for n in text.split(",")]
    for n in names:
        if n in LEAST_SQUARES and not residual:
            where = "instead of --loss" if residual is False else "with --data FILE.csv or --dataset NAME"
            raise UsageError(f"--method {n} fits residuals: give --residual EXPR (the loss is then the mean of "
                             f"EXPR² over the rows) {where}")
        if n not in ALL_METHODS:
            choices = ", ".join(ALL_METHODS if residual else METHODS)
            sgd = "; SGD is --method gd --batch 1 on a fit of data" if n.lower() == "sgd" else ""
            raise UsageError(f"--method: unknown method '{n}' (choose from {choices}){sgd}")
    return names


def settings_and_schedule(names: list[str], args) -> tuple[list[tuple[str, dict]], Schedule | None, str]:
    """Each method with the settings that apply to it, the schedule (None without one) and the option
    that asked for it; a setting that neither a method nor the schedule has is an error."""
    wanted = assignments(args.set, "--set")
    if args.lr is not None:
        wanted["lr"] = number(args.lr, "--lr")
    if args.momentum is not None:
        wanted["momentum"] = number(args.momentum, "--momentum")
    has = {key for n in names for key in ALL_METHODS[n].hyperparameters()}
    name = getattr(args, "schedule", None)
    name = None if name is None else name.strip()
    if name is not None and name not in SCHEDULES:
        raise UsageError(f"--schedule: unknown schedule '{name}' (choose from {', '.join(SCHEDULES)})")
    scheduling = hasattr(args, "schedule")   # run has schedules; export and basins do not
    schedule_keys = set(SCHEDULES[name or "constant"]) | {WARMUP} if scheduling else set()
    chosen, asked = {}, f"--schedule {name}" if name else None
    for key in list(wanted):
        own = key[len(SCHEDULE_PREFIX):] if scheduling and key.startswith(SCHEDULE_PREFIX) else None
        if own is not None or (key in schedule_keys and key not in has):
            own = key if own is None else own
            if own not in schedule_keys:
                raise UsageError(_no_schedule_setting(key, own, name))
            chosen[own] = wanted.pop(key)
            asked = asked or f"--set {key}"
        elif key in schedule_keys and name is not None:   # both have it: plain NAME is the method's
            users = ", ".join(n for n in names if key in ALL_METHODS[n].hyperparameters())
            warn(f"--set {key}={wanted[key]:g} is {users}'s {key}; the {name} schedule's is "
                 f"--set {SCHEDULE_PREFIX}{key}=VALUE")
    for key in wanted:
        if key not in has:
            option = f"--{key}" if key in ("lr", "momentum") else f"--set {key}"
            owners = [s for s, keys in SCHEDULES.items() if key in keys]
            if name is not None:
                also = f", nor has the {name} schedule (it has {', '.join(list(SCHEDULES[name]) + [WARMUP])})"
            else:
                also = f"; it is a setting of the {owners[0]} schedule: give --schedule {owners[0]}" if owners else ""
            raise UsageError(f"{option}: none of {', '.join(names)} has a setting '{key}'{also}")
    methods = [(n, {k: v for k, v in wanted.items() if k in ALL_METHODS[n].hyperparameters()}) for n in names]
    if asked is None:
        return methods, None, ""
    try:
        schedule = make_schedule(name or "constant", **chosen)
    except ScheduleError as err:
        raise UsageError(f"{asked}: {err}") from None
    return methods, schedule, asked


def _no_schedule_setting(key: str, own: str, name: str | None) -> str:
    if name is None:
        owners = [s for s, keys in SCHEDULES.items() if own in keys]
        which = f" (--schedule {owners[0]} has it)" if owners else f" (the schedules: {', '.join(SCHEDULES)})"
        return f"--set {key}: give --schedule NAME too{which}"
    return (f"--set {key}: the {name} schedule has no setting '{own}' "
            f"(it has {', '.join(list(SCHEDULES[name]) + [WARMUP])})")


def method_settings(names: list[str], args) -> list[tuple[str, dict]]:
    """Each method with the settings that apply to it (export and basins: no schedule)."""
    return settings_and_schedule(names, args)[0]


def training(names: list[str], args, data: bool) -> list[tuple[str, dict]]:
    """(method, settings) for `race`: each method's hyperparameters, and the mini-batch, seed and schedule
    that the first-order ones take; `data` when the run fits rows."""
    extra = {}
    if args.batch is not None:
        if not data:
            raise UsageError(f"--batch needs data: {', '.join(names)} on a function f(x, y) has no rows to batch "
                             "(fit --loss or --residual over --data FILE.csv or --dataset NAME)")
        refused = next(filter(None, map(no_batches, names)), None)
        if refused:
            raise UsageError(f"--batch: {refused}")
        seed = 0 if args.seed is None else whole_number(args.seed, "--seed", 0, MAX_SEED)
        extra.update(batch=whole_number(args.batch, "--batch", 1, MAX_BATCH), seed=seed)
    methods, schedule, asked = settings_and_schedule(names, args)
    if schedule is not None and not schedule.is_constant:   # a constant rate is every method's own
        refused = next(filter(None, map(no_schedule, names)), None)
        if refused:
            raise UsageError(f"{asked}: {refused}")
        extra["schedule"] = schedule
    return [(n, {**s, **extra}) for n, s in methods]


def gradient_tolerance(args) -> float:
    """--tolerance for |∇f| or |∇L|: as given, or 1e-6."""
    return tolerance_of(GRADIENT_TOLERANCE if args.tolerance is None else args.tolerance)


def run(args) -> int:
    if args.batch is not None and args.expression is not None and args.loss is None and args.residual is None:
        training([n.strip() for n in args.method.split(",")], args, data=False)   # refused: no rows
    if fit_commands.is_fit(args):  # --loss or --residual averaged over --data or --dataset
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
        print("\n\n".join(table(r) for r in runs))
    return 0


def header(r) -> str:
    """'gd (lr=0.1; mini-batch 8 of 50 rows, seed 3; schedule cosine (lr_min 0, period 200)): <outcome>'."""
    parts = [", ".join(f"{k}={v:g}" for k, v in r.optimizer.settings().items())]
    plan, schedule = r.optimizer.batches, r.optimizer.schedule
    if plan is not None:
        parts.append(f"{plan.describe()} of {plan.rows} rows, seed {plan.seed}")
    if not schedule.is_constant:
        parts.append(f"schedule {schedule.describe()}")
    return f"{r.method} ({'; '.join(parts)}): {r.summary}" + (f" — {r.reason}" if r.reason else "")


def table(r, names: tuple[str, ...] = ("x", "y"), value: str = "f") -> str:
    """A run as text: one line per state, one column per coordinate; each line after the first also says
    what the step into it did, with its learning rate and (mini-batches) epoch."""
    has_lr, batched = "lr" in r.optimizer.settings(), r.batched
    lines = [header(r),
             f"{'k':>5} " + " ".join(f"{n:>12}" for n in names) + f" {value:>13} {'|step|':>10}"
             + (f" {'lr':>10}" if has_lr else "") + (f" {'epoch':>6}" if batched else "")
             + f" {'linear':>11} {'quadratic':>11} {'actual':>11}  class"]
    for k, s in enumerate(r.states):
        row = f"{k:>5} " + " ".join(f"{c:>12.6g}" for c in s.point) + f" {s.value:>13.6g}"
        if k:
            rec = r.records[k - 1]
            row += (f" {rec.length:>10.4g}" + (f" {rec.lr:>10.4g}" if has_lr else "")
                    + (f" {rec.epoch + 1:>6}" if batched else "")
                    + f" {rec.predicted_linear:>11.4g} {rec.predicted_quadratic:>11.4g} {rec.actual:>11.4g}"
                    f"  {rec.classification}" + (f"  ↑ {value} increased" if rec.uphill else ""))
        lines.append(row)
    return "\n".join(lines)
