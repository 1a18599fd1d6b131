"""A setting or a start dragged: one undo step per drag, only the dragged run recomputed, its path the same as
a fresh run's with those settings. Work is counted (optimizer steps taken), never timed."""
import numpy as np
import pytest

from explorer.core import optimizers
from explorer.core.methods import make_optimizer
from explorer.core.objective import Objective
from explorer.core.expression import parse
from explorer.core.trajectory import Run
from explorer.session import Session
from explorer.session.timeline import DRAG_BUDGET

BOWL = "x^2 + 10*y^2"
ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"


@pytest.fixture
def steps(monkeypatch):
    """Counts every optimizer step taken (gd, momentum and adam), whichever run takes it."""
    taken = {"n": 0}
    for cls in (optimizers.GradientDescent, optimizers.Momentum, optimizers.Adam):
        original = cls.step

        def counted(self, state, _original=original):
            taken["n"] += 1
            return _original(self, state)
        monkeypatch.setattr(cls, "step", counted)
    return taken


def session_at(text, step, max_steps=500):
    s = Session()
    s.set_expression(text)
    s.set_max_steps(max_steps)
    s.add_run("gd", {"lr": 0.001}, (-1.0, 1.0))
    s.add_run("momentum", {"lr": 0.0005, "momentum": 0.5}, (-1.0, 1.0))
    s.add_run("adam", {"lr": 0.01}, (0.5, -0.5))
    s.jump(step, budget=None)
    s.forget_history()
    return s


def fresh_path(text, method, settings, start, steps):
    run = Run(make_optimizer(method, Objective(parse(text, ("x", "y")), {}), **settings), start, max_steps=500)
    while len(run.states) - 1 < steps and run.step_forward():
        pass
    return np.array([s.point for s in run.states])


def test_a_drag_event_recomputes_the_dragged_run_alone_from_its_start_to_the_step_on_show(steps):
    s = session_at(ROSENBROCK, 300)
    others = [s.runs[1], s.runs[2]]
    lengths = [len(r.states) for r in others]
    steps["n"] = 0
    s.set_run_settings(0, {"lr": 0.0012}, merge="lr")
    assert steps["n"] == 300                        # states 1..300 of the dragged run, none of the others'
    assert s.runs[1] is others[0] and s.runs[2] is others[1]
    assert [len(r.states) for r in others] == lengths
    assert len(s.runs[0].states) == 301 and not s.pending()
    path = np.array([st.point for st in s.runs[0].states])
    assert np.array_equal(path, fresh_path(ROSENBROCK, "gd", {"lr": 0.0012}, (-1.0, 1.0), 300))


def test_a_whole_drag_is_one_undo_step_and_undo_brings_back_the_path_before_it():
    s = session_at(ROSENBROCK, 200)
    before = np.array([st.point for st in s.runs[0].states])
    for lr in (0.0011, 0.0013, 0.0016, 0.002):
        s.set_run_settings(0, {"lr": lr}, merge="lr")
    s.seal()
    assert len(s.history.done) == 1 and s.setup.runs[0].settings == {"lr": 0.002}
    s.undo()
    assert s.setup.runs[0].settings == {"lr": 0.001} and not s.history.done
    assert np.array_equal(np.array([st.point for st in s.runs[0].states]), before)
    s.redo()
    assert s.setup.runs[0].settings == {"lr": 0.002}
    s.set_run_settings(0, {"lr": 0.003}, merge="lr")   # sealed: the next drag is a step of its own
    assert len(s.history.done) == 2


def test_drags_of_two_runs_are_two_undo_steps_even_unsealed():
    s = session_at(BOWL, 50)
    s.set_run_settings(0, {"lr": 0.002}, merge="lr")
    s.set_run_settings(1, {"lr": 0.002, "momentum": 0.5}, merge="lr")
    assert len(s.history.done) == 2


def test_a_dragged_start_is_one_undo_step_and_its_path_is_a_fresh_run_from_there(steps):
    s = session_at(ROSENBROCK, 120)
    kept = s.runs[1]
    steps["n"] = 0
    for x in (-0.9, -0.8, -0.7):
        s.set_run_start(0, (x, 1.1), merge="start")
    s.seal()
    assert steps["n"] == 3 * 120 and s.runs[1] is kept
    assert len(s.history.done) == 1
    path = np.array([st.point for st in s.runs[0].states])
    assert np.array_equal(path, fresh_path(ROSENBROCK, "gd", {"lr": 0.001}, (-0.7, 1.1), 120))
    s.undo()
    assert s.setup.runs[0].start == (-1.0, 1.0)


def test_a_path_longer_than_the_drag_budget_shows_its_first_part_at_once_and_the_rest_later(steps):
    s = session_at(ROSENBROCK, 800, max_steps=1000)
    steps["n"] = 0
    s.set_run_settings(0, {"lr": 0.0009}, merge="lr")
    assert steps["n"] == DRAG_BUDGET and len(s.runs[0].states) == DRAG_BUDGET + 1 and s.pending()
    s.advance(None)
    assert len(s.runs[0].states) == 801 and steps["n"] == 800


def test_a_typed_setting_still_rebuilds_only_its_run():
    s = session_at(BOWL, 30)
    kept = s.runs[2]
    s.set_run_settings(0, {"lr": 0.05})
    assert s.runs[2] is kept and len(s.history.done) == 1
