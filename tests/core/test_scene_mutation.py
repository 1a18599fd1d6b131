"""Every preset, mutated: a scene file is either refused with one SceneError line or opens and plays.

"Opens and plays" is what the window does with it: `Session.from_scene`, five steps, and saving what
it shows (the autosave) without an error. Mutations drop keys, change types, put in extreme
numbers, huge or odd text, deep nesting, NaN-ish values, unknown methods and settings, hostile
functions and start points where f is undefined.
"""
import copy
import json
import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.methods import METHODS
from explorer.core.preset_library import preset_paths
from explorer.core.scene import SceneError, load_scene, scene_from_json, scene_to_json
from explorer.session import Session

EXAMPLES = 500   # mutated scenes drawn by hypothesis (plus 94 fixed ones below); about 5 s here
PRESETS = [json.loads(p.read_text(encoding="utf-8")) for p in preset_paths()]
DEEP = "\u0000deep:"   # a marker replaced by deeply nested JSON text after dumping

NUMBERS = st.one_of(
    st.sampled_from([0, -0.0, 1, -1, 0.5, 5e-324, 1e-300, 1e6, 1e6 + 1, -1e6, 1e15, 1e308, -1e308, 10**400,
                     2**63, -2**63, 200, 1000, 1001, 100_000, 100_001, 250_001, math.nan, math.inf, -math.inf]),
    st.floats(), st.integers())
TEXT = st.one_of(
    st.sampled_from(["", "NaN", "Infinity", "-inf", "1e999", "0x10", "null", "true", "\ud800", "\u0000", "é",
                     "𝔁^2 + y^2", "x\n+ y", "gd", "newton", "sgd", "Newton", "lr", "__class__", "rainbow"]),
    st.text(max_size=40),
    st.builds(lambda n, c: c * n, st.sampled_from([199, 200, 201, 2001, 20_000, 20_001]),
              st.sampled_from(["a", "é", "𝔁", "x+"])))
LEAVES = st.one_of(NUMBERS, TEXT, st.none(), st.booleans())
VALUES = st.one_of(
    LEAVES,
    st.lists(NUMBERS, max_size=4),
    st.dictionaries(TEXT, LEAVES, max_size=3),
    st.sampled_from([10, 1000, 100_000]).map(lambda depth: f"{DEEP}{depth}"))

# (expression, parameters): the reproducers of issue 14 and other hostile functions
FUNCTIONS = [
    ("x^2/k + y^2", {"k": 0.0}), ("+x^2 + y^2", {}), ("log(x) + y^2", {}), ("sqrt(x) + y", {}),
    ("x + a^b", {"a": 10.0, "b": 400.0}), ("x^2 + a^b*y^2", {"a": -1.0, "b": 0.5}), ("1/(x^2 + y^2)", {}),
    ("exp(exp(exp(x)))*y", {}), ("x" + "+x" * 199, {}), ("-" * 199 + "x", {}), ("abs(x) + maximum(y, 0)", {}),
    ("0*x", {}), ("1e308*x^2 + y^2", {}), ("x^2 + y^2 # note", {}), ("arctan(x/y)", {}), ("x^y", {}),
    ("(x^2 + y^2)^0.5", {}), ("tan(x) + y^2", {}), ("x^2 - y^2", {}), ("1", {}), ("__import__('os')", {}),
    ("x^-1 + y^-1", {}), ("x^2*k + y^2", {"k": -1e6}), ("sin(1/x)*y", {}),
]
STARTS = [[0.0, 0.0], [-1.0, 0.0], [1e6, -1e6], [0.0, 1e-300], [1e-320, 0.0], [-1e6, 1e6]]


def paths(data, prefix=()):
    """Every place in the JSON tree: (path to it, key or index)."""
    found = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        found.append(prefix + (key,))
        found += paths(value, prefix + (key,))
    return found


def at(data, path):
    for key in path:
        data = data[key]
    return data


