"""A model fit trained to its end from plain settings, and a sweep's job: one setting changed, then trained
and judged on the training and the test rows.

A configuration is a plain dict, so that a process pool can send it to its workers (core.sweep):

    {"data": {"dataset": "moons", "rows": 200, "noise": 0.2, "seed": 0}    or {"csv": TEXT, "source": "a.csv"},
     "target": "Y", "features": ["X1", "X2"],                             None: the last column, and the others
     "model": "mlp:8:tanh", "l2": 0.0, "l1": 0.0, "init_seed": 0,
     "test_fraction": 0.3, "split_seed": 0, "standardise": False,
     "method": "adam", "settings": {"lr": 0.05}, "steps": 200, "batch": None, "seed": 0, "tolerance": 1e-6}

In a sweep, the seed of a (value, seed) pair is the initialisation's seed and the mini-batches' shuffle: the
data and the split stay the same, so every run is judged on the same test rows.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from explorer.core.data import DataError, Dataset, parse_csv
from explorer.core.datasets import generate
from explorer.core.methods import make_optimizer
from explorer.core.model_fit import ModelProblem
from explorer.core.network import parse_model
from explorer.core.split import split_rows
from explorer.core.sweep import SWEEPABLE
from explorer.core.trajectory import Run

DEFAULTS: dict[str, Any] = {"target": None, "features": None, "l2": 0.0, "l1": 0.0, "init_seed": 0,
                            "test_fraction": 0.0, "split_seed": 0, "standardise": False, "settings": {},
                            "steps": 100, "batch": None, "seed": 0, "tolerance": 1e-6, "start": None}


def dataset_of(data: Mapping[str, Any]) -> Dataset:
    """The rows a configuration's "data" describes: a built-in generator or CSV text."""
    if "csv" in data:
        return parse_csv(data["csv"], data.get("source") or "data")
    options = {k: data[k] for k in ("rows", "noise", "classes") if data.get(k) is not None}
    return generate(data["dataset"], int(data.get("seed", 0)), **options)


def target_and_features(dataset: Dataset, target: str | None, features) -> tuple[str, tuple[str, ...]]:
    """The target column (default: the last) and the features (default: every other column), checked."""
    columns = list(dataset.columns)
    target = columns[-1] if target is None else target
    if target not in columns:
        raise DataError(f"no column '{target}' to predict (the columns: {', '.join(columns)})")
    if features is None:
        features = [c for c in columns if c != target]
    features = tuple(features)
    for name in features:
        if name not in columns:
            raise DataError(f"no feature column '{name}' (the columns: {', '.join(columns)})")
        if name == target:
            raise DataError(f"'{name}' is the target; it cannot be a feature too")
    if not features:
        raise DataError("the model needs at least one feature column")
    return target, features


def problem_of(config: Mapping[str, Any], dataset: Dataset | None = None) -> ModelProblem:
    """The ModelProblem a configuration describes (DataError / ModelError on anything wrong)."""
    c = {**DEFAULTS, **config}
    dataset = dataset_of(c["data"]) if dataset is None else dataset
    target, features = target_and_features(dataset, c["target"], c["features"])
    split = split_rows(dataset.rows, float(c["test_fraction"]), int(c["split_seed"])) if c["test_fraction"] else None
    return ModelProblem(dataset, parse_model(c["model"]), target, features, l2=float(c["l2"]), l1=float(c["l1"]),
                        split=split, standardise=bool(c["standardise"]))


def start_of(problem: ModelProblem, config: Mapping[str, Any]) -> np.ndarray:
    """θ₀: the given start, else the documented initialisation from the init seed (core.network)."""
    start = config.get("start")
    return problem.initial(int(config.get("init_seed", 0))) if start is None else np.asarray(start, dtype=float)


def train(config: Mapping[str, Any], problem: ModelProblem | None = None) -> tuple[ModelProblem, Run]:
    """The configuration's model trained by its method to its end (a stop reason or the step limit)."""
    c = {**DEFAULTS, **config}
    problem = problem_of(c) if problem is None else problem
    optimizer = make_optimizer(c["method"], problem.objective(), batch=c["batch"], seed=int(c["seed"]),
                               **c["settings"])
    run = Run(optimizer, start_of(problem, c), max_steps=int(c["steps"]), tolerance=float(c["tolerance"]))
    run.run_to_end()
    return problem, run


def with_setting(config: Mapping[str, Any], name: str, value, seed: int) -> dict[str, Any]:
    """`config` with the setting `name` (one of SWEEPABLE) at `value`, and `seed` for the initialisation and
    the mini-batches' shuffle."""
    c = {**DEFAULTS, **config, "init_seed": int(seed), "seed": int(seed)}
    if name == "lr":
        c["settings"] = {**c["settings"], "lr": float(value)}
    elif name in ("l2", "l1"):
        c[name] = float(value)
    elif name == "test-fraction":
        c["test_fraction"] = float(value)
    elif name in ("steps", "batch"):
        c[name] = int(value)
    elif name in ("method", "model"):
        c[name] = str(value)
    else:
        raise ValueError(f"cannot vary '{name}' (choose from {', '.join(SWEEPABLE)})")
    return c


def final_metrics(problem: ModelProblem, run: Run) -> dict[str, Any]:
    """Where a run ended: its objective, the metrics on both parts, how and after how many steps it stopped."""
    theta = run.states[-1].point
    return {**problem.metrics(theta), "loss": float(run.states[-1].value), "status": run.status,
            "steps": int(run.states[-1].iteration)}


def sweep_job(config: Mapping[str, Any], name: str, value, seed: int) -> dict[str, Any]:
    """One point of a sweep: the configuration with `name` = `value`, trained from `seed`, judged at its end."""
    problem, run = train(with_setting(config, name, value, seed))
    return final_metrics(problem, run)


class SweepJob:
    """sweep_job with the configuration and the setting's name bound: picklable (a closure is not), and in core,
    so a sweep's worker processes import no Qt (core.sweep)."""

    def __init__(self, config: Mapping[str, Any], name: str):
        self.config, self.name = dict(config), name

    def __call__(self, value, seed: int) -> dict[str, Any]:
        return sweep_job(self.config, self.name, value, seed)
