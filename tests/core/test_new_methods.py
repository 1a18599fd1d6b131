"""AdaGrad, L-BFGS and the trust-region Newton method against their textbook recurrences, and CG's defining
property: on a quadratic it ends in n steps whatever the condition number."""
import numpy as np
import pytest
from autograd import hessian

from explorer.core.expression import parse
from explorer.core.methods import METHODS, make_optimizer
from explorer.core.objective import Objective
from explorer.core.optimizer_base import State
from explorer.core.quasi_newton import LBFGS
from explorer.core.trajectory import Run


def run(method, expr, start, steps=200, **settings):
    optimizer = make_optimizer(method, Objective(expr), **settings)
    r = Run(optimizer, start, max_steps=steps)
    r.run_to_end()
    return optimizer, r


def test_the_three_new_methods_are_in_the_table():
    assert {"adagrad", "l-bfgs", "trust-region"} <= set(METHODS)


def test_adagrads_sum_of_squares_and_step_follow_the_recurrence_by_hand():
    # f = x² + 10y² from (1, 1), lr 0.5: g₀ = (2, 20), G₁ = (4, 400), x₁ = 1 − 0.5·2/2 = 0.5, y₁ = 1 − 0.5·20/20 = 0.5
    optimizer, r = run("adagrad", "x^2 + 10*y^2", (1.0, 1.0), steps=3, lr=0.5, eps=1e-8)
    np.testing.assert_allclose(optimizer.method_state(r.states[1])["sum_sq"], [4.0, 400.0])
    np.testing.assert_allclose(r.states[1].point, [0.5, 0.5], rtol=1e-8)
    total = np.zeros(2)
    for before, after in zip(r.states, r.states[1:]):
        total = total + before.gradient ** 2
        np.testing.assert_allclose(optimizer.method_state(after)["sum_sq"], total, rtol=1e-12)
        np.testing.assert_allclose(after.point, before.point - 0.5 * before.gradient / (np.sqrt(total) + 1e-8),
                                   rtol=1e-12)


def test_lbfgs_meets_the_secant_condition_for_its_newest_pair_and_keeps_at_most_m():
    optimizer, r = run("l-bfgs", "(1 - x)^2 + 100*(y - x^2)^2", (-1.2, 1.0), memory=3)
    assert r.end_point == "minimum"
    for before, after in zip(r.states[:-1], r.states[1:-1]):
        state = optimizer.method_state(after)
        assert state["memory"] <= 3
        s, y = after.point - before.point, after.gradient - before.gradient
        if s @ y > 0:
            np.testing.assert_allclose(state["inverse_hessian"] @ y, s, rtol=1e-7, atol=1e-12)
            assert np.all(np.linalg.eigvalsh(state["inverse_hessian"]) > 0)


def test_lbfgs_forms_its_matrix_for_drawing_only_up_to_64_parameters():
    small, large = (State(np.zeros(n), 0.0, np.ones(n), 0, {"pairs": ()}) for n in (64, 65))
    optimizer = LBFGS(None)
    np.testing.assert_array_equal(optimizer.method_state(small)["inverse_hessian"], np.eye(64))
    assert optimizer.method_state(large) == {"memory": 0}


def test_lbfgs_with_memory_one_still_reaches_himmelblaus_minimum():
    _, r = run("l-bfgs", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (0.0, 0.0), memory=1)
    assert r.end_point == "minimum"
    np.testing.assert_allclose(r.states[-1].point, [3.0, 2.0], atol=1e-6)


SADDLE = "x^2 - y^2 + y^4/4"   # a saddle at 0, minima at (0, ±√2)


def test_the_trust_region_escapes_the_saddle_that_newton_walks_onto():
    _, newton = run("newton", SADDLE, (1.0, 1e-3))
    _, trust = run("trust-region", SADDLE, (1.0, 1e-3))
    assert newton.end_point == "saddle point"
    assert trust.end_point == "minimum"
    np.testing.assert_allclose(trust.states[-1].point, [0.0, np.sqrt(2.0)], atol=1e-6)


def test_each_trust_region_step_stays_in_its_radius_and_its_ratio_follows_algorithm_4_1():
    f = lambda v: (1 - v[0]) ** 2 + 100 * (v[1] - v[0] ** 2) ** 2
    optimizer, r = run("trust-region", "(1 - x)^2 + 100*(y - x^2)^2", (-1.2, 1.0), radius=0.5, max_radius=4)
    assert r.end_point == "minimum"
    radius = 0.5
    for before, after in zip(r.states, r.states[1:]):
        state = optimizer.method_state(after)
        p, g, h = after.point - before.point, before.gradient, hessian(f)(before.point)
        radius *= 0.25 ** state["rejected"]   # each rejected trial quartered it
        assert state["step_radius"] == pytest.approx(radius)
        assert np.linalg.norm(p) <= radius * (1 + 1e-9)
        model = -(g @ p + 0.5 * p @ h @ p)
        actual = before.value - after.value
        assert state["model_decrease"] == pytest.approx(model, rel=1e-8, abs=1e-14)
        assert state["actual_decrease"] == pytest.approx(actual, rel=1e-8, abs=1e-14)
        rho = actual / model
        assert rho > 0.1
        expected = (0.25 * radius if rho < 0.25 else
                    min(2 * radius, 4.0) if rho > 0.75 and np.linalg.norm(p) >= 0.999 * radius else radius)
        assert state["radius"] == pytest.approx(expected)
        radius = state["radius"]
    radii = [optimizer.method_state(s)["radius"] for s in r.states]
    assert any(b > a for a, b in zip(radii, radii[1:])) and any(b < a for a, b in zip(radii, radii[1:]))
    assert any(optimizer.method_state(s)["rejected"] > 0 for s in r.states[1:])   # every rule was exercised


