"""log1p, expm1, softplus and logsigmoid: values by hand, no overflow far out, derivatives by closed form,
and a typed logistic loss that stays finite where the textbook formula overflows."""
import math

import numpy as np
import pytest

from explorer.core.calculus import PointCalculus, SurfaceCalculus
from explorer.core.data import Dataset
from explorer.core.expression import parse
from explorer.core.fit import FitObjective, FitProblem
from explorer.core.trajectory import race
from tests.core.test_curvature_speedups import assert_same_map, both_recipes
from tests.helpers import fd_gradient, fd_hessian


def one(text: str) -> PointCalculus:
    return PointCalculus(parse(text, ("z",)))


def sigmoid(z: float) -> float:
    """1/(1 + e^−z), written so that neither branch overflows or cancels."""
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


@pytest.mark.parametrize("text, expected", [
    ("softplus(z)", math.log(2)),            # log(1 + e^0)
    ("logsigmoid(z)", -math.log(2)),         # log(1/2)
    ("log1p(z)", 0.0),
    ("expm1(z)", 0.0),
])
def test_values_at_zero(text, expected):
    assert one(text).value([0.0]) == pytest.approx(expected, rel=1e-15, abs=0)


def test_log1p_and_expm1_keep_tiny_arguments_exact():
    # log(1 + 1e-20) rounds to log(1) = 0; log1p keeps 1e-20
    assert one("log1p(z)").value([1e-20]) == 1e-20 and one("log(1 + z)").value([1e-20]) == 0
    assert one("expm1(z)").value([1e-20]) == 1e-20 and one("exp(z) - 1").value([1e-20]) == 0
    assert one("log1p(z)").value([math.e - 1]) == pytest.approx(1.0, rel=1e-15)
    assert one("expm1(z)").value([math.log(2)]) == pytest.approx(1.0, rel=1e-15)


@pytest.mark.parametrize("z, softplus, logsigmoid", [
    (1000.0, 1000.0, 0.0),
    (-1000.0, 0.0, -1000.0),
    (1e4, 1e4, 0.0),
    (-1e4, 0.0, -1e4),
])
def test_no_overflow_far_out(z, softplus, logsigmoid):
    # warnings are errors in this suite: an overflow inside would fail here
    assert one("softplus(z)").value([z]) == softplus
    assert one("logsigmoid(z)").value([z]) == logsigmoid
    assert one("log(1 + exp(z))").value([z]) in (softplus, math.inf)   # the textbook form: inf at 1000


@pytest.mark.parametrize("z", [-1000.0, -30.0, -2.0, -0.5, 0.0, 0.5, 2.0, 30.0, 1000.0])
def test_derivatives_are_the_sigmoid_and_its_slope(z):
    # d softplus = σ(z), d² softplus = σ(z)(1 − σ(z));
    # logsigmoid(z) = −softplus(−z): d = σ(−z), d² = −σ(z)σ(−z)
    s, slope = sigmoid(z), sigmoid(z) * sigmoid(-z)
    # the second derivative keeps the digits of 1 − σ: exact on one side, 1% at |z| = 30 on the other (README)
    side = 1e-12 if z <= 2 else 0.02
    _, g, h = one("softplus(z)").derivatives([z])
    assert g[0] == pytest.approx(s, rel=1e-12, abs=1e-300)
    assert h[0, 0] == pytest.approx(slope, rel=side, abs=1e-300)
    _, g, h = one("logsigmoid(z)").derivatives([-z])   # logsigmoid at −z: the mirror image
    assert g[0] == pytest.approx(s, rel=1e-12, abs=1e-300)
    assert h[0, 0] == pytest.approx(-slope, rel=side, abs=1e-300)
    assert one("softplus(z)").derivatives([0.0])[2][0, 0] == 0.25


