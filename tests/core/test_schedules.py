"""Learning-rate schedules: each sequence against its formula, the constant one exactly lr, bad settings
refused in one line naming the setting, and scheduled runs stepping by exactly −lr_t·∇f."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.core.objective import Objective
from explorer.core.methods import FIRST_ORDER, make_optimizer
from explorer.core.schedules import CONSTANT, SCHEDULES, Schedule, ScheduleError, make_schedule
from explorer.core.trajectory import Run

T = np.arange(400)
BOWL = "x^2 + 10*y^2"
SETTINGS = {"gd": {"lr": 0.04}, "momentum": {"lr": 0.02, "momentum": 0.8}, "nesterov": {"lr": 0.02, "momentum": 0.8},
            "rmsprop": {"lr": 0.05}, "adagrad": {"lr": 0.3}, "adam": {"lr": 0.1}}


def formula(name, lr0, t, **s):
    """The issue's formulas, written out here."""
    if name == "constant":
        return np.full(len(t), lr0)
    if name == "exponential":
        return lr0 * s["gamma"] ** t
    if name == "step":
        return lr0 * s["drop"] ** np.floor(t / s["every"])
    if name == "inverse-time":
        return lr0 / (1 + s["decay"] * t)
    T_ = s["period"]
    return s["lr_min"] + 0.5 * (lr0 - s["lr_min"]) * (1 + np.cos(np.pi * np.minimum(t, T_) / T_))


def warmed(rates, t, warmup):
    return rates * np.minimum(1, (t + 1) / warmup) if warmup else rates


def run(method, schedule, steps=25, expr=BOWL, start=(1.0, 1.0), **settings):
    r = Run(make_optimizer(method, Objective(expr), schedule=schedule, **settings), start, max_steps=steps,
            tolerance=0)
    r.run_to_end()
    return r


# ---------------------------------------------------------------- sequences

def test_sequences_worked_by_hand():
    assert make_schedule("step", drop=0.5, every=3).lrs(0.8, 8).tolist() == [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2]
    assert make_schedule("exponential", gamma=0.5).lrs(1.0, 4).tolist() == [1, 0.5, 0.25, 0.125]
    assert make_schedule("inverse-time", decay=1).lrs(1.0, 4).tolist() == [1, 1 / 2, 1 / 3, 1 / 4]
    np.testing.assert_allclose(make_schedule("cosine", period=4, lr_min=0).lrs(1.0, 7),
                               [1, 0.5 + 0.5 * np.cos(np.pi / 4), 0.5, 0.5 - 0.5 * np.cos(np.pi / 4), 0, 0, 0],
                               atol=1e-16)
    np.testing.assert_allclose(make_schedule("cosine", period=2, lr_min=0.1).lrs(1.0, 4), [1, 0.55, 0.1, 0.1])
    # warm-up over 4 steps: ¼, ½, ¾ of the rate, then all of it
    assert make_schedule("constant", warmup=4).lrs(0.2, 6).tolist() == [0.05, 0.1, 0.2 * 3 / 4, 0.2, 0.2, 0.2]
    assert make_schedule("step", drop=0.5, every=2, warmup=2).lrs(1.0, 5).tolist() == [0.5, 1, 0.5, 0.5, 0.25]


@pytest.mark.parametrize("lr0", [0.1, 1 / 3, 0.05, 7e-5, 2.0])
def test_the_constant_schedule_gives_exactly_lr(lr0):
    for schedule in (CONSTANT, Schedule(), make_schedule("constant"), make_schedule("constant", warmup=0)):
        assert schedule.is_constant and schedule == CONSTANT
        assert all(schedule.lr(lr0, t) == lr0 for t in (0, 1, 2, 99, 10**6))
        assert np.array_equal(schedule.lrs(lr0, 50), np.full(50, lr0))
    assert not make_schedule("constant", warmup=3).is_constant