def _quadratic(h, names=("x", "y")):
    """½ vᵀHv as text over `names`."""
    n = len(names)
    terms = [f"{float(h[i, j]) * (0.5 if i == j else 1.0)!r}*{names[i]}*{names[j]}"
             for i in range(n) for j in range(i, n)]
    return " + ".join(terms)


def _random_spd(rng, n, kappa):
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    return q @ np.diag(np.geomspace(1.0, kappa, n)) @ q.T


def _cg_on(h, start, names=("x", "y")):
    objective = Objective(parse(_quadratic(h, names), names))
    optimizer = make_optimizer("cg", objective)
    r = Run(optimizer, start, max_steps=50, tolerance=1e-6)
    r.run_to_end()
    return optimizer, r


def test_cg_ends_in_two_steps_on_24_random_2d_quadratics_whatever_kappa():
    rng = np.random.default_rng(27)
    kappas = [100.0] + list(10 ** rng.uniform(0, 3, 23))
    for kappa in kappas:
        h = _random_spd(rng, 2, kappa)
        optimizer, r = _cg_on(h, rng.uniform(-2, 2, 2))
        assert r.end_point == "minimum" and len(r.states) - 1 <= 2, (kappa, len(r.states))
        assert np.linalg.norm(r.states[-1].gradient) <= 1e-6
        if len(r.states) == 3:   # the two directions are H-conjugate: d₀ᵀHd₁ ≈ 0 relative to their lengths
            d0 = optimizer.method_state(r.states[0])["direction"]
            d1 = optimizer.method_state(r.states[1])["direction"]
            assert abs(d0 @ h @ d1) <= 1e-8 * np.sqrt((d0 @ h @ d0) * (d1 @ h @ d1))


@pytest.mark.parametrize("n", [3, 5])
def test_cg_ends_in_n_steps_on_quadratics_in_more_dimensions(n):
    rng = np.random.default_rng(n)
    names = tuple("abcdg"[:n])   # not e: that is Euler's number
    for kappa in (10.0, 1e3):
        h = _random_spd(rng, n, kappa)
        optimizer, r = _cg_on(h, rng.uniform(-2, 2, n), names)
        assert r.end_point == "minimum" and len(r.states) - 1 <= n, (kappa, len(r.states))
        directions = [optimizer.method_state(s)["direction"] for s in r.states[:-1]]
        for i in range(len(directions)):
            for j in range(i):
                di, dj = directions[i], directions[j]
                assert abs(di @ h @ dj) <= 1e-7 * np.sqrt((di @ h @ di) * (dj @ h @ dj))


def test_cgs_exact_step_is_counted_as_a_gradients_work():
    # on a quadratic each step is one Hessian-vector product (counted as one ∇f) and one trial (f and ∇f)
    _, r = _cg_on(np.diag([1.0, 100.0]), (1.0, 1.0))
    assert len(r.states) == 3
    np.testing.assert_array_equal(r.evaluation_counts()[-1], [1 + 2, 1 + 2 * 2, 0])


@pytest.mark.parametrize("method, settings, message", [
    ("l-bfgs", {"memory": 0}, "l-bfgs: memory must be a whole number >= 1, not 0"),
    ("l-bfgs", {"memory": 2.5}, "l-bfgs: memory must be a whole number >= 1, not 2.5"),
    ("trust-region", {"radius": -1}, "trust-region: radius must be positive, not -1"),
    ("trust-region", {"radius": 5, "max_radius": 2}, "trust-region: max_radius must be at least radius (5), not 2"),
    ("adagrad", {"eps": 0}, "adagrad: eps must be positive, not 0"),
])
def test_bad_settings_are_refused_in_one_line(method, settings, message):
    with pytest.raises(ValueError) as err:
        make_optimizer(method, Objective("x^2 + y^2"), **settings)
    assert str(err.value) == message


def test_where_rounding_hides_every_decrease_the_trust_region_collapses_and_says_so():
    # 1e8 + x⁴ + y²: near x = 0 the decrease x⁴ the model predicts is below the rounding of 1e8 (about 1e-8), so
    # every trial's actual decrease is 0: ρ = 0 and the radius is quartered until MAX_REJECTIONS trials
    from explorer.core.basins import basins
    from explorer.core.trust_region import MAX_REJECTIONS
    _, r = run("trust-region", "1e8 + x^4 + y^2", (1.0, 1.0), steps=200)
    assert r.status == "trust region collapsed" and f"({MAX_REJECTIONS} trials)" in r.reason
    assert r.summary == "trust region collapsed — no radius gave the decrease the model predicted"
    x = abs(r.states[-1].point[0])
    assert x ** 4 < 1e-8 and np.linalg.norm(r.states[-1].gradient) > 1e-6   # below rounding, not yet converged
    m = basins("1e8 + x^4 + y^2", "trust-region", [1.0], [1.0], max_steps=200)
    assert m.unfinished() == {"trust region collapsed": 1} and m.steps[0, 0] == len(r.states) - 1


def test_cg_ends_in_two_steps_on_a_least_squares_fit_too():
    # the mean of (w·X + b − Y)² is a quadratic in (w, b): its exact step along d comes from the fit's own φ(α)
    from explorer.core.datasets import generate
    from explorer.core.fit import FitProblem
    problem = FitProblem(generate("line", 0), "(w*X + b - Y)^2", "w, b")
    r = Run(make_optimizer("cg", problem.objective()), (0.0, 0.0), max_steps=20)
    r.run_to_end()
    assert r.end_point == "minimum" and len(r.states) - 1 <= 2
    X, Y = problem.dataset.column("X"), problem.dataset.column("Y")
    np.testing.assert_allclose(r.states[-1].point, np.polyfit(X, Y, 1), rtol=1e-8)
