"""A fit's specification: where its rows come from (DataSpec), what is trained (FitSpec), and the problem
it builds (a typed loss's FitProblem or a network's ModelProblem); a fit scene's keys are read and written by
core.fit_scene_file.


A fit scene keeps format version 1. Its "expression" is the per-row loss, and it adds the key

    "fit": {
      "data": {"dataset": "line", "seed": 0}            a built-in generator (optional "rows"),
              or {"csv": "X,Y\\n0.5,2.1\\n...", "source": "heights.csv"}   the rows themselves, so the
              scene is self-contained; either may add "standardise": ["X1", "X2"]
      "model": "w*X + b",                                what the fit view draws ("" for none)
      "train": ["w", "b"],                               the trained parameters, in order
      "axes": ["w", "b"],                                the two on the landscape's axes
      "held": "run" or [numbers]                         the others: at the selected run's current
                                                         values, or at these (one per trained name)
      "residual": true                                   optional: "expression" is the per-row residual r
                                                         and the loss is r^2 (Gauss–Newton, Levenberg–Marquardt)
      "target": "Score", "features": ["Hours"]           optional: the column the model predicts and those it
    }                                                    predicts from (absent: read from the loss and the model)

A fit of a network from the model library has "network" (and "split") instead of "model", "train" and
"residual" (core.model_scene); its "data" may add "noise" (a generated dataset's noise sd).

Its "parameters" are the sliders (free names of the loss and model that are neither a column nor
trained), "x_range" and "y_range" the windows of the two axis parameters, and each run's "start"
has one number per trained parameter. Field keys are refused in a fit scene; a surface or field
scene is written exactly as before (no "fit" key).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

import numpy as np

from explorer.core.data import DataError, Dataset, csv_text, parse_csv, standardise
from explorer.core.datasets import generate
from explorer.core.expression import parse
from explorer.core.directions import DirectionSpec
from explorer.core.fit import FitProblem
from explorer.core.fit_names import FitError, slip, trained_names, used_names
from explorer.core.model_fit import ModelProblem
from explorer.core.model_scene import NetworkSpec, build_model, default_axes
from explorer.core.network import ModelError
from explorer.core.syntax_hints import ExpressionError

__all__ = ["FIT", "FOLLOW", "DataSpec", "FitSpec", "FitSetupError", "build_dataset", "slider_names", "build_fit",
           "held_point", "MAX_TRAINED", "MAX_DATA_CHARS", "csv_spec", "NetworkSpec", "initial_theta", "network_view"]

FIT = "fit"
FOLLOW = "run"              # "held": the other parameters follow the selected run
MAX_TRAINED = 16            # trained parameters of a typed fit (a network's cap: core.model_scene.MAX_PARAMETERS)
MAX_DATA_CHARS = 900_000    # CSV text a scene may carry: with the rest it stays under the 1 MB scene limit
FIELD_KEYS = ("gradient_field", "field_height", "lens")


class FitSetupError(ValueError):
    """A fit that cannot be set up: `field` names the part at fault (data, train, loss, model, axes,
    held), str() is one line saying what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class DataSpec:
    """Where a fit's rows come from: a built-in generator and its seed, or CSV text; then standardised columns."""

    dataset: str | None = None
    seed: int = 0
    rows: int | None = None             # None: the generator's own count
    noise: float | None = None          # None: the generator's own noise sd
    csv: str | None = None              # csv_text of the rows read from a file
    source: str = ""                    # that file's name
    standardise: tuple[str, ...] = ()

    def label(self) -> str:
        """'line (seed 0)' or 'heights.csv', with the standardised columns."""
        noise = "" if self.noise is None else f", noise {self.noise:g}"
        name = f"{self.dataset} (seed {self.seed}{noise})" if self.dataset else (self.source or "CSV data")
        return name + (f", standardised {', '.join(self.standardise)}" if self.standardise else "")


