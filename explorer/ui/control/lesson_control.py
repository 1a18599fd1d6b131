"""The controller's lesson reader (`controller.lessons`): what the lesson views read at the selected run
(f along its step, the quadratic's stability, Newton's view, the derivatives the map's overlays draw).
Every number comes from the core."""
from __future__ import annotations

import numpy as np

from explorer.core.calculus import PointAnalysis
from explorer.core.expression import ERRORS
from explorer.core.newton_geometry import geometry_of_run
from explorer.core.slice import slice_of_step
from explorer.core.stability import METHODS as STABILITY_METHODS, Stability, quadratic_form, stability
from explorer.session.kinds import is_optimizer_run
from explorer.session.method_state_reading import hessian_errors, method_state_reading


class LessonReader:
    """Reads the session through `controller`; keeps the last stability analysis (its cache)."""

    def __init__(self, controller):
        self._controller = controller
        self._stability = (None, None)   # (key, Stability or None)
        self._form = (None, None)        # (key, f's QuadraticForm): a dragged setting leaves f as it was

    session = property(lambda self: self._controller.session)

    def step_slice(self):
        """f along the selected run's last step (the next one at step 0): `explorer.core.slice.StepSlice`,
        or None where there is no such step (no run, a run of another kind, a run that stopped at once)."""
        run = self.session.selected_run()
        if run is None or not is_optimizer_run(run):
            return None
        with np.errstate(**ERRORS):
            return slice_of_step(run, max(run.position - 1, 0))

    def stability(self):
        """The quadratic's stability analysis for the selected run (`explorer.core.stability.Stability`), or
        None: no run, its method is not gd, momentum or nesterov, or f is not a quadratic. Cached: it
        tests the Hessian at 16 points, and the panel asks on every step."""
        s, fit = self.session, self._controller.fit
        run, objective, setup = s.selected_run(), s.objective, s.setup
        if run is None or run.method not in STABILITY_METHODS or objective is None or not fit.plane_is_whole():
            return None
        if run.batched or not run.optimizer.schedule.is_constant:   # its rates assume one lr and the full gradient
            return None
        f_key = (setup.text, tuple(sorted(setup.parameter_values().items())), tuple(setup.x_range),
                 tuple(setup.y_range), fit.slice_key())
        key = (f_key, run.method, tuple(sorted(run.optimizer.settings().items())))
        if self._stability[0] != key:
            with np.errstate(**ERRORS):
                if self._form[0] != f_key:
                    self._form = f_key, quadratic_form(objective, setup.x_range, setup.y_range)
                found = stability(objective, run.method, run.optimizer.settings(), setup.x_range, setup.y_range,
                                  form=self._form[1])
            self._stability = key, (found if isinstance(found, Stability) else None)
        return self._stability[1]

    def newton_geometry(self):
        """Newton's view from the selected run's point (`explorer.core.newton_geometry`), or None."""
        run = self.session.selected_run()
        if run is None or not is_optimizer_run(run) or not self._controller.fit.plane_is_whole():
            return None
        with np.errstate(**ERRORS):
            return geometry_of_run(run)

    def method_state(self):
        """The selected run's method state as the map draws it (`explorer.core.method_geometry.MethodDrawing`),
        or None: no run, a method with nothing to draw, or a map that is a slice of more parameters."""
        if not self._controller.fit.plane_is_whole():
            return None
        return method_state_reading(self.session)

    @staticmethod
    def hessian_errors(run, count=None, known=None):
        """A quasi-Newton run's ‖B_k − H(x_k)‖ / ‖H(x_k)‖ per state (`explorer.session.method_state_reading`)."""
        return hessian_errors(run, count, known)

    def analysis(self) -> PointAnalysis | None:
        """The value's derivatives the map's overlays draw at the selected run's point: f's, or L's on the
        slice the map shows (its 2×2 block; the inspector shows all: `controller.fit.analysis`); None for
        a field (see `controller.field.analysis`)."""
        if self.session.objective is None:
            return None
        return self.session.kind.map_reading(self.session)
