"""Fits: the mean loss and its derivatives against closed forms; optimizers against least squares and scipy."""
import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import expit

from explorer.core import fit
from explorer.core.calculus import CONVEX, DEGENERATE, SurfaceCalculus
from explorer.core.data import Dataset
from explorer.core.datasets import generate
from explorer.core.fit import FitError, FitObjective, FitProblem
from explorer.core.fit_map import slice_map
from explorer.core.fit_predictions import (decision_boundary, is_classification, model_curve, predicted_vs_actual,
                                    predictions)
from explorer.core.objective import Objective
from explorer.core.methods import make_optimizer
from explorer.core.trajectory import Run

MSE = "(w*X + b - Y)^2"
LOGISTIC = "log(1 + exp(w*X + b)) - Y*(w*X + b)"
SMALL = Dataset.from_columns("small", {"X": [0.0, 1.0, 2.0, 3.0], "Y": [1.0, 3.0, 2.0, 5.0]})


def design(d, features):
    return np.column_stack([d.column(f) for f in features] + [np.ones(d.rows)])


def lstsq(d, features):
    return np.linalg.lstsq(design(d, features), d.column("Y"), rcond=None)[0]


def run(problem, method, start, steps, **settings):
    r = Run(make_optimizer(method, problem.objective(), **settings), start, max_steps=steps, tolerance=1e-8)
    r.run_to_end()
    return r


# ---------------------------------------------------------------- closed forms

def test_mse_value_gradient_hessian_by_hand():
    # θ = (w, b) = (0.5, -1): residuals Aθ - y = (-2, -3.5, -2, -4.5); mean of squares = 40.5/4
    objective = FitProblem(SMALL, MSE, "w, b").objective()
    value, gradient, hessian = objective.derivatives([0.5, -1.0])
    A, y = design(SMALL, ["X"]), SMALL.column("Y")
    assert value == pytest.approx(40.5 / 4)
    np.testing.assert_allclose(gradient, 2 / 4 * A.T @ (A @ [0.5, -1] - y))   # (-21/2, -12/2)
    np.testing.assert_allclose(gradient, [-10.5, -6])
    np.testing.assert_allclose(hessian, 2 / 4 * A.T @ A)                     # [[7, 3], [3, 2]]
    np.testing.assert_allclose(hessian, [[7, 3], [3, 2]])
    a = objective.analyze([0.5, -1.0])
    np.testing.assert_allclose(a.eigenvalues, [4.5 - np.sqrt(15.25), 4.5 + np.sqrt(15.25)])
    assert a.curvature == CONVEX
    assert a.condition_number == pytest.approx((4.5 + np.sqrt(15.25)) / (4.5 - np.sqrt(15.25)))


def test_four_parameter_mse_against_its_closed_form(rng):
    d = generate("plane", seed=2, rows=30)
    problem = FitProblem(d, "(a*X1 + b*X2 + c*X3 + d - Y)^2", "a, b, c, d")
    theta = rng.normal(size=4)
    A, y = design(d, ["X1", "X2", "X3"]), d.column("Y")
    value, gradient, hessian = problem.objective().derivatives(theta)
    assert value == pytest.approx(np.mean((A @ theta - y) ** 2))
    np.testing.assert_allclose(gradient, 2 / d.rows * A.T @ (A @ theta - y), rtol=1e-12)
    np.testing.assert_allclose(hessian, 2 / d.rows * A.T @ A, rtol=1e-12)


def test_logistic_gradient_and_hessian_closed_forms(rng):
    d = generate("classes-1d", rows=40)
    problem = FitProblem(d, LOGISTIC, "w, b")
    theta = np.array([0.7, -0.3])
    A, y = design(d, ["X"]), d.column("Y")
    p = expit(A @ theta)
    value, gradient, hessian = problem.objective().derivatives(theta)
    assert value == pytest.approx(np.mean(np.logaddexp(0, A @ theta) - y * (A @ theta)))
    np.testing.assert_allclose(gradient, A.T @ (p - y) / d.rows, rtol=1e-12)
    np.testing.assert_allclose(hessian, A.T @ (A * (p * (1 - p))[:, None]) / d.rows, rtol=1e-12)


