"""A scene file: a `Scene` (a setup, explorer.core.document, with its step, selected run and camera) to and
from versioned JSON.

Reading is strict: a scene file that is broken, hand-edited into nonsense or written by a newer
program is rejected with one `SceneError` line that says what is wrong and where, never half
loaded. Reading also computes a little of what the scene describes (the function on a small grid,
each run's first steps), so a scene that is accepted opens without error. Writing is atomic: a
temporary file in the same folder, then `os.replace`.

Limits (a scene is a few KB; these stop a hand-edited or hostile file from freezing the window):
a regular file of at most 1 MB, at most 64 runs, a title of 200 and a note of 20,000 characters,
max_steps up to 100,000 (played lazily) but at most 250,000 states replayed on opening
(runs × current_step: about 1 KB each, so a few hundred MB at worst).

The keys of one kind of problem are read and written by its own module: a field's by
`field_scene`, a fit of data's ("fit", its rows embedded as CSV) by `fit_scene`; the checks of
single values (`_number`, `_point`, ...) live in `scene_checks`.
"""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Callable

import numpy as np

from explorer.core.calculus import SurfaceCalculus
from explorer.core.expression import ERRORS, parse
from explorer.core.document import (ALL_OVERLAYS, COLOURINGS, DEFAULT_RANGE, OVERLAYS, Parameter, Setup,
                                    first_start)
from explorer.core.field_scene import (FIELD, FIELD_COLOURINGS, check_field_runs, field_keys, newton_run, plane_field,
                                       read_field_keys, try_field)
from explorer.core.files import error_line, write_bytes
from explorer.core.loss_plot_scene import loss_plot_keys, read_loss_plot
from explorer.core.fit_scene import FIT
from explorer.core.fit_scene_file import fit_keys, read_fit, scene_starts_in, scene_starts_out, try_fit
from explorer.core.objective import Objective
from explorer.core.reading import ReadError, read_regular
from explorer.core.run_spec import RunSpec, optimizer_of, read_run, run_to_dict
from explorer.core.syntax_hints import ExpressionError
from explorer.core.scene_checks import (MAX_COORDINATE, SceneCancelled, SceneError, _check_keys,
                                        _flag, _number, _number_map, _object, _point, _positive, _range,
                                        _show, _text, _whole)
from explorer.core.trajectory import Run

FORMAT_VERSION = 1
RESOLUTION = (10, 1000)
MAX_STEPS = (0, 100_000)          # a run's step limit: states are computed only as the timeline reaches them
MAX_REPLAYED_STATES = 250_000     # runs × current_step computed on opening: ~1 KB a state, ~250 MB at worst
MAX_RUNS = 64                     # a lecture shows a handful; the session caches 64 runs' states
MAX_TITLE = 200                   # characters; it is the window's title and the caption's first line
MAX_NOTE = 20_000                 # characters: a few pages of notes (the largest preset note is 197)
MAX_FILE_BYTES = 1_000_000        # a scene is a few KB; everything above fits many times over
CHECK_GRID = 5                    # points per axis on which the function is tried before a scene is accepted
CHECK_STEPS = 1                   # steps of every run tried before a scene is accepted (each costs ~1 ms a run)
# the reading rule: what a file without the key holds, where it is not a new window's (explorer.core.document);
# files have always been read so. A file without "overlays" (or one of them) has it off, without
# "parameter_ranges" the default slider range around each value, without "colouring" its kind's first.
MISSING = {"x_range": (-3.0, 3.0), "y_range": (-3.0, 3.0), "max_steps": 200}


@dataclass(frozen=True)
class Camera:
    """The 3D view: distance, elevation and azimuth (degrees) around `center`."""

    distance: float
    elevation: float
    azimuth: float
    center: tuple[float, float, float]


@dataclass(frozen=True)
class Scene(Setup):
    """A setup (explorer.core.document) and where its timeline stands: what a scene file holds.

    Only what a file can hold: where new runs start is its first run's start (`first_start`)."""

    current_step: int = 0
    selected_run: int = 0               # the run the inspector and the lesson panes follow (written when not 0)
    camera: Camera | None = None

    def __post_init__(self):
        super().__post_init__()
        object.__setattr__(self, "default_start", first_start(self.runs, self.fit))

    @property
    def setup(self) -> Setup:
        """The setup it holds, less where the timeline stands."""
        return Setup(**{f.name: getattr(self, f.name) for f in fields(Setup)})


