"""What a person set up, as immutable data: the one document model (`Setup`) of the session and of a scene.

A `Setup` is the undoable part of a session: the function and its parameters, the domain, the runs
with their own starts and settings, the display options, title and note. Undo keeps whole setups
(they are small), so an undone change restores exactly what was there. A scene file holds a setup
and where its timeline stands (`explorer.core.scene.Scene`, a Setup with a step, a selected run and
a camera). The defaults here are the product's: what a new window shows. A scene file without a key
is read by the loader's own rule (`explorer.core.scene`), as such files always were.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from explorer.core.colours import METHOD_COLOURS
from explorer.core.field_scene import FIELD, LensSpec, kind_of_text
from explorer.core.fit_scene import FIT, FitSpec
from explorer.core.loss_plot_scene import LossPlotSpec
from explorer.core.run_spec import RunSpec

COLOURINGS = ("curvature", "height")
OVERLAYS = ("gradient", "eigenvectors", "quadratic_model")
# written only when on: "basins" (the map coloured by where each start ends), "method_state" (the selected run's
# method state drawn on the map: issue 27's x-ray), "tangent_plane" (the 3D view's linear model at its point)
ALL_OVERLAYS = OVERLAYS + ("basins", "method_state", "tangent_plane")
NO_OVERLAYS = dict.fromkeys(ALL_OVERLAYS, False)
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
class Setup:
    """Everything a person set up, except where the shared timeline stands."""

    text: str = ""                        # f, a field '(u, v)', or a fit's per-row loss (the file's "expression")
    parameters: dict[str, Parameter] = field(default_factory=dict)
    x_range: tuple[float, float] = (-2.0, 2.0)
    y_range: tuple[float, float] = (-1.0, 3.0)
    resolution: int = 200
    max_steps: int = DEFAULT_MAX_STEPS
    default_start: tuple[float, ...] = (-1.2, 1.0)   # where new runs start (a file holds only the runs' starts)
    runs: tuple[RunSpec, ...] = ()
    colouring: str = "curvature"          # a surface's colouring (a field's is field_colouring)
    vertical_scale: float = 1.0
    log_scale: bool = False
    overlays: dict[str, bool] = field(default_factory=lambda: {"gradient": True, "eigenvectors": True,
                                                               "quadratic_model": False, "basins": False})
    title: str = ""
    note: str = ""
    gradient_field: bool = False          # the problem is the field ∇f of the surface `text`
    field_colouring: str = "orientation"  # the map of a field: orientation, area or stretch
    field_height: str = "norm"            # the 3D view of a field: |F|, u or v
    lens: LensSpec | None = None          # None: at the domain's centre, LENS_SHARE of its smaller side
    fit: FitSpec | None = None            # a fit of data: `text` is its per-row loss (explorer.core.fit_scene)
    loss_plot: LossPlotSpec = LossPlotSpec()   # how the loss plot is drawn (a display option, in the scene)

    def __post_init__(self):
        # every overlay named, off unless given: a scene written before "basins" existed equals one after
        object.__setattr__(self, "overlays", {**dict.fromkeys(ALL_OVERLAYS, False), **self.overlays})

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

    def with_run(self, index: int, **changes) -> Setup:
        """This setup with run `index` changed."""
        runs = list(self.runs)
        runs[index] = replace(runs[index], **changes)
        return replace(self, runs=tuple(runs))


def first_start(runs: tuple[RunSpec, ...], fit: FitSpec | None) -> tuple[float, ...]:
    """Where a scene's new runs start (a file does not hold it): at its first run's start, a fit's origin,
    or the default."""
    return runs[0].start if runs else (0.0,) * fit.dimension if fit else Setup.default_start