def test_values_at_many_points_match_value(rng, monkeypatch):
    problem = FitProblem(SMALL, MSE, "w, b")
    thetas = rng.normal(size=(3, 5, 2))
    many = problem.values(thetas)
    assert many.shape == (3, 5)
    assert many[2, 4] == pytest.approx(problem.value(thetas[2, 4]))
    monkeypatch.setattr(fit, "BLOCK_ELEMENTS", 8)   # blocks of two points: the same numbers
    np.testing.assert_array_equal(problem.values(thetas), many)
    np.testing.assert_array_equal(problem.objective().values(thetas.reshape(-1, 2)), many.ravel())
    np.testing.assert_allclose(problem.row_losses([0.5, -1]), [4, 12.25, 4, 20.25])


def test_a_slider_is_ridge_regression():
    # (w X + b - Y)² + lam w²: the minimiser solves (AᵀA/n + lam·diag(1, 0)) θ = Aᵀy/n
    d = generate("line", seed=5)
    A, y, n = design(d, ["X"]), d.column("Y"), d.rows
    problem = FitProblem(d, MSE + " + lam*w^2", "w, b", {"lam": 0.0})
    assert problem.sliders == ("lam",)
    for lam in (0.0, 0.5, 3.0):
        ridge = np.linalg.solve(A.T @ A / n + lam * np.diag([1.0, 0.0]), A.T @ y / n)
        newton = run(problem.with_params({"lam": lam}), "newton", [0, 0], 5)
        np.testing.assert_allclose(newton.path[-1], ridge, rtol=1e-10)
    assert abs(ridge[0]) < abs(lstsq(d, ["X"])[0])   # the penalty shrinks w


# ---------------------------------------------------------------- optimizers against references

def test_gd_and_newton_reach_least_squares_on_a_line():
    d = generate("line")
    problem = FitProblem(d, MSE, "w, b")
    reference = lstsq(d, ["X"])
    gd = run(problem, "gd", [0, 0], 3000, lr=0.05)
    newton = run(problem, "newton", [0, 0], 5)
    for r in (gd, newton):
        assert (r.status, r.end_point) == ("converged", "minimum")
        np.testing.assert_allclose(r.path[-1], reference, rtol=1e-7)
    assert len(newton.path) == 2   # a quadratic: one Newton step


def test_gd_and_newton_reach_least_squares_with_four_parameters():
    d = generate("plane")
    problem = FitProblem(d, "(a*X1 + b*X2 + c*X3 + d - Y)^2", "a, b, c, d")
    reference = lstsq(d, ["X1", "X2", "X3"])
    gd = run(problem, "gd", [0, 0, 0, 0], 2000, lr=0.2)
    newton = run(problem, "newton", [0, 0, 0, 0], 5)
    for r in (gd, newton):
        assert (r.status, r.end_point) == ("converged", "minimum"), r.reason
        np.testing.assert_allclose(r.path[-1], reference, rtol=1e-7)
    assert gd.records[0].eigenvalues.shape == (4,)


@pytest.mark.parametrize("name, loss, trained, features", [
    ("classes-1d", LOGISTIC, "w, b", ["X"]),
    ("classes-2d", "log(1 + exp(a*X1 + b*X2 + c)) - Y*(a*X1 + b*X2 + c)", "a, b, c", ["X1", "X2"]),
])
def test_logistic_regression_reaches_scipys_minimiser(name, loss, trained, features):
    d = generate(name)
    A, y = design(d, features), d.column("Y")

    def reference_loss(t):
        z = A @ t
        return np.mean(np.logaddexp(0, z) - y * z), A.T @ (expit(z) - y) / d.rows

    best = minimize(reference_loss, np.zeros(A.shape[1]), jac=True, method="BFGS", options={"gtol": 1e-12}).x
    problem = FitProblem(d, loss, trained)
    start = np.zeros(A.shape[1])
    for method, steps, settings in (("newton", 30, {}), ("bfgs", 200, {}), ("gd", 5000, {"lr": 2.0})):
        r = run(problem, method, start, steps, **settings)
        assert (r.status, r.end_point) == ("converged", "minimum"), (method, r.reason)
        np.testing.assert_allclose(r.path[-1], best, rtol=1e-6, atol=1e-8)


