"""Fit scenes: version 1 files with a "fit" key, strictly read; surfaces and fields written exactly as before."""
import json

import pytest

from explorer.core.data import csv_text
from explorer.core.datasets import generate
from explorer.core.fit_scene import MAX_DATA_CHARS, DataSpec, FitSpec
from explorer.core.preset_library import find_preset, load_presets
from explorer.core.scene import (FORMAT_VERSION, MAX_FILE_BYTES, Scene, SceneError, load_scene,
                                 scene_from_dict, scene_from_json, scene_to_dict, scene_to_json)
from explorer.session.prepare import prepare_scene

LOSS = "(a*X1 + b*X2 + c*X3 + d - Y)^2"


def fit_data(**changes):
    fit = {"data": {"dataset": "plane", "seed": 0}, "model": "a*X1 + b*X2 + c*X3 + d",
           "train": ["a", "b", "c", "d"], "axes": ["a", "b"], "held": "run"}
    fit.update(changes.pop("fit", {}))
    data = {"format_version": 1, "expression": LOSS, "fit": fit, "x_range": [-1, 3], "y_range": [-3, 1],
            "runs": [{"method": "gd", "settings": {"lr": 0.1}, "start": [0, 0, 0, 0]}]}
    data.update(changes)
    return data


def test_a_fit_scene_reads_back_what_was_written_and_others_have_no_fit_key():
    assert FORMAT_VERSION == 1
    scene = scene_from_dict(fit_data())
    assert scene.kind == "fit" and scene.fit == FitSpec(DataSpec("plane", 0), ("a", "b", "c", "d"), ("a", "b"),
                                                        "a*X1 + b*X2 + c*X3 + d")
    text = scene_to_json(scene)
    assert scene_from_json(text) == scene
    assert '"train": ["a", "b", "c", "d"]' in text and json.loads(text)["fit"]["held"] == "run"
    assert "fit" not in scene_to_dict(Scene("x^2 + y^2"))
    assert "fit" not in scene_to_dict(load_scene(find_preset("two-roots")))


@pytest.mark.parametrize("changes, words", [
    ({"fit": {"train": ["a"]}}, "fit.train: the window draws the loss over two trained parameters"),
    ({"fit": {"axes": ["a", "e"]}}, "fit.axes: the axes need two different trained parameters (a, b, c, d)"),
    ({"fit": {"axes": ["a"]}}, "'fit.axes' must name two trained parameters"),
    ({"fit": {"held": [1, 2]}}, "fit.held: the held values need 4 numbers"),
    ({"fit": {"held": "yes"}}, "'fit.held' must be \"run\" (the selected run's values) or a list of numbers"),
    ({"fit": {"model": "a*X1 + Y"}}, "fit.model: the model uses the target column 'Y'"),
    ({"fit": {"model": "a*x1"}}, "fit.model: 'x1' is neither a column"),
    ({"fit": {"data": {"dataset": "plane", "csv": "X,Y\n1,2\n"}}}, "needs either \"dataset\"" ),
    ({"fit": {"data": {"dataset": "planes"}}}, "'fit.data.dataset': unknown dataset 'planes'"),
    ({"fit": {"data": {"dataset": "plane", "rows": 1}}}, "'fit.data.rows' must be a whole number between 2"),
    ({"fit": {"data": {"csv": "X,Y\n1,2\n", "seed": 3}}}, "'fit.data.seed' goes with a built-in dataset"),
    ({"fit": {"data": {"csv": "X1,Y\n1,2\n2,oops\n"}}}, "fit.data: data, line 3, column 'Y': 'oops' is not a number"),
    ({"fit": {"data": {"dataset": "plane", "standardise": ["X9"]}}}, "fit.data: plane (seed 0) has no column 'X9'"),
    ({"fit": {"colour": 1}}, "unknown key 'colour' in fit"),
    ({"fit": {"target": "Z"}},
     "fit.target: the target 'Z' is not a column of plane (seed 0); its columns: X1, X2, X3, Y"),
    ({"fit": {"target": 3}}, "'fit.target' must be text, not 3"),
    ({"fit": {"features": ["X1", "X2"]}}, "fit.features: the model uses the column 'X3', which is not a feature"),
    ({"fit": {"features": "X1"}}, "'fit.features' must be a list of names"),
    ({"expression": "(a*X1 + b*X2 + c*X3 + d - y)^2"}, "expression: 'y' is neither a column"),
    ({"lens": None}, "'lens' belongs to a field scene; this is a fit of data"),
    ({"runs": [{"method": "gd", "start": [0, 0]}]}, "'runs[0].start' must be a list of 4 numbers"),
    ({"overlays": {"basins": True}}, "'overlays.basins' is drawn for a function f(x, y), not for a fit's slice"),
    ({"parameters": {"lam": 1}}, "parameters: 'lam' is not in the expression"),
    ({"expression": LOSS + " + lam*a^2"}, "parameters: missing a value for 'lam'"),
])
def test_a_broken_fit_scene_is_refused_in_one_line(changes, words):
    with pytest.raises(SceneError) as err:
        scene_from_dict(fit_data(**changes))
    assert words in str(err.value) and "\n" not in str(err.value)