settings_of = {
    "constant": st.fixed_dictionaries({}),
    "exponential": st.fixed_dictionaries({"gamma": st.floats(0.5, 1.0)}),
    "step": st.fixed_dictionaries({"drop": st.floats(0.01, 1.0), "every": st.integers(1, 150)}),
    "inverse-time": st.fixed_dictionaries({"decay": st.floats(0, 5)}),
    "cosine": st.fixed_dictionaries({"period": st.integers(1, 500), "lr_min": st.floats(0, 0.5)}),
}


@given(st.sampled_from(sorted(SCHEDULES)).flatmap(lambda n: st.tuples(st.just(n), settings_of[n])),
       st.floats(1e-4, 2.0), st.integers(0, 60))
def test_every_schedule_follows_its_formula(name_settings, lr0, warmup):
    name, settings = name_settings
    schedule = make_schedule(name, warmup=warmup, **settings)
    expected = warmed(formula(name, lr0, T, **settings), T, warmup)
    np.testing.assert_allclose(schedule.lrs(lr0, len(T)), expected, rtol=1e-12, atol=1e-300)
    assert [schedule.lr(lr0, t) for t in (0, 7, 399)] == schedule.lrs(lr0, 400)[[0, 7, 399]].tolist()


def test_the_defaults_are_the_documented_ones():
    assert SCHEDULES == {"constant": {}, "exponential": {"gamma": 0.99}, "step": {"drop": 0.5, "every": 100},
                         "inverse-time": {"decay": 0.01}, "cosine": {"period": 200, "lr_min": 0.0}}
    for name, defaults in SCHEDULES.items():
        s = make_schedule(name)
        assert s.values == defaults and s.warmup == 0
        np.testing.assert_allclose(s.lrs(0.1, 400), formula(name, 0.1, T, **defaults), rtol=1e-12)


def test_a_schedule_says_what_it_is_and_rebuilds_from_its_data():
    s = make_schedule("cosine", period=200, lr_min=0.001, warmup=10)
    assert s.describe() == "cosine (lr_min 0.001, period 200), warm-up 10"
    assert make_schedule("exponential", gamma=0.9).describe() == "exponential (gamma 0.9)"
    assert CONSTANT.describe() == "constant"
    for schedule in (s, CONSTANT, make_schedule("step", every=7, warmup=2), make_schedule("inverse-time")):
        data = dict(schedule.as_dict())
        name = data.pop("name")
        assert make_schedule(name, **data) == schedule and hash(make_schedule(name, **data)) == hash(schedule)


# ---------------------------------------------------------------- refusals

@pytest.mark.parametrize("name, settings, words", [
    ("linear", {}, "unknown schedule 'linear' (choose from constant, exponential, step, inverse-time, cosine)"),
    ("exponential", {"gamma": 0}, "'gamma' must be in (0, 1], not 0"),
    ("exponential", {"gamma": 1.5}, "'gamma' must be in (0, 1], not 1.5"),
    ("exponential", {"gamma": math.nan}, "'gamma'"),
    ("exponential", {"gamma": math.inf}, "'gamma'"),
    ("exponential", {"gamma": "fast"}, "'gamma' must be a number, not 'fast'"),
    ("step", {"drop": 0}, "'drop' must be in (0, 1]"),
    ("step", {"drop": 2}, "'drop' must be in (0, 1]"),
    ("step", {"every": 0}, "'every' must be a whole number of steps"),
    ("step", {"every": 2.5}, "'every' must be a whole number of steps"),
    ("step", {"every": 10**7}, "'every' must be a whole number of steps, 1 to 1,000,000"),
    ("inverse-time", {"decay": -0.1}, "'decay' must be 0 or more"),
    ("cosine", {"period": 0}, "'period' must be a whole number of steps"),
    ("cosine", {"period": 1.5}, "'period'"),
    ("cosine", {"lr_min": -1}, "'lr_min' must be 0 or more"),
    ("cosine", {"warmup": -1}, "'warmup' must be a whole number of steps, 0 to"),
    ("constant", {"warmup": 2.5}, "'warmup'"),
    ("exponential", {"drop": 0.5}, "the exponential schedule has no setting 'drop' (it has gamma, warmup)"),
    ("constant", {"gamma": 0.9}, "the constant schedule has no setting 'gamma' (it has warmup)"),
])
def test_bad_settings_are_refused_in_one_line_naming_the_setting(name, settings, words):
    with pytest.raises(ScheduleError) as caught:
        make_schedule(name, **settings)
    assert words in str(caught.value) and "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("method", ["newton", "damped-newton", "bfgs", "cg"])
