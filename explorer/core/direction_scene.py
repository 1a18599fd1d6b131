"""The "directions" key of a network fit's scene object: the plane its map shows (core.directions).

    "directions": {"kind": "random", "seed": 0, "span": 1.0, "centre": "run", "runs": [0, 1]}

kind is random, hessian, pca or runs (two parameters on the axes: leave the key out); seed, centre (run: the
selected run's point on show, end: its end, init: the network's initial θ) and runs (0-based run numbers, for
"runs") are optional. Written with every key, so the picture reproduces.
"""
from __future__ import annotations

from typing import Any

from explorer.core import scene_checks as h
from explorer.core.batches import MAX_SEED
from explorer.core.directions import CENTRES, KINDS, DirectionSpec

SCENE_KINDS = tuple(k for k in KINDS if k != "params")


def read_directions(value: Any, runs: int) -> DirectionSpec:
    """The plane of `value` (SceneError naming the key at fault); `runs`: how many runs the scene has."""
    d = h._object(value, "fit.directions")
    h._check_keys(d, ("kind",), ("seed", "span", "centre", "runs"), "fit.directions")
    kind = h._text(d["kind"], "fit.directions.kind", 40)
    if kind not in SCENE_KINDS:
        raise h.SceneError(f"'fit.directions.kind' is one of {', '.join(SCENE_KINDS)} (two parameters: leave "
                           f"\"directions\" out), not {h._show(kind)}")
    centre = h._text(d.get("centre", "run"), "fit.directions.centre", 40)
    if centre not in CENTRES:
        raise h.SceneError(f"'fit.directions.centre' is one of {', '.join(CENTRES)}, not {h._show(centre)}")
    pair = d.get("runs", [0, 1])
    if not isinstance(pair, (list, tuple)) or len(pair) != 2:
        raise h.SceneError(f"'fit.directions.runs' must be two run numbers, not {h._show(pair)}")
    pair = tuple(h._whole(v, "fit.directions.runs", 0, 10**6) for v in pair)
    if pair[0] == pair[1]:
        raise h.SceneError(f"'fit.directions.runs' must be two different runs, not {list(pair)}")
    if kind == "runs" and max(pair) >= runs:
        raise h.SceneError(f"'fit.directions.runs' names run {max(pair)} (counted from 0); the scene has {runs}")
    if kind in ("pca",) and runs < 1:
        raise h.SceneError("'fit.directions': PCA directions need a run")
    return DirectionSpec(kind, h._whole(d.get("seed", 0), "fit.directions.seed", 0, MAX_SEED),
                         h._positive(d.get("span", 1.0), "fit.directions.span"), centre, pair)


def directions_keys(spec: DirectionSpec | None) -> dict[str, Any]:
    """{"directions": {...}} for a plane, {} for two parameters."""
    if spec is None:
        return {}
    return {"directions": {"kind": spec.kind, "seed": spec.seed, "span": spec.span, "centre": spec.centre,
                           "runs": list(spec.runs)}}
