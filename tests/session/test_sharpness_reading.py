"""The session's sharpness readings: λmax per step cached per run, work counted in Hessian-vector products (a
second pass costs nothing), the stride of long runs, the bound per step, and a stop asked for midway."""
import numpy as np
import pytest
from autograd import hessian

from explorer.core.fit_scene import NetworkSpec
from explorer.session import Session


def played(method="gd", settings=None, steps=20, max_steps=None) -> Session:
    s = Session()
    s.start_model_fit("moons", "mlp:4:tanh")
    spec = s.setup.runs[0]
    s.add_run(method, settings or {"lr": 0.5}, spec.start, full=True)
    s.remove_run(0)
    if max_steps is not None:
        s.set_max_steps(max_steps)
    s.jump(steps, budget=None)
    return s


def test_the_series_is_empty_until_the_work_fills_it_and_then_matches_a_dense_hessian():
    s = played()
    assert s.sharpness_series()[0].size == 0 and s.sharpness_missing() == list(range(21))
    work = s.sharpness_work()
    assert work() == 21
    steps, values = s.sharpness_series()
    assert steps.tolist() == list(range(21))
    problem, run = s.model_problem, s.runs[0]
    f = lambda theta: problem.network.loss(theta, problem.X_train, problem.y_train)
    for t in (0, 10, 20):
        assert values[t] == pytest.approx(np.linalg.eigvalsh(hessian(f)(run.states[t].point))[-1], rel=1e-6)


def test_computing_twice_costs_nothing_and_new_steps_cost_only_themselves():
    s = played()
    s.sharpness_work()()
    spent = s.sharpness_products()
    assert spent > 0 and s.sharpness_work() is None and s.sharpness_products() == spent
    s.jump(25, budget=None)
    assert s.sharpness_missing() == [21, 22, 23, 24, 25]
    assert s.sharpness_work()() == 5 and s.sharpness_series()[0].tolist() == list(range(26))


def test_a_stop_midway_keeps_what_was_done():
    s = played()
    calls = []
    done = s.sharpness_work()(lambda: calls.append(1) or len(calls) <= 4)
    assert done == 4 and s.sharpness_series()[0].tolist() == [0, 1, 2, 3]
    assert s.sharpness_work()() == 17


def test_a_long_run_is_estimated_at_a_stride():
    s = played(steps=30, max_steps=1200)
    assert s.sharpness_stride() == 3   # 1,200 steps / about 500 points
    assert s.sharpness_missing() == list(range(0, 31, 3))


def test_the_bound_follows_the_method():
    s = played(settings={"lr": 0.5})
    steps, bound, why = s.sharpness_bound()
    assert why == "" and steps.tolist() == list(range(21)) and np.allclose(bound, 4.0)
    s = played("momentum", {"lr": 0.1, "momentum": 0.5})
    assert np.allclose(s.sharpness_bound()[1], (2 + 2 * 0.5) / 0.1)
    s = played("adam", {"lr": 0.05})
    steps, bound, why = s.sharpness_bound()
    assert steps.size == 0 and "adam" in why


def test_a_changed_network_starts_a_fresh_cache():
    s = played()
    s.sharpness_work()()
    s.set_network(NetworkSpec("mlp:3:tanh", test_fraction=0.3))
    s.jump(20, budget=None)
    assert s.sharpness_series()[0].size == 0 and s.sharpness_products() == 0


def test_a_mini_batched_run_is_said_to_be_one():
    s = played()
    assert not s.sharpness_reading().batched
    s.set_run_batch(0, 16, 1)
    s.jump(5, budget=None)
    r = s.sharpness_reading()
    assert r.batched and np.allclose(r.bounds, 4.0)
