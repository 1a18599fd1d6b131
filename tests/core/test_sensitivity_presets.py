"""The sensitivity preset (45) does what its note says, from the preset's own run as the window plays it (the
session), with the importance recomputed here from finite differences of the network's P in the raw features."""
import numpy as np

from explorer.core.preset_library import load_presets
from explorer.session import Session

PRESETS = {path.stem: scene for path, scene in load_presets()}


def played(name):
    scene = PRESETS[name]
    s = Session.from_scene(scene)
    s.jump(scene.max_steps, budget=None)
    s.advance(None)   # a scene opened at its last step computes its states in stages: all of them here
    return s


def importance_by_finite_differences(problem, theta, h=1e-5):
    """Mean over every row of |∂P/∂x_i|, by central differences of the network's own P(y = 1)."""
    X = np.column_stack([np.asarray(problem.dataset.column(c), float) for c in problem.features])
    out = []
    for i in range(X.shape[1]):
        step = np.zeros(X.shape[1])
        step[i] = h
        rise = problem.network.probabilities(theta, X + step) - problem.network.probabilities(theta, X - step)
        out.append(np.mean(np.abs(rise / (2 * h))))
    return np.array(out)


def check_noise_feature_importance():
    name = "45-noise-feature-importance"
    scene = PRESETS[name]
    assert scene.fit.view == "sensitivity" and scene.max_steps == 300 and scene.runs[0].method == "adam"
    assert "300 Adam steps" in scene.note and "an eighth" in scene.note
    s = played(name)
    problem, run = s.model_problem, s.selected_run()
    assert problem.features == ("X1", "X2", "X3") and problem.standardisation is None
    x3, y = np.asarray(problem.dataset.column("X3")), np.asarray(problem.dataset.column("Y"))
    assert abs(np.corrcoef(x3, y)[0, 1]) < 0.15   # noise: no relation to the classes
    assert run.current.iteration == 300
    start = importance_by_finite_differences(problem, run.states[0].point)
    assert start[2] > start[1]   # "at step 0 the network leans on it more than on X2"
    end = importance_by_finite_differences(problem, run.current.point)
    assert end[2] < end[0] / 8 and end[2] < end[1] / 8   # "under an eighth of X1's and of X2's"
    np.testing.assert_allclose(s.feature_importance()["importance"], end, rtol=1e-5)   # what the bars show


SENSITIVITY_PRESETS = {"45-noise-feature-importance": check_noise_feature_importance}


def test_noise_feature_importance():
    check_noise_feature_importance()
