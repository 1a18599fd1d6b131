"""The controller's fit reader (`controller.fit`): what the fit views read (the problem, the axes, the held
values, the whole n×n analysis) and the fit commands. Every number comes from the core.

The landscape of a fit is a 2-D slice through L(θ): two trained parameters on the axes, the others held
at the selected run's current values (the slice moves as the run moves) or at chosen values. While the
slice follows the run, a new slice is asked for whenever the run on show moves, at most one at a time
(the next once the last has arrived), so playing never piles up work.
"""
from __future__ import annotations


from explorer.core.calculus import PointAnalysis
from explorer.core.fit_scene import FIT, DataSpec
from explorer.session.errors import FitCommandError, SessionError
from explorer.ui.text.fit_text import number, slice_note

HELD_LISTED = 8   # held parameters the map's note names with their values; more are counted


class FitReader:
    """Reads the session through `controller`; its commands are the controller's `command`s, a refusal of the
    fit form going to `fitFailed(field, message)`."""

    def __init__(self, controller):
        self._controller = c = controller
        for signal in (c.stepped, c.selectionChanged, c.runsChanged, c.surfaceChanged):
            signal.connect(self._follow_run)

    session = property(lambda self: self._controller.session)
    spec = property(lambda self: self.session.setup.fit)   # the FitSpec (None for a surface or a field)

    @property
    def problem(self):
        """The FitProblem on show (None for a surface or a field)."""
        return self.session.problem

    def plane_is_whole(self) -> bool:
        """Is the map the whole landscape (a surface, or a fit of two parameters in their order)? Views of
        one point's geometry in x and y (Newton's model, stability) need it."""
        return self.spec is None or self.spec.whole

    def slice_key(self):
        """What a fit's slice depends on besides the loss, the sliders and the windows."""
        fit = self.spec
        if fit is None:
            return None
        held = None if fit.dimension == 2 else tuple(self.session.held_theta())
        plane = self.session.direction_plane()   # a network's plane of directions (None: the axes')
        return fit.axes, held, fit.data, fit.trained, fit.directions, plane and id(plane)

    def analysis(self) -> PointAnalysis | None:
        """L's value, gradient, n×n Hessian, eigenvalues and condition number at the selected run's point."""
        run = self.session.selected_run()
        if run is None or self.spec is None:
            return None
        return self.session.kind.reading(self.session, run.current.point)

    def slice_text(self) -> str:
        """What the map says about the parameters it does not show ('' when it shows them all), and the grid it
        is drawn on where a network's map is thinned."""
        fit = self.spec
        if fit is None or fit.dimension == 2:
            return ""
        drawn, asked = self.session.map_points(), self.session.setup.resolution
        thinned = f"; drawn on {drawn}×{drawn} points, not {asked}: this network's map would take too long" if (
            drawn < asked) else ""
        return self._held_text(fit) + thinned

    def _held_text(self, fit) -> str:
        if self.session.directions is not None:   # a network's plane of directions
            return self.session.plane_text()
        run = self.session.selected_run()
        names = [n for n in fit.trained if n not in fit.axes]
        theta = self.session.held_theta()
        values = ", ".join(f"{n} = {number(theta[fit.trained.index(n)])}" for n in names)
        if len(names) > HELD_LISTED:   # a network's: the values are in the fit form's "held at" box
            values = f"the other {len(names):,} parameters"
        if fit.held is not None:
            return slice_note(values, "held at chosen values")
        if run is None:
            return slice_note(values, "the start of new runs")
        return slice_note(values, f"{run.method}'s step {run.position}", moving=True)

    # ---------------------------------------------------------------- commands
    def start(self) -> bool:
        """Switch to a fit of data (linear regression of the line dataset)."""
        self._controller.pause()
        return self._controller.command(self.session.start_fit)

    def set(self, **changes) -> bool:
        """Data, loss, model, trained names, target and features at once; a refusal goes to
        `fitFailed(field, message)`."""
        c = self._controller
        try:
            self.session.set_fit(merge=changes.pop("merge", "fit form"), **changes)
        except FitCommandError as err:
            c.fitFailed.emit(err.field, str(err))
            return False
        except Exception as err:  # noqa: BLE001 - nothing typed may take the window down
            c.report_failure("set up that fit", err)
            return False
        c.fitFailed.emit("", "")
        return True

    def set_data(self, data: DataSpec) -> bool:
        return self.set(data=data, merge=None)

    def set_axes(self, first: str, second: str) -> bool:
        return self._controller.command(self.session.set_fit_axes, first, second)

    def set_directions(self, spec) -> str:
        """The network map's plane of directions (None: two parameters), one undoable command: '' or why not."""
        try:
            self.session.set_directions(spec)
        except (FitCommandError, SessionError) as err:
            return str(err)
        return ""

    def set_held(self, values=None) -> bool:
        return self._controller.command(self.session.set_fit_held, values)

    def set_run_vector(self, index: int, values) -> bool:
        """A run's start typed as one number per trained parameter."""
        return self._controller.command(self.session.set_run_start, index, values, full=True)

    def set_default_vector(self, values) -> bool:
        return self._controller.command(self.session.set_default_start, values, full=True)

    # ---------------------------------------------------------------- the slice follows the run
    def changes(self, changes: set[str]) -> None:
        """The session's fit changed (data, model, axes, held values): a new slice and the fit views."""
        if FIT in changes:
            self._controller.request_surface()
            self._controller.fitChanged.emit()

    def _follow_run(self, *_) -> None:
        fit, c = self.spec, self._controller
        if fit is None or fit.held is not None or fit.dimension == 2:
            return
        if not c.surface_on_show():
            return   # one slice on its way: asked again once it is on show (surfaceChanged)
        c.request_surface()
