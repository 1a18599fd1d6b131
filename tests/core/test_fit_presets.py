"""The data-fitting presets (25–29) do what their notes say, checked against references computed without
autograd: numpy.linalg.lstsq for least squares, scipy's minimiser for the penalised logistic loss."""
import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import expit

from explorer.core.data import standardise
from explorer.core.datasets import generate
from explorer.core.document import Parameter
from explorer.core.fit_predictions import model_curve
from explorer.core.preset_library import load_presets
from explorer.session import Session

PRESETS = {path.stem: scene for path, scene in load_presets()}


def session_of(scene, **parameters):
    """The scene as the window holds it, every run played to its end."""
    s = Session.from_scene(scene)
    for name, value in parameters.items():
        s.set_parameter(name, value)
    s.jump(scene.max_steps, budget=None)
    return s


def lstsq(dataset, features, intercept=True):
    columns = [dataset.column(f) for f in features] + ([np.ones(dataset.rows)] if intercept else [])
    return np.linalg.lstsq(np.column_stack(columns), dataset.column("Y"), rcond=None)[0]


def runs_by_method(s):
    return {r.method: r for r in s.runs}


def check_linear_regression(scene):
    s = session_of(scene)
    runs = runs_by_method(s)
    best = lstsq(generate("line", 0), ["X"])
    assert best == pytest.approx([2.0436, 1.0096], abs=5e-5)          # the numbers in the note
    gd, newton = runs["gd"], runs["newton"]
    assert gd.optimizer.settings()["lr"] == 0.05
    assert len(gd.records) == 151 and gd.end_point == "minimum"
    assert gd.current.point == pytest.approx(best, abs=1e-6)
    assert len(newton.records) == 1 and newton.end_point == "minimum"   # a quadratic: one Newton step
    assert newton.current.point == pytest.approx(best, abs=1e-9)


def check_multiple_regression(scene):
    s = session_of(scene)
    (gd,) = s.runs
    best = lstsq(generate("plane", 0), ["X1", "X2", "X3"])
    assert np.round(best, 3).tolist() == [1.484, -2.034, 0.506, 2.989]
    assert gd.optimizer.settings()["lr"] == 0.1 and len(gd.records) == 77 and gd.end_point == "minimum"
    assert gd.current.point == pytest.approx(best, abs=1e-6)
    # the map is the slice through (a, b); c and d are held at the run's current values
    assert s.setup.fit.axes == ("a", "b") and s.setup.fit.held is None
    np.testing.assert_array_equal(s.held_theta(), gd.current.point)
    s.jump(10)
    np.testing.assert_array_equal(s.held_theta(), gd.states[10].point)   # the slice moves with the run


def penalised_logistic(dataset, lam):
    """The minimiser of mean(log(1 + e^z) - y z) + lam w², z = w x + b, by scipy with a hand-written gradient."""
    x, y = dataset.column("X"), dataset.column("Y")

    def f(t):
        z = t[0] * x + t[1]
        return np.mean(np.logaddexp(0, z) - y * z) + lam * t[0] ** 2

    def g(t):
        r = expit(t[0] * x + t[1]) - y
        return np.array([np.mean(r * x) + 2 * lam * t[0], np.mean(r)])

    return minimize(f, [0.0, 0.0], jac=g, method="BFGS", options={"gtol": 1e-12}).x


def check_logistic_regression(scene):
    s = session_of(scene)
    (gd,) = s.runs
    assert scene.parameters == {"lam": Parameter(0.01, 0.0, 0.5)}
    best = penalised_logistic(generate("classes-1d", 0), 0.01)
    assert np.round(best, 3).tolist() == [1.589, 0.147]
    assert gd.optimizer.settings()["lr"] == 1.0 and len(gd.records) == 96 and gd.end_point == "minimum"
    assert gd.current.point == pytest.approx(best, abs=1e-5)
    crossing = model_curve(s.problem, gd.current.point, 2001).crossings(0.5)
    assert crossing == pytest.approx([-best[1] / best[0]], abs=1e-3)     # p = 0.5 where w X + b = 0
    assert round(float(crossing[0]), 2) == -0.09
    stronger = session_of(scene, lam=0.5)                                 # drag lam up: the best w shrinks
    (gd_strong,) = stronger.runs
    assert gd_strong.end_point == "minimum"
    assert gd_strong.current.point[0] == pytest.approx(penalised_logistic(generate("classes-1d", 0), 0.5)[0],
                                                       abs=1e-5)
    assert gd_strong.current.point[0] < 0.5 * best[0]


def check_badly_scaled(scene):
    s = session_of(scene)
    (gd,) = s.runs
    best = lstsq(generate("scales", 0), ["X1", "X2"], intercept=False)
    assert np.round(best, 3).tolist() == [0.030, 2.022]
    a = s.objective.analyze(gd.current.point)
    assert 5e3 < a.condition_number < 2e4                                # "about 10⁴"
    limit = 2 / a.eigenvalues[-1]                                        # gd is stable for lr < 2/λmax
    lr = gd.optimizer.settings()["lr"]
    assert lr == 5e-5 and 0.4 * limit < lr < 0.5 * limit                 # half its stability limit
    assert gd.status == "step limit" and len(gd.records) == 500
    assert abs(gd.current.point[1] - best[1]) > 1.5                      # far from the answer after 500 steps


def check_standardised(scene):
    assert scene.fit.data.standardise == ("X1", "X2")
    s = session_of(scene)
    (gd,) = s.runs
    data = s.problem.dataset
    for column in ("X1", "X2"):
        assert np.mean(data.column(column)) == pytest.approx(0, abs=1e-12)
        assert np.std(data.column(column)) == pytest.approx(1, abs=1e-12)
    best = lstsq(standardise(generate("scales", 0), ["X1", "X2"])[0], ["X1", "X2"], intercept=False)
    assert np.round(best, 3).tolist() == [2.878, 1.929]
    assert gd.optimizer.settings()["lr"] == 0.3 and len(gd.records) == 17 and gd.end_point == "minimum"
    assert gd.current.point == pytest.approx(best, abs=1e-6)
    a = s.objective.analyze(gd.current.point)
    assert a.condition_number < 1.2                                      # "about 1.1"
    # "instead of thousands": unstandardised, gd at its best learning rate shrinks the error by (κ-1)/(κ+1)
    # a step; reaching the same 10⁻⁶ takes that many steps
    raw = session_of(PRESETS["28-badly-scaled-features"]).objective.analyze(best)
    kappa = raw.condition_number
    assert np.log(1e-6) / np.log((kappa - 1) / (kappa + 1)) > 10_000


FIT_CLAIMS = {
    "25-linear-regression": check_linear_regression,
    "26-multiple-regression": check_multiple_regression,
    "27-logistic-regression": check_logistic_regression,
    "28-badly-scaled-features": check_badly_scaled,
    "29-standardised-features": check_standardised,
}


@pytest.mark.parametrize("name", sorted(FIT_CLAIMS))
def test_the_fit_preset_does_what_its_note_says(name):
    scene = PRESETS[name]
    assert scene.kind == "fit"
    FIT_CLAIMS[name](scene)
