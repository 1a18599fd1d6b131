"""The session model: commands, undo, one timeline; no Qt anywhere."""
from dataclasses import replace

import numpy as np
import pytest

from explorer.core.preset_library import load_presets
from explorer.core.scene import Camera
from explorer.core.syntax_hints import ExpressionError
from explorer.session import Session, SessionError
from explorer.session.model import STEP_BUDGET
from tests.helpers import gui_modules_loaded_by

HIMMELBLAU = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"


def session_with(text, *runs):
    s = Session()
    s.set_expression(text)
    for method, settings, start in runs:
        s.add_run(method, settings, start)
    s.forget_history()
    return s


def positions(s):
    return [r.position for r in s.runs]


def points(s):
    return [r.current.point.tolist() for r in s.runs]


def test_the_session_needs_no_qt():
    assert gui_modules_loaded_by("import explorer.session") == []


def test_step_ten_then_back_ten_returns_every_run_where_it_was():
    # newton stops at step 1 on a quadratic; gd keeps going: one timeline for both
    s = session_with("x^2 + 10*y^2", ("gd", {"lr": 0.01}, (2.0, 1.0)), ("newton", {}, (2.0, 1.0)))
    before = points(s)
    trail = []
    for _ in range(10):
        assert s.step_forward()
        trail.append(points(s))
    assert s.step == 10 and positions(s) == [10, 1]
    for k in range(9, -1, -1):
        assert s.step_back()
        assert points(s) == (trail[k - 1] if k else before)
    assert s.step == 0 and points(s) == before
    assert not s.step_back()                       # nothing before step 0


def test_a_run_that_stopped_keeps_its_path_when_the_others_go_back():
    s = session_with("x^2 + 10*y^2", ("gd", {"lr": 0.01}, (2.0, 1.0)), ("newton", {}, (2.0, 1.0)))
    for _ in range(10):
        s.step_forward()
    s.step_back()
    assert positions(s) == [9, 1]                  # newton's finished path is untouched by Back


def test_step_does_nothing_once_every_run_has_stopped():
    s = session_with("x^2 + y^2", ("newton", {}, (1.0, 2.0)))
    assert s.step_forward() and s.runs[0].finished
    assert not s.step_forward() and s.step == 1    # so Back after it is still the inverse of the last Step
    assert s.step_back() and s.step == 0


def test_states_are_computed_only_when_k_passes_them():
    s = session_with("x^2 + 10*y^2", ("gd", {"lr": 0.01}, (2.0, 1.0)))
    run = s.runs[0]
    for _ in range(5):
        s.step_forward()
    for _ in range(5):
        s.step_back()
    assert len(run.states) == 6                    # steps 0..5 computed once
    s.jump(3)
    assert len(run.states) == 6 and run.position == 3


def test_a_far_jump_computes_in_bounded_slices():
    s = session_with("x^2 + 10*y^2", ("gd", {"lr": 0.001}, (2.0, 1.0)), ("gd", {"lr": 0.0005}, (2.0, 1.0)))
    s.set_max_steps(2000)
    s.jump(1500)
    assert sum(len(r.states) - 1 for r in s.runs) == STEP_BUDGET   # the rest is left for the event loop
    assert s.pending()
    slices = 0
    while not s.advance(100):
        slices += 1
    assert slices >= 20 and positions(s) == [1500, 1500]


def test_clicking_one_run_keeps_the_other_starts():
    starts = [(1.0, 1.0), (-1.0, 1.0), (-1.0, -1.0), (1.0, -1.0)]
    s = session_with(HIMMELBLAU, *[("gd", {"lr": 0.01}, p) for p in starts])
    s.select(2)
    s.set_run_start(2, (-0.5, -2.0))
    assert [tuple(r.start) for r in s.runs] == [starts[0], starts[1], (-0.5, -2.0), starts[3]]
    s.set_all_starts((0.0, 0.0))                   # Shift+click: every run
    assert all(tuple(r.start) == (0.0, 0.0) for r in s.runs) and s.setup.default_start == (0.0, 0.0)


