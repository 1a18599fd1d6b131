"""A scene's runs with mini-batches, seeds, schedules and least-squares methods: read, refused in one line
naming the key, written and read back equal; a scene without them is written as before."""
import json
from dataclasses import replace

import numpy as np
import pytest

from explorer.core.batches import MAX_SEED, BatchPlan
from explorer.core.datasets import generate
from explorer.core.fit import FitProblem
from explorer.core.fit_scene import DataSpec, FitSpec
from explorer.core.run_spec import MAX_BATCH, RunSpec, optimizer_of, read_run, run_to_dict
from explorer.core.scene import Scene, SceneError, scene_from_dict, scene_from_json, scene_to_dict, scene_to_json
from explorer.core.schedules import CONSTANT, make_schedule
from explorer.core.trajectory import Run

LINE_FIT = FitSpec(DataSpec("line", 0), ("w", "b"), ("w", "b"), model="w*X + b")
GROWTH_FIT = FitSpec(DataSpec("growth", 0), ("a", "b"), ("a", "b"), model="a*exp(b*X)", residual=True)


def fit_scene(*runs, fit=LINE_FIT, expression="(w*X + b - Y)^2"):
    return Scene(expression, x_range=(-1.0, 5.0), y_range=(-2.0, 4.0), runs=tuple(runs), max_steps=50, fit=fit)


def growth_scene(*runs):
    return fit_scene(*runs, fit=GROWTH_FIT, expression="a*exp(b*X) - Y")


def surface_data(**run):
    return scene_to_dict(Scene("x^2 + y^2", runs=(RunSpec("gd", {"lr": 0.1}, (1.0, 1.0)),))) | {
        "runs": [{"method": "gd", "settings": {"lr": 0.1}, "start": [1, 1], **run}]}


def fit_data(scene=None, **run):
    data = scene_to_dict(scene or fit_scene(RunSpec("gd", {"lr": 0.05}, (-1.0, 4.0))))
    data["runs"][0].update(run)
    return data


def refusal(data) -> str:
    with pytest.raises(SceneError) as caught:
        scene_from_dict(data)
    text = str(caught.value)
    assert "\n" not in text
    return text


# ---------------------------------------------------------------- reading

def test_a_run_reads_its_batch_seed_and_schedule():
    spec = read_run({"method": "momentum", "settings": {"lr": 0.02}, "start": [0, 1], "batch": 8, "seed": 3,
                     "schedule": {"name": "cosine", "period": 50, "lr_min": 0.001, "warmup": 5}}, "runs[0]",
                    fit=True)
    assert (spec.batch, spec.seed) == (8, 3)
    assert spec.schedule == make_schedule("cosine", period=50, lr_min=0.001, warmup=5)
    spec = read_run({"method": "gd", "start": [0, 1], "schedule": {"name": "step"}}, "runs[0]")
    assert spec.schedule == make_schedule("step") and spec.batch is None   # defaults, on a surface too
    spec = read_run({"method": "gauss-newton", "start": [0, 1]}, "runs[0]", fit=True, residual=True)
    assert spec.method == "gauss-newton"


def test_optimizer_of_builds_the_batches_and_the_schedule():
    objective = FitProblem(generate("line", 0), "(w*X + b - Y)^2", "w, b").objective()
    schedule = make_schedule("exponential", gamma=0.9)
    optimizer = optimizer_of(RunSpec("gd", {"lr": 0.05}, (0.0, 0.0), batch=8, seed=3, schedule=schedule), objective)
    assert optimizer.batches == BatchPlan(50, 8, 3) and optimizer.schedule == schedule and optimizer.lr == 0.05
    assert optimizer_of(RunSpec("gd", {}, (0.0, 0.0)), objective).batches is None


