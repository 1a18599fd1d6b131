"""Gauss–Newton and Levenberg–Marquardt on fits given as residuals: the Jacobian against its closed form and
finite differences, JᵀJ against the loss's Hessian, one Gauss–Newton step onto numpy's least squares, and
Levenberg–Marquardt onto scipy's answer for y = a·exp(b·x)."""
import numpy as np
import pytest
from scipy.optimize import least_squares

from explorer.core.data import Dataset
from explorer.core.datasets import generate
from explorer.core.fit import FitProblem
from explorer.core.least_squares import NO_DECREASE, SINGULAR_JTJ, dropped_term
from explorer.core.objective import Objective
from explorer.core.methods import LEAST_SQUARES, make_optimizer
from explorer.core.schedules import make_schedule
from explorer.core.trajectory import CONVERGED, MINIMUM, Run
from tests.helpers import gui_modules_loaded_by

GROWTH = generate("growth", 0)     # 40 rows, Y = 2 exp(0.5 X) + noise
LINE = generate("line", 0)
PLANE = generate("plane", 2)
EXPONENTIAL = "a*exp(b*X) - Y"


def growth():
    return FitProblem(GROWTH, EXPONENTIAL, "a, b", residual=True)


def line():
    return FitProblem(LINE, "w*X + b - Y", "w, b", residual=True)


def plane():
    return FitProblem(PLANE, "a*X1 + b*X2 + c*X3 + d - Y", "a, b, c, d", residual=True)


def design(d, features):
    return np.column_stack([d.column(f) for f in features] + [np.ones(d.rows)])


def run(problem, method, start, steps=100, tolerance=1e-8, **settings):
    r = Run(make_optimizer(method, problem.objective(), **settings), start, max_steps=steps, tolerance=tolerance)
    r.run_to_end()
    return r


def scipy_answer(start):
    X, Y = GROWTH.column("X"), GROWTH.column("Y")
    return least_squares(lambda t: t[0] * np.exp(t[1] * X) - Y, start,
                         jac=lambda t: np.column_stack([np.exp(t[1] * X), t[0] * X * np.exp(t[1] * X)]),
                         xtol=1e-15, ftol=1e-15, gtol=1e-15).x


# ---------------------------------------------------------------- residuals, Jacobian, JᵀJ

def test_residuals_and_loss_of_the_exponential_model_by_hand(rng):
    p, X, Y = growth(), GROWTH.column("X"), GROWTH.column("Y")
    for a, b in rng.uniform([-3, -1], [3, 1], size=(5, 2)):
        r = a * np.exp(b * X) - Y
        np.testing.assert_allclose(p.residuals([a, b]), r, rtol=1e-13, atol=1e-13)
        assert p.value([a, b]) == pytest.approx(np.mean(r ** 2), rel=1e-13)   # the loss is the mean of r²
    assert p.typed.text == EXPONENTIAL and p.is_residual


def test_the_jacobian_against_its_closed_form_and_finite_differences(rng):
    p, X = growth(), GROWTH.column("X")
    for a, b in rng.uniform([-3, -1], [3, 1], size=(5, 2)):
        r, J = p.residuals_and_jacobian([a, b])
        assert J.shape == (40, 2)
        np.testing.assert_allclose(r, p.residuals([a, b]), rtol=0, atol=0)
        # ∂r/∂a = exp(bX), ∂r/∂b = aX·exp(bX)
        np.testing.assert_allclose(J, np.column_stack([np.exp(b * X), a * X * np.exp(b * X)]), rtol=1e-13)
        h = 1e-6   # central differences, error ~h²
        fd = np.column_stack([(p.residuals([a + h, b]) - p.residuals([a - h, b])) / (2 * h),
                              (p.residuals([a, b + h]) - p.residuals([a, b - h])) / (2 * h)])
        np.testing.assert_allclose(J, fd, rtol=1e-6, atol=1e-6)


def test_the_gradient_is_two_over_n_j_transpose_r():
    p = growth()
    theta = np.array([1.5, 0.3])
    r, J = p.residuals_and_jacobian(theta)
    np.testing.assert_allclose(p.objective().gradient(theta), 2 / 40 * J.T @ r, rtol=1e-12)