@pytest.mark.parametrize("text", ["softplus(x*y) + logsigmoid(x - 2*y)", "log1p(x**2 + y**2) * expm1(0.3*x - y)"])
@pytest.mark.parametrize("point", [(0.7, -0.4), (-1.3, 0.9), (2.1, 1.5)])
def test_derivatives_agree_with_finite_differences(text, point):
    calc = PointCalculus(text)
    _, gradient, hessian = calc.derivatives(point)
    np.testing.assert_allclose(gradient, fd_gradient(calc.value, point), rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(hessian, fd_hessian(calc.gradient, point), rtol=1e-6, atol=1e-7)


def test_a_map_far_out_is_finite_everywhere():
    x = y = np.linspace(-1000, 1000, 21)
    m = SurfaceCalculus("softplus(x) + logsigmoid(y)").curvature_map(x, y)
    for key in ("z", "gx", "gy", "hxx", "hxy", "hyy"):
        assert np.isfinite(getattr(m, key)).all(), key
    # 0 <= softplus(z) − max(z, 0) <= log 2, and logsigmoid(z) − min(z, 0) = −softplus(−z) + max(−z, 0)
    gap = m.z - (np.maximum(x, 0)[:, None] + np.minimum(y, 0)[None, :])
    assert (np.abs(gap) <= math.log(2) + 1e-12).all()   # (+ the rounding of 1000 + log 2)
    assert gap[0, 0] == 0 and gap[-1, -1] == 0 and gap[10, 10] == 0   # (−1000, −1000), (1000, 1000), (0, 0)


def test_forward_and_reverse_grid_recipes_agree_on_them():
    text = "softplus(3*x*y) + logsigmoid(x - 2*y) + log1p(x^2) * expm1(0.5*y)"
    assert_same_map(*both_recipes(text))
    assert_same_map(*both_recipes(text, x=np.linspace(-400, 400, 9), y=np.linspace(-300, 330, 7)))


# one feature, two classes split at X = 0: the loss has no minimum (it falls towards 0 as w grows)
_X = np.r_[np.linspace(-3, -0.5, 20), np.linspace(0.5, 3, 20)]
SEPARABLE = Dataset("separable", ("X", "Y"), np.c_[_X, (_X > 0).astype(float)])
STABLE = "-Y*logsigmoid(w*X + b) - (1 - Y)*logsigmoid(-(w*X + b))"
SOFTPLUS = "softplus(-(w*X + b)) + (1 - Y)*(w*X + b)"   # the same loss, written another way
TEXTBOOK = "-Y*log(1/(1 + exp(-(w*X + b)))) - (1 - Y)*log(1 - 1/(1 + exp(-(w*X + b))))"


def test_the_logistic_loss_stays_finite_where_the_textbook_formula_does_not():
    # at w = 5000, |w·x| reaches 1.5e4; the mean loss is the mean of the misclassified rows' |w·x| (none here)
    for loss in (STABLE, SOFTPLUS):
        value, gradient, hessian = FitObjective(FitProblem(SEPARABLE, loss, "w,b")).derivatives([5000.0, 0.0])
        assert value == 0 and np.isfinite(gradient).all() and np.isfinite(hessian).all()
        value, gradient, _ = FitObjective(FitProblem(SEPARABLE, loss, "w,b")).derivatives([-5000.0, 0.0])
        # every row is wrong by |w·x|: the loss is 5000·mean|X|, its w-slope −mean|X|
        assert value == pytest.approx(5000 * np.abs(_X).mean(), rel=1e-12)
        assert gradient[0] == pytest.approx(-np.abs(_X).mean(), rel=1e-12)
    assert not np.isfinite(FitObjective(FitProblem(SEPARABLE, TEXTBOOK, "w,b")).value([-5000.0, 0.0]))


def test_bfgs_on_the_stable_loss_ends_honestly_where_the_textbook_one_failed_its_line_search():
    # the complaint: on separable data the textbook form ends "line search failed" once 1 − σ rounds to 0
    (textbook,) = race(FitObjective(FitProblem(SEPARABLE, TEXTBOOK, "w,b")), (0, 0), [("bfgs", {})],
                       max_steps=500, tolerance=1e-14)
    textbook.run_to_end()
    assert textbook.status == "line search failed"
    for loss in (STABLE, SOFTPLUS):
        (run,) = race(FitObjective(FitProblem(SEPARABLE, loss, "w,b")), (0, 0), [("bfgs", {})],
                      max_steps=500, tolerance=1e-14)
        run.run_to_end()
        assert run.status == "still falling"   # |∇L| tiny because L is flat, and said so
        assert all(np.isfinite(v) for v in run.values)
        assert run.values[-1] < 1e-13 and run.path[-1][0] > 40   # still falling, w still growing
