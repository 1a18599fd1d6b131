"""The controller's field reader (`controller.field`): what the field views read (the lens, J at a run's point,
f's Hessian for ∇f) and the field commands. Every number comes from the core."""
from __future__ import annotations

import numpy as np

from explorer.core.field_picture import FieldPicture
from explorer.core.fields import FieldAnalysis
from explorer.core.lens import Lens, jacobian_lens


def is_field_picture(picture) -> bool:
    """Is what the grid worker gave a field's picture (not a surface's curvature map)?"""
    return isinstance(picture, FieldPicture)


class FieldReader:
    """Reads the session through `controller`; commands go through its `command` (a refusal is a message)."""

    def __init__(self, controller):
        self._controller = controller
        self._lens_cache = ((None, None), None)   # ((field, lens spec), Lens)

    session = property(lambda self: self._controller.session)
    height = property(lambda self: self.session.setup.field_height)
    gradient_field = property(lambda self: self.session.setup.gradient_field)
    lens_spec = property(lambda self: self.session.setup.lens_at())

    @property
    def picture(self) -> FieldPicture | None:
        """The field picture on show (None while a surface is)."""
        cmap = self._controller.cmap
        return cmap if is_field_picture(cmap) else None

    def lens(self) -> Lens | None:
        """The Jacobian lens at the lens point (None for a surface, or where it cannot be computed)."""
        calculus = self.session.calculus
        if calculus is None:
            return None
        spec = self.lens_spec
        (field, shown), lens = self._lens_cache
        if field is not calculus or shown != spec:   # the very field object: ids may be reused
            try:
                lens = jacobian_lens(calculus, spec.point, spec.radius)
            except Exception as err:  # noqa: BLE001 - a lens that cannot be drawn is reported, not fatal
                self._controller.report_failure("draw the lens", err)
                lens = None
            self._lens_cache = ((calculus, spec), lens)
        return lens

    def analysis(self, point=None) -> FieldAnalysis | None:
        """J, det J, singular values, eigenvalues at `point` (default: the selected run's point)."""
        if point is None:
            run = self.session.selected_run()
            if run is None:
                return None
            point = run.current.point
        return self.session.kind.reading(self.session, point) if self.session.calculus is not None else None

    def hessian_of_f(self, point) -> np.ndarray | None:
        """f's Hessian at `point` when the field is ∇f (it equals J there), else None."""
        objective = self.session.objective
        if not self.gradient_field or objective is None:
            return None
        return objective.analyze(np.asarray(point, dtype=float)).hessian

    # ---------------------------------------------------------------- commands
    def set_gradient_field(self, on: bool) -> bool:
        c = self._controller
        before = [r.method for r in self.session.setup.runs]
        done = c.command(self.session.set_gradient_field, on)
        if done:
            self.say_dropped(before)
        return done

    def set_lens(self, x=None, y=None, radius=None) -> bool:
        point = None if x is None else (x, y)
        return self._controller.command(self.session.set_lens, point, radius)

    def say_dropped(self, before: list[str]) -> None:
        """After a switch to a field: name the runs it cannot keep (`before`: the methods the runs had)."""
        after = [r.method for r in self.session.setup.runs]
        if len(after) < len(before):
            gone = sorted({m for m in before if m != "newton"})
            self._controller.message.emit(f"A field is solved for F = 0 with newton only: removed {', '.join(gone)} "
                                          f"(Ctrl+Z brings them back)")
