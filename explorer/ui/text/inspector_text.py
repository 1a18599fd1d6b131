"""The inspector's table as plain rows: label, value (and a class code to colour). No Qt here, so
the same rows make the panel's text and the plain-text table that Ctrl+C copies."""
from __future__ import annotations

import textwrap

import numpy as np

from explorer.ui.text.run_text import scheduled_rate, stopped_here

LABEL_WIDTH = 12
TEXT_WIDTH = 30   # a sentence is wrapped at words to this many characters; numbers never are
NOTE_WIDTH = 22   # the same for the training and Gauss–Newton notes (the pane is narrow beside a fit)


def num(v) -> str:
    """6 significant digits; scientific only where needed (1e-07, not 0.000000100000)."""
    return f"{float(v):.6g}"


def matrix_rows(h) -> list[str]:
    """Rows of a matrix with each column right-aligned to its widest entry."""
    cells = [[num(v) for v in row] for row in np.asarray(h)]
    widths = [max(len(row[j]) for row in cells) for j in range(len(cells[0]))]
    return ["[" + "  ".join(c.rjust(w) for c, w in zip(row, widths)) + "]" for row in cells]


def labelled(label: str, lines: list[str]) -> list[tuple[str, str]]:
    """`label` on the first of several lines."""
    return [(label if k == 0 else "", line) for k, line in enumerate(lines)]


def column(v) -> list[str]:
    """A vector as a column, like the Hessian's rows beside it: never cut in two by the pane's width."""
    return matrix_rows(np.asarray(v, dtype=float).reshape(-1, 1))


SUBSCRIPTS = "₁₂₃₄₅₆₇₈₉"


def schedule_rows(run) -> list[tuple[str, str]]:
    """A scheduled run's rate this step, its schedule and lr₀ ([] for a constant rate)."""
    found = scheduled_rate(run)
    if found is None:
        return []
    rate, schedule, lr0 = found
    return [("lr now", num(rate)), *labelled("schedule", textwrap.wrap(schedule.describe(), NOTE_WIDTH)),
            ("lr₀", num(lr0))]


UNDEFINED = "undefined"   # what a derivative of an undefined f (nan from the core) is shown as, as its class


def derivative_rows(a, value: str) -> list[tuple[str, str]]:
    """`value` (f or L), its gradient, |gradient| and Hessian; each one that is not finite is "undefined"."""
    g = f"∇{value}"
    if np.all(np.isfinite(a.gradient)):
        rows = [*labelled(g, column(a.gradient)), (f"|{g}|", num(np.linalg.norm(a.gradient)))]
    else:
        rows = [(g, UNDEFINED), (f"|{g}|", UNDEFINED)]
    hessian = labelled("H", matrix_rows(a.hessian)) if np.all(np.isfinite(a.hessian)) else [("H", UNDEFINED)]
    return [(value, num(a.value)), *rows, *hessian]


def eigen_name(k: int) -> str:
    return SUBSCRIPTS[k] if k < len(SUBSCRIPTS) else str(k + 1)


def inspector_rows(run, analysis) -> list[tuple[str, str]]:
    """(label, value) rows for `run` at its point on show; ('', '') is a blank line."""
    a = analysis
    rows = [("method", run.method), ("step", str(run.position)), *schedule_rows(run),
            *labelled("point", column(a.point)), *derivative_rows(a, "f")]
    if np.all(np.isfinite(a.eigenvalues)):
        for k, (lam, v) in enumerate(zip(a.eigenvalues, a.eigenvectors.T)):
            rows += [(f"λ{eigen_name(k)}", num(lam)), *labelled(f"  v{eigen_name(k)}", column(v))]
    else:
        rows.append(("λ", UNDEFINED))
    rows += [("class", a.classification), ("cond", condition_text(a))]
    return rows + step_rows(run, "f")


def method_state_rows(drawing) -> list[tuple[str, str]]:
    """What the method carries into its next step, in numbers (the map's method-state drawing: issue 27)."""
    if drawing is None or not drawing.numbers:
        return []
    return [("", ""), ("state", f"what {drawing.method} carries"), *((f"  {k}", v) for k, v in drawing.numbers)]


def condition_text(a) -> str:
    return UNDEFINED if np.isnan(a.condition_number) else num(a.condition_number)


def step_rows(run, value: str) -> list[tuple[str, str]]:
    """The last step's length and its predicted and actual decrease of `value` (f, L), and why the run stopped
    once it stands at its end."""
    rows = []
    if 0 < run.position <= len(run.records):
        r = run.records[run.position - 1]
        rows += [("", ""), ("last step", f"|p| = {num(r.length)}")]
        if r.uphill:
            rows.append(("", f"↑ {value} increased"))
        rows += [("decrease", ""), ("  linear", num(r.predicted_linear)),
                 ("  quadratic", num(r.predicted_quadratic)), ("  actual", num(r.actual))]
    if stopped_here(run):
        rows += [("", ""), *labelled("stopped", textwrap.wrap(run.summary, TEXT_WIDTH)),
                 *labelled("", textwrap.wrap(run.reason, TEXT_WIDTH))]
    return rows


def as_plain_text(rows: list[tuple[str, str]]) -> str:
    return "\n".join(f"{label:<{LABEL_WIDTH}}{value}".rstrip() for label, value in rows)
