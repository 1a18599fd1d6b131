"""Mini-batches: every epoch covers every row once, the batch of step t is a pure function of (seed, t),
each step follows the batch-mean gradient (closed forms and autograd built here), the full batch is the
plain method bit for bit, and the epochs axis counts rows."""
import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import given
from hypothesis import strategies as st

from explorer.core.batches import MAX_SEED, BatchPlan, batch_plan
from explorer.core.datasets import generate
from explorer.core.fit import FitProblem
from explorer.core.objective import Objective
from explorer.core.methods import FIRST_ORDER, make_optimizer
from explorer.core.trajectory import Run

LINE = generate("line", 0)            # 50 rows
X, Y = LINE.column("X"), LINE.column("Y")
MSE = "(w*X + b - Y)^2"
SETTINGS = {"gd": {"lr": 0.05}, "momentum": {"lr": 0.02, "momentum": 0.8}, "nesterov": {"lr": 0.02, "momentum": 0.8},
            "rmsprop": {"lr": 0.05}, "adagrad": {"lr": 0.3}, "adam": {"lr": 0.1}}


def objective():
    return FitProblem(LINE, MSE, "w, b").objective()


def run(method, steps=30, start=(-1.0, 4.0), **options):
    r = Run(make_optimizer(method, objective(), **options), start, max_steps=steps, tolerance=0)
    r.run_to_end()
    return r


def batch_gradient(theta, rows):
    # ∇ (1/B) Σ (w·x + b − y)² = (2/B) Σ (w·x + b − y)·(x, 1)
    w, b = theta
    r = w * X[rows] + b - Y[rows]
    return 2 / len(rows) * np.array([r @ X[rows], r.sum()])


def batch_loss(theta, rows):
    w, b = theta
    return float(np.mean((w * X[rows] + b - Y[rows]) ** 2))


def autograd_batch_gradient(theta, rows):
    """The gradient of the batch's mean loss, by autograd on a loss built here (not the program's)."""
    xb, yb = X[rows], Y[rows]
    return grad(lambda t: anp.mean((t[0] * xb + t[1] - yb) ** 2))(np.asarray(theta, dtype=float))


# ---------------------------------------------------------------- the plan

