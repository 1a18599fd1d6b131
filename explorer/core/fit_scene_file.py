"""The fit part of a scene file: the "fit" object read (strictly: a broken key is refused, naming it) and
written back, the runs' "init" starts, and a scene's fit tried before it is opened (core.fit_scene has the
keys' meaning)."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from explorer.core import scene_checks as h
from explorer.core.batches import MAX_SEED
from explorer.core.data import MAX_ROWS
from explorer.core.datasets import GENERATORS, MIN_ROWS
from explorer.core.direction_scene import directions_keys, read_directions
from explorer.core.fit import FitProblem
from explorer.core.fit_map import slice_map
from explorer.core.fit_scene import (FIELD_KEYS, FOLLOW, DataSpec, FitSetupError, FitSpec, build_dataset,
                                     build_fit, initial_theta, slider_names)
from explorer.core.model_fit import ModelProblem
from explorer.core.model_map import model_slice_map
from explorer.core.model_scene import (DEFAULT_VIEW, MODEL_VIEW_NAMES, build_model, network_keys, read_network,
                                      starts_in, starts_out)
from explorer.core.network import ModelError


def read_fit(data: dict, expression: str) -> tuple[FitSpec | None, tuple[str, ...]]:
    """The fit described by data["fit"] and the names its sliders must have, or (None, ()) without one
    (SceneError on anything wrong)."""
    if "fit" not in data:
        return None, ()
    fit = h._object(data["fit"], "fit")
    for key in FIELD_KEYS:
        if key in data:
            raise h.SceneError(f"'{key}' belongs to a field scene; this is a fit of data")
    if "network" in fit:
        spec = _read_network_fit(fit, expression)
        if "directions" in fit:   # the plane of the map (core.direction_scene)
            runs = data.get("runs", [])
            spec = replace(spec, directions=read_directions(fit["directions"], len(runs) if isinstance(runs, list)
                                                            else 0))
        return spec, ()
    if "split" in fit:
        raise h.SceneError("'fit.split' holds out rows of a network's fit (\"fit.network\"); a typed loss has none")
    h._check_keys(fit, ("data", "train", "axes"), ("model", "held", "residual", "target", "features"), "fit")
    spec = FitSpec(_data(fit["data"]), _names(fit["train"], "fit.train"), _names(fit["axes"], "fit.axes"),
                   h._text(fit.get("model", ""), "fit.model"), _held(fit.get("held", FOLLOW)),
                   h._flag(fit.get("residual", False), "fit.residual"),
                   h._text(fit["target"], "fit.target", 100) if "target" in fit else None,
                   _names(fit.get("features", []), "fit.features", allow_empty=True))
    if len(spec.axes) != 2:
        raise h.SceneError(f"'fit.axes' must name two trained parameters, not {h._show(list(spec.axes))}")
    try:
        dataset = build_dataset(spec.data)
        wanted = slider_names(spec, expression, dataset)
        build_fit(spec, expression, dict.fromkeys(wanted, 0.0), dataset)
    except FitSetupError as err:
        where = {"loss": "expression", "train": "fit.train"}.get(err.field, f"fit.{err.field}")
        raise h.SceneError(f"{where}: {err}") from None
    for value in spec.held or ():
        if abs(value) > h.MAX_COORDINATE:
            raise h.SceneError(f"'fit.held' must lie within ±{h.MAX_COORDINATE:,.0f}, not {value:g}")
    return spec, wanted


def _read_network_fit(fit: dict, expression: str) -> FitSpec:
    """A network's fit object (module docstring; SceneError on anything wrong, naming the key)."""
    network = read_network(fit)   # first: it names a typed loss's keys as such
    h._check_keys(fit, ("data", "network", "axes"), ("train", "held", "target", "features", "split", "view", "directions"),
                  "fit")
    if expression.strip():
        raise h.SceneError("expression: a network's fit has no typed loss: leave \"expression\" empty")
    data = _data(fit["data"])
    target = h._text(fit["target"], "fit.target", 100) if "target" in fit else None
    features = _names(fit.get("features", []), "fit.features", allow_empty=True)
    axes = _names(fit["axes"], "fit.axes")
    try:
        problem = build_model(network, build_dataset(data), target, features)
    except FitSetupError as err:
        raise h.SceneError(f"fit.{err.field}: {err}") from None
    except ModelError as err:
        where = {"model": "fit.network.model", "l2": "fit.network.l2", "l1": "fit.network.l1",
                 "standardise": "fit.network.standardise", "split": "fit.split"}.get(err.part, f"fit.{err.part}")
        raise h.SceneError(f"{where}: {err}") from None
    trained = _names(fit["train"], "fit.train") if "train" in fit else problem.trained
    view = h._text(fit.get("view", DEFAULT_VIEW), "fit.view", 40)
    if view not in MODEL_VIEW_NAMES:
        raise h.SceneError(f"'fit.view' is one of {', '.join(MODEL_VIEW_NAMES)}, not '{view}'")
    spec = FitSpec(data, trained, axes, held=_held(fit.get("held", FOLLOW)), target=problem.target,
                   features=problem.features, network=network, view=view)
    try:
        build_fit(spec, "", {})
    except FitSetupError as err:
        where = {"train": "fit.train"}.get(err.field, f"fit.{err.field}")
        raise h.SceneError(f"{where}: {err}") from None
    for value in spec.held or ():
        if abs(value) > h.MAX_COORDINATE:
            raise h.SceneError(f"'fit.held' must lie within ±{h.MAX_COORDINATE:,.0f}, not {value:g}")
    return spec


