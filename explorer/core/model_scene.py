"""The model part of a fit scene: a network from the model library instead of a typed per-row loss.

A fit with a network has, in its "fit" object (core.fit_scene), instead of "model", "train" and "residual":

    "network": {"model": "mlp:4:tanh", "l2": 0, "l1": 0, "init_seed": 0, "standardise": false}
    "split": {"test_fraction": 0.3, "seed": 0}        optional: the held-out rows (core.split)
    "target": "Y", "features": ["X1", "X2"]           optional: default the column Y (else the last one)
                                                      and every other column
    "train": [...]                                     optional: the network's flat labels, checked if given
    "view": "spectrum"                                 optional: the model pane's view on show (MODEL_VIEW_NAMES;
                                                       default "metrics", and not written then)

Its "expression" is "" (the loss is the network's, core.network), it has no sliders, and a run's
"start" may be "init": the network's initial θ from its init_seed (written so whenever a start is
exactly that, so a scene of a 5,000-parameter network stays small).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


from explorer.core import scene_checks as h
from explorer.core.batches import MAX_SEED
from explorer.core.data import DataError, Dataset
from explorer.core.model_fit import ModelProblem
from explorer.core.network import ModelError, parse_model
from explorer.core.split import split_rows

MAX_PARAMETERS = 10_000   # a network the window trains: every state keeps θ, its gradient and the method's memory
INIT = "init"             # a run's "start": the network's initial θ
MODEL_VIEW_NAMES = ("metrics", "spectrum", "sharpness", "sensitivity", "line")   # the model pane's views (fit.view)
DEFAULT_VIEW = "metrics"
MAX_TEST_FRACTION = 0.9


@dataclass(frozen=True)
class NetworkSpec:
    """A model of the library (its text, as core.network.parse_model reads it), its penalties, initial
    seed, held-out share and standardisation."""

    model: str = "mlp:4:tanh"
    l2: float = 0.0
    l1: float = 0.0
    init_seed: int = 0
    test_fraction: float = 0.0
    split_seed: int = 0
    standardise: bool = False     # the features shifted and scaled by the training rows' mean and std


def default_columns(dataset: Dataset, target: str | None, features: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The target (given, else Y, else the last column) and the features (given, else every other column)."""
    columns = dataset.columns
    if target is None:
        target = "Y" if "Y" in columns else columns[-1]
    return target, tuple(features) or tuple(c for c in columns if c != target)


def build_model(network: NetworkSpec, dataset: Dataset, target: str | None,
                features: tuple[str, ...]) -> ModelProblem:
    """The ModelProblem of a network fit (ModelError naming the part at fault: model, l2, l1, target, features,
    split, standardise)."""
    target, features = default_columns(dataset, target, features)
    if not 0.0 <= network.test_fraction <= MAX_TEST_FRACTION:
        raise ModelError(f"the test fraction must lie in [0, {MAX_TEST_FRACTION}], not {network.test_fraction:g}",
                         "split")
    try:
        split = (split_rows(dataset.rows, network.test_fraction, network.split_seed)
                 if network.test_fraction > 0 else None)
    except DataError as err:
        raise ModelError(str(err), "split") from None
    problem = ModelProblem(dataset, parse_model(network.model), target, features, network.l2, network.l1, split,
                           network.standardise)
    if problem.dimension > MAX_PARAMETERS:
        raise ModelError(f"{problem.spec.text} on {len(features)} features has {problem.dimension:,} parameters; "
                         f"the window trains at most {MAX_PARAMETERS:,}", "model")
    return problem


def default_axes(problem: ModelProblem) -> tuple[str, str]:
    """Two parameters of the last layer (the first two weights into the first output, or its first weight and
    bias): a slice that costs one pass over the rows per grid point, and for linear and logistic models the
    classic (w₁, w₂) plane."""
    last = len(problem.network.layout) // 2
    fan_in = problem.network.layout[-2][1][0]
    first = f"W{last}[0,0]"
    second = f"W{last}[1,0]" if fan_in > 1 else f"b{last}[0]"
    return first, second


# ---------------------------------------------------------------- scene files

def read_network(fit: dict) -> NetworkSpec:
    """The "network" and "split" keys of a fit object (SceneError on anything wrong)."""
    for key in ("model", "residual"):
        if key in fit:
            raise h.SceneError(f"'fit.{key}' belongs to a typed loss; a network's model is 'fit.network.model'")
    net = h._object(fit["network"], "fit.network")
    h._check_keys(net, ("model",), ("l2", "l1", "init_seed", "standardise"), "fit.network")
    split = h._object(fit.get("split", {}), "fit.split")
    h._check_keys(split, (), ("test_fraction", "seed"), "fit.split")
    text = h._text(net["model"], "fit.network.model", 200)
    try:
        model = parse_model(text).text
    except ModelError as err:
        raise h.SceneError(f"fit.network.model: {err}") from None
    penalties = {}
    for key in ("l2", "l1"):
        value = h._number(net.get(key, 0.0), f"fit.network.{key}")
        if value < 0:
            raise h.SceneError(f"'fit.network.{key}' must be >= 0, not {value:g}")
        penalties[key] = value
    fraction = h._number(split.get("test_fraction", 0.0), "fit.split.test_fraction")
    if not 0.0 <= fraction <= MAX_TEST_FRACTION:
        raise h.SceneError(f"'fit.split.test_fraction' must lie in [0, {MAX_TEST_FRACTION}], not {fraction:g}")
    return NetworkSpec(model, penalties["l2"], penalties["l1"],
                       h._whole(net.get("init_seed", 0), "fit.network.init_seed", 0, MAX_SEED), fraction,
                       h._whole(split.get("seed", 0), "fit.split.seed", 0, MAX_SEED),
                       h._flag(net.get("standardise", False), "fit.network.standardise"))


def network_keys(network: NetworkSpec) -> dict[str, Any]:
    """The "network" (and "split", with a test part) keys of a fit object."""
    out: dict[str, Any] = {"network": {"model": network.model, "l2": network.l2, "l1": network.l1,
                                       "init_seed": network.init_seed, "standardise": network.standardise}}
    if network.test_fraction > 0:
        out["split"] = {"test_fraction": network.test_fraction, "seed": network.split_seed}
    return out


def starts_in(runs: Any, init: tuple | None) -> Any:
    """A scene's "runs" with each "start": "init" made the initial θ (`init`; None: not a network fit, and
    "init" is left for the run's own check to refuse)."""
    if init is None or not isinstance(runs, (list, tuple)):
        return runs
    return [dict(r, start=list(init)) if isinstance(r, dict) and r.get("start") == INIT else r for r in runs]


def starts_out(runs: list[dict], init: tuple | None) -> list[dict]:
    """The runs as written: a start that is exactly the initial θ becomes "init"."""
    if init is None:
        return runs
    return [dict(r, start=INIT) if tuple(r["start"]) == tuple(init) else r for r in runs]
