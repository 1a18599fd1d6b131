"""The controller: a thin Qt adapter over the session. It turns the session's changes into signals,
owns the play timer, the background catch-up of steps and the surface compute service, and
reports a command the session refuses as a message. Nothing else writes the session."""
from __future__ import annotations

import logging
import time

import numpy as np
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, QThread, QTimer, Signal, Slot

from explorer.allocator import release_freed_memory
from explorer.core.calculus import CurvatureMap
from explorer.core.syntax_hints import ExpressionError
from explorer.session.fit_domain import domain_holding
from explorer.session.kinds import ProblemKind
from explorer.session import Session
from explorer.session import model as changes_
from explorer.session.sensitivity_reading import SENSITIVITY_ROW
from explorer.ui.control.batch_control import BatchReader
from explorer.ui.control.catch_up import CatchUp
from explorer.ui.control.compute_service import ComputeService
from explorer.ui.control.field_control import FieldReader
from explorer.ui.control.fit_control import FitReader
from explorer.ui.control.guarded import guarded
from explorer.ui.control.lesson_control import LessonReader
from explorer.ui.control.model_control import ModelReader
from explorer.ui.control.playback import Playback
from explorer.ui.control.readers import BatchReading, FieldReading, FitReading, LessonReading, TrainingReading
from explorer.ui.control.staged_drawing import StagedDrawing, replaces_many_runs
from explorer.ui.control.training_control import TrainingReader

DEFAULT_EXPRESSION = "(1 - x)^2 + 100*(y - x^2)^2"
log = logging.getLogger("landscape_explorer")
BURST_S = 0.3            # a request this soon after the last one is part of a drag: a coarse grid first
COARSE_DIVISOR = 4       # the coarse grid: N/4 points a side (1/16 of the work)
COARSE_MIN = 25
IDLE_TRIM_MS = 2000        # after this long without a new surface, freed memory goes back to the system


