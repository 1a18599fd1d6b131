"""The spectrum presets (40–41) do what their notes say: every number of a note is computed here from the preset's
own run (the session, as the window plays it), with numpy's eigvalsh of autograd's dense Hessian and of the
Gauss–Newton matrix built from autograd's Jacobian of the logits (tests.core.test_model_curvature)."""
import numpy as np
import pytest
from autograd import hessian

from explorer.core.preset_library import load_presets
from explorer.session import Session
from tests.core.test_model_curvature import explicit_gauss_newton

PRESETS = {path.stem: scene for path, scene in load_presets()}


def played(name):
    """The preset opened and played to its last step (End), as the window shows it."""
    scene = PRESETS[name]
    s = Session.from_scene(scene)
    s.jump(scene.max_steps, budget=None)
    return s


def matrices(s):
    problem, theta = s.problem, np.array(s.selected_run().current.point)
    h = hessian(lambda t: problem.network.loss(t, problem.X_train, problem.y_train))(theta)
    return problem, theta, h, explicit_gauss_newton(problem, theta)


def spectrum_at_a_minimum():
    s = played("40-spectrum-at-a-minimum")
    run = s.runs[0]
    assert s.setup.fit.view == "spectrum" and s.setup.runs[0].method == "bfgs"
    assert run.status == "converged" and run.position == len(run.states) - 1 == 110   # "after 110 steps"
    problem, theta, h, g = matrices(s)
    values = np.linalg.eigvalsh(h)
    assert problem.dimension == 17 and values.min() > 0                         # "all 17 ... positive"
    assert f"{values[0]:.3g}" == "0.00115" and f"{values[-1]:.3f}" == "0.800"   # "from 0.00115 to 0.800"
    assert round(values[-1] / values[0], -1) == 690                             # "about 690"
    assert f"{np.linalg.eigvalsh(g)[-1]:.3f}" == "0.746"                        # "G (λmax 0.746)"
    assert f"{np.linalg.norm(h - g, 2):.3f}" == "0.082"                         # "differs from H by 0.082"


def spectrum_at_a_saddle():
    s = played("41-spectrum-at-a-saddle")
    run, problem = s.runs[0], s.problem
    theta = np.array(run.current.point)
    assert s.setup.fit.view == "spectrum"
    assert not theta[problem.network._weights].any()                            # "every weight is 0"
    share = problem.y_train.mean()
    assert theta[-1] == pytest.approx(np.log(share / (1 - share)), abs=1e-15)   # "b2 is the log-odds"
    _, gradient = problem.objective().value_and_gradient(theta)
    assert np.abs(gradient).max() < 1e-15                                       # "the gradient is 0"
    assert len(run.states) == 1 and run.status == "converged"                  # "gd stops at once"
    problem, theta, h, g = matrices(s)
    values = np.linalg.eigvalsh(h)
    assert f"{values[0]:.3f}" == "-0.328" and np.sum(values < -1e-9) == 4       # "4 eigenvalues −0.328"
    assert values[:4] == pytest.approx([values[0]] * 4, rel=1e-12)
    assert problem.spec.widths == (4,)                                          # "one per hidden unit"
    assert values[-4:] == pytest.approx([-values[0]] * 4, rel=1e-12)            # "4 of +0.328"
    gn = np.linalg.eigvalsh(g)
    assert np.sum(gn > 1e-12) == 1 and f"{gn[-1]:.3f}" == "0.250"               # "only eigenvalue above 0 ... 0.250"
    p = 1 / (1 + np.exp(-theta[-1]))
    assert gn[-1] == pytest.approx(p * (1 - p), rel=1e-12)                      # "b2's, σ(1−σ)"


SPECTRUM_PRESETS = {"40-spectrum-at-a-minimum": spectrum_at_a_minimum, "41-spectrum-at-a-saddle": spectrum_at_a_saddle}


@pytest.mark.parametrize("name", sorted(SPECTRUM_PRESETS))
def test_the_spectrum_presets_notes(name):
    SPECTRUM_PRESETS[name]()


def test_each_spectrum_preset_is_short_and_opens_on_the_spectrum():
    for name in SPECTRUM_PRESETS:
        scene = PRESETS[name]
        assert scene.fit.view == "spectrum" and len(scene.note) <= 300 and scene.note.count(". ") <= 1, name