def scene_at(setup: Setup, current_step: int = 0, selected_run: int = 0, camera: Camera | None = None) -> Scene:
    """The scene that reopens `setup` at `current_step` with `camera`: what a file holds of it (the colouring,
    lens and field height of its own kind only; a run that is there selected)."""
    field = setup.kind == FIELD
    d = Setup()
    return Scene(**{f.name: getattr(setup, f.name) for f in fields(Setup)} | dict(
        parameters={n: Parameter(float(p.value), float(p.low), float(p.high)) for n, p in setup.parameters.items()},
        x_range=tuple(map(float, setup.x_range)), y_range=tuple(map(float, setup.y_range)),
        resolution=int(setup.resolution), max_steps=int(setup.max_steps),
        runs=tuple(replace(r, settings=dict(r.settings), start=tuple(map(float, r.start))) for r in setup.runs),
        colouring=d.colouring if field else setup.colouring,
        field_colouring=setup.field_colouring if field else d.field_colouring,
        vertical_scale=float(setup.vertical_scale), log_scale=bool(setup.log_scale),
        overlays={k: bool(setup.overlays[k]) for k in ALL_OVERLAYS},
        field_height=setup.field_height if field else d.field_height, lens=setup.lens if field else None,
        loss_plot=setup.loss_plot.for_kind(setup.fit is not None)),
        current_step=min(int(current_step), int(setup.max_steps)),
        selected_run=selected_run if selected_run < len(setup.runs) else 0, camera=camera)


_NUMBER_LIST = re.compile(r"\[\n\s*([-+.\deE]+(?:,\n\s*[-+.\deE]+)*)\n\s*\]")
_NAME_LIST = re.compile(r'\[\n\s*("[A-Za-z0-9_]*"(?:,\n\s*"[A-Za-z0-9_]*")*)\n\s*\]')
_REQUIRED = ("format_version", "expression")
_OPTIONAL = ("parameters", "parameter_ranges", "x_range", "y_range", "resolution", "colouring", "vertical_scale",
             "log_scale", "runs", "current_step", "max_steps", "camera", "overlays", "title", "note", "gradient_field",
             "field_height", "lens", "fit", "selected_run", "loss_plot")


def scene_to_dict(scene: Scene) -> dict[str, Any]:
    """Plain JSON-ready data, keys in a fixed order (named maps sorted by name)."""
    return {
        "format_version": FORMAT_VERSION,
        "expression": scene.text,
        **fit_keys(scene),
        **{k: v for k, v in field_keys(scene).items() if k == "gradient_field"},
        "parameters": {k: scene.parameters[k].value for k in sorted(scene.parameters)},
        "parameter_ranges": {k: [scene.parameters[k].low, scene.parameters[k].high] for k in sorted(scene.parameters)},
        "x_range": list(scene.x_range),
        "y_range": list(scene.y_range),
        "resolution": scene.resolution,
        "colouring": scene.shown_colouring,
        "vertical_scale": scene.vertical_scale,
        "log_scale": scene.log_scale,
        "runs": scene_starts_out([run_to_dict(r) for r in scene.runs], scene.fit),   # a network's "init"
        "current_step": scene.current_step,
        **({"selected_run": scene.selected_run} if scene.selected_run else {}),
        "max_steps": scene.max_steps,
        "camera": None if scene.camera is None else {
            "distance": scene.camera.distance, "elevation": scene.camera.elevation,
            "azimuth": scene.camera.azimuth, "center": list(scene.camera.center)},
        "overlays": {k: scene.overlays[k] for k in OVERLAYS if k in scene.overlays}
                    | {k: v for k, v in scene.overlays.items() if k in OVERLAYS or v},
        "title": scene.title,
        "note": scene.note,
        **{k: v for k, v in field_keys(scene).items() if k != "gradient_field"},
        **loss_plot_keys(scene.loss_plot),
    }


def scene_to_json(scene: Scene) -> str:
    """The scene as JSON text (indent 2, stable key order); checked first, so never invalid."""
    data = scene_to_dict(scene)
    scene_from_dict(data)
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    # [\n -3.0,\n 3.0\n] -> [-3.0, 3.0]; a raw newline is never inside a JSON string, so this is safe
    text = _NAME_LIST.sub(lambda m: "[" + ", ".join(v.strip() for v in m[1].split(",")) + "]", text)
    return _NUMBER_LIST.sub(lambda m: "[" + ", ".join(v.strip() for v in m[1].split(",")) + "]", text) + "\n"


def save_scene(scene: Scene, path: str | os.PathLike, durable: bool = True) -> Path:
    """Write `scene` to `path` atomically and return the path; any failure leaves no file behind.
    durable=False skips the fsync (core.files): for the autosave written on every edit."""
    data = scene_to_json(scene).encode("utf-8")
    try:
        write_bytes(path, data, durable)
    except OSError as err:
        raise SceneError(error_line(err)) from None
    return Path(path)


