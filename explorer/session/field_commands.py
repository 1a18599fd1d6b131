"""The session's commands that belong to field problems: ∇f as a field, the Jacobian lens, Newton–Raphson only.

A mixin of `Session` (explorer.session.model): every command here goes through `Session._apply` like
the others, so it is named, undoable and on the one timeline.
"""
from __future__ import annotations

import math
from dataclasses import replace

from explorer.core.field_expression import is_field_text
from explorer.core.field_scene import FIELD, FIELD_METHOD, LensSpec, kind_of_text, method_refusal
from explorer.core.scene import MAX_COORDINATE
from explorer.session.errors import SessionError, checked_point
from explorer.core.document import Setup


class FieldCommands:
    def set_gradient_field(self, on: bool) -> None:
        """Show the surface f as the field ∇f (its runs: Newton–Raphson on ∇f = 0, which is Newton's method)."""
        on = bool(on)
        if on and self.setup.fit is not None:
            raise SessionError("∇f as a field is shown for a function f(x, y), not for a fit of data")
        if on and is_field_text(self.setup.text):
            raise SessionError("∇f is the field of a function f(x, y); this is a field already")
        if not self.setup.text.strip():
            raise SessionError("type a function f(x, y) first")
        if on != self.setup.gradient_field:
            self._apply("Show ∇f as a field" if on else "Show f as a surface",
                        fit_runs(replace(self.setup, gradient_field=on)))

    def set_lens(self, point=None, radius=None) -> None:
        """Move the Jacobian lens to `point` and/or give its circle `radius` (a drag is one undo step)."""
        lens = self.setup.lens_at()
        point = lens.point if point is None else checked_point(point, "the lens")
        radius = lens.radius if radius is None else float(radius)
        if not (math.isfinite(radius) and 0 < radius <= MAX_COORDINATE):
            raise SessionError(f"the lens's radius must be positive and at most {MAX_COORDINATE:,.0f}")
        new = LensSpec(point, radius)
        if new != self.setup.lens:
            self._apply("Move the lens" if point != lens.point else "Resize the lens",
                        replace(self.setup, lens=new), merge="lens")

    def _check_field_run(self, method: str, settings: dict) -> None:
        """A field's runs are Newton–Raphson, without settings."""
        if self.setup.kind == FIELD:
            if method != FIELD_METHOD:
                raise SessionError(method_refusal(method))
            if settings:
                raise SessionError("Newton–Raphson on a field has no settings")

def fit_runs(setup: Setup) -> Setup:
    """A field keeps only Newton–Raphson runs, without settings (the other methods minimise an f)."""
    if kind_of_text(setup.text, setup.gradient_field) != FIELD:
        return setup
    runs = tuple(replace(r, settings={}) for r in setup.runs if r.method == FIELD_METHOD)
    return setup if runs == setup.runs else replace(setup, runs=runs)