def test_run_names_a_saddle_point_in_three_dimensions():
    # (a X - Y)² - b² + c²: Newton lands on the stationary point, where the Hessian has a negative eigenvalue
    problem = FitProblem(SMALL, "(a*X - Y)^2 - b^2 + c^2", "a, b, c")
    r = run(problem, "newton", [1.0, 0.5, -0.5], 5)
    assert (r.status, r.end_point) == ("converged", "saddle point")
    np.testing.assert_allclose(r.path[-1], [np.dot(SMALL.column("X"), SMALL.column("Y")) / 14, 0, 0], atol=1e-12)


def test_fit_objective_counts_and_caches_like_objective():
    objective = FitProblem(SMALL, MSE, "w, b").objective()
    assert isinstance(objective, Objective) and isinstance(objective, FitObjective)
    assert objective.variables == ("w", "b")
    objective.derivatives([1, 1])
    objective.analyze([1, 1])
    objective.gradient([1, 1])      # from the cache
    objective.value([2, 2])
    assert objective.evaluations == {"value": 1, "gradient": 0, "hessian": 1}
    with pytest.raises(ValueError, match="expected a point with 2 coordinates \\(w, b\\), got 3"):
        objective.value([1, 2, 3])


def test_overflow_of_log_one_plus_exp_is_evaluated_as_typed():
    # documented: log(1 + exp(z)) is inf once z > ~709; the point is then undefined, never an exception
    problem = FitProblem(Dataset.from_columns("t", {"X": [1.0, 800.0], "Y": [0.0, 1.0]}), LOGISTIC, "w, b")
    assert problem.value([1, 0]) == np.inf
    assert problem.objective().analyze([1, 0]).classification == "undefined"


# ---------------------------------------------------------------- the 2-D slice

