"""The quadratic's stability map: predicted decay factors against the program's own optimizers."""
import numpy as np
import pytest

from explorer.core.objective import Objective
from explorer.core.methods import make_optimizer
from explorer.core.stability import (QuadraticForm, convergence_rate, decay_factors, error_decay,
                                     iteration_matrix, optimal_rate, optimal_settings, quadratic_form, rate_map,
                                     stability)
from explorer.core.trajectory import Run

BOWL = "x^2 + 10*y^2"      # H = diag(2, 20): the errors along x and y are the eigendirections


def path(method, steps, start=(1.0, 1.0), expr=BOWL, **settings):
    r = Run(make_optimizer(method, Objective(expr), **settings), start, max_steps=steps, tolerance=0)
    r.run_to_end()
    return r.path


def test_the_optimal_learning_rate_on_x2_plus_10y2_is_2_over_2_plus_20():
    form = quadratic_form(Objective(BOWL))
    assert form.is_quadratic and "f is quadratic" in form.reason
    np.testing.assert_allclose(form.eigenvalues, [2, 20], rtol=1e-14)
    assert optimal_settings("gd", form.eigenvalues) == {"lr": pytest.approx(2 / (2 + 20), rel=1e-15)}
    assert optimal_rate("gd", form.eigenvalues) == pytest.approx(9 / 11)
    # at η*, both directions shrink by |1 − 2·2/22| = |1 − 20·2/22| = 9/11 a step: the slowest is as fast as can be
    np.testing.assert_allclose(decay_factors("gd", [2, 20], lr=2 / 22), [9 / 11, 9 / 11], rtol=1e-14)


def test_gradient_descent_decays_by_exactly_the_predicted_factor_each_step():
    p = path("gd", 20, lr=0.04)
    np.testing.assert_allclose(p[1:] / p[:-1], np.tile(decay_factors("gd", [2, 20], lr=0.04), (20, 1)), rtol=1e-12)
    # with η = 0.09 the y error flips sign each step: |1 − 1.8| = 0.8; error_decay keeps the sign
    p = path("gd", 10, lr=0.09)
    np.testing.assert_allclose(p[:, 1], error_decay("gd", [2, 20], 10, lr=0.09)[:, 1], rtol=1e-12)
    assert np.all(np.diff(np.sign(p[:, 1])) != 0)


@pytest.mark.parametrize("method", ["momentum", "nesterov"])
def test_the_iteration_matrix_reproduces_the_programs_path_exactly(method):
    # from rest at (1, 1) on diag(2, 20): x and y are the errors along the two eigenvectors
    for lr, beta in ((0.01, 0.9), (0.05, 0.5), (0.08, 0.2)):
        p = path(method, 40, lr=lr, momentum=beta)
        np.testing.assert_allclose(p, error_decay(method, [2, 20], 40, lr=lr, momentum=beta), rtol=1e-9, atol=1e-13)


def test_momentum_decays_by_the_predicted_factor_real_roots():
    # lr 0.01, β 0.1: along λ = 2 the roots are (1.08 ± √0.7664)/2, along λ = 20 (0.9 ± √0.41)/2;
    # once the fast root has died out each step multiplies the error by the slow one
    rho = decay_factors("momentum", [2, 20], lr=0.01, momentum=0.1)
    np.testing.assert_allclose(rho, [(1.08 + np.sqrt(0.7664)) / 2, (0.9 + np.sqrt(0.41)) / 2], rtol=1e-14)
    p = path("momentum", 40, lr=0.01, momentum=0.1)
    np.testing.assert_allclose(p[40] / p[39], rho, rtol=1e-10)


def test_momentum_decays_by_the_predicted_factor_complex_roots():
    # lr 0.01, β 0.9: both directions oscillate with |μ| = √0.9; the state (e_k, e_{k−1}) shrinks by it
    rho = convergence_rate("momentum", [2, 20], lr=0.01, momentum=0.9)
    assert rho == pytest.approx(np.sqrt(0.9), rel=1e-14)
    p = path("momentum", 400, lr=0.01, momentum=0.9)
    pairs = np.linalg.norm(np.c_[p[1:], p[:-1]], axis=1)
    observed = (pairs[399] / pairs[99]) ** (1 / 300)
    assert observed == pytest.approx(rho, abs=2e-3)