def scene_starts_in(runs: Any, fit: FitSpec | None) -> Any:
    """A scene's "runs" with "start": "init" read as the network's initial θ."""
    return runs if fit is None or fit.network is None else starts_in(runs, initial_theta(fit))


def scene_starts_out(runs: list[dict], fit: FitSpec | None) -> list[dict]:
    """The runs as written: a network's start that is its initial θ written as "init"."""
    return runs if fit is None or fit.network is None else starts_out(runs, initial_theta(fit))


def _data(value: Any) -> DataSpec:
    data = h._object(value, "fit.data")
    h._check_keys(data, (), ("dataset", "seed", "rows", "noise", "csv", "source", "standardise"), "fit.data")
    if ("dataset" in data) == ("csv" in data):
        raise h.SceneError("'fit.data' needs either \"dataset\" (a built-in name) or \"csv\" (the rows), not "
                           + ("both" if "dataset" in data else "neither"))
    columns = _names(data.get("standardise", []), "fit.data.standardise", allow_empty=True)
    if "csv" in data:
        for key in ("seed", "rows", "noise"):
            if key in data:
                raise h.SceneError(f"'fit.data.{key}' goes with a built-in dataset, not with CSV rows")
        return DataSpec(csv=h._text(data["csv"], "fit.data.csv"), source=h._text(data.get("source", ""),
                                                                                 "fit.data.source", 200),
                        standardise=columns)
    if "source" in data:
        raise h.SceneError("'fit.data.source' names the file of CSV rows; a built-in dataset has none")
    name = h._text(data["dataset"], "fit.data.dataset")
    if name not in GENERATORS:
        raise h.SceneError(f"'fit.data.dataset': unknown dataset {h._show(name)} (choose from {', '.join(GENERATORS)})")
    rows, noise = data.get("rows"), data.get("noise")
    if noise is not None and not 0 <= h._number(noise, "fit.data.noise"):
        raise h.SceneError(f"'fit.data.noise' must be >= 0, not {noise:g}")
    return DataSpec(dataset=name, seed=h._whole(data.get("seed", 0), "fit.data.seed", 0, MAX_SEED),
                    rows=None if rows is None else h._whole(rows, "fit.data.rows", MIN_ROWS, MAX_ROWS),
                    noise=None if noise is None else float(noise), standardise=columns)


def _names(value: Any, where: str, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not (value or allow_empty):
        raise h.SceneError(f"'{where}' must be a list of names, not {h._show(value)}")
    return tuple(h._text(v, where, 100) for v in value)


def _held(value: Any) -> tuple[float, ...] | None:
    if value == FOLLOW:
        return None
    if not isinstance(value, (list, tuple)) or isinstance(value, str):
        raise h.SceneError(f"'fit.held' must be \"{FOLLOW}\" (the selected run's values) or a list of numbers, "
                           f"not {h._show(value)}")
    return tuple(h._number(v, "fit.held") for v in value)


def fit_keys(scene) -> dict[str, Any]:
    """{"fit": ...} for a fit scene, {} otherwise."""
    spec: FitSpec | None = getattr(scene, "fit", None)
    if spec is None:
        return {}
    d = spec.data
    data = ({"dataset": d.dataset, "seed": d.seed, **({"rows": d.rows} if d.rows is not None else {}),
             **({"noise": d.noise} if d.noise is not None else {})}
            if d.dataset is not None else {"csv": d.csv, "source": d.source})
    if d.standardise:
        data["standardise"] = list(d.standardise)
    if spec.network is not None:   # "train" is derived from the network
        return {"fit": {"data": data, **network_keys(spec.network), "target": spec.target,
                        "features": list(spec.features), "axes": list(spec.axes),
                        "held": FOLLOW if spec.held is None else list(spec.held),
                        **({"view": spec.view} if spec.view != DEFAULT_VIEW else {}),
                        **directions_keys(spec.directions)}}
    return {"fit": {"data": data, "model": spec.model, "train": list(spec.trained), "axes": list(spec.axes),
                    "held": FOLLOW if spec.held is None else list(spec.held),
                    **({"residual": True} if spec.residual else {}),
                    **({"target": spec.target} if spec.target is not None else {}),
                    **({"features": list(spec.features)} if spec.features else {})}}


def try_fit(scene, check_grid: int) -> FitProblem | ModelProblem:
    """The scene's fit, its slice map tried on a check_grid × check_grid grid over the axes' windows."""
    spec = scene.fit
    problem = build_fit(spec, scene.text, scene.parameter_values())
    at = spec.held if spec.held is not None else (scene.runs[0].start if scene.runs else np.zeros(spec.dimension))
    if isinstance(problem, ModelProblem):
        model_slice_map(problem, *spec.axis_indices, np.linspace(*scene.x_range, check_grid),
                        np.linspace(*scene.y_range, check_grid), at)
        return problem
    slice_map(problem, *spec.axis_indices, np.linspace(*scene.x_range, check_grid),
              np.linspace(*scene.y_range, check_grid), at)
    return problem