@pytest.mark.parametrize("data, key, words", [
    (surface_data(batch=5), "runs[0].batch", "mini-batches need a fit of data"),
    (surface_data(batch=5, seed=2), "runs[0].batch", "mini-batches need a fit of data"),
    (surface_data(seed=2), "runs[0].seed", "give \"batch\" too"),
    (fit_data(seed=2), "runs[0].seed", "give \"batch\" too"),
    (fit_data(batch=0), "runs[0].batch", "whole number"),
    (fit_data(batch=2.5), "runs[0].batch", "whole number"),
    (fit_data(batch=MAX_BATCH + 1), "runs[0].batch", "whole number"),
    (fit_data(batch="8"), "runs[0].batch", "whole number"),
    (fit_data(batch=True), "runs[0].batch", "whole number"),
    (fit_data(batch=8, seed=-1), "runs[0].seed", "whole number"),
    (fit_data(batch=8, seed=MAX_SEED + 1), "runs[0].seed", "whole number"),
    (fit_data(batch=8, seed=1.5), "runs[0].seed", "whole number"),
    (fit_data(method="newton", settings={}, batch=8), "runs[0].batch", "newton uses every row"),
    (fit_data(method="bfgs", settings={}, batch=8), "runs[0].batch", "bfgs uses every row"),
    (fit_data(method="gauss-newton", settings={}), "runs[0].method",
     "gauss-newton needs a fit given as residuals (\"fit\": {\"residual\": true})"),
    (surface_data(method="levenberg-marquardt", settings={}), "runs[0].method", "needs a fit given as residuals"),
    (fit_data(schedule={"name": "linear"}), "runs[0].schedule", "unknown schedule 'linear'"),
    (fit_data(schedule={"gamma": 0.9}), "runs[0].schedule", "missing key 'name'"),
    (fit_data(schedule={"name": "cosine", "gamma": 0.9}), "runs[0].schedule", "has no setting 'gamma'"),
    (fit_data(schedule={"name": "exponential", "gamma": 2}), "runs[0].schedule", "'gamma' must be in (0, 1]"),
    (fit_data(schedule={"name": "step", "every": 0}), "runs[0].schedule", "'every'"),
    (fit_data(schedule={"name": "step", "warmup": -2}), "runs[0].schedule", "'warmup'"),
    (fit_data(schedule={"name": "step", "drop": "half"}), "runs[0].schedule.drop", ""),
    (fit_data(schedule={"name": 3}), "runs[0].schedule.name", ""),
    (fit_data(schedule="cosine"), "runs[0].schedule", ""),
    (fit_data(method="newton", settings={}, schedule={"name": "cosine"}), "runs[0].schedule",
     "newton has no learning rate to schedule"),
    (surface_data(schedule={"name": "constant", "warmup": 3}, method="bfgs", settings={}), "runs[0].schedule",
     "bfgs has no learning rate"),
    (fit_data(shuffle=True), "shuffle", ""),
])
def test_a_scene_s_run_is_refused_in_one_line_naming_the_key(data, key, words):
    text = refusal(data)
    assert key in text and words in text


def test_least_squares_runs_need_the_fit_given_as_residuals_and_then_are_read():
    gn = {"method": "gauss-newton", "settings": {}, "start": [1, 0.3]}
    data = scene_to_dict(growth_scene(RunSpec("levenberg-marquardt", {"damping": 0.01}, (1.0, 0.3))))
    data["runs"].append(gn)
    scene = scene_from_dict(data)
    assert [r.method for r in scene.runs] == ["levenberg-marquardt", "gauss-newton"] and scene.fit.residual
    del data["fit"]["residual"]
    assert "runs[0].method: levenberg-marquardt needs a fit given as residuals" in refusal(data)


def test_a_constant_schedule_is_no_schedule():
    spec = read_run({"method": "newton", "start": [0, 1], "schedule": {"name": "constant"}}, "runs[0]")
    assert spec.schedule == CONSTANT and "schedule" not in run_to_dict(spec)


# ---------------------------------------------------------------- writing

