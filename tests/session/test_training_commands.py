"""The session's training commands: mini-batches and seeds, schedules, a fit given as residuals; each
undoable (undo restores exactly), refused with one clear line, dropped when the problem cannot have them,
and saved in a scene that reopens to the same runs."""
import numpy as np
import pytest

from explorer.core.batches import MAX_SEED, BatchPlan
from explorer.core.fit_scene import DataSpec
from explorer.core.scene import scene_from_json, scene_to_json
from explorer.core.schedules import CONSTANT, make_schedule
from explorer.session import Session, SessionError
from explorer.session.errors import FitCommandError
from tests.session import fit_sessions

GROWTH = dict(data=DataSpec("growth", 0), model="a*exp(b*X)", trained="a, b")


def line_fit():
    """Linear regression on the line dataset (50 rows), one gd run; nothing to undo."""
    s = fit_sessions.line_fit()
    s.forget_history()
    return s


def growth_fit():
    """y = a·exp(b·x) on the growth dataset given as residuals, gd from (1, 0.3)."""
    s = line_fit()
    s.set_fit(loss="(a*exp(b*X) - Y)^2", **GROWTH)
    s.set_fit_residual(True, "a*exp(b*X) - Y")
    s.set_all_starts((1.0, 0.3), full=True)
    s.set_run_settings(0, {"lr": 0.001})
    s.forget_history()
    return s


def paths(s, k=40):
    s.jump(k, budget=None)
    s.advance(None)   # a reopened scene stands at its step already: compute what is still pending
    return [r.path.copy() for r in s.runs]