def load_scene(path: str | os.PathLike, check: bool = True) -> Scene:
    """Read and check a scene file; anything but a regular file is refused (core.reading).

    check=False skips `check_computable` (the caller runs it, for example in a worker thread)."""
    path = Path(path)
    try:
        raw = read_regular(path, MAX_FILE_BYTES, "a scene file")
    except ReadError as err:
        raise SceneError(str(err)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SceneError(f"'{path}' is not UTF-8 text (byte {err.start + 1})") from None
    return scene_from_json(text, check)


def scene_from_json(text: str, check: bool = True) -> Scene:
    """Parse JSON text, check it as a scene and (with `check`) that what it describes can be computed."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as err:
        raise SceneError(f"not valid JSON (line {err.lineno}, column {err.colno}): {err.msg}") from None
    except SceneError:
        raise
    except RecursionError:
        raise SceneError("not valid JSON: nested too deeply") from None
    except ValueError:  # Python refuses integers of more than 4300 digits
        raise SceneError("not valid JSON: a number is too long") from None
    scene = scene_from_dict(data)
    if check:
        check_computable(scene)
    return scene


def check_computable(scene: Scene, cancelled: Callable[[], bool] | None = None,
                     build_run: Callable[[int, RunSpec], Run] | None = None) -> None:
    """Compute a little of what `scene` describes; SceneError if anything raises.

    The function, its gradient and Hessian on a small grid over the domain (what the views draw),
    then every run's first state and first few steps (what the timeline shows). A run that stops
    cleanly is a legitimate outcome ("f is not defined at the start point", "diverged"); an
    exception is not, and would otherwise surface only once the window has taken the scene.
    `cancelled()` is asked before the grid and before each run; True raises SceneCancelled.
    `build_run(i, spec)` builds run i (default: a new `Run`); the caller may keep what it built.
    """
    # floating-point trouble ends as inf or nan and a clean stop, as it does in the window: not an error
    with np.errstate(**ERRORS):
        _compute_a_little(scene, cancelled or (lambda: False), build_run)


def _compute_a_little(scene: Scene, cancelled: Callable[[], bool], build_run) -> None:
    if cancelled():
        raise SceneCancelled()
    try:
        if scene.kind == FIT:
            objective = try_fit(scene, CHECK_GRID).objective()
        elif scene.kind == FIELD:
            calculus = try_field(scene, lambda text: parse(text, ("x", "y")), CHECK_GRID)
        else:
            expression, values = parse(scene.text, ("x", "y")), scene.parameter_values()
            objective = Objective(expression, values)
            SurfaceCalculus(expression, values).curvature_map(np.linspace(*scene.x_range, CHECK_GRID),
                                                              np.linspace(*scene.y_range, CHECK_GRID))
    except Exception as err:  # noqa: BLE001 - whatever it is, the scene must not reach the window
        raise SceneError(f"expression: cannot be computed with these parameters ({_reason(err)})") from None
    for i, spec in enumerate(scene.runs):
        if cancelled():
            raise SceneCancelled()
        try:
            if build_run is not None:
                run = build_run(i, spec)
            elif scene.kind == FIELD:
                run = newton_run(calculus, spec, scene.max_steps)
            else:
                run = Run(optimizer_of(spec, objective), spec.start, max_steps=scene.max_steps)
            for _ in range(CHECK_STEPS):
                if not run.step_forward():
                    break
        except Exception as err:  # noqa: BLE001
            raise SceneError(f"runs[{i}]: {spec.method} from {_numbers(spec.start)} cannot be computed "
                             f"({_reason(err)})") from None


def _reason(err: Exception) -> str:
    text = " ".join(str(err).split())
    text = f"{type(err).__name__}: {text}" if text else type(err).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _numbers(values) -> str:
    return "(" + ", ".join(f"{v:g}" for v in values) + ")"


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = {}
    for key, value in pairs:
        if key in out:
            raise SceneError(f"key {_show(key)} appears twice")
        out[key] = value
    return out


def scene_from_dict(data: Any) -> Scene:
    """Check plain data (as read from JSON) and build the `Scene`; raise SceneError on anything wrong."""
    if not isinstance(data, dict):
        raise SceneError(f"a scene must be a JSON object, not {_show(data)}")
    if "format_version" not in data:
        raise SceneError("missing key 'format_version'")
    version = _whole(data["format_version"], "format_version", 1, math.inf, "a positive whole number")
    if version > FORMAT_VERSION:
        raise SceneError(f"format version {version} is newer than this program understands ({FORMAT_VERSION})")
    _check_keys(data, _REQUIRED, _OPTIONAL, "")
    d = Setup()

    expression = _text(data["expression"], "expression")
    fit, wanted = read_fit(data, expression)   # a loss over data, its sliders' names
    field = read_field_keys(data, expression) if fit is None else {}
    try:
        if fit is None:
            wanted = (plane_field(expression) if field and not field["gradient_field"] else
                      parse(expression, ("x", "y"))).parameters
    except (ExpressionError, ValueError) as err:
        raise SceneError(f"expression: {err}") from None
    except Exception as err:  # noqa: BLE001 - a parser slip must still be a scene error, not a crash
        raise SceneError(f"expression: cannot be read ({_reason(err)})") from None
    parameters = _number_map(data.get("parameters", {}), "parameters")
    for name, value in parameters.items():
        if abs(value) > MAX_COORDINATE:  # its slider's range must hold it, and ranges stay within this too
            raise SceneError(f"'parameters.{name}' must lie within ±{MAX_COORDINATE:,.0f}, not {value:g}")
    for name in wanted:
        if name not in parameters:
            raise SceneError(f"parameters: missing a value for '{name}' (the expression uses it)")
    for name in parameters:
        if name not in wanted:
            raise SceneError(f"parameters: {_show(name)} is not in the expression")
    ranges = _object(data.get("parameter_ranges", {}), "parameter_ranges")
    for name in ranges:
        if name not in wanted:
            raise SceneError(f"parameter_ranges: {_show(name)} is not in the expression")
    parameter_ranges = {k: _range(v, f"parameter_ranges.{k}") for k, v in ranges.items()}

    max_steps = _whole(data.get("max_steps", MISSING["max_steps"]), "max_steps", *MAX_STEPS)
    colourings = FIELD_COLOURINGS if field else COLOURINGS
    colouring = _text(data.get("colouring", colourings[0]), "colouring")
    if colouring not in colourings:
        kind = "'colouring' of a field" if field else "'colouring'"
        raise SceneError(f"{kind} must be one of {', '.join(colourings)}, not {_show(colouring)}")
    runs, camera = scene_starts_in(data.get("runs", []), fit), data.get("camera")   # a network's "init" read
    if not isinstance(runs, (list, tuple)):
        raise SceneError(f"'runs' must be a list, not {_show(runs)}")
    if len(runs) > MAX_RUNS:
        raise SceneError(f"'runs' holds {len(runs)} runs; a scene has at most {MAX_RUNS}")
    current_step = _whole(data.get("current_step", 0), "current_step", 0, max_steps)
    if len(runs) * current_step > MAX_REPLAYED_STATES:
        raise SceneError(f"'current_step' {current_step:,} with {len(runs)} runs would replay "
                         f"{len(runs) * current_step:,} steps on opening; at most {MAX_REPLAYED_STATES:,}")
    overlays = _object(data.get("overlays", {}), "overlays")
    _check_keys(overlays, (), ALL_OVERLAYS, "overlays")
    runs = tuple(read_run(r, f"runs[{i}]", fit.dimension if fit else 2, fit is not None, bool(fit and fit.residual))
                 for i, r in enumerate(runs))
    if fit is not None and overlays.get("basins", False):
        raise SceneError("'overlays.basins' is drawn for a function f(x, y), not for a fit's slice")
    if field:
        check_field_runs(runs, lambda i: f"runs[{i}]", SceneError)
    return Scene(
        text=expression,
        parameters={name: Parameter(value, *parameter_ranges.get(name, DEFAULT_RANGE)).widened()
                    for name, value in parameters.items()},
        x_range=_range(data.get("x_range", MISSING["x_range"]), "x_range"),
        y_range=_range(data.get("y_range", MISSING["y_range"]), "y_range"),
        resolution=_whole(data.get("resolution", d.resolution), "resolution", *RESOLUTION),
        **({"field_colouring": colouring} if field else {"colouring": colouring}),
        vertical_scale=_positive(data.get("vertical_scale", d.vertical_scale), "vertical_scale"),
        log_scale=_flag(data.get("log_scale", d.log_scale), "log_scale"),
        runs=runs,
        current_step=current_step,
        selected_run=_whole(data.get("selected_run", 0), "selected_run", 0, max(0, len(runs) - 1)),
        max_steps=max_steps,
        camera=None if camera is None else _camera(camera, "camera"),
        overlays={k: _flag(overlays.get(k, False), f"overlays.{k}") for k in ALL_OVERLAYS},
        title=_text(data.get("title", d.title), "title", MAX_TITLE),
        note=_text(data.get("note", d.note), "note", MAX_NOTE),
        fit=fit,
        loss_plot=read_loss_plot(data.get("loss_plot"), fit is not None),
        **field,
    )


def _camera(data: Any, where: str) -> Camera:
    data = _object(data, where)
    _check_keys(data, ("distance", "elevation", "azimuth", "center"), (), where)
    return Camera(_positive(data["distance"], f"{where}.distance"),
                  _number(data["elevation"], f"{where}.elevation"),
                  _number(data["azimuth"], f"{where}.azimuth"),
                  _point(data["center"], f"{where}.center", 3))


