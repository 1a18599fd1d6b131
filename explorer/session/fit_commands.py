"""The session's commands and readings that belong to fits of data: the data, the loss, the model, the trained
parameters, the two on the landscape's axes and where the others are held.

A mixin of `Session` (explorer.session.model): every command goes through `Session._apply`, so it is
named, undoable and on the one timeline. A fit the session refuses raises `FitCommandError`, whose
`field` says which part of the form is at fault. A run's start has one number per trained parameter;
two numbers given for the map (a click) are the axis parameters' values, the others are kept.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from explorer.core.calculus import PointAnalysis
from explorer.core.fit import FitError, FitProblem, trained_names
from explorer.core.fit_map import SliceCalculus, block_analysis
from explorer.core.model_fit import HESSIAN_LIMIT, ModelProblem
from explorer.core.model_map import ModelSliceCalculus
from explorer.core.fit_scene import DataSpec, FitSetupError, FitSpec, build_fit, held_point, slider_names
from explorer.session.errors import FitCommandError, SessionError, checked_point, checked_vector
from explorer.core.document import DEFAULT_PARAMETER_VALUE, Parameter, Setup
from explorer.core.run_spec import RunSpec

AXIS_RANGE = (-5.0, 5.0)   # the window of a parameter newly put on an axis
LINE_FIT = dict(spec=FitSpec(DataSpec("line", 0), ("w", "b"), ("w", "b"), "w*X + b"), loss="(w*X + b - Y)^2",
                x_range=(-1.0, 5.0), y_range=(-2.0, 4.0), start=(-1.0, 4.0), run=("gd", {"lr": 0.05}))


class FitCommands:
    # ---------------------------------------------------------------- reading
    @property
    def problem(self) -> FitProblem | None:
        """The fit on show, model included (None for a surface or a field)."""
        return self._build.problem(self.setup) if self.setup.fit is not None and self.expression is not None else None

    def held_theta(self) -> np.ndarray | None:
        """θ the slice holds the other parameters at: the selected run's current values (or the start of new
        runs without a run), or the chosen ones. None for a surface or a field."""
        fit = self.setup.fit
        if fit is None:
            return None
        if self.directions is not None:   # the plane's centre θ* (explorer.session.direction_commands)
            return self.direction_plane().centre.copy()
        if fit.held is not None:
            return np.array(fit.held, dtype=float)
        run = self.selected_run()
        return np.array(run.current.point if run is not None else self.setup.default_start, dtype=float)

    def plane(self, points) -> np.ndarray:
        """(..., n) parameter vectors -> (..., 2): the axis parameters' values (a surface's points as they are)."""
        points = np.asarray(points, dtype=float)
        fit = self.setup.fit
        if fit is None or points.size == 0:
            return points
        if self.directions is not None:   # (a, b) of each point projected onto the plane
            return self.direction_plane().project(points)
        return points[..., list(fit.axis_indices)]

    def slice_calculus(self) -> SliceCalculus | None:
        """The landscape the map and the 3D view draw: L over the two axis parameters, the others held."""
        problem = self.problem
        if problem is None:
            return None
        if self.directions is not None:
            return self.direction_plane()
        if isinstance(problem, ModelProblem):
            return ModelSliceCalculus(problem, *self.setup.fit.axis_indices, self.held_theta())
        return SliceCalculus(problem, *self.setup.fit.axis_indices, self.held_theta())

    def map_points(self) -> int:
        """Points per axis the map is drawn with: the resolution, or fewer where a network's map is thinned to keep
        its work bounded (core.model_map.thinned)."""
        n = self.setup.resolution
        if not isinstance(self.problem, ModelProblem):
            return n
        key = (id(self.problem), self.setup.fit.axes, getattr(self.setup.fit, "directions", None), n)
        if _drawn.get("key") != key:
            _drawn.update(key=key, value=self.slice_calculus().drawn_points(n))
        return _drawn["value"]

    def slice_analysis(self) -> PointAnalysis | None:
        """L's value, gradient and Hessian on the slice at the selected run's point (its 2×2 block), for the
        map's overlays; None without a run."""
        run, objective = self.selected_run(), self.objective
        if run is None or objective is None or self.setup.fit is None:
            return None
        if self.directions is not None:
            return self.plane_analysis()
        theta = held_point(self.setup.fit, run.current.point)
        problem = self.problem
        if isinstance(problem, ModelProblem) and problem.dimension > HESSIAN_LIMIT:   # H never formed: the 2×2
            # block from the slice's own derivatives, kept for the point (every overlay asks at each repaint)
            key = (id(objective), theta.tobytes(), self.setup.fit.axis_indices)
            if _last_block.get("key") != key:
                _last_block.update(key=key, value=slice_block(problem, theta, *self.setup.fit.axis_indices))
            return _last_block["value"]
        return block_analysis(objective.analyze(theta), *self.setup.fit.axis_indices)

    # ---------------------------------------------------------------- commands
    def start_fit(self) -> None:
        """Switch to fitting data: linear regression on the line dataset, one gradient descent run."""
        d = LINE_FIT
        method, settings = d["run"]
        new = replace(self.setup, text=d["loss"], fit=d["spec"], parameters={}, x_range=d["x_range"],
                      y_range=d["y_range"], default_start=d["start"], gradient_field=False, lens=None,
                      runs=(RunSpec(method, dict(settings), d["start"]),), title="", note="",
                      overlays=dict(self.setup.overlays, basins=False))
        self._apply("Fit data", new)

    def set_fit(self, data: DataSpec | None = None, loss: str | None = None, model: str | None = None,
                trained=None, merge: str | None = None, target: str | None = None, features=None) -> bool:
        """Change any of the data, the per-row loss, the model, the trained parameters ('w, b' or a list), the
        target column and the feature columns ('A, B' or a list; '' for either: read from the loss and the
        model) at once, as one command (the form sends all it holds, so a new dataset and the loss over its
        columns arrive together). Starts and held values keep the values of the names kept. False: nothing
        changed."""
        spec, text = self.fit_spec, self.setup.text if loss is None else loss.strip()
        if trained is not None:
            try:
                trained = trained_names(trained)
            except FitError as err:
                raise FitCommandError("train", str(err)) from None
        new = replace(spec, network=None, directions=None, data=spec.data if data is None else data,
                      model=spec.model if model is None else model.strip(),
                      trained=spec.trained if trained is None else trained,
                      target=spec.target if target is None else target.strip() or None,
                      features=spec.features if features is None else column_names(features))
        if (new, text) == (spec, self.setup.text):
            return False
        changed = [what for what, a, b in (("the data", new.data, spec.data), ("the loss", text, self.setup.text),
                                            ("the model", new.model, spec.model),
                                            ("the trained parameters", new.trained, spec.trained),
                                            ("the target", new.target, spec.target),
                                            ("the features", new.features, spec.features)) if a != b]
        name = "Change " + ", ".join(changed) if len(changed) > 1 else {"the data": "Choose the data"}.get(
            changed[0], "Edit " + changed[0])
        self._apply_fit(name, new, text, merge=merge)
        return True

    def set_fit_axes(self, first: str, second: str) -> None:
        """The two trained parameters on the landscape's axes; a parameter keeps its window while on an axis."""
        trained = self.fit_spec.trained
        if first == second or first not in trained or second not in trained:
            raise FitCommandError("axes", f"the axes need two different trained parameters ({', '.join(trained)})")
        if (first, second) != self.fit_spec.axes:
            self._apply_fit("Choose the axes", replace(self.fit_spec, axes=(first, second)), self.setup.text)

    def set_fit_held(self, values=None) -> None:
        """Hold the other parameters at the selected run's current values (None) or at `values` (one per
        trained parameter; the axis parameters' entries are not used)."""
        spec = self.fit_spec
        if values is not None:
            values = checked_vector(values, spec.dimension, spec.trained, "the held values")
        if values != spec.held:
            self._apply_fit("Follow the run" if values is None else "Hold the other parameters",
                            replace(spec, held=values), self.setup.text, merge=None if values is None else "held")

    # ---------------------------------------------------------------- inside
    @property
    def fit_spec(self) -> FitSpec:
        if self.setup.fit is None:
            raise SessionError("this is not a fit of data: choose Data fit first")
        return self.setup.fit

    def _apply_fit(self, name: str, spec: FitSpec, text: str, merge: str | None = None) -> None:
        """Check the fit and apply it with its sliders, starts, held values, axes and windows carried over."""
        old = self.setup
        if spec.network is not None:   # a network's axes or held values (explorer.session.model_commands)
            self._apply_network(name, self._network_spec(spec), old.fit, merge=merge)
            return
        try:
            dataset = self._build.dataset(spec.data)
            names = slider_names(spec, text, dataset)
            if spec.data != old.fit.data:   # a column of the data before is no slider of the data now
                gone = [n for n in names if n in self._build.dataset(old.fit.data).columns]
                if gone:
                    raise FitSetupError("loss", f"'{gone[0]}' is not a column of {spec.data.label()} (its columns: "
                                                f"{', '.join(dataset.columns)})")
                spec = _columns_kept(spec, dataset.columns)
            spec = _carried(old.fit, spec)
            parameters = {n: old.parameters.get(n, Parameter(DEFAULT_PARAMETER_VALUE)) for n in names}
            build_fit(spec, text, {n: p.value for n, p in parameters.items()}, dataset)
        except FitSetupError as err:
            raise FitCommandError(err.field, str(err)) from None
        windows = dict(zip(old.fit.axes, (old.x_range, old.y_range)))
        same = old.fit.problem_key() == spec.problem_key() and text == old.text
        new = replace(old, text=text, fit=spec, parameters=parameters,
                      runs=tuple(replace(r, start=_moved(r.start, old.fit, spec)) for r in old.runs),
                      default_start=_moved(old.default_start, old.fit, spec),
                      x_range=windows.get(spec.axes[0], AXIS_RANGE), y_range=windows.get(spec.axes[1], AXIS_RANGE),
                      title=old.title if same else "", note=old.note if same else "")
        self._apply(name, new, merge=merge)

    def _fit_start(self, point, base, what: str = "a start point", full: bool = False) -> tuple[float, ...]:
        """A run's start: n numbers (`full`, or more than two), or two for the map, placed on the axes of `base`."""
        fit = self.setup.fit
        if fit is None:
            return checked_point(point, what)
        values = tuple(point)
        if full or len(values) != 2:
            return checked_vector(values, fit.dimension, fit.trained, what)
        a, b = checked_point(values, what)
        if self.directions is not None:   # a click on the plane's map: θ* + a·d₁ + b·d₂
            return self._plane_start(a, b)
        start = list(base)
        i, j = fit.axis_indices
        start[i], start[j] = a, b
        return tuple(float(v) for v in start)

    def _leave_fit(self, setup: Setup) -> Setup:
        """A fit's setup made a function's: starts and the start of new runs where the map shows them."""
        if self.setup.fit is None:
            return setup
        return replace(setup, fit=None, runs=tuple(replace(r, start=self._on_map(r.start)) for r in setup.runs),
                       default_start=self._on_map(setup.default_start))

    def _on_map(self, point) -> tuple[float, float]:
        a, b = self.plane(np.array(point, dtype=float))
        return float(a), float(b)