def test_a_run_without_them_is_written_exactly_as_before():
    assert run_to_dict(RunSpec("gd", {"lr": 0.1}, (1.0, 2.0))) == {"method": "gd", "settings": {"lr": 0.1},
                                                                    "start": [1.0, 2.0]}
    assert run_to_dict(RunSpec("adam", {"lr": 0.1, "beta1": 0.8}, (1.0, 2.0), schedule=make_schedule("constant"))) \
        == {"method": "adam", "settings": {"beta1": 0.8, "lr": 0.1}, "start": [1.0, 2.0]}


def test_a_scene_without_them_has_no_new_keys():
    for scene in (fit_scene(RunSpec("gd", {"lr": 0.05}, (-1.0, 4.0)), RunSpec("bfgs", {}, (0.0, 0.0))),
                  Scene("x^2 + y^2", runs=(RunSpec("momentum", {}, (1.0, 1.0)),))):
        data = json.loads(scene_to_json(scene))
        assert all(set(run) == {"method", "settings", "start"} for run in data["runs"])
        assert "residual" not in data.get("fit", {})
        assert scene_from_json(scene_to_json(scene)) == scene


def test_a_batched_run_writes_its_batch_and_seed_together():
    assert run_to_dict(RunSpec("gd", {}, (0.0, 0.0), batch=8)) == {
        "method": "gd", "settings": {}, "start": [0.0, 0.0], "batch": 8, "seed": 0}
    schedule = make_schedule("step", drop=0.5, every=10, warmup=3)
    assert run_to_dict(RunSpec("gd", {}, (0.0, 0.0), schedule=schedule))["schedule"] == {
        "name": "step", "drop": 0.5, "every": 10.0, "warmup": 3}


def test_scenes_round_trip_batch_seed_schedule_and_residual():
    line = fit_scene(RunSpec("gd", {"lr": 0.05}, (-1.0, 4.0), batch=8, seed=3),
                     RunSpec("momentum", {"lr": 0.02}, (0.0, 0.0), batch=1, seed=MAX_SEED,
                             schedule=make_schedule("cosine", period=40, lr_min=0.001, warmup=4)),
                     RunSpec("adam", {}, (0.0, 0.0), schedule=make_schedule("inverse-time", decay=0.5)),
                     RunSpec("rmsprop", {}, (0.0, 0.0), batch=49, schedule=make_schedule("exponential", gamma=0.97)),
                     RunSpec("newton", {}, (0.0, 0.0)))
    growth = growth_scene(RunSpec("gauss-newton", {}, (1.0, 0.3)),
                          RunSpec("levenberg-marquardt", {"damping": 0.01}, (1.0, 0.3)),
                          RunSpec("gd", {"lr": 0.001}, (1.0, 0.3), batch=10, seed=2,
                                  schedule=make_schedule("step", drop=0.5, every=20)))
    for scene in (line, growth):
        text = scene_to_json(scene)
        again = scene_from_json(text)
        assert again == scene and scene_to_json(again) == text


def test_a_scene_read_back_replays_the_same_paths():
    scene = growth_scene(RunSpec("gauss-newton", {}, (1.0, 0.3)),
                         RunSpec("gd", {"lr": 0.001}, (1.0, 0.3), batch=10, seed=2,
                                 schedule=make_schedule("step", drop=0.5, every=20)))
    again = scene_from_json(scene_to_json(scene))
    problem = FitProblem(generate("growth", 0), "a*exp(b*X) - Y", "a, b", residual=True)

    def paths(s):
        out = []
        for spec in s.runs:
            r = Run(optimizer_of(spec, problem.objective()), spec.start, max_steps=30)
            r.run_to_end()
            out.append(r.path)
        return out

    assert all(np.array_equal(a, b) for a, b in zip(paths(scene), paths(again)))


def test_reading_a_run_keeps_its_data_unchanged():
    data = fit_data(batch=8, seed=3, schedule={"name": "cosine", "period": 10})
    before = json.dumps(data, sort_keys=True)
    scene_from_dict(data)
    assert json.dumps(data, sort_keys=True) == before
    assert replace(scene_from_dict(data).runs[0], batch=None, seed=0, schedule=CONSTANT) == RunSpec(
        "gd", {"lr": 0.05}, (-1.0, 4.0))
