"""The inspector's rows for a field: J, det J, trace, singular values and eigenvalues at the lens point (and at
the selected Newton–Raphson run's point), whether F is a gradient field on the grid, and for ∇f also f's
Hessian beside J. No Qt here: the same rows make the panel's text and the table Copy puts on the clipboard."""
from __future__ import annotations

import textwrap

import numpy as np

from explorer.core.field_newton import norm
from explorer.core.fields import hessian_gap
from explorer.ui.text.inspector_text import SUBSCRIPTS, TEXT_WIDTH, column, labelled, matrix_rows, num
from explorer.ui.text.run_text import stopped_here


def complex_text(z: complex) -> str:
    """'1.5', '0.8 + 0.6i', '0.8 − 0.6i'."""
    if z.imag == 0:
        return num(z.real)
    return f"{num(z.real)} {'−' if z.imag < 0 else '+'} {num(abs(z.imag))}i"


def eigenvalue_rows(eigenvalues) -> list[tuple[str, str]]:
    """A complex-conjugate pair as one row 'a ± bi'; real eigenvalues one row each."""
    lam = np.asarray(eigenvalues, dtype=complex)
    if len(lam) == 2 and lam[0].imag != 0 and np.isclose(lam[0], np.conj(lam[1]), rtol=1e-12, atol=0):
        return [("λ₁,₂", f"{num(lam[0].real)} ± {num(abs(lam[0].imag))}i")]
    return [(f"λ{SUBSCRIPTS[k]}", complex_text(z)) for k, z in enumerate(lam)]


def jacobian_rows(a) -> list[tuple[str, str]]:
    """F, |F|, J, det J, trace, σ₁, σ₂, eigenvalues and condition number of one FieldAnalysis."""
    if not a.defined:
        return [*labelled("F", column(a.value)), ("", "F or J is not defined here")]
    rows = [*labelled("F", column(a.value)), ("|F|", num(norm(a.value))), *labelled("J", matrix_rows(a.jacobian)),
            ("det J", num(a.determinant)), ("trace J", num(a.trace))]
    rows += [(f"σ{SUBSCRIPTS[k]}", num(s)) for k, s in enumerate(a.singular_values)]
    return rows + eigenvalue_rows(a.eigenvalues) + [("cond J", num(a.condition_number))]


def gradient_verdict(picture) -> list[tuple[str, str]]:
    """Is F a gradient field on this grid? (J symmetric at every grid point, within the core's tolerance)."""
    if picture is None:
        return []
    if picture.gradient_field:
        lines = ["yes: J = Jᵀ", "at every grid point"]
    elif np.isfinite(picture.largest_asymmetry):
        lines = ["no: J ≠ Jᵀ", "somewhere on the grid"]
    else:
        lines = ["unknown:", "J is undefined on the grid"]
    return labelled("gradient?", lines)


def field_rows(lens, picture, hessian=None, run=None, run_analysis=None) -> list[tuple[str, str]]:
    """(label, value) rows; ('', '') is a blank line. `hessian`: f's at the lens point when F = ∇f."""
    rows: list[tuple[str, str]] = []
    if lens is not None:
        a = lens.analysis
        rows += [*labelled("lens at", column(a.point)), *jacobian_rows(a)]
        if hessian is not None:
            same = hessian_gap(a.jacobian, hessian) if a.defined else np.nan
            rows += [*labelled("H of f", matrix_rows(hessian)), ("|J − H|", num(same)),
                     ("", "J of ∇f is f's Hessian: symmetric")]
    rows += gradient_verdict(picture)
    if run is not None and run_analysis is not None:
        rows += [("", ""), ("method", f"{run.method} (for F = 0)"), ("step", str(run.position)),
                 *labelled("point", column(run_analysis.point)), ("|F|", num(norm(run_analysis.value))),
                 ("det J", num(run_analysis.determinant) if run_analysis.defined else "undefined")]
        if 0 < run.position <= len(run.records):
            r = run.records[run.position - 1]
            rows += [("last step", f"|p| = {num(r.length)}"), ("  |F| was", num(r.residual_before)),
                     ("  |F| now", num(r.residual_after))]
        if stopped_here(run):
            rows += [("", ""), *labelled("stopped", textwrap.wrap(run.summary, TEXT_WIDTH)),
                     *labelled("", textwrap.wrap(run.reason, TEXT_WIDTH))]
    return rows


def field_equation_html(text: str, gradient_field: bool) -> str:
    """'F(x, y) = (x² − y, x + y − 2)', or 'F = ∇f, f(x, y) = …' for a surface shown as its gradient field."""
    from explorer.core.field_scene import plane_field
    from explorer.core.typeset import equation, typeset
    if gradient_field:
        return "F = ∇f,&nbsp; " + equation(text).html
    return "F(x, y) = (" + ", ".join(typeset(c.text).html for c in plane_field(text).components) + ")"