@dataclass(frozen=True)
class FitSpec:
    """A fit, less its loss text (the setup's or scene's expression) and its sliders' values."""

    data: DataSpec
    trained: tuple[str, ...]
    axes: tuple[str, str]
    model: str = ""
    held: tuple[float, ...] | None = None    # None: held at the selected run's current values
    residual: bool = False                   # the typed expression is the residual r; the loss is r^2
    target: str | None = None                # None: the column the loss subtracts (core.fit_target)
    features: tuple[str, ...] = ()           # (): the columns the model uses
    network: NetworkSpec | None = None       # a model of the library (trained: its flat labels); None: a typed loss
    view: str = "metrics"                    # a network fit's model pane: which view is on show (display only)
    directions: DirectionSpec | None = None  # a network's map over a plane of directions; None: over `axes`

    @property
    def dimension(self) -> int:
        return len(self.trained)

    @property
    def axis_indices(self) -> tuple[int, int]:
        return self.trained.index(self.axes[0]), self.trained.index(self.axes[1])

    @property
    def whole(self) -> bool:
        """The map is the whole landscape: two trained parameters, on the axes in their order."""
        return self.axes == self.trained

    def problem_key(self) -> tuple:
        """What the runs depend on (not the axes, nor the held values)."""
        return self.data, self.trained, self.model, self.residual, self.network, self.network and (
            self.target, self.features)


def csv_spec(dataset: Dataset, source: str, standardised: tuple[str, ...] = ()) -> DataSpec:
    """A DataSpec carrying `dataset`'s rows as CSV text (FitSetupError if a scene could not hold them)."""
    text = csv_text(dataset)
    if len(text) > MAX_DATA_CHARS:
        raise FitSetupError("data", f"{source}: {dataset.rows:,} rows take {len(text) / 1e6:.1f} MB as CSV; a scene "
                                    f"holds at most {MAX_DATA_CHARS / 1e6:.1f} MB of data: use fewer rows")
    return DataSpec(csv=text, source=source, standardise=standardised)


def build_dataset(spec: DataSpec) -> Dataset:
    """The rows `spec` describes (FitSetupError 'data' on anything wrong)."""
    try:
        if (spec.dataset is None) == (spec.csv is None):
            raise DataError("give either a built-in dataset or CSV data")
        if spec.csv is not None and len(spec.csv) > MAX_DATA_CHARS:
            raise DataError(f"{spec.source or 'the data'}: more than {MAX_DATA_CHARS / 1e6:.1f} MB of CSV; "
                            "a scene holds no more: use fewer rows")
        dataset = (generate(spec.dataset, spec.seed, spec.rows, spec.noise) if spec.dataset is not None else
                   parse_csv(spec.csv, spec.source or "data"))
        if spec.standardise:
            dataset = standardise(dataset, spec.standardise)[0]
    except DataError as err:
        raise FitSetupError("data", str(err)) from None
    return dataset


def _free(text: str, variables: tuple[str, ...], field: str, spec: FitSpec, columns) -> list[str]:
    try:
        names = list(parse(text, variables).parameters)
    except ExpressionError as err:
        raise FitSetupError(field, str(err)) from None
    for name in names:
        hint = slip(name, columns, spec.trained)
        if hint:
            raise FitSetupError(field, f"'{name}' is neither a column of the data ({', '.join(columns)}) nor a "
                                       f"trained parameter ({', '.join(spec.trained)}); {hint}")
    return names


def slider_names(spec: FitSpec, loss: str, dataset: Dataset) -> tuple[str, ...]:
    """The free names of the loss and the model that become sliders, checking the trained names and both
    expressions on the way (FitSetupError naming the part at fault). A free name that looks like a slip
    (x for the column X, wX for w*X) is refused rather than made a slider."""
    try:
        trained = trained_names(spec.trained)
    except FitError as err:
        raise FitSetupError("train", str(err)) from None
    if len(trained) < 2:
        raise FitSetupError("train", "the window draws the loss over two trained parameters: name at least two, "
                                     "e.g. w, b")
    if len(trained) > MAX_TRAINED:
        raise FitSetupError("train", f"{len(trained)} trained parameters; the window trains at most {MAX_TRAINED}")
    columns = dataset.columns
    clash = next((n for n in trained if n in columns), None)
    if clash:
        raise FitSetupError("train", f"'{clash}' is both a trained parameter and a column of the data: "
                                     "give the parameter another name")
    variables = trained + columns
    if not loss.strip():
        raise FitSetupError("loss", "type the residual of one row, e.g. a*exp(b*X) - Y" if spec.residual else
                                    "type the loss of one row, e.g. (w*X + b - Y)^2")
    names = _free(loss, variables, "loss", spec, columns)
    unused = [n for n in trained if n not in used_names(loss)]
    if unused:
        what = "residual" if spec.residual else "loss"
        raise FitSetupError("loss", f"the {what} does not use the trained parameter '{unused[0]}'")
    if spec.model.strip():
        names += [n for n in _free(spec.model, variables, "model", spec, columns) if n not in names]
    return tuple(sorted(set(names)))