class Controller(Playback, QObject):
    """The session's changes as signals, the timeline and its play timer, the compute service; what the views
    read of one kind or feature is a composed reader: `field`, `fit`, `training`, `batch`, `lessons`."""

    surfaceChanged = Signal(object)          # CurvatureMap, or a field's FieldPicture
    expressionFailed = Signal(str)           # message with its column
    expressionAccepted = Signal(str)
    parametersChanged = Signal(object)       # {name: (value, low, high)}
    runsChanged = Signal()                   # runs added, removed or rebuilt
    stepped = Signal()                       # the timeline moved, or more states were computed
    selectionChanged = Signal(int)
    pathsChanged = Signal()                  # once for any of the three above: what path views redraw on
    playingChanged = Signal(bool)
    displayChanged = Signal()                # colouring, vertical scale, log scale, overlays
    modelViewChanged = Signal()              # the view a network fit's model pane shows (fit.view)
    sensitivityRowChanged = Signal()         # the row a network's input–output Jacobian is read at
    setupChanged = Signal()                  # domain, grid, max steps, start of new runs
    metaChanged = Signal()                   # title and note
    cameraChanged = Signal(object)           # a loaded scene's Camera (or None)
    historyChanged = Signal()                # what Undo and Redo would do
    historyMoving = Signal()                 # Undo or Redo is about to go back or forward: animations stop
    changed = Signal()                       # anything worth autosaving
    edited = Signal()                        # an edit or a selection (not the timeline moving): saved at once
    message = Signal(str)                    # for the status bar
    lensChanged = Signal()                   # the Jacobian lens moved, resized, or its field changed
    fitChanged = Signal()                    # a fit's data, model, trained parameters, axes or held values
    fitFailed = Signal(str, str)             # the part of the fit form at fault and why ('', '': accepted)

    def __init__(self, parent=None, session: Session | None = None):
        super().__init__(parent)
        self.session = session or Session()
        self.session.subscribe(self._session_changed)
        self.cmap: CurvatureMap | None = None     # or a FieldPicture
        self._generation = 0
        self._shown = -1
        self._requested_key = None
        self._timer = QTimer(self, timeout=self._tick)   # the play timer
        self.set_speed(8)
        self._catch_up = CatchUp(self)   # states the timeline needs, computed a slice a turn
        self._trim = QTimer(self, singleShot=True, interval=IDLE_TRIM_MS, timeout=release_freed_memory)
        # grids off the window's thread: the newest request only, a stale one stopped at its next block
        self._service = ComputeService(self)
        self._service.done.connect(self._surface_done)
        self._last_request = -1e9   # monotonic seconds
        self.staging = StagedDrawing(self)   # a big scene's runs drawn a view a turn after it opens
        self.field: FieldReading = FieldReader(self)
        self.fit: FitReading = FitReader(self)   # the slice follows the run: it listens to the run signals
        self.training: TrainingReading = TrainingReader(self)
        self.batch: BatchReading = BatchReader(self)
        self.lessons: LessonReading = LessonReader(self)
        self.model = ModelReader(self)   # a network fit's readings and the model builder's commands
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        if self.session.expression is not None:
            self.request_surface()

    # ---------------------------------------------------------------- what the views read
    @property
    def setup(self):
        return self.session.setup

    text = property(lambda self: self.session.setup.text)
    expression = property(lambda self: self.session.expression)
    objective = property(lambda self: self.session.objective)
    runs = property(lambda self: self.session.runs)
    configs = property(lambda self: self.session.setup.runs)
    selected = property(lambda self: self.session.selected)
    step_index = property(lambda self: self.session.shown_step)
    x_range = property(lambda self: self.session.setup.x_range)
    y_range = property(lambda self: self.session.setup.y_range)
    resolution = property(lambda self: self.session.setup.resolution)
    max_steps = property(lambda self: self.session.setup.max_steps)
    colouring = property(lambda self: self.session.setup.shown_colouring)   # the kind's: curvature, orientation …
    vertical_scale = property(lambda self: self.session.setup.vertical_scale)
    log_scale = property(lambda self: self.session.setup.log_scale)
    overlays = property(lambda self: dict(self.session.setup.overlays))
    start = property(lambda self: np.array(self.session.setup.default_start))

    @property
    def parameters(self) -> dict[str, tuple[float, float, float]]:
        return {n: (p.value, p.low, p.high) for n, p in self.session.setup.parameters.items()}

    def parameter_values(self) -> dict[str, float]:
        return self.session.setup.parameter_values()

    def selected_run(self):
        return self.session.selected_run()

    @property
    def kind(self) -> ProblemKind:
        """The problem's kind (explorer.session.kinds): its value name, axes, methods, picture and reading."""
        return self.session.kind

    @property
    def axis_names(self) -> tuple[str, str]:
        """What the map's and the 3D view's horizontal axes are: x and y, or a fit's two parameters."""
        return self.session.kind.axis_names(self.session.setup)

    def plane(self, points) -> np.ndarray:
        """Points of the runs as the map draws them: a fit's parameter vectors -> its two axis parameters."""
        return self.session.plane(points)

    # ---------------------------------------------------------------- commands
    @guarded("carry out that change")
    def command(self, action, *args, **kwargs) -> bool:
        """Carry out a session command; one it refuses becomes a status-bar message."""
        action(*args, **kwargs)
        return True

    def report_failure(self, what: str, err: BaseException) -> None:
        log.error("could not %s", what, exc_info=err)
        self.message.emit(f"Could not {what}: {type(err).__name__}: {err}".splitlines()[0][:300])

    @guarded("use that function")
    def set_expression(self, text: str) -> bool:
        """Accept `text` if it parses; otherwise report and keep the last good function."""
        before = [r.method for r in self.session.setup.runs]
        try:
            changed = self.session.set_expression(text)
        except ExpressionError as err:
            self.expressionFailed.emit(str(err))
            return False
        self.field.say_dropped(before)
        if not changed:   # the same text again: nothing changes, but the error (if any) is gone
            self.expressionAccepted.emit(self.text)
        return True

    def set_parameter(self, name, value):
        return self.command(self.session.set_parameter, name, value)

    def set_parameter_range(self, name, low, high):
        return self.command(self.session.set_parameter_range, name, low, high)

    def set_domain(self, x_range, y_range):
        return self.command(self.session.set_domain, x_range, y_range)

    @guarded("fit the domain to the runs")
    def fit_to_runs(self) -> bool:
        """View → Fit to runs: widen the domain to hold every run's start and shown path (undoable)."""
        points = self.plane([s.point for r in self.runs for s in r.states[:r.position + 1]])
        x_range, y_range, left_out = domain_holding(points, self.x_range, self.y_range)
        beyond = f"; {left_out} point(s) of a diverging run stay outside" if left_out else ""
        if (x_range, y_range) == (tuple(self.x_range), tuple(self.y_range)):
            self.message.emit("Every start and path is inside the domain already" + beyond)
            return False
        done = self.set_domain(x_range, y_range)
        if done:
            self.message.emit(f"Domain widened to x {x_range[0]:.4g}…{x_range[1]:.4g}, "
                              f"y {y_range[0]:.4g}…{y_range[1]:.4g} to hold every path" + beyond)
        return done

    def set_resolution(self, n):
        return self.command(self.session.set_resolution, n)

    def set_max_steps(self, n):
        return self.command(self.session.set_max_steps, n)

    def set_display(self, **options):
        return self.command(self.session.set_display, **options)

    def add_run(self, method, settings=None, start=None):
        return self.command(self.session.add_run, method, settings, start)

    def remove_run(self, index):
        return self.command(self.session.remove_run, index)

    def set_run_settings(self, index, settings, merge: str | None = None) -> bool:
        """`merge`: a slider's drag (one undo step until `seal`; only that run recomputed)."""
        return self.command(self.session.set_run_settings, index, settings, merge=merge)

    def set_run_start(self, index, x, y, merge: str | None = None) -> bool:
        return self.command(self.session.set_run_start, index, (x, y), merge=merge)

    def set_start(self, x, y) -> bool:
        """Every run (and every new run) starts at (x, y)."""
        return self.command(self.session.set_all_starts, (x, y))

    def set_default_start(self, x, y) -> bool:
        return self.command(self.session.set_default_start, (x, y))

    @guarded("open that scene")
    def load_scene(self, scene, name="Open scene", prepared=None, staged: bool = False) -> None:
        """`staged`: the views draw the runs' items on later turns of the event loop (`StagedDrawing`)."""
        self.pause()
        with self.staging.collecting(staged):
            self.session.load_scene(scene, name, prepared=prepared)

    @guarded("undo")
    def undo(self):
        self.pause()
        self.historyMoving.emit()
        done = self.session.history.done   # undoing the opening of a big scene: drawn in stages as it was
        with self.staging.collecting(bool(done) and replaces_many_runs(done[-1].after, done[-1].before)):
            name = self.session.undo()
        self.message.emit(f"Undid: {name}" if name else "Nothing to undo")

    @guarded("redo")
    def redo(self):
        self.pause()
        self.historyMoving.emit()
        undone = self.session.history.undone
        with self.staging.collecting(bool(undone) and replaces_many_runs(undone[-1].before, undone[-1].after)):
            name = self.session.redo()
        self.message.emit(f"Redid: {name}" if name else "Nothing to redo")

    def seal(self):
        self.session.seal()

    @guarded("select that run")
    def select(self, index: int) -> None:
        self.session.select(index)

    # ---------------------------------------------------------------- the session's changes as signals
    def _session_changed(self, changes: set[str]) -> None:
        c = changes_
        self.fit.changes(changes)   # a fit's new slice (its axes, held values) and its views
        if c.FUNCTION in changes or c.DOMAIN in changes:
            self.request_surface()
        if c.FUNCTION in changes:
            self.expressionAccepted.emit(self.text)
        if c.PARAMETERS in changes:
            self.parametersChanged.emit(self.parameters)
        if c.DOMAIN in changes or c.CONTROLS in changes:
            self.setupChanged.emit()
        if c.RUNS in changes:
            self.runsChanged.emit()
        if c.TIMELINE in changes:
            self.stepped.emit()
        if c.SELECTION in changes:
            self.selectionChanged.emit(self.selected)
        if changes & {c.RUNS, c.TIMELINE, c.SELECTION}:
            self.pathsChanged.emit()   # one redraw of the paths, not one per signal above
        if c.DISPLAY in changes:
            self.displayChanged.emit()
        if c.META in changes:
            self.metaChanged.emit()
        if c.MODEL_VIEW in changes:
            self.modelViewChanged.emit()
        if SENSITIVITY_ROW in changes:
            self.sensitivityRowChanged.emit()
        if c.CAMERA in changes:
            self.cameraChanged.emit(self.session.camera)
        if c.LENS in changes and self.session.calculus is not None:   # a field's lens
            self.lensChanged.emit()
        if c.HISTORY in changes:
            self.historyChanged.emit()
        if changes - {c.SELECTION, SENSITIVITY_ROW}:   # a row chosen is not saved: nothing to autosave
            self.changed.emit()
        if changes & {c.HISTORY, c.SELECTION}:
            self.edited.emit()
        self._catch_up.start()

    # ---------------------------------------------------------------- surface
    def request_surface(self) -> None:
        """Ask the compute service for the kind's picture of the domain (once per new key)."""
        s = self.session.setup
        if self.session.expression is None:
            return
        key = (s.text, tuple(sorted(s.parameter_values().items())), s.x_range, s.y_range, s.resolution,
               s.gradient_field, self.fit.slice_key())
        if key == self._requested_key:
            return
        self._requested_key = key
        self._generation += 1
        kind = self.session.kind
        problem, params = kind.grid_problem(self.session), s.parameter_values()

        def grid(n):
            xs, ys = np.linspace(*s.x_range, n), np.linspace(*s.y_range, n)
            return lambda stop: kind.grid_picture(problem, params, xs, ys, stop)

        stages = [grid(s.resolution)]
        now = time.monotonic()
        coarse = max(COARSE_MIN, s.resolution // COARSE_DIVISOR)
        if now - self._last_request < BURST_S and coarse < s.resolution:   # a drag or fast typing
            stages.insert(0, grid(coarse))
        self._last_request = now
        self._service.submit(self._generation, stages)

    @Slot(int, object, bool)
    def _surface_done(self, generation: int, cmap, final: bool) -> None:
        if generation != self._generation:
            return  # a newer request is on its way
        if final:
            self._shown = generation
            self._trim.start()
        if isinstance(cmap, Exception):
            log.error("computing the surface failed", exc_info=cmap)
            self.message.emit(f"Could not compute the surface: {cmap}")
            return
        self.cmap = cmap
        self.surfaceChanged.emit(cmap)

    def surface_on_show(self) -> bool:
        """Is the newest picture asked for on show (none on its way)?"""
        return self._shown == self._generation

    def wait_for_surface(self, timeout_ms: int = 10000) -> bool:
        """For tests and screenshots: process events until the newest surface is on show (with the runs
        a big scene draws a view a turn)."""
        clock = QElapsedTimer()
        clock.start()
        while clock.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
            if self._shown == self._generation and self.cmap is not None and not self.staging.pending:
                return True
            QThread.msleep(2)
        return False

    def shutdown(self) -> None:
        self.pause()
        self._catch_up.stop()
        self.staging.drop()   # no view draws into a window that is closing
        self._service.close()
