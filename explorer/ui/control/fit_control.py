"""The controller's fit half: what the fit views read (the problem, the axes, the held values, the whole n×n
analysis) and the fit commands. A mixin of `Controller`; every number comes from the core.

The landscape of a fit is a 2-D slice through L(θ): two trained parameters on the axes, the others held
at the selected run's current values (the slice moves as the run moves) or at chosen values. While the
slice follows the run, a new slice is asked for whenever the run on show moves, at most one at a time
(the next once the last has arrived), so playing never piles up work.
"""
from __future__ import annotations

import numpy as np

from explorer.core.calculus import PointAnalysis
from explorer.core.fit_scene import FIT, DataSpec
from explorer.session.errors import FitCommandError
from explorer.ui.text.fit_text import number, slice_note


class FitControl:
    """Needs `session`, `message`, `fitChanged`, `fitFailed`, `_command`, `_request_surface`, `_shown`,
    `_generation` and the run signals of the Controller."""

    @property
    def is_fit(self) -> bool:
        return self.session.kind == FIT

    fit = property(lambda self: self.session.setup.fit)

    @property
    def fit_problem(self):
        """The FitProblem on show (None for a surface or a field)."""
        return self.session.problem

    @property
    def axis_names(self) -> tuple[str, str]:
        """What the map's and the 3D view's horizontal axes are: x and y, or a fit's two parameters."""
        fit = self.fit
        return tuple(fit.axes) if fit is not None else ("x", "y")

    def plane(self, points) -> np.ndarray:
        """Points of the runs as the map draws them: a fit's parameter vectors -> its two axis parameters."""
        return self.session.plane(points)

    def plane_is_whole(self) -> bool:
        """Is the map the whole landscape (a surface, or a fit of two parameters in their order)? Views of
        one point's geometry in x and y (Newton's model, stability) need it."""
        return self.fit is None or self.fit.whole

    def slice_key(self):
        """What a fit's slice depends on besides the loss, the sliders and the windows."""
        fit = self.fit
        if fit is None:
            return None
        held = None if fit.dimension == 2 else tuple(self.session.held_theta())
        return fit.axes, held, fit.data, fit.trained

    def fit_slice(self):
        """The SliceCalculus the grid worker computes for a fit."""
        return self.session.slice_calculus()

    def plane_analysis(self) -> PointAnalysis | None:
        """L on the slice at the selected run's point: the map's overlays (−∇L, the 2×2 block's axes)."""
        return self.session.slice_analysis()

    def fit_analysis(self) -> PointAnalysis | None:
        """L's value, gradient, n×n Hessian, eigenvalues and condition number at the selected run's point."""
        run, objective = self.selected_run(), self.objective
        if run is None or objective is None or not self.is_fit:
            return None
        return objective.analyze(run.current.point)

    def slice_text(self) -> str:
        """What the map says about the parameters it does not show ('' when it shows them all)."""
        fit = self.fit
        if fit is None or fit.dimension == 2:
            return ""
        run = self.selected_run()
        names = [n for n in fit.trained if n not in fit.axes]
        theta = self.session.held_theta()
        values = ", ".join(f"{n} = {number(theta[fit.trained.index(n)])}" for n in names)
        if fit.held is not None:
            return slice_note(values, "held at chosen values")
        if run is None:
            return slice_note(values, "the start of new runs")
        return slice_note(values, f"{run.method}'s step {run.position}", moving=True)

    # ---------------------------------------------------------------- commands
    def start_fit(self) -> bool:
        self.pause()
        return self._command(self.session.start_fit)

    def set_fit(self, **changes) -> bool:
        """Data, loss, model, trained names, target and features at once; a refusal goes to
        `fitFailed(field, message)`."""
        try:
            self.session.set_fit(merge=changes.pop("merge", "fit form"), **changes)
        except FitCommandError as err:
            self.fitFailed.emit(err.field, str(err))
            return False
        except Exception as err:  # noqa: BLE001 - nothing typed may take the window down
            self.report_failure("set up that fit", err)
            return False
        self.fitFailed.emit("", "")
        return True

    def set_fit_data(self, data: DataSpec) -> bool:
        return self.set_fit(data=data, merge=None)

    def set_fit_axes(self, first: str, second: str) -> bool:
        return self._command(self.session.set_fit_axes, first, second)

    def set_fit_held(self, values=None) -> bool:
        return self._command(self.session.set_fit_held, values)

    def set_run_vector(self, index: int, values) -> bool:
        """A run's start typed as one number per trained parameter."""
        return self._command(self.session.set_run_start, index, values, full=True)

    def set_default_vector(self, values) -> bool:
        return self._command(self.session.set_default_start, values, full=True)

    # ---------------------------------------------------------------- the slice follows the run
    def init_fit_control(self) -> None:
        for signal in (self.stepped, self.selectionChanged, self.runsChanged, self.surfaceChanged):
            signal.connect(self._follow_run)

    def fit_changes(self, changes: set[str]) -> None:
        """The session's fit changed (data, model, axes, held values): a new slice and the fit views."""
        if FIT in changes:
            self._request_surface()
            self.fitChanged.emit()

    def _follow_run(self, *_) -> None:
        fit = self.fit
        if fit is None or fit.held is not None or fit.dimension == 2:
            return
        if self._shown != self._generation:
            return   # one slice on its way: asked again once it is on show (surfaceChanged)
        self._request_surface()

    def fit_message(self, text: str) -> None:
        self.message.emit(text)