def build_fit(spec: FitSpec, loss: str, params: Mapping[str, float],
              dataset: Dataset | None = None) -> FitProblem | ModelProblem:
    """The FitProblem of a checked spec, or the ModelProblem of a network (FitSetupError naming the part
    at fault)."""
    dataset = build_dataset(spec.data) if dataset is None else dataset
    if spec.network is not None:
        return _network_fit(spec, dataset)
    slider_names(spec, loss, dataset)
    if len(spec.axes) != 2 or spec.axes[0] == spec.axes[1] or not set(spec.axes) <= set(spec.trained):
        raise FitSetupError("axes", f"the axes need two different trained parameters ({', '.join(spec.trained)})")
    if spec.held is not None and len(spec.held) != len(spec.trained):
        raise FitSetupError("held", f"the held values need {len(spec.trained)} numbers, one per trained parameter "
                                    f"({', '.join(spec.trained)})")
    try:
        return FitProblem(dataset, loss, spec.trained, params, spec.model.strip() or None, spec.target,
                          spec.residual, spec.features or None)
    except (FitError, ExpressionError) as err:
        part = getattr(err, "part", None) or ("model" if "model" in str(err) else "loss")
        raise FitSetupError(part, str(err)) from None


def _network_fit(spec: FitSpec, dataset: Dataset) -> ModelProblem:
    """A network's fit, its trained labels and axes checked against the network's."""
    try:
        problem = build_model(spec.network, dataset, spec.target, spec.features)
    except ModelError as err:
        raise FitSetupError({"params": "model"}.get(err.part, err.part), str(err)) from None
    if spec.trained != problem.trained:
        raise FitSetupError("train", f"the trained parameters must be the network's {problem.dimension:,} "
                                     f"({problem.trained[0]}, ..., {problem.trained[-1]})")
    return network_view(spec, problem)


def network_view(spec: FitSpec, problem: ModelProblem) -> ModelProblem:
    """`problem` once the spec's axes and held values are checked against its parameters."""
    if len(spec.axes) != 2 or spec.axes[0] == spec.axes[1] or not set(spec.axes) <= set(problem.trained):
        raise FitSetupError("axes", f"the axes need two different parameters of the network, e.g. "
                                    f"{', '.join(default_axes(problem))}")
    if spec.held is not None and len(spec.held) != problem.dimension:
        raise FitSetupError("held", f"the held values need {problem.dimension:,} numbers, one per parameter")
    return problem


@lru_cache(maxsize=16)
def initial_theta(spec: FitSpec) -> tuple[float, ...] | None:
    """A network fit's initial θ (its init_seed) as a start; None for a typed fit (FitSetupError if it cannot
    be built)."""
    if spec.network is None:
        return None
    problem = build_fit(spec, "", {})
    return tuple(float(v) for v in problem.initial(spec.network.init_seed))


def held_point(spec: FitSpec, point) -> np.ndarray:
    """θ with the axis parameters at `point`'s values and the others held: at `point`'s own values
    (following the run) or at the spec's chosen values."""
    theta = np.array(point, dtype=float).reshape(-1)
    if spec.held is None:
        return theta
    held = np.array(spec.held, dtype=float)
    i, j = spec.axis_indices
    held[[i, j]] = theta[[i, j]]
    return held