def test_jacobian_of_a_linear_model_is_its_design_matrix(rng):
    p = plane()
    A = design(PLANE, ["X1", "X2", "X3"])
    theta = rng.normal(size=4)
    r, J = p.residuals_and_jacobian(theta)
    np.testing.assert_allclose(J, A, rtol=1e-15)
    np.testing.assert_allclose(r, A @ theta - PLANE.column("Y"), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("problem", [line, plane])
def test_gauss_newton_matrix_is_the_hessian_on_a_linear_model(problem, rng):
    p = problem()
    for theta in rng.normal(size=(3, p.dimension)):
        hessian = p.objective().derivatives(theta)[2]
        np.testing.assert_allclose(p.gauss_newton_matrix(theta), hessian, rtol=1e-12)


def test_on_the_exponential_model_the_hessian_adds_exactly_the_sum_of_r_times_its_curvature():
    # ∇²L − (2/n)JᵀJ = (2/n) Σ rᵢ ∇²rᵢ,  ∇²rᵢ = [[0, Xᵢe^{bXᵢ}], [Xᵢe^{bXᵢ}, aXᵢ²e^{bXᵢ}]]
    p, X = growth(), GROWTH.column("X")
    for a, b in [(1.0, 0.3), (3.0, 0.8), (0.5, 0.1), (2.0, 0.5), (-1.0, -0.4)]:
        r = p.residuals([a, b])
        e = np.exp(b * X)
        J = np.column_stack([e, a * X * e])
        dropped = 2 / 40 * np.array([[0, np.sum(r * X * e)], [np.sum(r * X * e), np.sum(r * a * X ** 2 * e)]])
        gn = p.gauss_newton_matrix([a, b])
        hessian = p.objective().derivatives([a, b])[2]
        np.testing.assert_allclose(gn, 2 / 40 * J.T @ J, rtol=1e-12)
        np.testing.assert_allclose(hessian - gn, dropped, rtol=1e-9, atol=1e-12 * np.abs(hessian).max())
    # far from the fit the residuals are large, and so is what Gauss–Newton drops
    far = p.objective().derivatives([1.0, 0.3])[2] - p.gauss_newton_matrix([1.0, 0.3])
    assert np.linalg.norm(far) > np.linalg.norm(p.gauss_newton_matrix([1.0, 0.3]))



def test_the_dropped_term_and_its_share_of_the_hessian_by_hand():
    dropped, relative = dropped_term([[4.0, 1.0], [1.0, 3.0]], [[2.0, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(dropped, [[2.0, 1.0], [1.0, 2.0]])
    assert relative == pytest.approx(np.sqrt(10 / 27), rel=1e-15)     # ‖(2, 1; 1, 2)‖ / ‖(4, 1; 1, 3)‖
    assert dropped_term(np.zeros((2, 2)), [[0.0, 3.0], [4.0, 0.0]])[1] == 5.0   # H = 0: ‖H − GN‖ itself


def test_the_dropped_term_is_the_sum_of_r_times_its_curvature_and_zero_on_a_linear_model():
    p, X, (a, b) = growth(), GROWTH.column("X"), (3.0, 0.8)
    r, e = p.residuals([a, b]), np.exp(b * X)
    by_hand = 2 / 40 * np.array([[0, np.sum(r * X * e)], [np.sum(r * X * e), np.sum(r * a * X ** 2 * e)]])
    hessian = p.objective().derivatives([a, b])[2]
    dropped, relative = dropped_term(hessian, p.gauss_newton_matrix([a, b]))
    np.testing.assert_allclose(dropped, by_hand, rtol=1e-9, atol=1e-12 * np.abs(hessian).max())
    assert relative == pytest.approx(np.linalg.norm(by_hand) / np.linalg.norm(hessian), rel=1e-9)
    flat, theta = line(), [0.3, -1.0]
    dropped, relative = dropped_term(flat.objective().derivatives(theta)[2], flat.gauss_newton_matrix(theta))
    assert np.abs(dropped).max() < 1e-12 and relative < 1e-12


# ---------------------------------------------------------------- Gauss–Newton

@pytest.mark.parametrize("problem, features", [(line, ["X"]), (plane, ["X1", "X2", "X3"])])
def test_gauss_newton_solves_linear_least_squares_in_one_step(problem, features, rng):
    p = problem()
    d = p.dataset
    best = np.linalg.lstsq(design(d, features), d.column("Y"), rcond=None)[0]
    for start in rng.uniform(-20, 20, size=(4, p.dimension)):
        r = run(p, "gauss-newton", start)
        np.testing.assert_allclose(r.path[1], best, rtol=1e-10, atol=1e-10)
        assert len(r.path) == 2 and r.status == CONVERGED and r.end_point == MINIMUM


def test_gauss_newton_needs_no_hessian():
    r = run(growth(), "gauss-newton", (1.0, 0.3))
    counts = r.evaluation_counts()
    assert counts[-1, 2] == 0
    np.testing.assert_array_equal(np.diff(counts[:, :2], axis=0), 1)   # one r and one J a step


def test_gauss_newton_reaches_scipy_s_answer_on_the_exponential_model():
    r = run(growth(), "gauss-newton", (1.0, 0.3), tolerance=1e-10)
    assert r.status == CONVERGED and r.end_point == MINIMUM
    np.testing.assert_allclose(r.path[-1], scipy_answer([1.0, 0.3]), rtol=1e-7)


def test_gauss_newton_stops_on_a_singular_j_transpose_j():
    # (w + b)·X − Y: both columns of J are X, so JᵀJ has rank 1
    p = FitProblem(LINE, "(w + b)*X - Y", "w, b", residual=True)
    r = run(p, "gauss-newton", (0.0, 0.0))
    assert r.status == SINGULAR_JTJ and len(r.path) == 1 and "singular" in r.reason and "\n" not in r.reason


# ---------------------------------------------------------------- Levenberg–Marquardt

@pytest.mark.parametrize("start", [(1.0, 0.1), (0.5, 1.0), (5.0, -0.5), (1.0, 0.0)])
def test_levenberg_marquardt_reaches_scipy_s_least_squares_answer(start):
    # |∇L| <= 1e-7 puts θ within |∇L|/λ_min ≈ 1e-7 / 1.7 of the minimum (the Hessian there: 1.7 … 1.4e3);
    # much below that the loss cannot fall further in floating point
    r = run(growth(), "levenberg-marquardt", start, steps=200, tolerance=1e-7)
    assert r.status == CONVERGED and r.end_point == MINIMUM
    np.testing.assert_allclose(r.path[-1], scipy_answer(list(start)), rtol=1e-6)
    assert r.path[-1] == pytest.approx([2, 0.5], abs=0.1)   # the data's own a = 2, b = 0.5, within the noise


def test_levenberg_marquardt_only_accepts_steps_that_decrease_the_loss():
    r = run(growth(), "levenberg-marquardt", (5.0, -0.5), steps=200)
    assert np.all(np.diff(r.values) < 0)
    mus = [s.memory["mu"] for s in r.states[1:]]
    assert all(m > 0 for m in mus) and all(s.memory["trials"] >= 1 for s in r.states[1:])
    assert r.evaluation_counts()[-1, 2] == 0


def nielsen(start, steps, tau=1e-3):
    """Levenberg–Marquardt with Nielsen's damping rule, written out here for y = a·exp(b·x): the points
    and the trials each step took."""
    X, Y = GROWTH.column("X"), GROWTH.column("Y")

    def residuals(t):
        return t[0] * np.exp(t[1] * X) - Y

    x, mu, out = np.array(start, dtype=float), None, []
    for _ in range(steps):
        r = residuals(x)
        J = np.column_stack([np.exp(x[1] * X), x[0] * X * np.exp(x[1] * X)])
        A, g = J.T @ J, J.T @ r
        mu = tau * np.max(np.diag(A)) if mu is None else mu    # μ₀ = τ·max diag(JᵀJ)
        nu, trials = 2.0, 0
        while True:
            trials += 1
            p = np.linalg.solve(A + mu * np.eye(2), -g)       # (JᵀJ + μI) p = −Jᵀr
            predicted = 0.5 * p @ (mu * p - g)
            actual = 0.5 * r @ r - 0.5 * residuals(x + p) @ residuals(x + p)
            if actual > 0:
                mu *= max(1 / 3, 1 - (2 * actual / predicted - 1) ** 3)
                x = x + p
                break
            mu, nu = mu * nu, 2 * nu
        out.append((x, trials))
    return out


@pytest.mark.parametrize("start", [(1.0, 0.3), (5.0, -0.5)])
def test_levenberg_marquardt_follows_nielsen_s_damping_rule(start):
    r = run(growth(), "levenberg-marquardt", start, steps=8, tolerance=0, damping=1e-3)
    expected = nielsen(start, 8)
    for t, (x, trials) in enumerate(expected, start=1):
        np.testing.assert_allclose(r.path[t], x, rtol=1e-10)
        assert r.states[t].memory["trials"] == trials
    assert any(trials > 1 for _, trials in expected)   # a rejected μ was part of it


def test_levenberg_marquardt_solves_linear_least_squares():
    p = plane()
    best = np.linalg.lstsq(design(PLANE, ["X1", "X2", "X3"]), PLANE.column("Y"), rcond=None)[0]
    r = run(p, "levenberg-marquardt", (0, 0, 0, 0))
    assert r.status == CONVERGED
    np.testing.assert_allclose(r.path[-1], best, rtol=1e-7, atol=1e-7)


def test_levenberg_marquardt_is_not_stopped_by_a_singular_j_transpose_j():
    # μI makes JᵀJ + μI invertible: it finds a point on the line of minima w + b = const
    p = FitProblem(LINE, "(w + b)*X - Y", "w, b", residual=True)
    r = run(p, "levenberg-marquardt", (0.0, 0.0))
    X, Y = LINE.column("X"), LINE.column("Y")
    assert r.status not in (SINGULAR_JTJ, NO_DECREASE)
    assert sum(r.path[-1]) == pytest.approx((X @ Y) / (X @ X), rel=1e-6)


# ---------------------------------------------------------------- refusals

def test_the_module_may_be_imported_before_the_table_of_methods():
    # a fresh interpreter whose first import is this module: both modules whole, the methods in the table
    assert gui_modules_loaded_by(
        "from explorer.core.least_squares import NO_DECREASE, GaussNewton\n"
        "from explorer.core.methods import ALL_METHODS, LEAST_SQUARES, make_optimizer\n"
        "assert ALL_METHODS['gauss-newton'] is GaussNewton and list(LEAST_SQUARES) == "
        "['gauss-newton', 'levenberg-marquardt']") == []


@pytest.mark.parametrize("method", sorted(LEAST_SQUARES))
def test_least_squares_methods_refuse_a_loss_or_a_surface(method):
    loss_fit = FitProblem(LINE, "(w*X + b - Y)^2", "w, b").objective()
    assert not hasattr(loss_fit, "residuals_and_jacobian")
    with pytest.raises(ValueError, match="needs a fit given as residuals"):
        make_optimizer(method, loss_fit)
    with pytest.raises(ValueError, match="needs a fit given as residuals"):
        make_optimizer(method, Objective("x^2 + y^2"))
    with pytest.raises(ValueError, match="mini-batches are for"):
        make_optimizer(method, line().objective(), batch=5)
    with pytest.raises(ValueError, match="no learning rate to schedule"):
        make_optimizer(method, line().objective(), schedule=make_schedule("cosine"))


def test_a_loss_fit_has_no_residuals():
    p = FitProblem(LINE, "(w*X + b - Y)^2", "w, b")
    with pytest.raises(ValueError, match="not as residuals"):
        p.residuals_and_jacobian([1.0, 2.0])
    with pytest.raises(ValueError, match="not as residuals"):
        p.gauss_newton_matrix([1.0, 2.0])


def test_a_residual_of_one_row_may_be_a_constant_in_some_parameter():
    # r = a − Y uses no column in a's term: J's column for a is all ones, broadcast to every row
    d = Dataset.from_columns("tiny", {"X": [0.0, 1.0, 2.0], "Y": [1.0, 2.0, 4.0]})
    p = FitProblem(d, "a + c*X - Y", "a, c", residual=True)
    r, J = p.residuals_and_jacobian([0.5, 1.0])
    np.testing.assert_array_equal(J, [[1, 0], [1, 1], [1, 2]])
    np.testing.assert_allclose(r, [-0.5, -0.5, -1.5])
    result = run(p, "gauss-newton", (0.0, 0.0))
    np.testing.assert_allclose(result.path[1], np.linalg.lstsq(J, [1, 2, 4], rcond=None)[0], rtol=1e-12)
