"""The session: what a person set up (an undoable `Setup`), the runs it implies, and one timeline.

Qt-free. Every change is a named command (`set_expression`, `add_run`, `set_run_start`, `load_scene`,
...) that goes through `_apply`, which records it for undo and tells subscribers what changed.
Moving along the one timeline (`step_forward`, `step_back`, `jump`, `reset`: explorer.session.timeline)
is not undoable. A run whose setup did not change keeps its states (runs are cached by what determines them).
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Callable

from explorer.core.expression import Expression
from explorer.core.field_expression import is_field_text
from explorer.core.field_picture import HEIGHTS
from explorer.core.field_scene import FIELD, FIELD_COLOURINGS
from explorer.core.fields import FieldCalculus
from explorer.core.loss_plot_scene import LossPlotSpec, loss_plot_problem
from explorer.core.objective import Objective
from explorer.core.methods import make_optimizer
from explorer.core.scene import (ALL_OVERLAYS, COLOURINGS, MAX_COORDINATE, MAX_REPLAYED_STATES, MAX_RUNS, MAX_STEPS,
                                 RESOLUTION, Camera, Scene, scene_at)
from explorer.core.trajectory import Run
from explorer.session.builder import Builder
from explorer.session.direction_commands import DirectionCommands
from explorer.session.errors import SessionError
from explorer.session.field_commands import FieldCommands, fit_runs
from explorer.session.fit_commands import FitCommands
from explorer.session.history import History
from explorer.session.model_commands import ModelCommands
from explorer.session.kinds import ProblemKind, kind_named
from explorer.session.timeline import DRAG_BUDGET, STEP_BUDGET, TIMELINE, Timeline
from explorer.session.training_commands import TrainingCommands, runs_that_apply
from explorer.core.document import DEFAULT_PARAMETER_VALUE, Parameter, Setup
from explorer.core.run_spec import RunSpec

# what subscribers are told changed (and TIMELINE, explorer.session.timeline)
FUNCTION, PARAMETERS, DOMAIN, RUNS = "function", "parameters", "domain", "runs"
DISPLAY, SELECTION, META, CONTROLS, HISTORY, CAMERA = "display", "selection", "meta", "controls", "history", "camera"
LENS = "lens"
FIT = "fit"        # a fit's data, model, trained parameters, axes or held values
MODEL_VIEW = "model_view"   # the view a network fit's model pane shows


class Session(Timeline, FieldCommands, FitCommands, TrainingCommands, ModelCommands, DirectionCommands):
    def __init__(self, setup: Setup | None = None):
        self.setup = Setup()
        self.step = 0                        # k: the one timeline
        self.selected = 0
        self.camera: Camera | None = None    # the 3D view's camera a loaded scene asked for
        self.history = History()
        self.expression: Expression | None = None
        self.runs: list[Run] = []
        self._build = Builder()
        self._listeners: list[Callable[[set[str]], None]] = []
        if setup is not None:
            self._install(setup)

    @classmethod
    def from_scene(cls, scene: Scene) -> Session:
        session = cls()
        session.load_scene(scene, undoable=False)
        return session

    def subscribe(self, listener: Callable[[set[str]], None]) -> None:
        """`listener(changes)` is called after every change with the names of what changed."""
        self._listeners.append(listener)

    # ---------------------------------------------------------------- reading
    @property
    def kind(self) -> ProblemKind:
        """The problem's kind (explorer.session.kinds): a surface, a field (a typed '(u, v)', or a surface shown
        as ∇f) or a fit (a loss over data); `kind.name` is what scenes and the command line call it."""
        return kind_named(self.setup.kind)

    @property
    def objective(self) -> Objective | None:
        """The function f: what a surface's runs walk on (also f's when it is shown as ∇f; None for '(u, v)');
        a fit's mean loss over its trained parameters."""
        if self.expression is None or (is_field_text(self.setup.text) and self.setup.fit is None):
            return None
        return self._build.objective(self.setup)

    @property
    def calculus(self) -> FieldCalculus | None:
        """The field of a field problem (None for a surface)."""
        if self.expression is None or self.setup.kind != FIELD:
            return None
        return self._build.calculus(self.setup)

    def scene(self, camera: Camera | None = None) -> Scene:
        """The scene to save: it reopens what is on screen (at a step a file may ask to replay)."""
        step = min(self.shown_step, MAX_REPLAYED_STATES // max(1, len(self.runs)))
        return scene_at(self.setup, step, self.selected, camera if camera is not None else self.camera)

    def selected_run(self) -> Run | None:
        return self.runs[self.selected] if 0 <= self.selected < len(self.runs) else None

    # ---------------------------------------------------------------- commands: the function
    def set_expression(self, text: str) -> bool:
        """Accept `text` (ExpressionError if it does not parse); False when it is what is there already."""
        if text.strip() == self.setup.text.strip() and self.setup.fit is None:
            return False
        expression = self._build.expression(text)
        old = self.setup.parameters
        parameters = {n: old.get(n, Parameter(DEFAULT_PARAMETER_VALUE)) for n in expression.parameters}
        gradient = self.setup.gradient_field and not is_field_text(text)
        # a preset's title and note describe its function: once the function is another, they go
        new = replace(self._leave_fit(self.setup), text=text, parameters=parameters, title="", note="",
                      gradient_field=gradient)
        self._apply("Edit function", fit_runs(new), merge="expression")
        return True

    def set_parameter(self, name: str, value: float) -> None:
        value = float(value)
        if name not in self.setup.parameters:
            raise SessionError(f"'{name}' is not a parameter")
        if not (math.isfinite(value) and abs(value) <= MAX_COORDINATE):
            raise SessionError(f"{name} needs a finite value within ±{MAX_COORDINATE:,.0f}")
        p = self.setup.parameters[name]
        if p.value != value:
            parameters = dict(self.setup.parameters, **{name: Parameter(value, p.low, p.high).widened()})
            self._apply(f"Set {name}", replace(self.setup, parameters=parameters), merge=f"parameter {name}")

    def set_parameter_range(self, name: str, low: float, high: float) -> None:
        if name not in self.setup.parameters:
            raise SessionError(f"'{name}' is not a parameter")
        low, high = float(low), float(high)
        if not (abs(low) <= MAX_COORDINATE and abs(high) <= MAX_COORDINATE and low < high):
            raise SessionError(f"the range of {name} needs a lower end below its upper end, "
                               f"both within ±{MAX_COORDINATE:,.0f}")
        p = self.setup.parameters[name]
        parameters = dict(self.setup.parameters, **{name: Parameter(min(max(p.value, low), high), low, high)})
        if parameters != self.setup.parameters:
            self._apply(f"Set range of {name}", replace(self.setup, parameters=parameters))

    def set_domain(self, x_range, y_range) -> None:
        x_range, y_range = tuple(map(float, x_range)), tuple(map(float, y_range))
        for r in (x_range, y_range):
            if not (all(math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in r) and r[0] < r[1]):
                raise SessionError("a range needs finite ends, the lower below the upper")
        if (x_range, y_range) != (self.setup.x_range, self.setup.y_range):
            self._apply("Set domain", replace(self.setup, x_range=x_range, y_range=y_range))

    def set_resolution(self, n: int) -> None:
        n = int(n)
        if not RESOLUTION[0] <= n <= RESOLUTION[1]:
            raise SessionError(f"the grid needs {RESOLUTION[0]} to {RESOLUTION[1]} points per axis")
        if n != self.setup.resolution:
            self._apply("Set grid", replace(self.setup, resolution=n))

    def set_max_steps(self, n: int) -> None:
        n = int(n)
        if not MAX_STEPS[0] <= n <= MAX_STEPS[1]:
            raise SessionError(f"max steps must be between {MAX_STEPS[0]} and {MAX_STEPS[1]:,}")
        if n != self.setup.max_steps:
            self._apply("Set max steps", replace(self.setup, max_steps=n))

    def set_display(self, colouring=None, vertical_scale=None, log_scale=None, field_height=None,
                    loss_plot: LossPlotSpec | None = None, **overlays) -> None:
        """Colouring (a surface's or a field's), 3D scale, log scale, a field's 3D height, the loss plot, overlays."""
        s = self.setup
        if loss_plot is not None and (problem := loss_plot_problem(loss_plot, s.fit is not None)):
            raise SessionError(f"loss plot: {problem}")
        if s.fit is not None and overlays.get("basins"):
            raise SessionError("basins of attraction are drawn for a function f(x, y), not for a fit's slice")
        if colouring is not None and colouring not in COLOURINGS + FIELD_COLOURINGS:
            choices = FIELD_COLOURINGS if s.kind == FIELD else COLOURINGS
            raise SessionError(f"colour by one of {', '.join(choices)}")
        if field_height is not None and field_height not in HEIGHTS:
            raise SessionError(f"the 3D view of a field shows one of {', '.join(HEIGHTS)}")
        surface_colouring = colouring if colouring in COLOURINGS else s.colouring
        field_colouring = colouring if colouring in FIELD_COLOURINGS else s.field_colouring
        new = replace(s, colouring=surface_colouring, field_colouring=field_colouring,
                      field_height=s.field_height if field_height is None else field_height,
                      vertical_scale=s.vertical_scale if vertical_scale is None else float(vertical_scale),
                      log_scale=s.log_scale if log_scale is None else bool(log_scale),
                      loss_plot=s.loss_plot if loss_plot is None else loss_plot,
                      overlays={k: bool(overlays.get(k, v)) for k, v in s.overlays.items() if k in ALL_OVERLAYS})
        if new != s:
            merge = "vertical scale" if vertical_scale is not None else None
            self._apply("Change display", new, merge=merge)

    # ---------------------------------------------------------------- commands: runs
    def add_run(self, method: str, settings: dict | None = None, start=None, full: bool = False) -> None:
        """A run of `method`; `start` (default: where new runs start) is x, y, or a fit's parameter vector
        (`full`; two numbers alone are the map's axes)."""
        if len(self.setup.runs) >= MAX_RUNS:
            raise SessionError(f"at most {MAX_RUNS} runs: remove one first")
        self._check_field_run(method, settings or {})
        settings = self._checked_settings(method, settings or {})
        start = self.setup.default_start if start is None else self._fit_start(start, self.setup.default_start,
                                                                                 full=full)
        run = RunSpec(method, settings, start)
        self._apply(f"Add {method}", replace(self.setup, runs=self.setup.runs + (run,)))
        self.select(len(self.runs) - 1)

    def remove_run(self, index: int) -> None:
        self._check_index(index)
        runs = self.setup.runs[:index] + self.setup.runs[index + 1:]
        self._apply(f"Remove {self.setup.runs[index].method}", replace(self.setup, runs=runs))

    def set_run_settings(self, index: int, settings: dict[str, float], merge: str | None = None) -> None:
        """`merge`: a slider's drag (its name, say): one undo step until `seal`; only run `index` is
        recomputed, up to DRAG_BUDGET states at once (the rest is `advance`'s)."""
        self._check_index(index)
        self._check_field_run(self.setup.runs[index].method, settings)
        settings = self._checked_settings(self.setup.runs[index].method, settings)
        if settings != self.setup.runs[index].settings:
            self._apply(f"Change {self.setup.runs[index].method} settings",
                        self.setup.with_run(index, settings=settings), **_dragged(index, merge))

    def set_run_start(self, index: int, point, full: bool = False, merge: str | None = None) -> None:
        """Run `index` starts at `point`: x, y, or a fit's parameter vector (`full`; two numbers alone are
        the map's axes, the other parameters keep their start); `merge` as for `set_run_settings`."""
        self._check_index(index)
        point = self._fit_start(point, self.setup.runs[index].start, full=full)
        if point != self.setup.runs[index].start:
            self._apply(f"Move {self.setup.runs[index].method}'s start", self.setup.with_run(index, start=point),
                        **_dragged(index, merge))

    def set_all_starts(self, point, full: bool = False) -> None:
        """Every run and new runs start at `point` (Shift+click on the map)."""
        point = self._fit_start(point, self.setup.default_start, full=full)
        runs = tuple(replace(r, start=point) for r in self.setup.runs)
        new = replace(self.setup, runs=runs, default_start=point)
        if new != self.setup:
            self._apply("Move every start", new)

    def set_default_start(self, point, full: bool = False) -> None:
        point = self._fit_start(point, self.setup.default_start, "the start of new runs", full=full)
        if point != self.setup.default_start:
            self._apply("Set start of new runs", replace(self.setup, default_start=point))

    def load_scene(self, scene: Scene, name: str = "Open scene", undoable: bool = True,
                   prepared: Builder | None = None) -> None:
        """Replace everything by a checked scene, as one command; the timeline goes to its step.

        `prepared`: what `explorer.session.prepare.prepare_scene` built for this scene (in a worker
        thread): its runs, already stepped to the scene's step, are taken instead of built again.
        """
        if prepared is not None:
            self._build.adopt(prepared)
        setup = scene.setup
        self._build.expression_of(setup)
        for r in setup.runs:
            self._checked_settings(r.method, r.settings, setup)
        kept = self.step, self.selected, self.camera
        self.step, self.selected, self.camera = scene.current_step, scene.selected_run, scene.camera
        try:
            self._apply(name, setup, record=undoable, also={TIMELINE, SELECTION, CAMERA})
        except Exception:
            self.step, self.selected, self.camera = kept   # a scene is applied whole or not at all
            raise

    # ---------------------------------------------------------------- undo
    def undo(self) -> str | None:
        command = self.history.undo()
        if command is not None:
            self._install(command.before, also={HISTORY})
        return command and command.name

    def redo(self) -> str | None:
        command = self.history.redo()
        if command is not None:
            self._install(command.after, also={HISTORY})
        return command and command.name

    def forget_history(self) -> None:
        """Start the undo history here (after the program has set itself up)."""
        self.history.clear()
        self._notify({HISTORY})

    def seal(self) -> None:
        """End the edit or drag in progress: the next change is a new undo step."""
        self.history.seal()

    def select(self, index: int) -> None:
        if 0 <= index < len(self.runs) and index != self.selected:
            self.selected = index
            self._notify({SELECTION})

    # ---------------------------------------------------------------- inside
    def _apply(self, name: str, setup: Setup, merge: str | None = None, record: bool = True,
               also: set[str] = frozenset(), budget: int = STEP_BUDGET) -> None:
        before, setup = self.setup, runs_that_apply(setup)
        changes = self._install(setup, also=set(also) | {HISTORY}, notify=False, budget=budget)
        if record:   # only a change that took place is recorded
            self.history.push(name, before, setup, merge)
        self._notify(changes)

    def _install(self, setup: Setup, also: set[str] = frozenset(), notify: bool = True,
                 budget: int = STEP_BUDGET) -> set[str]:
        """Make `setup` the session's; all of it or, if building it fails, none of it. Runs whose spec did
        not change keep their Run objects (and states); new ones get the first `budget` states computed."""
        old = self.setup
        changes = set(also)
        expression, runs = self.expression, self.runs
        fitted = _fitted(setup) != _fitted(old)   # what a fit's runs depend on: its data and trained names
        if setup.text != old.text or setup.parameters != old.parameters or expression is None or fitted or (
                setup.fit and old.fit and setup.fit.model != old.fit.model):
            expression = self._build.expression_of(setup)
            changes |= {FUNCTION, PARAMETERS}
        if setup.gradient_field != old.gradient_field:
            changes |= {FUNCTION}
        if setup.fit != old.fit and not _only_view_differs(setup.fit, old.fit):
            if setup.fit is not None:
                self._build.problem(setup)   # its axes and held values are checked too
            changes.add(FIT)
        if getattr(setup.fit, "view", None) != getattr(old.fit, "view", None):
            changes.add(MODEL_VIEW)
        if (setup.text, setup.parameters, setup.runs, setup.max_steps, setup.gradient_field) != (
                old.text, old.parameters, old.runs, old.max_steps, old.gradient_field) or not runs or fitted:
            same_ground = (setup.text, setup.parameters, setup.max_steps, setup.gradient_field) == (
                old.text, old.parameters, old.max_steps, old.gradient_field) and not fitted
            kept = list(zip(old.runs, runs)) if same_ground else []
            runs = [_kept(kept, r) or self._build.run(setup, r) for r in setup.runs]
            changes |= {RUNS, TIMELINE}
        fresh = [run for run in runs if not any(run is old_run for old_run in self.runs)]
        self.setup, self.expression, self.runs = setup, expression, runs   # nothing above changed the session
        if RUNS in changes:
            self.selected = min(self.selected, max(0, len(self.runs) - 1))
            # the new runs first: a dragged run's path is what the drag shows
            self.advance(budget, fresh + [run for run in runs if not any(run is f for f in fresh)])
        if (setup.x_range, setup.y_range, setup.resolution) != (old.x_range, old.y_range, old.resolution):
            changes.add(DOMAIN)
        if (setup.colouring, setup.vertical_scale, setup.log_scale, setup.overlays, setup.field_colouring,
                setup.field_height, setup.loss_plot) != (old.colouring, old.vertical_scale, old.log_scale,
                                                         old.overlays, old.field_colouring, old.field_height,
                                                         old.loss_plot):
            changes.add(DISPLAY)
        if setup.lens_at() != old.lens_at() or FUNCTION in changes:
            changes.add(LENS)
        if (setup.title, setup.note) != (old.title, old.note):
            changes.add(META)
        if (setup.default_start, setup.max_steps) != (old.default_start, old.max_steps):
            changes.add(CONTROLS)
        if notify:
            self._notify(changes)
        return changes

    def _notify(self, changes: set[str]) -> None:
        for listener in list(self._listeners):
            listener(changes)

    def _checked_settings(self, method: str, settings: dict, setup: Setup | None = None) -> dict[str, float]:
        self._check_method_here(method, setup or self.setup)
        try:
            make_optimizer(method, None, **settings)
        except (TypeError, ValueError) as err:
            raise SessionError(str(err)) from None
        return {k: float(v) for k, v in settings.items()}

    def _check_index(self, index: int) -> None:
        if not 0 <= index < len(self.setup.runs):
            raise SessionError(f"there is no run {index + 1}")


def _kept(kept: list, spec: RunSpec):
    """The Run already built for `spec` (None: none is)."""
    return next((run for old, run in kept if old == spec), None)


def _dragged(index: int, merge: str | None) -> dict:
    """A drag's command options: one undo step per run and key, the run recomputed up to DRAG_BUDGET states."""
    return {} if merge is None else {"merge": f"run {index}: {merge}", "budget": DRAG_BUDGET}


def _only_view_differs(a, b) -> bool:
    """Two fits that differ in the model pane's view only (nothing to recompute)."""
    return a is not None and b is not None and replace(a, view=b.view) == b


def _fitted(setup: Setup):
    return setup.fit and setup.fit.problem_key()