def test_the_optimal_heavy_ball_is_the_fastest_point_of_the_rate_map():
    lam = [2.0, 20.0]
    best = optimal_settings("momentum", lam)
    kappa = 10.0
    assert best["momentum"] == pytest.approx(((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2)
    assert best["lr"] == pytest.approx((2 / (np.sqrt(20) + np.sqrt(2))) ** 2)
    assert convergence_rate("momentum", lam, **best) == pytest.approx(np.sqrt(best["momentum"]), rel=1e-7)
    assert optimal_rate("momentum", lam) == pytest.approx((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1))
    lrs, betas = np.linspace(0.001, 0.2, 400), np.linspace(0, 0.99, 400)
    rates = rate_map("momentum", lam, lrs, betas)
    assert rates.min() >= optimal_rate("momentum", lam) - 1e-9
    assert np.all(rates[:, 0] == pytest.approx(np.max(np.abs(1 - lrs[:, None] * lam), axis=1)))   # β = 0 is gd


def test_the_region_that_converges_is_eta_lambda_below_2_1_plus_beta():
    for beta in (0.0, 0.5, 0.9):
        edge = 2 * (1 + beta) / 20
        inside, outside = rate_map("momentum", [2, 20], [edge * 0.999, edge * 1.001], [beta])[:, 0]
        assert inside < 1 < outside
    assert iteration_matrix("momentum", 20, lr=0.01, momentum=0.9).tolist() == [[0.8, 0.9], [-0.2, 0.9]]


def test_functions_that_are_not_quadratic_are_named_with_the_evidence():
    form = quadratic_form(Objective("(1 - x)^2 + 100*(y - x^2)^2"))
    assert not form.is_quadratic and "not quadratic" in form.reason and " but at (" in form.reason
    assert isinstance(stability(Objective("x^4 + y^2"), "gd"), QuadraticForm)
    tilted = quadratic_form(Objective("x^2 + x*y + 3*y^2 - 2*x + 1"))
    assert tilted.is_quadratic and tilted.minimizer is not None
    np.testing.assert_allclose(tilted.minimizer, np.linalg.solve([[2, 1], [1, 6]], [2, 0]), rtol=1e-12)


def test_a_saddle_quadratic_converges_for_no_learning_rate():
    s = stability(Objective("x^2 - y^2"), "gd", {"lr": 0.1})
    assert not s.form.positive_definite and "no learning rate converges" in s.form.reason
    assert s.rate == pytest.approx(1.2) and not s.converges and s.optimal is None
    with pytest.raises(ValueError, match="not positive definite"):
        optimal_settings("gd", s.form.eigenvalues)


@pytest.mark.parametrize("expr, start, end", [("(x - y)^2", (2, 1), (1.5, 1.5)), ("x^2", (1, 1), (0, 1))])
def test_a_line_of_minima_is_not_divergence(expr, start, end):
    # H has eigenvalues 0 and 4 (or 0 and 2): gd's factor along the zero one is exactly 1, and ∇f has no
    # component there, so the run keeps that coordinate (x + y = 3, or y = 1) and lands on the line of minima
    s = stability(Objective(expr), "gd", {"lr": 0.1})
    assert s.form.flat.tolist() == [True, False] and s.form.has_minimum and not s.form.falls_for_ever
    assert "a line of minima" in s.form.reason and "no minimum" not in s.form.reason
    assert s.converges and s.rate == pytest.approx(1 - 0.1 * s.form.eigenvalues[1])
    assert s.factors[0] == pytest.approx(1, abs=1e-15)
    assert s.optimal == {"lr": pytest.approx(1 / s.form.eigenvalues[1])}   # 2/(λ + λ): the curved way in one step
    p = path("gd", 200, start=start, expr=expr, lr=0.1)
    np.testing.assert_allclose(p[-1], end, atol=1e-12)
    along = p @ s.form.eigenvectors[:, 0]
    np.testing.assert_allclose(along, along[0], rtol=1e-14)   # the error along the flat way neither grows nor shrinks


@pytest.mark.parametrize("expr, slope", [("2*x + 3*y", np.hypot(2, 3)), ("x^2 + y", 1.0)])
def test_a_slope_along_a_zero_eigenvalue_means_no_minimum_not_a_diverging_error(expr, slope):
    s = stability(Objective(expr), "gd", {"lr": 0.1})
    assert s.form.falls_for_ever and not s.form.has_minimum and not s.converges and s.optimal is None
    assert f"slope {slope:.4g}" in s.form.reason and "so f has no minimum" in s.form.reason
    assert s.rate < 1                                         # nothing curved grows: it moves on, η·slope a step
    p = path("gd", 5, start=(0.3, 0.4), expr=expr, lr=0.1)
    np.testing.assert_allclose(np.linalg.norm(np.diff(p @ s.form.eigenvectors[:, s.form.flat], axis=0), axis=1),
                               0.1 * slope, rtol=1e-12)


def test_a_constant_is_a_minimum_everywhere():
    s = stability(Objective("1 + 0*x"), "gd", {"lr": 0.1})
    assert s.form.flat.all() and s.form.has_minimum and s.converges and "every point is a minimum" in s.form.reason


def test_the_report_for_a_run_uses_its_settings_and_counts_steps():
    s = stability(Objective(BOWL), "gd", {"lr": 0.04})
    assert s.settings == {"lr": 0.04} and s.rate == pytest.approx(0.92) and s.converges
    assert s.optimal == {"lr": pytest.approx(1 / 11)} and s.best_rate == pytest.approx(9 / 11)
    assert s.steps_to(1e-6) == pytest.approx(np.log(1e-6) / np.log(0.92))
    with pytest.raises(ValueError, match="no stability map for 'adam'"):
        stability(Objective(BOWL), "adam")
