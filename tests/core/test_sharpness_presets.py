"""The sharpness preset (44) does what its note says: each number of the note is computed here from the preset's
own run as the window plays it (the session), with λmax from a dense autograd Hessian at the steps the note
names (independent of Lanczos) and from the session's estimates at every step."""
import numpy as np
import pytest
from autograd import hessian

from explorer.core.preset_library import load_presets
from explorer.session import Session

PRESETS = {path.stem: scene for path, scene in load_presets()}


def played(name):
    scene = PRESETS[name]
    s = Session.from_scene(scene)
    s.jump(scene.max_steps, budget=None)
    s.sharpness_work()()
    return s


def dense_lambda_max(s, t):
    problem = s.model_problem
    theta = s.runs[0].states[t].point
    return np.linalg.eigvalsh(hessian(lambda p: problem.network.loss(p, problem.X_train, problem.y_train))(theta))[-1]


def edge_of_stability():
    """'Full-batch gradient descent at lr 0.14: λmax climbs from 12.6 to 2/lr = 14.3 by step 79, then hovers within
    15% of it to step 500. The loss still falls, from 0.75 to 0.020, though it rises at 55 steps: …'"""
    name = "44-edge-of-stability"
    scene = PRESETS[name]
    assert scene.fit.view == "sharpness" and scene.max_steps == 500
    (spec,) = scene.runs
    assert spec.method == "gd" and spec.settings == {"lr": 0.14} and spec.batch is None   # full batch
    s = played(name)
    r = s.sharpness_reading()
    assert r.steps.tolist() == list(range(501)) and r.missing == 0
    bound = 2 / 0.14
    assert f"{bound:.1f}" == "14.3" and np.allclose(r.bounds, bound)
    assert f"{dense_lambda_max(s, 0):.1f}" == "12.6" and r.values[0] == pytest.approx(dense_lambda_max(s, 0), rel=1e-6)
    reach = int(np.argmax(r.values >= bound))
    assert reach == 79 and np.all(r.values[:79] < bound)
    assert dense_lambda_max(s, 78) < bound <= dense_lambda_max(s, 79)
    ratio = r.values[reach:] / bound
    assert np.all(np.abs(ratio - 1) <= 0.15)
    assert ratio.max() > 1.1 and ratio.min() < 0.92   # it does swing, above and below
    loss = r.losses
    assert f"{loss[0]:.2f}" == "0.75" and f"{loss[-1]:.3f}" == "0.020"
    rises = np.flatnonzero(np.diff(loss) > 0)
    assert len(rises) == 55 and rises.min() >= reach   # monotone until the edge, then not
    assert dense_lambda_max(s, 500) == pytest.approx(r.values[500], rel=1e-5)


SHARPNESS_PRESETS = {"44-edge-of-stability": edge_of_stability}


@pytest.mark.parametrize("name", list(SHARPNESS_PRESETS))
def test_the_sharpness_presets_note_holds(name):
    SHARPNESS_PRESETS[name]()