@st.composite
def mutation(draw, data):
    """Change `data` in place in one way."""
    kind = draw(st.sampled_from(["replace", "replace", "delete", "add", "function", "starts", "runs"]))
    places = paths(data)
    if kind in ("replace", "delete") and places:
        path = draw(st.sampled_from(places))
        parent = at(data, path[:-1])
        if kind == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(VALUES)
    elif kind == "add":
        dicts = [()] + [p for p in places if isinstance(at(data, p), dict)]
        target = at(data, draw(st.sampled_from(dicts)))
        if isinstance(target, dict):
            target[draw(st.sampled_from(["x_range", "speed", "lr", "settings", "runs"]) | TEXT)] = draw(VALUES)
    elif kind == "function":
        text, parameters = draw(st.sampled_from(FUNCTIONS))
        data.update(expression=text, parameters=dict(parameters), parameter_ranges={})
    elif kind == "starts":
        start = draw(st.sampled_from(STARTS))
        for run in data.get("runs", []) if isinstance(data.get("runs"), list) else []:
            if isinstance(run, dict):
                run["start"] = list(start)
    elif kind == "runs":
        method = draw(st.sampled_from(sorted(METHODS)) | TEXT)
        setting = draw(st.sampled_from(["lr", "momentum", "beta1", "beta2", "decay", "epsilon", "c1", "c2",
                                        "damping", "colour"]))
        run = {"method": method, "settings": {setting: draw(NUMBERS)}, "start": list(draw(st.sampled_from(STARTS)))}
        data["runs"] = [copy.deepcopy(run) for _ in range(draw(st.sampled_from([1, 2, 63, 64, 65])))]
    return kind


def as_text(data, ascii_only: bool) -> str:
    text = json.dumps(data, ensure_ascii=ascii_only)   # NaN and Infinity go in as JSON's non-standard literals
    return re.sub(r'"\\u0000deep:(\d+)"', lambda m: "[" * int(m[1]) + "]" * int(m[1]), text)


def opens_or_is_refused(text: str, folder) -> str:
    """'refused' or 'opened'; anything else that happens is a failure."""
    path = folder / "scene.json"
    try:
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        scene = load_scene(path)
    except SceneError as err:
        assert str(err).startswith("scene file: ") and "\n" not in str(err)
        return "refused"
    # numpy's floating-point warnings (an overflow inside a BFGS update on a huge function) are printed,
    # not raised, in the program; pytest makes them errors, so they are set aside here: only exceptions fail
    with np.errstate(all="ignore"):
        session = Session.from_scene(scene)
        for _ in range(5):
            session.step_forward()
        session.step_back()
        assert scene_from_json(scene_to_json(session.scene())) is not None   # the autosave works too
    return "opened"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("mutated")


@pytest.mark.slow   # over 10 s here: 500 mutated scenes, each opened and stepped
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.data_too_large,
                                                                        HealthCheck.function_scoped_fixture])
@given(st.data())
def test_a_mutated_preset_is_refused_or_opens_and_plays(folder, data):
    scene = copy.deepcopy(data.draw(st.sampled_from(PRESETS), label="preset"))
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        data.draw(mutation(scene), label="mutation")
    opens_or_is_refused(as_text(scene, data.draw(st.booleans(), label="ascii")), folder)


@pytest.mark.parametrize("i", range(len(FUNCTIONS)), ids=lambda i: FUNCTIONS[i][0][:24])
def test_every_hostile_function_is_refused_or_opens(i, tmp_path):
    """In two presets each (one for the slow 200-term chains), from the preset's start and an odd one."""
    text, parameters = FUNCTIONS[i]
    chain = len(text) >= 200
    for preset in [PRESETS[i % len(PRESETS)]] + ([] if chain else [PRESETS[(i + 5) % len(PRESETS)]]):
        scene = copy.deepcopy(preset)
        scene.update(expression=text, parameters=dict(parameters), parameter_ranges={})
        opens_or_is_refused(as_text(scene, True), tmp_path)
        for run in scene["runs"]:
            run["start"] = list(STARTS[i % len(STARTS)])
        opens_or_is_refused(as_text(scene, True), tmp_path)


def test_the_reproducers_open():
    k0 = copy.deepcopy(PRESETS[5])
    assert k0["expression"] == "x^2/k + y^2"
    k0["parameters"]["k"] = 0
    plus = copy.deepcopy(PRESETS[0]) | {"expression": "+x^2 + y^2"}
    for data in (k0, plus):
        scene = scene_from_json(json.dumps(data))
        session = Session.from_scene(scene)
        for _ in range(5):
            session.step_forward()
