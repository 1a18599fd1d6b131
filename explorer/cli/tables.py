"""The command line's text tables: numbers, vectors, matrices, a point's analysis and a run's states."""
from __future__ import annotations

import numpy as np

from explorer.core.calculus import UNDEFINED


def fmt(v) -> str:
    return f"{float(v):.10g}"


def vector(v) -> str:
    return "(" + ", ".join(fmt(c) for c in v) + ")"


def matrix_lines(label: str, matrix) -> list[str]:
    """A matrix as rows of text, `label` in front of the first."""
    return [f"{label if i == 0 else '':<14}[{'  '.join(f'{fmt(c):>12}' for c in row)} ]"
            for i, row in enumerate(matrix)]


def point_table(text, variables, at, r) -> str:
    names = ", ".join(variables)
    lines = [f"f({names}) = {text}", f"at ({names}) = {vector(at)}", "",
             f"{'value':<14}{fmt(r.value)}"]
    # a derivative of an undefined f (or a Hessian of an undefined gradient) is nan throughout: say so in words
    if np.isnan(r.gradient).all():
        why = "f is not finite here" if not np.isfinite(r.value) else "not finite here"
        lines.append(f"{'gradient':<14}undefined ({why})")
    else:
        lines.append(f"{'gradient':<14}{vector(r.gradient)}")
    if np.isnan(r.hessian).all():
        lines.append(f"{'Hessian':<14}undefined")
    else:
        lines += matrix_lines("Hessian", r.hessian)
    if r.curvature == UNDEFINED:  # eigenvalues of a Hessian with inf or nan in it mean nothing
        lines.append(f"{'eigenvalues':<14}undefined (the value or a derivative is not finite)")
    else:
        lines.append(f"{'eigenvalues':<14}{', '.join(fmt(v) for v in r.eigenvalues)}")
        for v, vec in zip(r.eigenvalues, r.eigenvectors.T):
            lines.append(f"{'':<14}λ = {fmt(v)}: direction {vector(vec)}")
    lines.append(f"{'class':<14}{r.classification}")
    lines.append(f"{'condition':<14}{'undefined' if r.curvature == UNDEFINED else fmt(r.condition_number)}")
    return "\n".join(lines)


def header(r) -> str:
    """'gd (lr=0.1; mini-batch 8 of 50 rows, seed 3; schedule cosine (lr_min 0, period 200)): <outcome>'."""
    parts = [", ".join(f"{k}={v:g}" for k, v in r.optimizer.settings().items())]
    plan, schedule = r.optimizer.batches, r.optimizer.schedule
    if plan is not None:
        parts.append(f"{plan.describe()} of {plan.rows} rows, seed {plan.seed}")
    if not schedule.is_constant:
        parts.append(f"schedule {schedule.describe()}")
    return f"{r.method} ({'; '.join(parts)}): {r.summary}" + (f" — {r.reason}" if r.reason else "")


def run_table(r, names: tuple[str, ...] = ("x", "y"), value: str = "f") -> str:
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
