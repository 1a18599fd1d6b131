"""Scene files within documented limits, and what load_scene accepts opens and steps without error."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.core.preset_library import preset_paths
from explorer.core.scene import (MAX_FILE_BYTES, MAX_NOTE, MAX_REPLAYED_STATES, MAX_RUNS, MAX_STEPS, MAX_TITLE,
                                 SceneError, load_scene, scene_from_json, scene_to_json)
from explorer.core.trajectory import UNDEFINED_START
from explorer.session import Session

PRESET_06 = next(p for p in preset_paths() if p.name.startswith("06-"))


def preset_data(path=PRESET_06) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def refused(data_or_text) -> str:
    text = data_or_text if isinstance(data_or_text, str) else json.dumps(data_or_text)
    with pytest.raises(SceneError) as caught:
        scene_from_json(text)
    message = str(caught.value)
    assert message.startswith("scene file: ") and "\n" not in message
    return message


def opens_and_steps(scene, steps: int = 5) -> Session:
    """What the window does with an accepted scene: build the session, step, save it again."""
    session = Session.from_scene(scene)
    for _ in range(steps):
        session.step_forward()
    scene_from_json(scene_to_json(session.scene()))   # and what it shows can be saved and opened again
    return session


def run_one(name: str, spec: dict) -> dict:
    return {"method": name, "settings": {}, "start": spec}


# ---------------------------------------------------------------- caps

def test_the_limits_are_the_documented_ones():
    assert (MAX_RUNS, MAX_TITLE, MAX_NOTE, MAX_FILE_BYTES) == (64, 200, 20_000, 1_000_000)
    assert MAX_STEPS == (0, 100_000) and MAX_REPLAYED_STATES == 250_000
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for words in ("at most 1 MB", "at most 64 runs", "title of 200", "20,000 characters", "250,000 steps"):
        assert words in readme.replace("\n  ", " ")


def test_64_runs_open_and_65_are_refused():
    data = preset_data()
    data["runs"] = [run_one("gd", [0.1 * (i % 8) - 0.4, 0.1 * (i // 8) - 0.4]) for i in range(MAX_RUNS)]
    opens_and_steps(scene_from_json(json.dumps(data)))
    data["runs"].append(run_one("newton", [1.0, 1.0]))
    assert "'runs' holds 65 runs; a scene has at most 64" in refused(data)


@pytest.mark.parametrize("key, longest", [("title", MAX_TITLE), ("note", MAX_NOTE)])
def test_title_and_note_have_a_length_limit(key, longest):
    data = preset_data()
    data[key] = "é" * longest
    assert len(getattr(scene_from_json(json.dumps(data)), key)) == longest
    data[key] += "x"
    assert f"'{key}' is {longest + 1:,} characters long; at most {longest:,}" in refused(data)


def test_max_steps_is_capped():
    data = preset_data()
    data["max_steps"] = MAX_STEPS[1]
    assert scene_from_json(json.dumps(data)).max_steps == 100_000
    data["max_steps"] = MAX_STEPS[1] + 1
    assert "'max_steps' must be a whole number between 0 and 100000" in refused(data)


def test_replayed_steps_are_capped_by_runs_times_current_step():
    data = preset_data()
    data["runs"].append(run_one("bfgs", [1.0, 2.0]))          # three runs
    data["max_steps"] = 100_000
    data["current_step"] = MAX_REPLAYED_STATES // 3           # 83,333
    scene = scene_from_json(json.dumps(data))
    session = Session.from_scene(scene)        # lazy: nothing like 250,000 states computed at once
    assert session.step == 83_333 and sum(len(r.states) for r in session.runs) < 200
    data["current_step"] += 1
    assert "'current_step' 83,334 with 3 runs would replay 250,002 steps on opening; at most 250,000" in refused(data)
    data["runs"] = []                          # nothing to replay: any current step up to max steps
    data["current_step"] = 100_000
    assert scene_from_json(json.dumps(data)).current_step == 100_000


def test_parameters_must_fit_a_slider_range():
    data = preset_data()
    data["parameters"]["k"] = 1e300
    assert "'parameters.k' must lie within ±1,000,000, not 1e+300" in refused(data)


def test_a_file_over_1_mb_is_refused_before_it_is_read(tmp_path):
    data = preset_data()
    data["note"] = ""
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data) + " " * MAX_FILE_BYTES, encoding="utf-8")
    with pytest.raises(SceneError, match=r"too large for a scene file \(more than 1,000,000 bytes\)"):
        load_scene(path)


# ---------------------------------------------------------------- not regular files

def test_a_fifo_is_refused_at_once_without_opening_it(tmp_path):
    fifo = tmp_path / "scene.json"
    os.mkfifo(fifo)
    code = ("import sys\nfrom explorer.core.scene import SceneError, load_scene\n"
            "try:\n    load_scene(sys.argv[1])\nexcept SceneError as err:\n    print(err)\n")
    # in a child process: were the FIFO opened for reading, it would wait for a writer for ever
    done = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == f"scene file: '{fifo}' is not a regular file (a named pipe), " \
                                  "so not a scene file", done.stderr


def test_a_device_and_a_folder_are_refused(tmp_path):
    with pytest.raises(SceneError, match="is not a regular file"):
        load_scene("/dev/zero")
    with pytest.raises(SceneError, match=r"is a folder, not a scene file$"):
        load_scene(tmp_path)


def test_a_link_to_a_regular_file_is_read(tmp_path):
    real = tmp_path / "real.json"
    real.write_text(PRESET_06.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "link.json").symlink_to(real)
    assert load_scene(tmp_path / "link.json").text == "x^2/k + y^2"


# ---------------------------------------------------------------- what is accepted opens

def with_expression(text: str, parameters: dict | None = None, start=(-2.5, 1.5)) -> dict:
    data = preset_data()
    data.update(expression=text, parameters=parameters or {}, parameter_ranges={})
    for run in data["runs"]:
        run["start"] = list(start)
    return data


def test_preset_06_with_k_0_opens_and_its_runs_say_f_is_undefined():
    # x^2/0 is inf (evaluation never raises): a legitimate outcome, not a refusal
    data = preset_data()
    data["parameters"]["k"] = 0
    session = opens_and_steps(scene_from_json(json.dumps(data)))
    assert [r.status for r in session.runs] == [UNDEFINED_START, UNDEFINED_START]
    assert all(r.summary == "f is not defined at the start point" for r in session.runs)


def test_unary_plus_opens_and_runs():
    session = opens_and_steps(scene_from_json(json.dumps(with_expression("+x^2 + y^2"))))
    assert all(len(r.states) > 1 for r in session.runs)


@pytest.mark.parametrize("text, parameters, start", [
    ("log(x) + y^2", {}, (0.0, 0.0)),            # undefined at the start
    ("sqrt(x) + y^2", {}, (-1.0, 0.0)),
    ("x + a^b", {"a": 10.0, "b": 400.0}, (1.0, 1.0)),   # overflow
    ("x^2 + a^b*y^2", {"a": -1.0, "b": 0.5}, (1.0, 1.0)),  # (-1)^0.5 is nan, never quietly real
    ("1/(x^2 + y^2)", {}, (0.0, 0.0)),
    ("exp(exp(exp(x))) + y^2", {}, (5.0, 0.0)),
    ("x" + "+x" * 199, {}, (1.0, 1.0)),
    ("-" * 199 + "x", {}, (1.0, 1.0)),
    ("0*x", {}, (1.0, 1.0)),
], ids=lambda v: v[:20] if isinstance(v, str) else None)
def test_hostile_functions_open_or_are_refused_cleanly(text, parameters, start):
    try:
        scene = scene_from_json(json.dumps(with_expression(text, parameters, start)))
    except SceneError as err:
        assert "\n" not in str(err)
        return
    opens_and_steps(scene)


def test_a_run_that_raises_is_refused_naming_the_run(monkeypatch):
    from explorer.core import optimizers

    def broken(self, state):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(optimizers.Newton, "step", broken)
    message = refused(preset_data())
    assert message == ("scene file: runs[1]: newton from (-2.5, 1.5) cannot be computed "
                       "(ZeroDivisionError: float division by zero)")


def test_a_function_that_raises_on_the_grid_is_refused(monkeypatch):
    from explorer.core import calculus

    def broken(self, x, y, block_points=0):
        raise TypeError("bad operand type")

    monkeypatch.setattr(calculus.SurfaceCalculus, "curvature_map", broken)
    assert refused(preset_data()) == ("scene file: expression: cannot be computed with these parameters "
                                      "(TypeError: bad operand type)")


def test_every_preset_opens_and_steps():
    for path in preset_paths():
        opens_and_steps(load_scene(path))