def slice_block(problem: ModelProblem, theta, first: int, second: int) -> PointAnalysis:
    """The slice's analysis at θ without forming the Hessian: value, gradient and 2×2 Hessian of the slice at its
    own point (autograd on core.model_map's slice function, which recomputes only the layers the two parameters
    touch), for the map's overlays of a network of any size."""
    theta = np.asarray(theta, dtype=float)
    cmap = ModelSliceCalculus(problem, first, second, theta).curvature_map(theta[[first]], theta[[second]])
    h = np.array([[cmap.hxx[0, 0], cmap.hxy[0, 0]], [cmap.hxy[0, 0], cmap.hyy[0, 0]]])
    full = PointAnalysis(theta[[first, second]], float(cmap.z[0, 0]), np.array([cmap.gx[0, 0], cmap.gy[0, 0]]), h,
                         np.zeros(2), np.eye(2), 0)
    return block_analysis(full, 0, 1)


_last_block: dict = {}   # the last Hessian-free slice block: its key and analysis
_drawn: dict = {}        # the last network map's drawn size: its key and points per axis


def column_names(names) -> tuple[str, ...]:
    """'Hours, Age' or a list -> ('Hours', 'Age'); '' or none: not chosen."""
    parts = names.split(",") if isinstance(names, str) else names
    return tuple(n.strip() for n in parts if n.strip())


def _columns_kept(spec: FitSpec, columns) -> FitSpec:
    """Other data: a target or features that are not its columns are read from the loss and the model again."""
    target = spec.target if spec.target in columns else None
    features = spec.features if set(spec.features) <= set(columns) else ()
    return replace(spec, target=target, features=features)


def _carried(old: FitSpec, new: FitSpec) -> FitSpec:
    """`new` with axes that are trained parameters and held values of the right length (kept by name)."""
    axes = new.axes if set(new.axes) <= set(new.trained) and new.axes[0] != new.axes[1] else new.trained[:2]
    held = None if new.held is None else _moved(new.held, old, new)
    return replace(new, axes=tuple(axes), held=held)


def _moved(values, old: FitSpec, new: FitSpec) -> tuple[float, ...]:
    """A vector over `old`'s trained names as one over `new`'s: each name keeps its value, a new name gets 0."""
    if len(values) == len(new.trained) and old.trained == new.trained:
        return tuple(float(v) for v in values)
    by_name = dict(zip(old.trained, values))
    return tuple(float(by_name.get(name, 0.0)) for name in new.trained)
