"""`run --sharpness [EVERY]`: λmax of the full-batch training loss's Hessian at each step of a model's run.

    landscape-explorer run --dataset wave --model mlp:16:tanh --test-fraction 0.3 --method gd --lr 0.14 \\
        --steps 300 --sharpness --json

Each step of `--json` gets "sharpness" (null at steps between two estimates when EVERY > 1) and each run
"stability_bound" (2/lr for gd, (2 + 2β)/lr for momentum, Nesterov's, at lr₀; null for adaptive methods and
Newton's, with "stability_note" saying why; with a schedule each step has its own); the table gets a column.
Only with --model: for EXPR or --loss, each step's Hessian eigenvalues are already in `run --json`. Lanczos
on autograd's Hessian-vector products (core.sharpness), warm-started from the step before.
"""
from __future__ import annotations

from typing import Any

from explorer.cli.arguments import UsageError, whole_number
from explorer.cli.limits import MAX_STEPS
from explorer.core.sharpness import bound_of_step, sharpness_along, stability_bound, why_no_bound


def add_option(parser) -> None:
    parser.add_argument("--sharpness", nargs="?", const="1", metavar="EVERY",
                        help="with --model: λmax of the full-batch training loss's Hessian at each step (or every "
                             "EVERY-th step and the last), beside the method's stability bound, e.g. 2/lr for gd")


def asked(args) -> int | None:
    """The stride asked for (None: no --sharpness); refused in one line without --model."""
    text = getattr(args, "sharpness", None)
    if text is None:
        return None
    if getattr(args, "model", None) is None:
        raise UsageError("--sharpness goes with --model SPEC (a network's loss); for EXPR or --loss, run --json "
                         "already gives each step's Hessian eigenvalues")
    return whole_number(text, "--sharpness", 1, MAX_STEPS)


def per_run(args, problem, runs) -> list[dict[int, float]] | None:
    """For each run, {step: λmax} at the steps estimated; None without --sharpness."""
    every = asked(args)
    if every is None:
        return None
    out = []
    for r in runs:
        steps, values, _ = sharpness_along(problem, r, every)
        out.append(dict(zip(steps.tolist(), values.tolist())))
    return out


def add_to_json(run_dict: dict[str, Any], r, found: dict[int, float]) -> None:
    """"sharpness" on every step (None where not estimated) and the run's "stability_bound"."""
    scheduled = not r.optimizer.schedule.is_constant
    for record in run_dict["steps"]:
        record["sharpness"] = found.get(int(record["step"]))
        if scheduled:   # the bound of the rate this step takes
            record["stability_bound"] = bound_of_step(r, int(record["step"]))
    run_dict["stability_bound"] = stability_bound(r.method, r.optimizer.settings())
    note = why_no_bound(r.method)
    if note:
        run_dict["stability_note"] = note


def table_column(found: dict[int, float] | None, step: int) -> str:
    """The table's λmax cell of `step` ('' without --sharpness, '-' where not estimated)."""
    if found is None:
        return ""
    value = found.get(int(step))
    return f"  {value:>10.4g}" if value is not None else f"  {'-':>10}"


def table_header(found: dict[int, float] | None) -> str:
    return "" if found is None else f"  {'λmax':>10}"


def table_note(found: dict[int, float] | None, r) -> str:
    """One line under a run's table: the bound λmax is to be read against."""
    if found is None:
        return ""
    bound = stability_bound(r.method, r.optimizer.settings())
    if bound is None:
        return ("λmax: the largest Hessian eigenvalue of the training loss; no stability bound: "
                + why_no_bound(r.method))
    return f"λmax: the largest Hessian eigenvalue of the training loss; the stability bound is {bound:.4g}"
