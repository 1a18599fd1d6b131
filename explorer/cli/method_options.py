"""--method, --lr, --momentum, --set, --schedule, --batch and --tolerance of the optimizer commands (run,
export, basins and a fit's run): the names and settings checked, each method with the ones it has."""
from __future__ import annotations

from explorer.cli.arguments import UsageError, assignments, number, tolerance as tolerance_of, warn, whole_number
from explorer.core.batches import MAX_SEED
from explorer.core.methods import ALL_METHODS, LEAST_SQUARES, METHODS, no_batches, no_schedule
from explorer.core.run_spec import MAX_BATCH
from explorer.core.schedules import SCHEDULES, WARMUP, Schedule, ScheduleError, make_schedule

GRADIENT_TOLERANCE = "1e-6"   # --tolerance of f and L (a field's Newton–Raphson: field_newton.ROOT_TOLERANCE)
SCHEDULE_PREFIX = "schedule."
OWN_OPTIONS = ("eps", "memory", "radius", "max_radius")   # settings with an option of their own (run, sweep)


def _option(key: str) -> str:
    return "--" + key.replace("_", "-")


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
    for key in OWN_OPTIONS:
        text = getattr(args, key, None)
        if text is not None:
            wanted[key] = number(text, _option(key))
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
            option = _option(key) if key in ("lr", "momentum", *OWN_OPTIONS) else f"--set {key}"
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
