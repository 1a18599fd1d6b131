"""How a fit reads in the inspector, the formula, the map's note and the runs table. No Qt here."""
from __future__ import annotations

import html
import math
import textwrap

import numpy as np

from explorer.core.typeset import name_text, typeset
from explorer.ui.inspector_text import SUBSCRIPTS, TEXT_WIDTH, column, labelled, matrix_rows, num
from explorer.ui.run_text import stopped_here

MINUS = "−"


def number(value: float) -> str:
    """Four significant digits and a true minus sign (a caption or a note, not a table)."""
    if not math.isfinite(value):
        return "undefined"
    return f"{value:.4g}".replace("-", MINUS)


def slice_note(values: str, where: str, moving: bool = False) -> str:
    """'Slice at c = 0.51, d = 2.99: gd's step 77, moving with it'."""
    return f"Slice at {values}: {where}" + (", moving with it" if moving else "")


def parse_vector(text: str, names) -> tuple[float, ...]:
    """'0, 0, 0.5, 3' -> one number per trained parameter (ValueError says what is wrong)."""
    parts = text.strip().strip("()").replace(",", " ").split()
    example = ", ".join(["0"] * len(names))
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != len(names):
        raise ValueError(f"give {len(names)} numbers, one per trained parameter ({', '.join(names)}), like {example}; "
                         f"got '{text.strip()}'")
    return values


def fit_equation_html(text: str, fit, rows: int | None = None) -> str:
    """'L(w, b) = mean over the 50 rows of (w·X + b − Y)²', typeset, and the model beside it."""
    variables = tuple(fit.trained)
    head = f"L({', '.join(name_text(n, True) for n in variables)})"
    over = f"mean over the {rows:,} rows of " if rows else "mean over the rows of "
    body = typeset(text, variables).html
    model = f"&nbsp;&nbsp;&nbsp;model {typeset(fit.model, variables).html}" if fit.model else ""
    return f"{head} = <span style='color:#444444'>{html.escape(over)}</span>{body}{model}"


def fit_rows(run, a, trained) -> list[tuple[str, str]]:
    """The inspector's rows for a fit's run: θ by name, L, ∇L, the n×n Hessian, its eigenvalues, the condition
    number κ and gradient descent's best rate (κ − 1)/(κ + 1): the feature-scaling lesson."""
    rows = [("method", run.method), ("step", str(run.position))]
    width = max(len(n) for n in trained)
    rows += [(f"{n}", num(v)) if len(n) < 10 else ("", f"{n:>{width}} = {num(v)}") for n, v in zip(trained, a.point)]
    rows += [("L", num(a.value)), *labelled("∇L", column(a.gradient)), ("|∇L|", num(np.linalg.norm(a.gradient))),
             *labelled("H", matrix_rows(a.hessian))]
    for k, lam in enumerate(a.eigenvalues):
        rows.append((f"λ{SUBSCRIPTS[k] if k < len(SUBSCRIPTS) else k + 1}", num(lam)))
    rows += [("class", a.classification), ("cond", num(a.condition_number))]
    kappa = a.condition_number
    if len(a.eigenvalues) and np.all(np.isfinite(a.eigenvalues)) and a.eigenvalues[0] > 0 and np.isfinite(kappa):
        rows.append(("gd rate", num((kappa - 1) / (kappa + 1))))
        rows += labelled("", ["(κ − 1)/(κ + 1): the error", "shrinks by this a step at", "gd's best learning rate"])
    if 0 < run.position <= len(run.records):
        r = run.records[run.position - 1]
        rows += [("", ""), ("last step", f"|p| = {num(r.length)}")]
        if r.uphill:
            rows.append(("", "↑ L increased"))
        rows += [("decrease", ""), ("  linear", num(r.predicted_linear)),
                 ("  quadratic", num(r.predicted_quadratic)), ("  actual", num(r.actual))]
    if stopped_here(run):
        rows += [("", ""), *labelled("stopped", textwrap.wrap(run.summary, TEXT_WIDTH)),
                 *labelled("", textwrap.wrap(run.reason, TEXT_WIDTH))]
    return rows