def test_unchanged_text_changes_nothing():
    s = session_with("x^2 + y^2", ("gd", {"lr": 0.1}, (1.0, 1.0)))
    for _ in range(4):
        s.step_forward()
    runs = list(s.runs)
    assert not s.set_expression("x^2 + y^2")
    assert s.runs == runs and positions(s) == [4] and s.history.undo_name() is None


def test_adding_or_removing_a_run_leaves_the_others_on_the_timeline():
    s = session_with("x^2 + 10*y^2", ("gd", {"lr": 0.01}, (2.0, 1.0)))
    for _ in range(7):
        s.step_forward()
    gd = s.runs[0]
    s.add_run("momentum", {"lr": 0.01}, (2.0, 1.0))
    assert s.runs[0] is gd and positions(s) == [7, 7]
    s.remove_run(1)
    assert s.runs == [gd] and positions(s) == [7]


def test_undo_brings_back_a_removed_run_with_its_path():
    s = session_with("x^2 + 10*y^2", ("gd", {"lr": 0.01}, (2.0, 1.0)), ("newton", {}, (2.0, 1.0)))
    for _ in range(3):
        s.step_forward()
    gd = s.runs[0]
    s.remove_run(0)
    assert s.history.undo_name() == "Remove gd"
    assert s.undo() == "Remove gd"
    assert s.runs[0] is gd and positions(s) == [3, 1]
    assert s.redo() == "Remove gd" and [r.method for r in s.runs] == ["newton"]


def test_the_keystrokes_of_one_edit_are_one_undo_step():
    s = session_with("x^2 + y^2")
    for text in ("x^2 + y^2 + x", "x^2 + y^2 + x*", "x^2 + y^2 + x*y"):
        try:
            s.set_expression(text)
        except ExpressionError:
            pass                                   # half-typed: refused, nothing recorded
    s.seal()                                       # Return
    assert s.setup.text == "x^2 + y^2 + x*y"
    s.undo()
    assert s.setup.text == "x^2 + y^2" and s.history.undo_name() is None


def test_a_slider_drag_is_one_undo_step():
    s = session_with("a*x^2 + y^2")
    for value in np.linspace(1, 3, 25):
        s.set_parameter("a", value)
    s.seal()                                       # released
    s.set_parameter("a", 4.0)
    s.undo()
    assert s.setup.parameters["a"].value == 3.0
    s.undo()
    assert s.setup.parameters["a"].value == 1.0


def test_a_parameter_typed_outside_its_range_widens_it():
    s = session_with("a*x^2 + y^2")
    s.set_parameter("a", 12.0)
    p = s.setup.parameters["a"]
    assert (p.value, p.low, p.high) == (12.0, -5.0, 12.0)
    s.set_parameter_range("a", 0.5, 2.0)           # the value is kept inside the new range
    assert s.setup.parameters["a"].value == 2.0
    with pytest.raises(SessionError, match="lower end below"):
        s.set_parameter_range("a", 3.0, 1.0)


def test_bad_commands_are_refused_and_change_nothing():
    s = session_with("x^2 + y^2", ("gd", {}, (1.0, 1.0)))
    setup = s.setup
    for bad in (lambda: s.set_run_settings(0, {"lr": -1.0}), lambda: s.set_run_start(0, (np.nan, 0)),
                lambda: s.add_run("sgd"), lambda: s.set_domain((1, 0), (0, 1)), lambda: s.remove_run(5),
                lambda: s.set_max_steps(-1)):
        with pytest.raises(SessionError):
            bad()
    assert s.setup == setup


