"""How a run reads in the table, the inspector and the captions: one wording everywhere."""
from __future__ import annotations

import math

from explorer.core.batches import whole
from explorer.core.methods import ALL_METHODS


def format_settings(settings: dict) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in settings.items())


def parse_settings(text: str) -> dict[str, float]:
    """'lr=0.01, momentum=0.9' -> {'lr': 0.01, 'momentum': 0.9}; ValueError says what is wrong."""
    out = {}
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"write settings as name=value, not '{part.strip()}'")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise ValueError(f"'{value.strip()}' is not a number") from None
    return out


def format_point(point) -> str:
    return ", ".join(f"{float(v):.6g}" for v in point)


def parse_point(text: str) -> tuple[float, float]:
    """'-1.2, 1' (or '-1.2 1', or '(-1.2, 1)') -> (-1.2, 1.0); ValueError says what is wrong."""
    parts = text.strip().strip("()").replace(",", " ").split()
    try:
        x, y = (float(p) for p in parts)
    except ValueError:
        raise ValueError(f"a point is two numbers x, y, like -1.2, 1; got '{text.strip()}'") from None
    return x, y


def stopped_here(run) -> bool:
    """Is the run shown at the state where it stopped?"""
    return run.finished and run.position == len(run.states) - 1


def run_status(run) -> tuple[str, str]:
    """(short text, tooltip) for the status column: the step (and a mini-batched run's epoch and batch), and
    the outcome once the run is there."""
    epoch = epoch_text(run, short=True)
    step = f"step {run.position}" + (f" · {epoch}" if epoch else "")
    extra = "".join(f"\n{line}" for line in (batch_text(run), lr_text(run)) if line)
    if stopped_here(run):
        return f"{step} · {run.summary}", run.reason + extra
    return step, ("running" if not run.finished else f"stops at step {len(run.states) - 1}") + extra


# ---------------------------------------------------------------- how a run trains: mini-batches, schedules
ALL_ROWS = "all"


def parse_batch(text: str) -> int | None:
    """'8' -> 8; '', 'all' or 'full' -> None (every row); ValueError says what is wrong."""
    word = text.strip().lower().split("(")[0].strip()   # '60 (all)': the number typed before
    if word in ("", ALL_ROWS, "full", "full batch"):
        return None
    try:
        value = whole(float(word), 1, math.inf)
    except ValueError:
        value = None
    if value is None:
        raise ValueError(f"batch: a whole number of rows, 1 or more (1 is SGD), or 'all' for the full batch; "
                         f"got '{text.strip()}'")
    return value


def parse_seed(text: str, most: int) -> int:
    """A seed typed in the table: a whole number 0 … `most`; ValueError says what is wrong."""
    try:
        value = whole(float(text.strip() or "0"), 0, most)
    except ValueError:
        value = None
    if value is None:
        raise ValueError(f"seed: a whole number from 0 to {most:,}; got '{text.strip()}'")
    return value


def batch_cell(size: int | None, rows: int) -> tuple[str, str]:
    """(text, tooltip) of a run's batch size on `rows` rows; a size of every row or more is the full batch."""
    if size is None:
        return ALL_ROWS, f"Every row ({rows:,}) each step: the full batch. Type a number of rows for mini-batches " \
                         "(1 is SGD)"
    if size >= rows:
        return f"{size} ({ALL_ROWS})", f"{size:,} rows or more is every row of the {rows:,}: the full batch"
    per_epoch = -(-rows // size)
    what = "SGD: one row a step" if size == 1 else f"{size:,} of the {rows:,} rows a step"
    return str(size), f"{what}, {per_epoch:,} steps an epoch (each epoch a fresh shuffle). 'all': the full batch"


def _step_of(run) -> int:
    """The step the texts describe: the one taken from the state on show (the last one once stopped)."""
    return max(run.position - 1, 0) if stopped_here(run) else run.position


def batch_plan_of(run):
    """The run's BatchPlan (None: every row, or no optimizer, as a field's Newton–Raphson)."""
    return getattr(getattr(run, "optimizer", None), "batches", None)


def epoch_text(run, short: bool = False) -> str:
    """'epoch 2, batch 5 of 7' (`short`: 'epoch 2, batch 5/7') for the step from the state on show (1-based, as
    a class counts); '' for the full batch."""
    plan = batch_plan_of(run)
    if plan is None:
        return ""
    t = _step_of(run)
    return f"epoch {plan.epoch(t) + 1}, batch {t % plan.per_epoch + 1}{'/' if short else ' of '}{plan.per_epoch}"


def batch_text(run) -> str:
    """'mini-batch 8, seed 3 — epoch 2, batch 5 of 7' ('' for a run on every row)."""
    plan = batch_plan_of(run)
    if plan is None:
        return ""
    return f"{plan.describe()}, seed {plan.seed} — {epoch_text(run)}"


def scheduled_rate(run) -> tuple[float, object, float] | None:
    """(the lr this step takes, the schedule, lr₀) for a run under a schedule; None when its rate never changes."""
    optimizer = getattr(run, "optimizer", None)
    if optimizer is None or optimizer.schedule.is_constant:
        return None
    rate = run.lr_of_step(_step_of(run))
    return None if rate is None else (rate, optimizer.schedule, optimizer.lr)


def lr_text(run) -> str:
    """'lr 0.0443 this step (cosine (lr_min 0, period 200), warm-up 10; lr₀ 0.05)' for a scheduled run, ''
    for a run whose rate never changes."""
    found = scheduled_rate(run)
    if found is None:
        return ""
    rate, schedule, lr0 = found
    return f"lr {rate:.4g} this step ({schedule.describe()}; lr₀ {lr0:g})"


def legend_names(configs) -> list[str]:
    """Method names; a method that runs more than once is told apart by what differs between its runs — the
    batch ('gd, SGD', 'gd, batch 10', 'gd, full batch'), the schedule ('gd, cosine') or a setting
    ('momentum, lr 0.005') — or numbered (gd 1, gd 2) when that does not tell every one apart."""
    names = [config.method for config in configs]
    for method in dict.fromkeys(names):
        members = [i for i, config in enumerate(configs) if config.method == method]
        if len(members) == 1:
            continue
        group = [configs[i] for i in members]
        labels = [", ".join([method, *_differences(config, group)]) for config in group]
        if len(set(labels)) < len(labels):
            labels = [f"{method} {k + 1}" for k in range(len(group))]
        for i, label in zip(members, labels):
            names[i] = label
    return names


def _differences(config, group) -> list[str]:
    """What sets `config` apart from the other runs of its method, in a few words."""
    def batch(c):
        size = getattr(c, "batch", None)
        return "full batch" if size is None else "SGD" if size == 1 else f"batch {size}"

    def schedule(c):
        found = getattr(c, "schedule", None)
        return "constant lr" if found is None or found.is_constant else found.name

    def settings(c):
        defaults = ALL_METHODS[c.method].hyperparameters() if c.method in ALL_METHODS else {}
        return {**defaults, **c.settings}

    parts = [describe(config) for describe in (batch, schedule) if len({describe(c) for c in group}) > 1]
    mine = settings(config)
    parts += [f"{key} {mine[key]:g}" for key in mine if len({settings(c).get(key) for c in group}) > 1]
    return parts
