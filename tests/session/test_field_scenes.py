"""Field scenes: version 1 files, strictly read; surfaces written exactly as before; runs newton only."""
import json

import pytest

from explorer.core.field_scene import LensSpec
from explorer.core.scene import (FORMAT_VERSION, RunSpec, Scene, SceneError, check_computable, scene_from_dict,
                                 scene_from_json, scene_to_dict, scene_to_json)
from explorer.session.prepare import prepare_scene

SYSTEM = "(x^2 - y, x + y - 2)"


def field_data(**changes):
    data = {"format_version": 1, "expression": SYSTEM, "colouring": "orientation",
            "runs": [{"method": "newton", "start": [2.0, 0.0]}], "lens": {"point": [0.5, 2.0], "radius": 0.4}}
    data.update(changes)
    return data


def test_the_format_stays_version_1_and_a_surface_is_written_as_before():
    assert FORMAT_VERSION == 1
    data = scene_to_dict(Scene("x^2 + y^2"))
    assert not {"gradient_field", "field_height", "lens"} & set(data)


def test_a_field_scene_reads_back_what_was_written():
    scene = scene_from_dict(field_data())
    assert scene.kind == "field" and scene.lens == LensSpec((0.5, 2.0), 0.4) and scene.field_height == "norm"
    data = json.loads(scene_to_json(scene))
    assert data["lens"] == {"point": [0.5, 2.0], "radius": 0.4} and "gradient_field" not in data
    assert scene_from_json(scene_to_json(scene)) == scene


def test_a_gradient_field_scene_is_a_surface_text_with_a_flag():
    scene = scene_from_dict({"format_version": 1, "expression": "x^2 + 3*y^2", "gradient_field": True,
                             "runs": [{"method": "newton", "start": [1.0, 1.0]}]})
    assert scene.kind == "field" and scene.shown_colouring == "orientation"
    assert json.loads(scene_to_json(scene))["gradient_field"] is True


@pytest.mark.parametrize("changes, words", [
    ({"runs": [{"method": "gd", "start": [0, 0]}]},
     "runs[0].method: a field F = (u, v) is solved for F = 0 with newton (Newton–Raphson) only; gd minimises"),
    ({"runs": [{"method": "newton", "settings": {"singular_tolerance": 1e-9}, "start": [0, 0]}]},
     "runs[0].settings: Newton–Raphson on a field has no settings"),
    ({"colouring": "curvature"}, "'colouring' of a field must be one of orientation, area, stretch"),
    ({"field_height": "w"}, "'field_height' must be one of norm, u, v"),
    ({"lens": {"point": [0, 0]}}, "missing key 'radius' in lens"),
    ({"lens": {"point": [0, 0], "radius": 0}}, "'lens.radius' must be positive"),
    ({"gradient_field": True}, "'gradient_field' shows ∇f of a function f(x, y); the expression is already a field"),
    ({"expression": "(x, y, x*y)"}, "expression: the window draws fields of two components"),
    ({"expression": "(x, 2y)"}, "expression: '2y': write 2*y to multiply at column 5"),
])
def test_a_broken_field_scene_is_refused_in_one_line(changes, words):
    with pytest.raises(SceneError) as err:
        scene_from_dict(field_data(**changes))
    assert words in str(err.value) and "\n" not in str(err.value)


def test_field_keys_in_a_surface_scene_are_refused():
    with pytest.raises(SceneError, match="'lens' belongs to a field scene"):
        scene_from_dict({"format_version": 1, "expression": "x^2", "lens": {"point": [0, 0], "radius": 1}})


def test_check_computable_tries_the_field_and_its_runs():
    check_computable(scene_from_dict(field_data()))
    builder = prepare_scene(scene_from_dict(field_data()))   # the window's check builds NewtonRuns
    (run,) = builder._runs.values()
    assert run.method == "newton" and len(run.states) >= 2
    # a run that cannot be computed is a SceneError, not a crash in the window
    scene = Scene(SYSTEM, field_colouring="orientation", runs=(RunSpec("newton", {}, (0.0, 0.0)),))
    check_computable(scene)   # a start where F is finite: fine