def test_title_and_note_go_when_the_function_changes_and_come_back_with_undo():
    path, scene = next(p for p in load_presets() if p[1].parameters)
    s = Session.from_scene(scene)
    name = next(iter(scene.parameters))
    s.set_parameter(name, scene.parameters[name].value + 1)
    assert s.setup.note == scene.note              # still the preset's function
    s.set_expression("x^2 + y^2")
    assert s.setup.title == "" and s.setup.note == "" and s.scene().note == ""
    s.undo()
    assert s.setup.note == scene.note


@pytest.mark.parametrize("path,scene", load_presets(), ids=lambda v: getattr(v, "name", ""))
def test_every_preset_round_trips_through_the_session(path, scene):
    camera = Camera(20.0, 25.0, -50.0, (0.0, 0.0, 1.0))
    scene = replace(scene, camera=camera, current_step=min(3, scene.max_steps))
    s = Session.from_scene(scene)
    while not s.advance(500):
        pass
    # the step on show: a run that stops sooner (Newton–Raphson on a linear field, after one step) is saved there
    assert s.scene() == replace(scene, current_step=min(scene.current_step, s.end_step()))
    assert s.shown_step == min(scene.current_step, s.end_step())
    assert [tuple(r.start) for r in s.runs] == [spec.start for spec in scene.runs]


def test_loading_a_scene_is_one_undo_step_and_lazy():
    s = session_with("x^2 + y^2", ("gd", {"lr": 0.1}, (1.0, 1.0)))
    _, scene = load_presets()[0]
    big = replace(scene, max_steps=100_000, current_step=100_000,
                  runs=tuple(replace(r, settings={"lr": 1e-6}) if r.method == "gd" else r for r in scene.runs))
    s.load_scene(big)
    assert s.step == 100_000
    assert sum(len(r.states) - 1 for r in s.runs) <= STEP_BUDGET   # no start-up freeze: the rest is lazy
    s.undo()
    assert s.setup.text == "x^2 + y^2" and [r.method for r in s.runs] == ["gd"]


def test_listeners_hear_what_changed():
    s = session_with("x^2 + y^2", ("gd", {}, (1.0, 1.0)))
    heard = []
    s.subscribe(heard.append)
    s.set_display(colouring="height")
    s.step_forward()
    s.set_domain((-1, 1), (-1, 1))
    assert "display" in heard[0] and heard[1] == {"timeline"} and "domain" in heard[2]
    assert "runs" not in heard[2]                  # a new domain does not touch the runs


def test_a_command_that_fails_midway_leaves_the_session_as_it_was(monkeypatch):
    s = session_with("x^2 + y^2", ("gd", {"lr": 0.1}, (1.0, 1.0)))
    s.step_forward()
    before, runs, heard = s.setup, list(s.runs), []
    s.subscribe(heard.append)

    def broken(*args):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(s._build, "run", broken)
    with pytest.raises(RuntimeError):
        s.set_expression("x^2 + 3*y^2")
    with pytest.raises(RuntimeError):
        s.load_scene(load_presets()[0][1])
    assert s.setup == before and s.runs == runs and s.step == 1 and s.history.undo_name() is None
    assert heard == []                             # nobody was told of a change that did not happen


def test_what_the_session_holds_can_always_be_saved_and_reopened(tmp_path):
    from explorer.core.scene import MAX_REPLAYED_STATES, MAX_RUNS, load_scene, save_scene
    s = session_with("a*x^2 + y^2", *[("gd", {"lr": 1e-9}, (1.0, float(k))) for k in range(MAX_RUNS)])
    with pytest.raises(SessionError, match=f"at most {MAX_RUNS} runs"):
        s.add_run("gd")
    with pytest.raises(SessionError, match="within"):
        s.set_parameter("a", 1e7)
    s.set_max_steps(100_000)
    s.jump(100_000, budget=0)                      # far along, nothing computed yet
    scene = s.scene()
    assert len(scene.runs) * scene.current_step <= MAX_REPLAYED_STATES
    assert load_scene(save_scene(scene, tmp_path / "big.json")) == scene
