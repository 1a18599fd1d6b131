"""How a fit reads in the inspector, the formula, the map's note and the runs table. No Qt here."""
from __future__ import annotations

import html
import math
import re
import textwrap

import numpy as np

from explorer.core.typeset import name_text, typeset
from explorer.ui.text.inspector_text import (NOTE_WIDTH, UNDEFINED, condition_text, derivative_rows, eigen_name, labelled,
                                       matrix_rows, num, schedule_rows, step_rows)
from explorer.ui.text.run_text import batch_plan_of, batch_text, epoch_text, stopped_here

MINUS = "−"
STEM = re.compile(r"([A-Za-z]+)_?[0-9]+\Z")                # 'X' of 'X1' and 'X_2'
SQUARE = re.compile(r"^\((.*)\)\s*(?:\^|\*\*)\s*2$", re.S)   # '(r)^2' or '(r) ** 2'


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


def as_residual(loss: str) -> str | None:
    """'(w*X + b - Y)^2' -> 'w*X + b - Y': the residual r of a loss typed as r squared (None if it is not)."""
    found = SQUARE.match(loss.strip())
    if found is None:
        return None
    inner, depth = found.group(1), 0
    for ch in inner:   # '(a)*(b)^2': the first bracket closes before the square
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return None
    return inner.strip() or None if depth == 0 else None


def as_loss(residual: str) -> str:
    """'a*exp(b*X) - Y' -> '(a*exp(b*X) - Y)^2': the per-row loss of a residual."""
    return f"({residual.strip()})^2"


def fit_equation_html(text: str, fit, rows: int | None = None) -> str:
    """'L(w, b) = mean over the 50 rows of (w·X + b − Y)²', typeset, and the model beside it: the loss itself
    (a residual r is written r²), each standardised column with a tilde and said to be one."""
    variables = tuple(fit.trained)
    standardised = tuple(fit.data.standardise)
    head = f"L({', '.join(name_text(n, True) for n in variables)})"
    over = f"mean over the {rows:,} rows of " if rows else "mean over the rows of "
    body = typeset(as_loss(text) if fit.residual else text, variables, standardised).html
    model = f"&nbsp;&nbsp;&nbsp;model {typeset(fit.model, variables, standardised).html}" if fit.model else ""
    return f"{head} = <span style='color:#444444'>{html.escape(over)}</span>{body}{model}{_standardised(standardised)}"


def _standardised(columns: tuple[str, ...]) -> str:
    """What the tilde means: '   X̃ = (X − mean)/sd' for X1, X2 (one letter, each its own mean and sd)."""
    if not columns:
        return ""
    stems = {STEM.match(c).group(1) if STEM.match(c) else c for c in columns}
    if len(columns) == 1 or len(stems) > 1:
        said = ", ".join(name_text(c, True, tilde=True) for c in columns) + (
            f" = ({name_text(columns[0], True)} {MINUS} mean)/sd" if len(columns) == 1 else
            f": (column {MINUS} mean)/sd")
    else:
        (stem,) = stems
        said = f"{name_text(stem, True, tilde=True)} = ({name_text(stem, True)} {MINUS} mean)/sd"
    said = said.replace(" = ", "&nbsp;=&nbsp;").replace(f" {MINUS} ", f"&nbsp;{MINUS}&nbsp;")   # wraps as one
    return f"&nbsp;&nbsp;&nbsp;<span style='color:#444444'>{said}</span>"


def training_rows(run) -> list[tuple[str, str]]:
    """A mini-batched run's batch size, seed, epoch and batch loss; a scheduled run's lr this step; a
    Levenberg–Marquardt run's damping μ."""
    rows = []
    if batch_plan_of(run) is not None:
        head = batch_text(run).partition(" — ")[0]
        # 'epoch 3, batch 21/50' as its own row: the inspector column is narrow
        rows += [("batch", head), ("epoch", epoch_text(run, short=True).removeprefix("epoch "))]
        loss = run.current.batch_loss
        if loss is not None and not stopped_here(run):
            rows.append(("L batch", num(loss)))
    rows += schedule_rows(run)
    mu = run.current.memory.get("mu") if hasattr(run, "current") else None
    if mu is not None:
        rows.append(("damping μ", num(mu)))
    return rows


GAUSS_NEWTON_NOTE = ("H is L's true Hessian; GN = (2/n)JᵀJ is Gauss–Newton's stand-in for it; H − GN = "
                     "(2/n)Σ rᵢ∇²rᵢ is the term it drops, 0 when r is linear in the parameters")
ROUNDING = 1e-12   # an entry of H − GN this small against |H| is rounding of an exact 0: shown as 0


def gauss_newton_rows(reading) -> list[tuple[str, str]]:
    """(2/n)·JᵀJ and H − GN under the Hessian, with one sentence saying which is which."""
    if reading is None:
        return []
    d = reading.dropped
    shown = np.where(np.abs(d) <= ROUNDING * np.max(np.abs(reading.hessian)), 0.0, d)
    return [*labelled("GN", matrix_rows(reading.matrix)),
            *labelled("λ of GN", textwrap.wrap(", ".join(num(v) for v in reading.eigenvalues), NOTE_WIDTH)),
            *labelled("H − GN", matrix_rows(shown)), ("|H−GN|/|H|", num(reading.relative)),
            *labelled("", textwrap.wrap(GAUSS_NEWTON_NOTE, NOTE_WIDTH, break_on_hyphens=False))]


def fit_rows(run, a, trained, gauss_newton=None) -> list[tuple[str, str]]:
    """The inspector's rows for a fit's run: θ by name, L, ∇L, the n×n Hessian (and, for a fit given as
    residuals, the Gauss–Newton matrix beside it), its eigenvalues, the condition number κ and gradient
    descent's best rate (κ − 1)/(κ + 1): the feature-scaling lesson; how the run trains (batches, lr)."""
    rows = [("method", run.method), ("step", str(run.position)), *training_rows(run)]
    width = max(len(n) for n in trained)
    rows += [(f"{n}", num(v)) if len(n) < 10 else ("", f"{n:>{width}} = {num(v)}") for n, v in zip(trained, a.point)]
    rows += [*derivative_rows(a, "L"), *gauss_newton_rows(gauss_newton)]
    if np.all(np.isfinite(a.eigenvalues)):
        rows += [(f"λ{eigen_name(k)}", num(lam)) for k, lam in enumerate(a.eigenvalues)]
    else:
        rows.append(("λ", UNDEFINED))
    rows += [("class", a.classification), ("cond", condition_text(a))]
    kappa = a.condition_number
    if len(a.eigenvalues) and np.all(np.isfinite(a.eigenvalues)) and a.eigenvalues[0] > 0 and np.isfinite(kappa):
        rows.append(("gd rate", num((kappa - 1) / (kappa + 1))))
        rows += labelled("", ["(κ − 1)/(κ + 1): the", "error shrinks by this a", "step at gd's best", "learning rate"])
    return rows + step_rows(run, "L")
