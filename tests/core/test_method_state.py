"""What each method carries into its next step (Optimizer.method_state), against its textbook recurrence
recomputed here from the run's points and gradients."""
import numpy as np
import pytest

from explorer.core.methods import make_optimizer
from explorer.core.objective import Objective
from explorer.core.trajectory import Run

BOWL = "x^2 + 10*y^2"   # ∇f = (2x, 20y), H = diag(2, 20)


def run(method, steps=5, expr=BOWL, start=(1.0, 1.0), **settings):
    optimizer = make_optimizer(method, Objective(expr), **settings)
    r = Run(optimizer, start, max_steps=steps)
    r.run_to_end()
    return optimizer, r.states


def test_momentums_velocity_is_the_step_it_took():
    for method in ("momentum", "nesterov"):
        optimizer, states = run(method, lr=0.02, momentum=0.8)
        assert not np.any(optimizer.method_state(states[0])["velocity"])
        for before, after in zip(states, states[1:]):
            np.testing.assert_allclose(optimizer.method_state(after)["velocity"], after.point - before.point,
                                       rtol=1e-12, atol=1e-15)


def test_adams_moments_follow_the_recurrence_with_their_bias_corrections():
    optimizer, states = run("adam", lr=0.1, beta1=0.9, beta2=0.99)
    m = v = np.zeros(2)
    for t, (before, after) in enumerate(zip(states, states[1:]), start=1):
        g = before.gradient
        m, v = 0.9 * m + 0.1 * g, 0.99 * v + 0.01 * g * g
        seen = optimizer.method_state(after)
        np.testing.assert_allclose(seen["m"], m, rtol=1e-12)
        np.testing.assert_allclose(seen["v"], v, rtol=1e-12)
        np.testing.assert_allclose(seen["m_hat"], m / (1 - 0.9**t), rtol=1e-12)
        np.testing.assert_allclose(seen["v_hat"], v / (1 - 0.99**t), rtol=1e-12)
        # the step is −lr·m̂/(√v̂ + ε)
        np.testing.assert_allclose(after.point - before.point, -0.1 * seen["m_hat"] / (np.sqrt(seen["v_hat"]) + 1e-8),
                                   rtol=1e-10)


def test_rmsprops_v_is_the_running_mean_of_the_squared_gradient():
    optimizer, states = run("rmsprop", lr=0.01, decay=0.9)
    v = np.zeros(2)
    for before, after in zip(states, states[1:]):
        v = 0.9 * v + 0.1 * before.gradient ** 2
        np.testing.assert_allclose(optimizer.method_state(after)["v"], v, rtol=1e-12)


def test_bfgs_inverse_hessian_meets_the_secant_condition_after_each_update():
    optimizer, states = run("bfgs", steps=2, expr="x^2 + 10*y^2 + x*y")
    for before, after in zip(states, states[1:]):
        s, y = after.point - before.point, after.gradient - before.gradient
        np.testing.assert_allclose(optimizer.method_state(after)["inverse_hessian"] @ y, s, rtol=1e-9, atol=1e-12)


def test_cg_carries_its_next_direction_and_the_beta_that_made_it():
    optimizer, states = run("cg", steps=2, expr="x^2 + 10*y^2 + x*y", start=(1.0, 0.3))
    first = optimizer.method_state(states[0])
    np.testing.assert_allclose(first["direction"], -states[0].gradient)
    assert first["beta"] is None
    after = optimizer.method_state(states[1])
    g0, g1 = states[0].gradient, states[1].gradient
    assert after["beta"] == pytest.approx(max(0.0, g1 @ (g1 - g0) / (g0 @ g0)), rel=1e-12)
    np.testing.assert_allclose(after["direction"], -g1 + after["beta"] * first["direction"], rtol=1e-12)


def test_methods_that_carry_nothing_say_so():
    for method in ("gd", "newton"):
        optimizer, states = run(method, steps=1, **({"lr": 0.05} if method == "gd" else {}))
        assert optimizer.method_state(states[-1]) == {}
