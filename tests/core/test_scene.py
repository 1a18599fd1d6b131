"""Scene files: exact round trips, and every broken file refused with one clear line."""
import json
import os
import tempfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.core.document import DEFAULT_RANGE, NO_OVERLAYS, Parameter, Setup
from explorer.core.methods import METHODS
from explorer.core.scene import (COLOURINGS, FORMAT_VERSION, MAX_REPLAYED_STATES, OVERLAYS, Camera, RunSpec,
                                 Scene, SceneError, load_scene, save_scene, scene_from_dict, scene_from_json,
                                 scene_to_json)
from tests.helpers import gui_modules_loaded_by

FULL = Scene(
    "a*x^2 + b*y^2 + sin(x*y)",
    parameters={"a": Parameter(1.5, 0.0, 4.0), "b": Parameter(-0.25)},
    x_range=(-2.5, 3.0),
    y_range=(-1.0, 1.0e-3),
    resolution=150,
    colouring="height",
    vertical_scale=0.5,
    log_scale=True,
    runs=(RunSpec("gd", {"lr": 0.05}, (1.0, -2.0)),
          RunSpec("adam", {"lr": 0.1, "beta1": 0.8}, (0.25, 0.75)),
          RunSpec("newton", {}, (-1.0, 0.5))),
    current_step=17,
    selected_run=2,
    max_steps=400,
    camera=Camera(12.5, 30.0, -45.0, (0.0, 0.5, -1.0)),
    overlays={"gradient": True, "eigenvectors": False, "quadratic_model": True},
    title="Saddle, Übung 3",
    note="Start at (1, -2).\nWatch Newton jump to the saddle.",
)


def valid_data():
    """A fresh copy of FULL as plain JSON data."""
    return json.loads(scene_to_json(FULL))


def test_a_full_scene_reopens_exactly_as_saved(tmp_path):
    path = save_scene(FULL, tmp_path / "lecture.json")
    loaded = load_scene(path)
    assert loaded == FULL
    assert type(loaded.x_range) is tuple and type(loaded.runs) is tuple
    assert type(loaded.runs[1].start) is tuple and type(loaded.camera.center) is tuple
    assert type(loaded.parameters["a"]) is Parameter and type(loaded.parameters["a"].low) is float
    assert type(loaded.resolution) is int and type(loaded.vertical_scale) is float


def test_the_saved_file_is_plain_json_with_the_format_version_first(tmp_path):
    path = save_scene(FULL, tmp_path / "s.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format_version"] == FORMAT_VERSION == 1
    assert list(data)[:2] == ["format_version", "expression"]
    assert data["x_range"] == [-2.5, 3.0]
    assert data["runs"][1] == {"method": "adam", "settings": {"beta1": 0.8, "lr": 0.1}, "start": [0.25, 0.75]}
    assert "Übung" in path.read_text(encoding="utf-8")  # readable, not \u00dc


def test_the_same_scene_always_writes_the_same_bytes(tmp_path):
    shuffled = Scene(**{**FULL.__dict__, "parameters": {"b": Parameter(-0.25), "a": Parameter(1.5, 0.0, 4.0)}})
    assert shuffled == FULL
    first = save_scene(FULL, tmp_path / "1.json").read_bytes()
    assert save_scene(shuffled, tmp_path / "2.json").read_bytes() == first


def test_a_minimal_file_takes_the_defaults():
    scene = scene_from_json('{"format_version": 1, "expression": "x^2 + y^2"}')
    # the reading rule: a new window's domain, step limit and overlays differ (explorer.core.document)
    assert scene == Scene("x^2 + y^2", x_range=(-3.0, 3.0), y_range=(-3.0, 3.0), max_steps=200, overlays=NO_OVERLAYS)
    assert (scene.x_range, scene.y_range, scene.resolution, scene.colouring) == ((-3.0, 3.0), (-3.0, 3.0),
                                                                                  200, "curvature")
    assert scene.overlays == {"gradient": False, "eigenvectors": False, "quadratic_model": False, "basins": False,
                              "method_state": False, "tangent_plane": False}
    assert (scene.runs, scene.camera, scene.current_step, scene.max_steps, scene.selected_run) == ((), None, 0, 200, 0)