def test_a_scene_carries_its_csv_rows_and_stays_under_the_scene_limit():
    rows = generate("plane", 1, rows=2000)
    text = csv_text(rows)
    scene = scene_from_dict(fit_data(fit={"data": {"csv": text, "source": "plane.csv"}}))
    written = scene_to_json(scene)
    assert len(written.encode()) < MAX_FILE_BYTES and scene_from_json(written) == scene
    too_big = "X1,X2,X3,Y\n" + "1.0,2.0,3.0,4.0\n" * (MAX_DATA_CHARS // 16 + 1)
    with pytest.raises(SceneError, match="use fewer rows"):
        scene_from_dict(fit_data(fit={"data": {"csv": too_big, "source": "big.csv"}}))


def test_opening_a_fit_scene_computes_a_little_of_it_first():
    scene = scene_from_dict(fit_data(current_step=3))
    builder = prepare_scene(scene)
    assert len(builder._runs) == 1
    run = next(iter(builder._runs.values()))
    assert len(run.states) >= 2 and run.objective.variables == ("a", "b", "c", "d")


def test_a_loss_undefined_at_the_start_opens_and_says_so():
    data = fit_data(expression="log(a*X1 + b*X2 + c*X3 + d - Y)", runs=[{"method": "newton", "start": [0, 0, 0, 0]}])
    scene = scene_from_json(json.dumps(data))   # checked: log of a negative is nan, a clean stop, not an error
    from explorer.session import Session
    (run,) = Session.from_scene(scene).runs
    assert run.status == "undefined start"


def test_a_chosen_target_and_features_are_written_and_read_back():
    hours = "Hours,Score,Pass\n1.0,52.0,0.0\n2.0,55.0,0.0\n3.0,61.0,1.0\n"
    data = fit_data(expression="(w*Hours + b - Score)^2", runs=[{"method": "gd", "start": [0, 0]}],
                    fit={"data": {"csv": hours, "source": "hours.csv"}, "model": "w*Hours + b", "train": ["w", "b"],
                         "axes": ["w", "b"], "target": "Score", "features": ["Hours"]})
    scene = scene_from_dict(data)
    assert (scene.fit.target, scene.fit.features) == ("Score", ("Hours",))
    written = scene_to_dict(scene)
    assert written["fit"]["target"] == "Score" and written["fit"]["features"] == ["Hours"]
    assert scene_from_json(scene_to_json(scene)) == scene
    del data["fit"]["target"], data["fit"]["features"]   # absent: read from the loss, and nothing written
    plain = scene_from_dict(data)
    assert (plain.fit.target, plain.fit.features) == (None, ())
    assert "target" not in scene_to_dict(plain)["fit"] and "features" not in scene_to_dict(plain)["fit"]


def test_every_fit_preset_reads_and_writes_as_before():
    for path, scene in load_presets():
        if scene.fit is not None and scene.fit.network is None:   # a network's fit names its columns
            written = scene_to_dict(scene)["fit"]
            assert "target" not in written and "features" not in written, path.name
            assert written == json.loads(path.read_text(encoding="utf-8"))["fit"], path.name