def test_slice_map_of_mse_against_closed_forms():
    d = generate("line", seed=7, rows=40)
    X, Y = d.column("X"), d.column("Y")
    w, b = np.linspace(-1, 4, 7), np.linspace(-2, 3, 5)
    m = slice_map(FitProblem(d, MSE, "w, b"), "w", "b", w, b, at=[0, 0])
    W, B = np.meshgrid(w, b, indexing="ij")
    r = W[..., None] * X + B[..., None] - Y
    np.testing.assert_allclose(m.z, np.mean(r ** 2, axis=-1), rtol=1e-12)
    np.testing.assert_allclose(m.gx, np.mean(2 * r * X, axis=-1), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(m.gy, np.mean(2 * r, axis=-1), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(m.hxx, 2 * np.mean(X ** 2), rtol=1e-12)
    np.testing.assert_allclose(m.hxy, 2 * np.mean(X), rtol=1e-12)
    np.testing.assert_allclose(m.hyy, 2.0)
    assert np.all(m.classes == CONVEX) and m.eigenvalues.shape == (7, 5, 2)
    assert set(m.arrays()) == set(SurfaceCalculus("x^2 + y^2").curvature_map([0, 1], [0, 1]).arrays())


def test_slice_holds_the_other_parameters_and_matches_the_point_hessian(rng):
    d = generate("plane", seed=1, rows=60)
    problem = FitProblem(d, "(a*X1 + b*X2 + c*X3 + d - Y)^2", "a, b, c, d")
    at = rng.normal(size=4)
    c, dd = np.array([-0.5, 0.3]), np.array([1.0, 2.0, 2.5])
    m = slice_map(problem, "c", 3, c, dd, at)
    objective = problem.objective()
    for i, j in ((0, 0), (1, 2)):
        theta = at.copy()
        theta[2], theta[3] = c[i], dd[j]
        value, g, h = objective.derivatives(theta)
        assert m.z[i, j] == pytest.approx(value, rel=1e-12)
        np.testing.assert_allclose([m.gx[i, j], m.gy[i, j]], g[2:], rtol=1e-10)
        np.testing.assert_allclose([[m.hxx[i, j], m.hxy[i, j]], [m.hxy[i, j], m.hyy[i, j]]], h[2:, 2:], rtol=1e-10)


def test_slice_map_blocks_do_not_change_the_numbers():
    d = generate("classes-1d", rows=300)
    problem = FitProblem(d, LOGISTIC, "w, b")
    from explorer.core.fit_map import SliceCalculus
    calc = SliceCalculus(problem, "w", "b", [0, 0])
    w, b = np.linspace(-2, 3, 9), np.linspace(-1, 1, 4)
    whole = calc.curvature_map(w, b, block_points=1000)
    blocks = calc.curvature_map(w, b, block_points=8)   # two grid rows per block
    for key, value in whole.arrays().items():
        np.testing.assert_allclose(getattr(blocks, key), value, rtol=1e-14)
    np.testing.assert_allclose(calc.values(w, b), whole.z, rtol=1e-14)


def test_slice_needs_two_trained_parameters():
    problem = FitProblem(SMALL, MSE, "w, b")
    with pytest.raises(FitError, match="two different trained parameters"):
        slice_map(problem, "w", 0, [0, 1], [0, 1], [0, 0])
    with pytest.raises(FitError, match="'X' is not a trained parameter \\(those are w, b\\)"):
        slice_map(problem, "X", "b", [0, 1], [0, 1], [0, 0])


# ---------------------------------------------------------------- refusals

@pytest.mark.parametrize("loss, trained, params, message", [
    ("(w*x + b - Y)^2", "w, b", {}, "'x' is neither a column of the data (X, Y), a trained parameter (w, b) nor given "
                                    "a value; did you mean the column 'X'? (names are case-sensitive)"),
    ("(W*X + b - Y)^2", "w, b", {}, "did you mean the trained parameter 'w'?"),
    ("(wX + b - Y)^2", "w, b", {}, "'wX' is neither a column of the data (X, Y), a trained parameter (w, b) nor "
                                   "given a value; did you mean w*X?"),
    (MSE + " + lam*w^2", "w, b", {}, "'lam' is neither a column of the data (X, Y), a trained parameter (w, b) "
                                      "nor given a value"),
    (MSE, "w, X", {}, "'X' is both a trained parameter and a column of the data"),
    (MSE, "w, b, c", {}, "the loss does not use the trained parameter 'c'"),
    (MSE, "w, w", {}, "the trained parameter 'w' is named twice"),
    (MSE, " , ", {}, "name at least one parameter to train"),
    (MSE, "w, 2b", {}, "trained parameter 2: '2b' is not a valid name"),
    (MSE, "w, exp", {}, "trained parameter 2: 'exp' is the name of a function"),
])
def test_refusals_say_what_and_where(loss, trained, params, message):
    with pytest.raises(FitError) as err:
        FitProblem(SMALL, loss, trained, params)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_a_name_without_a_value_is_named():
    with pytest.raises(FitError) as err:
        FitProblem(SMALL, MSE + " + lam*w^2", "w, b")
    assert (err.value.name, err.value.hint) == ("lam", None)


def test_warnings_for_a_loss_without_data_and_names_that_differ_in_case():
    assert FitProblem(SMALL, "(w - 1)^2 + b^2", "w, b").warnings == [
        "the loss uses no column of the data: every row gives the same value"]
    assert FitProblem(SMALL, MSE, "w, b").warnings == []
    assert FitProblem(SMALL, "(x*X - Y)^2", "x").warnings == [
        "the trained parameter 'x' and the column 'X' differ only in case"]


def test_model_and_target_are_checked():
    with pytest.raises(FitError, match="the model uses the target column 'Y'"):
        FitProblem(SMALL, MSE, "w, b", model="w*X + b + Y")
    with pytest.raises(FitError, match="the target 'Z' is not a column of small; its columns: X, Y"):
        FitProblem(SMALL, MSE, "w, b", model="w*X + b", target="Z")
    assert FitProblem(SMALL, MSE, "w, b", model="w*X + b").target == "Y"   # the default target


# ---------------------------------------------------------------- what the fit view draws

def test_line_predictions_and_curve():
    problem = FitProblem(SMALL, MSE, "w, b", model="w*X + b")
    assert problem.features == ("X",) and not is_classification(problem)
    np.testing.assert_allclose(predictions(problem, [2, 1]), [1, 3, 5, 7])
    actual, predicted = predicted_vs_actual(problem, [2, 1])
    np.testing.assert_array_equal(actual, [1, 3, 2, 5])
    curve = model_curve(problem, [2, 1], points=31)
    # X spans 0..3; the grid reaches 5% of that beyond each end
    assert curve.feature == "X" and curve.x[0] == pytest.approx(-0.15) and curve.x[-1] == pytest.approx(3.15)
    np.testing.assert_allclose(curve.prediction, 2 * curve.x + 1)
    np.testing.assert_allclose(curve.crossings(2.0), [0.5])


def test_logistic_probability_curve_and_boundaries():
    one = FitProblem(generate("classes-1d"), LOGISTIC, "w, b", model="1/(1 + exp(-(w*X + b)))")
    assert is_classification(one)
    curve = model_curve(one, [2.0, -1.0])
    np.testing.assert_allclose(curve.crossings(0.5), [0.5], atol=1e-6)   # w x + b = 0, up to interpolation
    two = FitProblem(generate("classes-2d"), "log(1 + exp(a*X1 + b*X2 + c)) - Y*(a*X1 + b*X2 + c)", "a, b, c",
                     model="1/(1 + exp(-(a*X1 + b*X2 + c)))")
    boundary = decision_boundary(two, [1.0, 2.0, 0.5], points=101)
    assert boundary.features == ("X1", "X2") and boundary.probability.shape == (101, 101)
    line = boundary.line[~np.isnan(boundary.line[:, 0])]
    assert len(line) > 10
    # on the line a x1 + b x2 + c = 0, up to linear interpolation of p between grid points
    np.testing.assert_allclose(line @ [1.0, 2.0] + 0.5, 0, atol=1e-4)
    with pytest.raises(FitError, match="the model uses 2 feature\\(s\\) \\(X1, X2\\); this picture needs 1"):
        model_curve(two, [1, 2, 0.5])


def test_several_features_give_predicted_vs_actual():
    d = generate("plane")
    problem = FitProblem(d, "(a*X1 + b*X2 + c*X3 + d - Y)^2", "a, b, c, d", model="a*X1 + b*X2 + c*X3 + d")
    theta = lstsq(d, ["X1", "X2", "X3"])
    actual, predicted = predicted_vs_actual(problem, theta)
    np.testing.assert_allclose(predicted, design(d, ["X1", "X2", "X3"]) @ theta)
    np.testing.assert_array_equal(actual, d.column("Y"))
    with pytest.raises(FitError, match="no model expression"):
        predictions(FitProblem(d, "(a*X1 - Y)^2", "a"), [1])


def test_a_saturated_logistic_loss_is_flat_on_the_map_not_specked_with_saddles():
    # far out every row's σ(wX + b) is 0 or 1 and autograd's σ − σ² cancels to rounding noise (±1e-17):
    # by each cell's own scale that noise made 1.5 % "saddle" and "concave" specks; the mean logistic loss is
    # convex (H = Aᵀ diag(p(1 − p)) A / n), so only convex and degenerate (flat at the map's scale) are true
    d = generate("classes-1d")
    w = b = np.linspace(-60, 60, 120)
    classes = {}
    for c in (1.0, 1e-12):   # f and c·f: the same classes
        problem = FitProblem(d, f"c*({LOGISTIC})", "w, b", params={"c": c})
        m = slice_map(problem, "w", "b", w, b, [0, 0])
        classes[c] = m.classes
        assert set(np.unique(m.classes).tolist()) == {DEGENERATE, CONVEX}
    assert np.array_equal(classes[1.0], classes[1e-12])
    # a cell where the closed form's curvature is a sizeable part of the map's stays convex
    A = design(d, ["X"])
    p = expit(A @ [0.5, 0.5])
    closed = np.linalg.eigvalsh(A.T @ (A * (p * (1 - p))[:, None]) / d.rows)
    assert closed[0] > 1e-3 and classes[1.0][np.argmin(abs(w - 0.5)), np.argmin(abs(b - 0.5))] == CONVEX


def test_a_fits_stop_reasons_name_L_not_f():
    problem = FitProblem(SMALL, MSE, "w, b")
    newton = run(problem, "newton", [0, 0], 10)
    assert newton.reason.startswith("|∇L| = ") and "∇f" not in newton.reason and newton.value_name == "L"
    gd = run(problem, "gd", [0, 0], 3, lr=0.01)
    assert gd.reason.startswith("stopped after 3 steps; |∇L| = ")
    flat = run(FitProblem(SMALL, "1e-12*w + 0*b*X", "w, b"), "gd", [0, 0], 5)   # L slopes, never curves
    assert flat.summary == "L is still falling: |∇L| is tiny because L is flat here — not a stationary point"
    undefined = run(FitProblem(SMALL, "log(w) + b^2*X", "w, b"), "gd", [-1, 0], 5)
    assert undefined.summary == "L is not defined at the start point" and undefined.reason.startswith("L = nan")