def test_a_scene_made_in_code_holds_a_new_windows_setup():
    """One set of defaults: a Scene is a Setup with its step, selected run and camera."""
    assert Scene("x^2 + y^2").setup == Setup("x^2 + y^2")
    assert Scene("x^2 + y^2", current_step=3, selected_run=1, camera=FULL.camera).setup == Setup("x^2 + y^2")


def test_whole_numbers_in_float_fields_come_back_as_floats():
    data = valid_data()
    data["vertical_scale"], data["x_range"], data["runs"][0]["start"] = 2, [-1, 1], [3, 4]
    scene = scene_from_dict(data)
    assert type(scene.vertical_scale) is float and scene.x_range == (-1.0, 1.0)
    assert all(type(v) is float for v in scene.x_range + scene.runs[0].start)


# ---------------------------------------------------------------- random valid scenes

coordinate = st.floats(-1e6, 1e6)
finite = st.floats(allow_nan=False, allow_infinity=False)
interval = st.tuples(coordinate, coordinate).filter(lambda p: p[0] < p[1])
EXPRESSIONS = [("x**2 + y**2", ()), ("a*x^2 + b*y^2", ("a", "b")), ("(1 - x)^2 + k*(y - x^2)^2", ("k",)),
               ("sin(x)*cos(y) + c", ("c",))]


@st.composite
def run_specs(draw):
    method = draw(st.sampled_from(sorted(METHODS)))
    defaults = METHODS[method].hyperparameters()
    names = draw(st.lists(st.sampled_from(sorted(defaults)), unique=True))
    # half to all of the default keeps every setting inside its method's allowed range
    settings = {k: defaults[k] * draw(st.floats(0.5, 1.0)) for k in names}
    if "memory" in settings:   # l-bfgs keeps a whole number of pairs
        settings["memory"] = float(round(settings["memory"]))
    return RunSpec(method, settings, draw(st.tuples(coordinate, coordinate)))


@st.composite
def scenes(draw):
    expression, names = draw(st.sampled_from(EXPRESSIONS))
    ranged = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
    max_steps = draw(st.integers(0, 100_000))
    runs = tuple(draw(st.lists(run_specs(), max_size=4)))
    replayable = MAX_REPLAYED_STATES // max(1, len(runs))   # runs × current_step is capped
    ranges = {n: draw(interval) for n in ranged}
    return Scene(
        expression,
        # a value outside its slider's range widens the range (as the window's slider does)
        parameters={n: Parameter(draw(coordinate), *ranges.get(n, DEFAULT_RANGE)).widened() for n in names},
        x_range=draw(interval),
        y_range=draw(interval),
        resolution=draw(st.integers(10, 1000)),
        colouring=draw(st.sampled_from(COLOURINGS)),
        vertical_scale=draw(st.floats(0, 1e6, exclude_min=True)),
        log_scale=draw(st.booleans()),
        runs=runs,
        current_step=draw(st.integers(0, min(max_steps, replayable))),
        max_steps=max_steps,
        camera=draw(st.none() | st.builds(Camera, st.floats(0, 1e6, exclude_min=True), finite, finite,
                                          st.tuples(coordinate, coordinate, coordinate))),
        overlays=draw(st.fixed_dictionaries({k: st.booleans() for k in OVERLAYS})),
        title=draw(st.text(max_size=30)),
        note=draw(st.text(max_size=60)),
    )


@given(scenes())
def test_any_valid_scene_round_trips_exactly(scene):
    assert scene_from_json(scene_to_json(scene)) == scene
    with tempfile.TemporaryDirectory() as folder:
        loaded = load_scene(save_scene(scene, os.path.join(folder, "s.json")))
        assert os.listdir(folder) == ["s.json"]
    assert loaded == scene
    assert all(type(v) is float for v in loaded.x_range + loaded.y_range)
    assert all(type(v) is float for r in loaded.runs for v in (*r.start, *r.settings.values()))


# ---------------------------------------------------------------- broken files

def refused(text_or_data) -> str:
    """The SceneError message for a broken scene; it must be one line."""
    with pytest.raises(SceneError) as caught:
        if isinstance(text_or_data, str):
            scene_from_json(text_or_data)
        else:
            scene_from_dict(text_or_data)
    message = str(caught.value)
    assert message.startswith("scene file: ") and "\n" not in message and "\r" not in message
    return message


class _Delete:
    """The key is taken out of the scene (a name of its own, so test ids are the same in every process)."""

    def __repr__(self):
        return "deleted"