def same_paths(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


def refused(s, command, *args, error=SessionError, **kwargs) -> str:
    before = s.setup
    with pytest.raises(error) as caught:
        command(*args, **kwargs)
    assert s.setup == before
    text = str(caught.value)
    assert text and "\n" not in text
    return text


# ---------------------------------------------------------------- mini-batches

def test_a_batch_and_seed_are_set_and_undone_exactly():
    s = line_fit()
    before, plain = s.setup, paths(s)
    s.set_run_batch(0, 5, seed=3)
    assert (s.setup.runs[0].batch, s.setup.runs[0].seed) == (5, 3)
    assert s.runs[0].optimizer.batches == BatchPlan(50, 5, 3)
    assert s.history.undo_name() == "Set gd to batch 5, seed 3"
    batched = paths(s)
    assert not same_paths(batched, plain)
    s.undo()
    assert s.setup == before and s.runs[0].optimizer.batches is None
    assert same_paths(paths(s), plain)
    s.redo()
    assert s.setup.runs[0].batch == 5 and same_paths(paths(s), batched)


def test_the_seed_is_kept_unless_given_and_changing_only_it_is_one_command():
    s = line_fit()
    s.set_run_batch(0, 5, seed=3)
    s.set_run_batch(0, 8)
    assert (s.setup.runs[0].batch, s.setup.runs[0].seed) == (8, 3)
    first = paths(s)
    s.set_run_batch(0, 8, seed=4)
    assert s.history.undo_name() == "Set gd to batch 8, seed 4" and not same_paths(paths(s), first)
    s.undo()
    assert s.setup.runs[0].seed == 3 and same_paths(paths(s), first)
    names = s.history.undo_name()
    s.set_run_batch(0, 8, seed=3)   # nothing changes, nothing is recorded
    assert s.history.undo_name() == names


def test_the_full_batch_is_the_plain_run():
    s = line_fit()
    plain = paths(s)
    s.set_run_batch(0, 50, seed=7)   # every row
    assert s.runs[0].optimizer.batches is None and same_paths(paths(s), plain)
    s.set_run_batch(0, None)
    assert s.setup.runs[0].batch is None and same_paths(paths(s), plain)


@pytest.mark.parametrize("batch, seed, words", [
    (0, None, "a batch is a whole number of rows from 1 to 100,000, not 0"),
    (-4, None, "a batch is a whole number of rows"),
    (2.5, None, "a batch is a whole number of rows"),
    (100_001, None, "a batch is a whole number of rows"),
    (float("inf"), None, "a batch is a whole number of rows"),
    (float("nan"), None, "a batch is a whole number of rows"),
    (True, None, "a batch is a whole number of rows"),
    (5, float("inf"), "the seed is a whole number"),
    (5, float("nan"), "the seed is a whole number"),
    (5, -1, "the seed is a whole number from 0 to 4,294,967,295, not -1"),
    (5, MAX_SEED + 1, "the seed is a whole number"),
    (5, 1.5, "the seed is a whole number"),
])
def test_bad_batches_and_seeds_are_refused_in_one_line(batch, seed, words):
    s = line_fit()
    assert words in refused(s, s.set_run_batch, 0, batch, seed)


def test_a_batch_is_refused_without_data_and_for_methods_that_use_every_row():
    s = line_fit()
    s.add_run("newton")
    assert "newton uses every row (mini-batches are for gd, momentum, nesterov, rmsprop, adagrad, adam)" in refused(
        s, s.set_run_batch, 1, 5)
    assert "there is no run 3" in refused(s, s.set_run_batch, 2, 5)
    surface = Session()
    surface.set_expression("x^2 + y^2")
    surface.add_run("gd", {"lr": 0.1})
    assert "mini-batches need data" in refused(surface, surface.set_run_batch, 0, 5)


def test_leaving_the_fit_drops_the_batches_and_undo_brings_them_back():
    s = line_fit()
    s.set_run_batch(0, 5, seed=3)
    batched = s.setup
    s.set_expression("x^2 + y^2")
    assert s.kind.name == "surface" and s.setup.runs[0].batch is None and s.runs[0].optimizer.batches is None
    s.undo()
    assert s.setup == batched and s.runs[0].optimizer.batches == BatchPlan(50, 5, 3)


# ---------------------------------------------------------------- schedules

def test_a_schedule_is_set_and_undone_exactly():
    s = line_fit()
    before, plain = s.setup, paths(s)
    cosine = make_schedule("cosine", period=20, lr_min=0.001, warmup=5)
    s.set_run_schedule(0, cosine)
    assert s.setup.runs[0].schedule == cosine and s.runs[0].optimizer.schedule == cosine
    assert s.history.undo_name() == "Set gd's schedule to cosine (lr_min 0.001, period 20), warm-up 5"
    scheduled = paths(s)
    assert not same_paths(scheduled, plain)
    assert [s.runs[0].records[t].lr for t in range(30)] == cosine.lrs(0.05, 30).tolist()
    s.undo()
    assert s.setup == before and same_paths(paths(s), plain)
    s.redo()
    s.set_run_schedule(0, None)
    assert s.setup.runs[0].schedule == CONSTANT and same_paths(paths(s), plain)


def test_a_schedule_is_refused_for_a_method_without_a_learning_rate():
    s = line_fit()
    s.add_run("bfgs")
    text = refused(s, s.set_run_schedule, 1, make_schedule("exponential"))
    assert "bfgs has no learning rate to schedule (schedules are for gd, momentum, nesterov, rmsprop, adagrad, adam)" in text
    names = s.history.undo_name()
    s.set_run_schedule(1, CONSTANT)   # the constant schedule is no schedule: nothing to refuse or record
    assert s.history.undo_name() == names


def test_a_schedule_works_on_a_surface_too():
    s = Session()
    s.set_expression("x^2 + 10*y^2")
    s.add_run("gd", {"lr": 0.04}, start=(1.0, 1.0))
    step = make_schedule("step", drop=0.5, every=3)
    s.set_run_schedule(0, step)
    s.jump(6, budget=None)
    path = s.runs[0].path
    for t in range(6):
        x, y = path[t]
        np.testing.assert_allclose(path[t + 1], path[t] - step.lr(0.04, t) * np.array([2 * x, 20 * y]), rtol=1e-13)


# ---------------------------------------------------------------- residuals

def test_giving_the_fit_as_residuals_is_undoable_and_keeps_the_loss():
    s = line_fit()
    before = s.setup
    theta = [1.5, 0.5]
    loss = s.objective.value(theta)
    s.set_fit_residual(True, "w*X + b - Y")
    assert s.setup.fit.residual and s.setup.text == "w*X + b - Y"
    assert s.history.undo_name() == "Give the fit as residuals"
    assert s.objective.value(theta) == pytest.approx(loss, rel=1e-13)   # the mean of r² is the same loss
    s.add_run("gauss-newton")
    s.undo()
    s.undo()
    assert s.setup == before and not s.problem.is_residual


def test_least_squares_runs_need_residuals():
    s = line_fit()
    text = refused(s, s.add_run, "gauss-newton", error=FitCommandError)
    assert "gauss-newton needs a fit given as residuals" in text
    surface = Session()
    surface.set_expression("x^2 + y^2")
    assert "least squares" in refused(surface, surface.add_run, "levenberg-marquardt")
    assert "this is not a fit of data" in refused(surface, surface.set_fit_residual, True)


def test_a_residual_that_cannot_be_built_is_refused_naming_it():
    s = line_fit()
    with pytest.raises(FitCommandError) as caught:
        s.set_fit_residual(True, "w*x + b - Y")
    assert caught.value.field == "loss" and "did you mean the column 'X'?" in str(caught.value)
    assert not s.setup.fit.residual


def test_gauss_newton_in_the_session_lands_on_the_least_squares_line_in_one_step():
    s = line_fit()
    s.set_fit_residual(True, "w*X + b - Y")
    s.add_run("gauss-newton")
    s.jump(5, budget=None)
    X, Y = s.problem.dataset.column("X"), s.problem.dataset.column("Y")
    best = np.linalg.lstsq(np.column_stack([X, np.ones_like(X)]), Y, rcond=None)[0]
    gn = s.runs[1]
    np.testing.assert_allclose(gn.path[1], best, rtol=1e-10)
    assert gn.status == "converged" and len(gn.path) == 2


def test_leaving_residuals_drops_least_squares_runs_and_undo_brings_them_back():
    s = growth_fit()
    s.add_run("gauss-newton")
    s.add_run("levenberg-marquardt")
    with_them = s.setup
    s.set_fit_residual(False, "(a*exp(b*X) - Y)^2")
    assert [r.method for r in s.setup.runs] == ["gd"] and not s.setup.fit.residual
    s.undo()
    assert s.setup == with_them and [r.method for r in s.runs] == ["gd", "gauss-newton", "levenberg-marquardt"]
    s.set_expression("x^2 + y^2")   # leaving the fit altogether drops them too
    assert [r.method for r in s.setup.runs] == ["gd"]
    s.undo()
    assert s.setup == with_them


# ---------------------------------------------------------------- scenes

def test_a_session_with_all_of_these_saves_and_reopens_to_the_same_runs():
    s = growth_fit()
    s.set_run_batch(0, 8, seed=11)
    s.set_run_schedule(0, make_schedule("exponential", gamma=0.98, warmup=3))
    s.add_run("gauss-newton")
    s.add_run("levenberg-marquardt", {"damping": 0.01})
    s.add_run("momentum", {"lr": 0.0005})
    s.set_run_batch(3, 1, seed=2)
    before = paths(s, 60)
    text = scene_to_json(s.scene())
    again = Session.from_scene(scene_from_json(text))
    assert again.setup.runs == s.setup.runs and again.setup.fit == s.setup.fit
    assert same_paths(paths(again, 60), before)
    assert scene_to_json(again.scene()) == text