def test_methods_without_a_learning_rate_refuse_a_schedule(method):
    with pytest.raises(ValueError, match="has no learning rate to schedule"):
        make_optimizer(method, Objective(BOWL), schedule=make_schedule("exponential"))
    make_optimizer(method, Objective(BOWL), schedule=CONSTANT)   # the constant one is no schedule


# ---------------------------------------------------------------- runs

@pytest.mark.parametrize("schedule", [make_schedule("step", drop=0.5, every=3, warmup=2),
                                      make_schedule("cosine", period=10, lr_min=0.005, warmup=4),
                                      make_schedule("exponential", gamma=0.9),
                                      make_schedule("inverse-time", decay=0.3)])
def test_a_scheduled_gd_step_moves_by_exactly_minus_lr_t_times_the_gradient(schedule):
    lr0 = 0.04
    r = run("gd", schedule, lr=lr0)
    for t in range(25):
        lr_t = schedule.lr(lr0, t)
        x, y = r.path[t]
        np.testing.assert_allclose(r.states[t].gradient, [2 * x, 20 * y], rtol=1e-15)   # ∇f by hand
        assert np.array_equal(r.path[t + 1], r.path[t] - lr_t * r.states[t].gradient)
        assert r.records[t].lr == lr_t == r.lr_of_step(t) == r.optimizer.rate(t)
    assert r.as_dict()["schedule"] == schedule.as_dict()
    assert [s["lr"] for s in r.as_dict()["steps"]] == schedule.lrs(lr0, 25).tolist()


def test_momentum_with_a_schedule_follows_its_recurrence():
    # v ← βv − η_t ∇f(x),  x ← x + v  on f = x² + 10y²
    schedule = make_schedule("cosine", period=12, lr_min=0.001, warmup=3)
    r = run("momentum", schedule, steps=20, lr=0.02, momentum=0.8)
    x, v = np.array([1.0, 1.0]), np.zeros(2)
    for t in range(20):
        v = 0.8 * v - schedule.lr(0.02, t) * np.array([2 * x[0], 20 * x[1]])
        x = x + v
        np.testing.assert_allclose(r.path[t + 1], x, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("method", FIRST_ORDER)
def test_schedules_that_never_change_the_rate_are_the_plain_method_bit_for_bit(method):
    plain = run(method, CONSTANT, **SETTINGS[method])
    assert all(rec.lr == SETTINGS[method]["lr"] for rec in plain.records)
    lr0 = SETTINGS[method]["lr"]
    for schedule in (make_schedule("exponential", gamma=1), make_schedule("step", drop=1, every=1),
                     make_schedule("inverse-time", decay=0), make_schedule("cosine", period=5, lr_min=lr0)):
        assert np.array_equal(run(method, schedule, **SETTINGS[method]).path, plain.path)


@pytest.mark.parametrize("method", FIRST_ORDER)
def test_a_decaying_schedule_changes_every_first_order_method(method):
    plain = run(method, CONSTANT, **SETTINGS[method])
    decayed = run(method, make_schedule("exponential", gamma=0.5), **SETTINGS[method])
    assert np.array_equal(plain.path[:2], decayed.path[:2])   # step 0 takes lr₀ · 0.5⁰ = lr₀
    assert not np.array_equal(plain.path, decayed.path)


def test_methods_without_a_learning_rate_report_none():
    r = run("newton", CONSTANT, steps=1)
    assert r.lr_of_step(0) is None and r.records[0].lr is None and "lr" not in r.as_dict()["steps"][0]