DELETE = _Delete()
BROKEN = [
    # wrong types
    (["resolution"], "abc", "'resolution' must be a whole number between 10 and 1000, not 'abc'"),
    (["resolution"], 200.5, "resolution"),
    (["log_scale"], 1, "log_scale"),
    (["vertical_scale"], True, "vertical_scale"),
    (["x_range"], "abc", "x_range"),
    (["y_range"], [1.0, 2.0, 3.0], "y_range"),
    (["runs"], {}, "'runs' must be a list"),
    (["runs", 0], "gd", "runs[0]"),
    (["runs", 0, "start"], [1.0], "runs[0].start"),
    (["runs", 1, "settings", "lr"], "fast", "runs[1].settings.lr"),
    (["camera"], [1, 2, 3], "camera"),
    (["camera", "center"], [0.0, 0.0], "camera.center"),
    (["title"], 5, "title"),
    (["note"], None, "note"),
    (["colouring"], "rainbow", "colouring"),
    (["overlays", "gradient"], "yes", "overlays.gradient"),
    (["parameters", "a"], "1", "parameters.a"),
    (["expression"], 5, "expression"),
    (["format_version"], "1", "format_version"),
    (["format_version"], 0, "format_version"),
    # missing keys
    (["expression"], DELETE, "missing key 'expression'"),
    (["format_version"], DELETE, "missing key 'format_version'"),
    (["runs", 0, "method"], DELETE, "missing key 'method' in runs[0]"),
    (["runs", 2, "start"], DELETE, "missing key 'start' in runs[2]"),
    (["camera", "distance"], DELETE, "missing key 'distance' in camera"),
    # unknown keys
    (["colour"], "height", "unknown key 'colour'"),
    (["runs", 0, "speed"], 2, "unknown key 'speed' in runs[0]"),
    (["camera", "zoom"], 2, "unknown key 'zoom' in camera"),
    (["overlays", "contours"], True, "unknown key 'contours' in overlays"),
    # absurd numbers
    (["x_range"], [3.0, -3.0], "x_range"),
    (["x_range"], [1.0, 1.0], "x_range"),
    (["y_range"], [0.0, 2e6], "y_range"),
    (["parameter_ranges", "a"], [2.0, 1.0], "parameter_ranges.a"),
    (["resolution"], 5, "resolution"),
    (["resolution"], 1001, "resolution"),
    (["max_steps"], -1, "max_steps"),
    (["max_steps"], 100_001, "max_steps"),
    (["current_step"], 401, "current_step"),   # FULL has max_steps 400
    (["current_step"], -1, "current_step"),
    (["selected_run"], 3, "selected_run"),     # FULL has 3 runs
    (["selected_run"], -1, "selected_run"),
    (["selected_run"], 1.5, "selected_run"),
    (["vertical_scale"], 0, "vertical_scale"),
    (["vertical_scale"], -1.0, "vertical_scale"),
    (["camera", "distance"], 0.0, "camera.distance"),
    (["runs", 0, "start"], [1e9, 0.0], "runs[0].start"),
    # a newer program's file, an expression that no longer parses, runs this program cannot make
    (["format_version"], 3, "format version 3 is newer than this program understands (1)"),
    (["expression"], "foo(x) + a*b", "expression: unknown function 'foo' at column 1"),
    (["expression"], "a*x +", "expression"),
    (["runs", 1, "method"], "sgd", "runs[1].method: unknown method 'sgd'"),
    (["runs", 0, "settings", "speed"], 1.0, "unknown setting 'speed'"),
    (["runs", 0, "settings", "lr"], -0.1, "lr"),
    (["runs", 1, "settings", "beta1"], 1.5, "beta1"),
    # parameters and the expression must agree
    (["parameters", "b"], DELETE, "missing a value for 'b'"),
    (["parameters", "c"], 1.0, "'c' is not in the expression"),
    (["parameter_ranges", "c"], [0.0, 1.0], "'c' is not in the expression"),
]


def mutated(path, value):
    """valid_data() with the value at `path` replaced (or deleted)."""
    data = valid_data()
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize("path, value, needle", BROKEN,
                         ids=[f"{'.'.join(map(str, p))}={v!r}"[:50] for p, v, _ in BROKEN])
