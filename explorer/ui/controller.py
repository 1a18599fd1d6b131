"""The one controller: owns the current setup and its runs, calls the core, tells views what changed."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, QThread, QTimer, Signal, Slot

from explorer.core.calculus import CurvatureMap, PointAnalysis, SurfaceCalculus
from explorer.core.expression import Expression, parse
from explorer.core.objective import Objective
from explorer.core.optimizers import METHODS, make_optimizer
from explorer.core.syntax_hints import ExpressionError
from explorer.core.trajectory import Run
from explorer.ui.palette import RUN_COLOURS

DEFAULT_EXPRESSION = "(1 - x)^2 + 100*(y - x^2)^2"
DEFAULT_PARAMETER = (1.0, -5.0, 5.0)   # value, slider low, slider high


@dataclass
class RunConfig:
    method: str
    settings: dict[str, float] = field(default_factory=dict)
    colour: str = "#000000"
    start: tuple[float, float] | None = None   # None: the shared start point


class GridWorker(QObject):
    """Computes curvature maps off the GUI thread; the newest request wins."""

    done = Signal(int, object)

    @Slot(int, object, object, object, object)
    def compute(self, generation, expression, params, xs, ys):
        try:
            cmap = SurfaceCalculus(expression, params).curvature_map(xs, ys)
        except (ValueError, ArithmeticError) as err:  # never lose the window to a bad grid
            cmap = err
        self.done.emit(generation, cmap)


class Controller(QObject):
    surfaceChanged = Signal(object)          # CurvatureMap
    expressionFailed = Signal(str)           # message with its column
    expressionAccepted = Signal(str)
    parametersChanged = Signal(object)       # {name: (value, low, high)}
    runsChanged = Signal()                   # runs added, removed or rebuilt
    stepped = Signal()                       # positions along runs changed
    selectionChanged = Signal(int)
    playingChanged = Signal(bool)
    displayChanged = Signal()                # colouring, vertical scale, log scale, overlays
    message = Signal(str)                    # for the status bar
    _request = Signal(int, object, object, object, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.expression: Expression | None = None
        self.parameters: dict[str, list[float]] = {}    # name -> [value, low, high]
        self.x_range, self.y_range = (-2.0, 2.0), (-1.0, 3.0)
        self.resolution = 200
        self.start = np.array([-1.2, 1.0])
        self.max_steps = 500
        self.configs: list[RunConfig] = []
        self.runs: list[Run] = []
        self.selected = 0
        self.cmap: CurvatureMap | None = None
        self.colouring = "curvature"             # or "height"
        self.vertical_scale, self.log_scale = 1.0, False
        self.overlays = {"gradient": True, "eigenvectors": True, "quadratic_model": False}
        self.objective: Objective | None = None
        self._generation = 0
        self._shown = -1
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self.set_speed(8)
        self._thread = QThread(self)
        self._worker = GridWorker()
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.compute)
        self._worker.done.connect(self._surface_done)
        self._thread.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # ---------------------------------------------------------------- function and domain
    def set_expression(self, text: str) -> bool:
        """Accept `text` if it parses; otherwise report and keep the last good function."""
        try:
            expression = parse(text, ("x", "y"))
        except ExpressionError as err:
            self.expressionFailed.emit(str(err))
            return False
        self.text, self.expression = text, expression
        self.parameters = {n: self.parameters.get(n, list(DEFAULT_PARAMETER)) for n in expression.parameters}
        self.expressionAccepted.emit(text)
        self.parametersChanged.emit(dict(self.parameters))
        self._function_changed()
        return True

    def set_parameter(self, name: str, value: float) -> None:
        if name in self.parameters and self.parameters[name][0] != value:
            self.parameters[name][0] = float(value)
            self._function_changed()

    def set_domain(self, x_range, y_range) -> None:
        x_range, y_range = tuple(map(float, x_range)), tuple(map(float, y_range))
        if not (x_range[0] < x_range[1] and y_range[0] < y_range[1]):
            self.message.emit("A range needs its lower end below its upper end.")
            return
        if (x_range, y_range) != (self.x_range, self.y_range):
            self.x_range, self.y_range = x_range, y_range
            self._request_surface()

    def set_resolution(self, n: int) -> None:
        if int(n) != self.resolution:
            self.resolution = int(n)
            self._request_surface()

    def set_display(self, colouring=None, vertical_scale=None, log_scale=None, **overlays) -> None:
        if colouring is not None:
            self.colouring = colouring
        if vertical_scale is not None:
            self.vertical_scale = float(vertical_scale)
        if log_scale is not None:
            self.log_scale = bool(log_scale)
        self.overlays.update({k: bool(v) for k, v in overlays.items() if k in self.overlays})
        self.displayChanged.emit()

    def parameter_values(self) -> dict[str, float]:
        return {n: v[0] for n, v in self.parameters.items()}

    def _function_changed(self) -> None:
        self.objective = Objective(self.expression, self.parameter_values())
        self._request_surface()
        self._rebuild_runs()

    def _request_surface(self) -> None:
        if self.expression is None:
            return
        self._generation += 1
        xs = np.linspace(*self.x_range, self.resolution)
        ys = np.linspace(*self.y_range, self.resolution)
        self._request.emit(self._generation, self.expression, self.parameter_values(), xs, ys)

    @Slot(int, object)
    def _surface_done(self, generation: int, cmap) -> None:
        if generation != self._generation:
            return  # a newer request is on its way
        if isinstance(cmap, Exception):
            self._shown = generation
            self.message.emit(f"Could not compute the surface: {cmap}")
            return
        self.cmap = cmap
        self.surfaceChanged.emit(cmap)
        self._shown = generation

    def wait_for_surface(self, timeout_ms: int = 10000) -> bool:
        """For tests and screenshots: process events until the newest surface is on show."""
        clock = QElapsedTimer()
        clock.start()
        while clock.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
            if self._shown == self._generation and self.cmap is not None:
                return True
            QThread.msleep(2)
        return False

    # ---------------------------------------------------------------- runs
    def set_start(self, x: float, y: float) -> None:
        """One start for every run (a click on the contour map)."""
        self.start = np.array([float(x), float(y)])
        for config in self.configs:
            config.start = None
        self._rebuild_runs()

    def add_run(self, method: str, settings: dict | None = None, start=None) -> None:
        if method not in METHODS:
            self.message.emit(f"Unknown method '{method}'.")
            return
        used = {c.colour for c in self.configs}
        colour = next((c for c in RUN_COLOURS if c not in used), RUN_COLOURS[len(self.configs) % len(RUN_COLOURS)])
        self.configs.append(RunConfig(method, dict(settings or {}), colour,
                                      None if start is None else tuple(map(float, start))))
        self.selected = len(self.configs) - 1
        self._rebuild_runs()

    def remove_run(self, index: int) -> None:
        if 0 <= index < len(self.configs):
            del self.configs[index]
            self.selected = min(self.selected, max(0, len(self.configs) - 1))
            self._rebuild_runs()

    def set_run_settings(self, index: int, settings: dict[str, float]) -> bool:
        try:
            make_optimizer(self.configs[index].method, self.objective, **settings)
        except ValueError as err:
            self.message.emit(str(err))
            return False
        self.configs[index].settings = dict(settings)
        self._rebuild_runs()
        return True

    def select(self, index: int) -> None:
        if 0 <= index < len(self.runs) and index != self.selected:
            self.selected = index
            self.selectionChanged.emit(index)

    def selected_run(self) -> Run | None:
        return self.runs[self.selected] if 0 <= self.selected < len(self.runs) else None

    def _rebuild_runs(self) -> None:
        self.pause()
        self.runs = []
        if self.objective is not None:
            for c in self.configs:
                start = self.start if c.start is None else c.start
                self.runs.append(Run(make_optimizer(c.method, self.objective, **c.settings), start,
                                     max_steps=self.max_steps))
        self.runsChanged.emit()

    # ---------------------------------------------------------------- stepping
    def step(self) -> bool:
        moved = [r.step_forward() for r in self.runs]
        if any(moved):
            self.stepped.emit()
        return any(moved)

    def back(self) -> None:
        if any([r.step_back() for r in self.runs]):
            self.stepped.emit()

    def reset(self) -> None:
        self.pause()
        for r in self.runs:
            r.position = 0
        self.stepped.emit()

    def set_speed(self, steps_per_second: float) -> None:
        self.speed = max(1.0, float(steps_per_second))
        self._timer.setInterval(int(1000 / self.speed))

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def play(self) -> None:
        if not self.playing and self.runs:
            self._timer.start()
            self.playingChanged.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self.playingChanged.emit(False)
            self.stepped.emit()  # views that skipped frames while playing catch up

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def _tick(self) -> None:
        if not self.step():
            self.pause()

    def analysis(self) -> PointAnalysis | None:
        run = self.selected_run()
        if run is None or self.objective is None:
            return None
        return self.objective.analyze(run.current.point)

    def shutdown(self) -> None:
        self.pause()
        self._thread.quit()
        self._thread.wait(5000)
