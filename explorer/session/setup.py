"""What a person set up, as immutable data (`Setup`), and its conversion to and from a `Scene`.

A `Setup` is the undoable part of a session: the function and its parameters, the domain, the
runs with their own starts and settings, the display options, title and note. Undo keeps whole
setups (they are small), so an undone change restores exactly what was there. This module is
the one place where scenes become setups and setups become scenes.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from explorer.core.colours import METHOD_COLOURS, method_colour
from explorer.core.field_scene import FIELD, LensSpec, kind_of_text
from explorer.core.fit_scene import FIT, FitSpec
from explorer.core.loss_plot_scene import LossPlotSpec
from explorer.core.run_spec import RunSpec
from explorer.core.schedules import CONSTANT, Schedule
from explorer.core.scene import ALL_OVERLAYS, Camera, Scene

# every colour a run can have: its method's (explorer.core.colours); runs of one method differ in dash and
# marker (explorer.ui.views.drawing.palette.run_styles)
RUN_COLOURS = tuple(METHOD_COLOURS.values())
DEFAULT_RANGE = (-5.0, 5.0)
DEFAULT_PARAMETER_VALUE = 1.0
DEFAULT_MAX_STEPS = 500
LENS_SHARE = 0.1   # a new lens's radius: this share of the domain's smaller side


@dataclass(frozen=True)
class Parameter:
    """A free name of the expression: its value and its slider's range."""

    value: float
    low: float = DEFAULT_RANGE[0]
    high: float = DEFAULT_RANGE[1]

    def widened(self) -> Parameter:
        """The same value with a range that contains it."""
        return Parameter(self.value, min(self.low, self.value), max(self.high, self.value))


@dataclass(frozen=True)
class RunSetup:
    """One optimizer run as a person set it up: method, settings that override its defaults, start;
    for first-order methods on a fit, the mini-batch size (None: every row) and seed; the lr schedule."""

    method: str
    settings: dict[str, float]
    start: tuple[float, ...]     # (x, y); a fit's: one number per trained parameter
    batch: int | None = None
    seed: int = 0
    schedule: Schedule = CONSTANT

    @property
    def colour(self) -> str:
        """Its method's colour: the same in every scene, whatever the run's place in it."""
        return method_colour(self.method)


@dataclass(frozen=True)
class Setup:
    """Everything a person set up, except where the shared timeline stands."""

    text: str = ""
    parameters: dict[str, Parameter] = field(default_factory=dict)
    x_range: tuple[float, float] = (-2.0, 2.0)
    y_range: tuple[float, float] = (-1.0, 3.0)
    resolution: int = 200
    max_steps: int = DEFAULT_MAX_STEPS
    default_start: tuple[float, float] = (-1.2, 1.0)
    runs: tuple[RunSetup, ...] = ()
    colouring: str = "curvature"
    vertical_scale: float = 1.0
    log_scale: bool = False
    overlays: dict[str, bool] = field(default_factory=lambda: {"gradient": True, "eigenvectors": True,
                                                               "quadratic_model": False, "basins": False})
    title: str = ""
    note: str = ""
    gradient_field: bool = False         # the problem is the field ∇f of the surface `text`
    field_colouring: str = "orientation"  # the map of a field: orientation, area or stretch
    field_height: str = "norm"            # the 3D view of a field: |F|, u or v
    lens: LensSpec | None = None          # None: at the domain's centre, LENS_SHARE of its smaller side
    fit: FitSpec | None = None            # a fit of data: `text` is its per-row loss (explorer.core.fit_scene)
    loss_plot: LossPlotSpec = LossPlotSpec()   # how the loss plot is drawn (a display option, in the scene)

    @property
    def kind(self) -> str:
        """'fit', 'field' or 'surface' (explorer.core.field_scene.kind_of_text)."""
        return FIT if self.fit is not None else kind_of_text(self.text, self.gradient_field)

    @property
    def shown_colouring(self) -> str:
        """The colouring of this kind of problem."""
        return self.field_colouring if self.kind == FIELD else self.colouring

    def lens_at(self) -> LensSpec:
        """The lens: where it was put, or at the domain's centre."""
        if self.lens is not None:
            return self.lens
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return LensSpec((0.5 * (x0 + x1), 0.5 * (y0 + y1)), LENS_SHARE * min(x1 - x0, y1 - y0))

    def parameter_values(self) -> dict[str, float]:
        return {name: p.value for name, p in self.parameters.items()}


def setup_of_scene(scene: Scene) -> Setup:
    """The setup a checked scene describes."""
    parameters = {}
    for name, value in scene.parameters.items():
        low, high = scene.parameter_ranges.get(name, DEFAULT_RANGE)
        parameters[name] = Parameter(float(value), float(low), float(high)).widened()
    runs = tuple(RunSetup(spec.method, dict(spec.settings), tuple(map(float, spec.start)), spec.batch, spec.seed,
                          spec.schedule) for spec in scene.runs)
    field = scene.kind == FIELD
    return Setup(text=scene.expression, parameters=parameters,
                 x_range=tuple(map(float, scene.x_range)), y_range=tuple(map(float, scene.y_range)),
                 resolution=int(scene.resolution), max_steps=int(scene.max_steps),
                 default_start=runs[0].start if runs else (0.0,) * scene.fit.dimension if scene.fit else
                 Setup.default_start,
                 runs=runs, colouring=Setup.colouring if field else scene.colouring,
                 vertical_scale=float(scene.vertical_scale), log_scale=bool(scene.log_scale),
                 overlays={k: bool(scene.overlays.get(k, False)) for k in ALL_OVERLAYS},
                 title=scene.title, note=scene.note, gradient_field=bool(scene.gradient_field),
                 field_colouring=scene.colouring if field else Setup.field_colouring,
                 field_height=scene.field_height if field else Setup.field_height, lens=scene.lens if field else None,
                 fit=scene.fit, loss_plot=scene.loss_plot)


def scene_of_setup(setup: Setup, current_step: int = 0, camera: Camera | None = None) -> Scene:
    """The scene that reopens `setup` at `current_step` with `camera`."""
    runs = tuple(RunSpec(r.method, dict(r.settings), tuple(map(float, r.start)), r.batch, r.seed, r.schedule)
                 for r in setup.runs)
    return Scene(expression=setup.text,
                 parameters={n: float(p.value) for n, p in setup.parameters.items()},
                 parameter_ranges={n: (float(p.low), float(p.high)) for n, p in setup.parameters.items()},
                 x_range=tuple(map(float, setup.x_range)), y_range=tuple(map(float, setup.y_range)),
                 resolution=int(setup.resolution), colouring=setup.shown_colouring,
                 vertical_scale=float(setup.vertical_scale), log_scale=bool(setup.log_scale), runs=runs,
                 current_step=min(int(current_step), int(setup.max_steps)), max_steps=int(setup.max_steps),
                 camera=camera, overlays={k: bool(setup.overlays.get(k, False)) for k in ALL_OVERLAYS},
                 title=setup.title, note=setup.note, gradient_field=setup.gradient_field,
                 field_height=setup.field_height if setup.kind == FIELD else Scene.field_height,
                 lens=setup.lens if setup.kind == FIELD else None, fit=setup.fit,
                 loss_plot=setup.loss_plot.for_kind(setup.fit is not None))


def with_run(setup: Setup, index: int, **changes) -> Setup:
    """`setup` with run `index` changed."""
    runs = list(setup.runs)
    runs[index] = replace(runs[index], **changes)
    return replace(setup, runs=tuple(runs))