def test_a_broken_scene_is_refused_naming_what_is_wrong(path, value, needle):
    assert needle in refused(mutated(path, value))


def test_a_newer_version_is_named_before_the_keys_it_added():
    data = valid_data() | {"format_version": 2, "lighting": "soft"}
    assert "format version 2 is newer" in refused(data)


@pytest.mark.parametrize("old, new, needle", [
    ('"vertical_scale": 0.5', '"vertical_scale": NaN', "'vertical_scale' must be a finite number, not nan"),
    ('"x_range": [-2.5, 3.0]', '"x_range": [-Infinity, 3.0]', "x_range"),
    ('"start": [1.0, -2.0]', '"start": [1e400, -2.0]', "runs[0].start"),
    ('"distance": 12.5', '"distance": Infinity', "camera.distance"),
    ('"lr": 0.05', '"lr": NaN', "runs[0].settings.lr"),
    ('"b": -0.25', '"b": NaN', "parameters.b"),
])
def test_nan_and_infinity_written_into_the_file_are_refused(old, new, needle):
    text = scene_to_json(FULL)
    assert old in text
    assert needle in refused(text.replace(old, new))


def test_a_truncated_file_says_where_the_json_breaks(tmp_path):
    text = scene_to_json(FULL)
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SceneError, match=r"^scene file: not valid JSON \(line \d+, column \d+\)"):
        load_scene(path)


@pytest.mark.parametrize("text, needle", [
    ("", "not valid JSON (line 1, column 1)"),
    ('{"format_version": 1,\n "expression": "x"\n "title": ""}', "not valid JSON (line 3, column 2)"),
    ("[1, 2]", "a scene must be a JSON object, not a list"),
    ('{"format_version": 1, "expression": "x", "title": "a", "title": "b"}', "key 'title' appears twice"),
    ("[" * 100_000, "not valid JSON"),
    ('{"format_version": 1, "expression": "x", "resolution": 1' + "0" * 5000 + "}", "not valid JSON"),
])
def test_text_that_is_not_a_scene_object_is_refused(text, needle):
    assert needle in refused(text)


def test_user_text_with_line_breaks_still_gives_a_one_line_message():
    message = refused(valid_data() | {"col\nour": 1})
    assert "unknown key 'col\\nour'" in message
    refused(mutated(["expression"], "x +\n y"))


def test_a_file_that_is_not_there_or_not_text_is_refused_with_its_path(tmp_path):
    missing = tmp_path / "nowhere" / "y.json"
    assert refused_file(missing) == f"scene file: cannot read '{missing}': No such file or directory"
    binary = tmp_path / "picture.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    assert "not UTF-8 text" in refused_file(binary)
    assert refused_file(tmp_path) == f"scene file: '{tmp_path}' is a folder, not a scene file"


def refused_file(path) -> str:
    with pytest.raises(SceneError) as caught:
        load_scene(path)
    assert "\n" not in str(caught.value)
    return str(caught.value)


# ---------------------------------------------------------------- saving never leaves a broken file

def test_saving_into_a_folder_that_does_not_exist_leaves_nothing(tmp_path):
    target = tmp_path / "missing" / "s.json"
    with pytest.raises(SceneError, match=r"^scene file: cannot write '.*s\.json': No such file or directory$"):
        save_scene(FULL, target)
    assert list(tmp_path.iterdir()) == []


def test_an_invalid_scene_is_not_saved_and_the_old_file_survives(tmp_path):
    path = save_scene(FULL, tmp_path / "s.json")
    before = path.read_bytes()
    broken = Scene(**{**FULL.__dict__, "resolution": 5})
    with pytest.raises(SceneError, match="resolution"):
        save_scene(broken, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def test_a_failed_replace_removes_its_temporary_file(tmp_path):
    folder = tmp_path / "s.json"
    folder.mkdir()  # os.replace cannot put a file where a folder is
    with pytest.raises(SceneError, match="cannot write"):
        save_scene(FULL, folder)
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"] and list(folder.iterdir()) == []


def test_saving_over_an_existing_scene_replaces_it(tmp_path):
    path = save_scene(Scene("x"), tmp_path / "s.json")
    save_scene(FULL, path)
    assert load_scene(path) == FULL
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def test_the_scene_module_needs_no_gui_library():
    assert gui_modules_loaded_by("import explorer.core.scene") == []