@pytest.mark.parametrize("rows, size", [(50, 1), (50, 7), (50, 10), (50, 25), (50, 49), (13, 4), (2, 1)])
def test_every_epoch_uses_every_row_exactly_once(rows, size):
    plan = BatchPlan(rows, size, seed=11)
    m = -(-rows // size)   # ⌈rows / size⌉
    assert plan.per_epoch == m
    for epoch in range(3):
        batches = [plan.batch(epoch * m + i) for i in range(m)]
        assert all(plan.epoch(epoch * m + i) == epoch for i in range(m))
        together = np.concatenate(batches)
        assert len(together) == rows and sorted(together) == list(range(rows))   # disjoint, and all rows
        assert all(len(b) == size for b in batches[:-1])
        assert len(batches[-1]) == rows - (m - 1) * size
        assert all(np.all(np.diff(b) > 0) for b in batches)   # ascending row indices in file order


def test_each_epoch_is_a_fresh_shuffle():
    plan = BatchPlan(50, 10, seed=4)
    first, second = [[tuple(plan.batch(e * 5 + i)) for i in range(5)] for e in (0, 1)]
    assert first != second


@given(st.integers(0, MAX_SEED), st.integers(2, 300), st.data())
def test_the_batch_of_step_t_is_the_documented_pure_function_of_seed_and_t(seed, rows, data):
    size = data.draw(st.integers(1, rows - 1))
    plan = BatchPlan(rows, size, seed)
    m = -(-rows // size)
    steps = data.draw(st.lists(st.integers(0, 40 * m), min_size=1, max_size=30))
    for t in steps:   # asked in any order, even after many other epochs: the rule of batches.py
        e, i = divmod(t, m)
        expected = np.sort(np.random.default_rng((seed, e)).permutation(rows)[i * size:(i + 1) * size])
        np.testing.assert_array_equal(plan.batch(t), expected)


def test_asking_in_another_order_gives_the_same_batches():
    plan = BatchPlan(50, 7, seed=3)
    forwards = {t: plan.batch(t).tolist() for t in range(200)}
    other = BatchPlan(50, 7, seed=3)
    backwards = {t: other.batch(t).tolist() for t in reversed(range(200))}
    shuffled = {t: other.batch(t).tolist() for t in np.random.default_rng(0).permutation(200)}
    assert forwards == backwards == shuffled
    another = BatchPlan(50, 7, seed=4)
    assert any(another.batch(t).tolist() != forwards[t] for t in range(8))   # another seed, another shuffle


def test_a_batch_handed_out_cannot_change_the_next_answer():
    plan = BatchPlan(20, 5, seed=1)
    b = plan.batch(2)
    kept = b.copy()
    b[:] = 0
    np.testing.assert_array_equal(plan.batch(2), kept)


def test_the_full_batch_is_no_plan_and_bad_sizes_or_seeds_are_refused():
    assert batch_plan(50, None) is None and batch_plan(50, 50) is None and batch_plan(50, 80, seed=9) is None
    assert batch_plan(50, 1, 2) == BatchPlan(50, 1, 2) == batch_plan(50, np.int64(1), 2.0)
    assert BatchPlan(50, 1).describe() == "SGD (batch 1)" and BatchPlan(50, 8).describe() == "mini-batch 8"
    for size in (0, -3, 2.5, np.inf, np.nan, True, "5"):
        with pytest.raises(ValueError, match="batch size must be a whole number of rows"):
            batch_plan(50, size)
    for seed in (-1, MAX_SEED + 1):
        with pytest.raises(ValueError, match="seed"):
            BatchPlan(50, 5, seed)
    for seed in (2.5, -1, np.inf, np.nan, MAX_SEED + 1):   # not silently another seed, even for the full batch
        with pytest.raises(ValueError, match="seed"):
            batch_plan(50, 5, seed)
        with pytest.raises(ValueError, match="seed"):
            batch_plan(50, 80, seed)


# ---------------------------------------------------------------- runs

@pytest.mark.parametrize("method", FIRST_ORDER)
def test_the_same_seed_gives_the_same_path_bit_for_bit_and_another_seed_another(method):
    a = run(method, batch=5, seed=7, **SETTINGS[method])
    b = run(method, batch=5, seed=7, **SETTINGS[method])
    c = run(method, batch=5, seed=8, **SETTINGS[method])
    assert len(a.path) == 31
    assert np.array_equal(a.path, b.path) and np.array_equal(a.values, b.values)
    assert np.array_equal(a.batch_losses(), b.batch_losses())
    assert not np.array_equal(a.path, c.path)


@pytest.mark.parametrize("method", FIRST_ORDER)
def test_the_full_batch_is_the_plain_method_to_the_last_bit(method):
    plain = run(method, **SETTINGS[method])
    for batch, seed in ((None, 0), (50, 0), (50, 12), (80, 3)):
        full = run(method, batch=batch, seed=seed, **SETTINGS[method])
        assert not full.batched
        assert np.array_equal(full.path, plain.path) and np.array_equal(full.values, plain.values)
        assert np.array_equal(full.evaluation_counts(), plain.evaluation_counts())
        assert np.isnan(full.batch_losses()).all()
        assert all(s.batch_loss is None and s.batch_gradient is None for s in full.states)


def test_each_gd_step_is_minus_lr_times_the_batch_mean_gradient():
    lr = 0.05
    r = run("gd", steps=40, batch=7, seed=2, lr=lr)   # 50 rows: 8 batches an epoch, the last of 1 row
    plan = r.optimizer.batches
    for t in range(40):
        rows, x, state = plan.batch(t), r.path[t], r.states[t]
        g = batch_gradient(x, rows)
        np.testing.assert_allclose(g, autograd_batch_gradient(x, rows), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(state.batch_gradient, g, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(r.path[t + 1] - x, -lr * g, rtol=1e-9, atol=1e-12)
        assert np.array_equal(r.path[t + 1], x - lr * state.batch_gradient)   # the step is exactly this
        record = r.records[t]
        assert record.lr == lr and record.batch.tolist() == rows.tolist() and record.epoch == t // 8


def test_sgd_steps_along_one_row_s_gradient():
    r = run("gd", steps=60, batch=1, seed=5, lr=0.01)
    plan = r.optimizer.batches
    assert plan.per_epoch == 50
    for t in range(60):
        (i,) = plan.batch(t)
        w, b = r.path[t]
        residual = w * X[i] + b - Y[i]
        np.testing.assert_allclose(r.path[t + 1] - r.path[t], -0.01 * 2 * residual * np.array([X[i], 1.0]),
                                   rtol=1e-9, atol=1e-12)


def test_a_state_holds_the_full_loss_and_gradient_and_its_own_batch_s_loss():
    r = run("gd", steps=20, batch=6, seed=9, lr=0.05)
    plan, full = r.optimizer.batches, np.arange(50)
    for t, state in enumerate(r.states):
        assert state.value == pytest.approx(batch_loss(state.point, full), rel=1e-12)
        np.testing.assert_allclose(state.gradient, batch_gradient(state.point, full), rtol=1e-12, atol=1e-12)
        assert state.batch_loss == pytest.approx(batch_loss(state.point, plan.batch(t)), rel=1e-12)
        np.testing.assert_allclose(state.batch_gradient, batch_gradient(state.point, plan.batch(t)),
                                   rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(r.batch_losses(), [s.batch_loss for s in r.states])
    np.testing.assert_array_equal(r.values, [s.value for s in r.states])


def test_momentum_with_a_batch_follows_its_recurrence():
    # v ← βv − η g_B(x),  x ← x + v
    r = run("momentum", steps=30, batch=8, seed=1, lr=0.02, momentum=0.8)
    plan = r.optimizer.batches
    x, v = np.array([-1.0, 4.0]), np.zeros(2)
    for t in range(30):
        v = 0.8 * v - 0.02 * batch_gradient(x, plan.batch(t))
        x = x + v
        np.testing.assert_allclose(r.path[t + 1], x, rtol=1e-10)


def test_nesterov_with_a_batch_looks_ahead_on_the_same_batch():
    # v ← βv − η g_B(x + βv),  x ← x + v
    r = run("nesterov", steps=30, batch=8, seed=1, lr=0.02, momentum=0.8)
    plan = r.optimizer.batches
    x, v = np.array([-1.0, 4.0]), np.zeros(2)
    for t in range(30):
        v = 0.8 * v - 0.02 * batch_gradient(x + 0.8 * v, plan.batch(t))
        x = x + v
        np.testing.assert_allclose(r.path[t + 1], x, rtol=1e-10)


def test_the_epochs_axis_counts_rows_full_batch_n_a_step_sgd_one():
    full = run("gd", steps=10, lr=0.05)
    np.testing.assert_array_equal(np.diff(full.cost("epochs")), np.ones(10))   # n rows a step: one epoch
    assert full.cost("epochs")[0] == 1
    sgd = run("gd", steps=120, batch=1, lr=0.01)
    np.testing.assert_allclose(np.diff(sgd.cost("epochs")), np.full(120, 1 / 50), rtol=1e-12)
    assert sgd.cost("epochs")[49] == pytest.approx(1.0)   # 50 single rows, states 0 … 49: one pass
    mini = run("gd", steps=20, batch=7, lr=0.05)
    plan = mini.optimizer.batches
    used = np.cumsum([len(plan.batch(t)) for t in range(21)])
    np.testing.assert_allclose(mini.cost("epochs"), used / 50, rtol=1e-12)
    assert mini.cost("epochs")[7] == pytest.approx(1.0)   # 8 batches (7 × 7 + 1 rows) make an epoch


def test_a_surface_has_no_rows_its_epochs_are_its_iterations():
    r = Run(make_optimizer("gd", Objective("x^2 + y^2"), lr=0.1), (1, 1), max_steps=5, tolerance=0)
    r.run_to_end()
    np.testing.assert_array_equal(r.cost("epochs"), np.arange(6))


def test_a_batched_run_as_data_names_each_step_s_rows_and_the_run_s_seed():
    r = run("gd", steps=12, batch=7, seed=3, lr=0.05)
    data = r.as_dict()
    assert data["batch"] == 7 and data["seed"] == 3 and len(data["batch_losses"]) == 13
    for t, step in enumerate(data["steps"]):
        assert step["batch"] == r.optimizer.batches.batch(t).tolist() and step["epoch"] == t // 8
        assert step["lr"] == 0.05
    plain = run("gd", steps=3, lr=0.05).as_dict()
    assert not {"batch", "seed", "batch_losses", "schedule"} & set(plain)
    assert all("batch" not in s and "epoch" not in s and s["lr"] == 0.05 for s in plain["steps"])


@pytest.mark.parametrize("method", ["newton", "damped-newton", "bfgs", "cg"])
def test_methods_that_use_every_row_refuse_a_batch(method):
    with pytest.raises(ValueError, match="mini-batches are for gd"):
        make_optimizer(method, objective(), batch=5)


def test_a_batch_on_a_surface_is_refused():
    with pytest.raises(ValueError, match="mini-batches need data"):
        make_optimizer("gd", Objective("x^2 + y^2"), batch=5)
