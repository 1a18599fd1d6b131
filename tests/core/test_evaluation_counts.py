"""What each method itself needs: cumulative f, ∇f and Hessian evaluations per state (a fair loss-plot axis)."""
import numpy as np
import pytest

from explorer.core.objective import Objective
from explorer.core.methods import METHODS, make_optimizer
from explorer.core.optimizer_base import Evaluations
from explorer.core.trajectory import COST_AXES, Run

BOWL = "x**2 + 10*y**2"


def run(expr, method, start, steps, objective=None, **settings):
    r = Run(make_optimizer(method, objective or Objective(expr), **settings), start, max_steps=steps)
    r.run_to_end()
    return r


class CallCounter(Objective):
    """An independent reference: every call the method makes, before any cache."""

    def __init__(self, expr):
        super().__init__(expr)
        self.calls = {"value": 0, "value_and_gradient": 0, "gradient": 0, "derivatives": 0}

    def value(self, x):
        self.calls["value"] += 1
        return super().value(x)

    def value_and_gradient(self, x):
        self.calls["value_and_gradient"] += 1
        return super().value_and_gradient(x)

    def derivatives(self, x):
        self.calls["derivatives"] += 1
        return super().derivatives(x)


def test_the_start_costs_one_value_and_one_gradient():
    for name in METHODS:
        r = run(BOWL, name, (1, 1), 0)
        assert r.states[0].evaluations == Evaluations(1, 1, 0), name


def test_gradient_descent_needs_one_value_and_gradient_a_step_and_no_hessian():
    r = run(BOWL, "gd", (1, 1), 10, lr=0.04)
    k = np.arange(11)
    np.testing.assert_array_equal(r.evaluation_counts(), np.c_[1 + k, 1 + k, 0 * k])
    np.testing.assert_array_equal(r.cost("iterations"), k)
    np.testing.assert_array_equal(r.cost("hessian"), 0 * k)


def test_nesterov_pays_for_its_look_ahead_gradient():
    # the first look-ahead is the start itself (velocity 0), whose gradient is known: free
    r = run(BOWL, "nesterov", (1, 1), 5, lr=0.01)
    k = np.arange(6)
    np.testing.assert_array_equal(r.evaluation_counts(), np.c_[1 + k, [1, 2, 4, 6, 8, 10], 0 * k])


def test_newton_needs_one_hessian_a_step_and_its_gradient_is_not_counted_twice():
    # from (3, 1) on a quartic: Newton takes many steps, each f, ∇f and H once at the new point
    r = run("x**4 + y**4", "newton", (3, 1), 6)
    k = np.arange(len(r.states))
    assert len(k) == 7
    np.testing.assert_array_equal(r.evaluation_counts(), np.c_[1 + k, 1 + k, k])


def test_backtracking_trials_are_counted_one_value_each():
    # f = √(1 + x²) + y² from (3, 0): Newton direction p = −x(1 + x²) = −30 along x.
    # t = 1, ½, ¼ land at x = −27, −12, −4.5 where f > √10; t = ⅛ lands at −0.75, f = 1.25: 4 trials
    objective = CallCounter("sqrt(1 + x**2) + y**2")
    opt = make_optimizer("damped-newton", objective)
    state = opt.start((3.0, 0.0))
    new = opt.step(state)
    assert new.point[0] == pytest.approx(-0.75) and new.memory["step_length"] == 0.125
    assert objective.calls["value"] == 4
    assert new.evaluations == Evaluations(1 + 4, 1 + 1, 1)   # ∇f at the accepted point; f there already known


def test_wolfe_trials_cost_a_value_and_a_gradient_each():
    objective = CallCounter("(1 - x)**2 + 100*(y - x**2)**2")
    opt = make_optimizer("bfgs", objective)
    state = opt.start((-1.2, 1.0))
    for _ in range(15):
        before = dict(objective.calls)
        new = opt.step(state)
        trials = objective.calls["value_and_gradient"] - before["value_and_gradient"]
        assert trials >= 1
        assert np.subtract(new.evaluations, state.evaluations).tolist() == [trials, trials, 0, 0]   # no rows: a surface
        state = new


def test_runs_sharing_an_objective_are_each_charged_in_full():
    objective = Objective(BOWL)
    first = run(BOWL, "newton", (2, 1), 3, objective=objective)
    hessians_after_first = objective.evaluations["hessian"]
    second = run(BOWL, "newton", (2, 1), 3, objective=objective)
    assert objective.evaluations["hessian"] == hessians_after_first   # the cache answered the second run
    np.testing.assert_array_equal(second.evaluation_counts(), first.evaluation_counts())
    assert first.evaluation_counts()[-1].tolist() == [2, 2, 1]   # one Newton step solves a quadratic


def test_explanations_are_not_the_methods_work():
    # the same steps taken bare (no StepRecord explanations, no Hessians for them) count the same
    r = run("x**2 - y**2 + x*y", "gd", (1, 2), 5, lr=0.1)
    opt = make_optimizer("gd", Objective("x**2 - y**2 + x*y"), lr=0.1)
    state = opt.start((1, 2))
    for expected in r.states[1:]:
        state = opt.step(state)
        assert state.evaluations == expected.evaluations


def test_json_carries_the_counts_aligned_with_the_values():
    r = run(BOWL, "damped-newton", (1, 1), 4)
    d = r.as_dict()
    assert set(d["evaluations"]) == {"value", "gradient", "hessian"}
    assert all(len(v) == len(d["values"]) for v in d["evaluations"].values())
    assert d["evaluations"]["hessian"] == list(range(len(d["values"])))


def test_cost_axes_are_named_and_an_unknown_one_is_refused():
    assert set(COST_AXES) == {"iterations", "value", "gradient", "hessian", "epochs"}
    r = run(BOWL, "gd", (1, 1), 2, lr=0.1)
    with pytest.raises(ValueError, match="unknown cost axis 'time'"):
        r.cost("time")


def test_steps_of_one_optimizer_on_two_threads_are_counted_apart():
    # thread A is held inside its step's evaluation while this thread takes the same step
    import threading
    inside, go_on = threading.Event(), threading.Event()

    class Held(Objective):
        def value_and_gradient(self, x):
            if threading.current_thread().name == "A":
                inside.set()
                go_on.wait(30)
            return super().value_and_gradient(x)

    opt = make_optimizer("gd", Held(BOWL), lr=0.1)
    start = opt.start((1.0, 1.0))
    found = {}
    worker = threading.Thread(target=lambda: found.setdefault("A", opt.step(start)), name="A")
    worker.start()
    assert inside.wait(30)
    found["B"] = opt.step(start)
    go_on.set()
    worker.join()
    assert found["A"].evaluations == found["B"].evaluations == Evaluations(2, 2, 0)
