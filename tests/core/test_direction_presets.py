"""The directions presets (42–43) do what their notes say: the run is played as the window plays it (the session),
the Hessian's largest eigenvalue at its end comes from a dense autograd Hessian and numpy's eigvalsh, and the
loss's rise at a or b = ±1 is evaluated here at θ* ± d, point by point (problem.value), not from the map."""
import numpy as np
import pytest
from autograd import hessian

from explorer.core.preset_library import load_presets
from explorer.session import Session

PRESETS = {path.stem: scene for path, scene in load_presets()}


def minimum(name):
    """(training loss, λmax, mean rise at a or b = ±1) at the end of the preset's run, on its own plane."""
    s = Session.from_scene(PRESETS[name])
    (run,) = s.runs
    plane, problem = s.direction_plane(), s.problem
    end = run.path[-1]
    assert len(run.states) == s.setup.max_steps + 1 == 2001
    np.testing.assert_array_equal(plane.centre, end)   # the plane goes through the run's end
    loss = problem.value(end)
    H = hessian(lambda t: problem.network.loss(t, problem.X_train, problem.y_train))(end)
    top = np.linalg.eigvalsh(H)[-1]
    rise = np.mean([problem.value(end + sign * d) for sign in (1, -1) for d in (plane.d1, plane.d2)]) - loss
    # the map's own numbers agree with the independent ones
    z = plane.values([-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0])
    assert np.mean([z[0, 1], z[2, 1], z[1, 0], z[1, 2]]) - z[1, 1] == pytest.approx(rise, rel=1e-10)
    return loss, top, rise, s


@pytest.mark.slow
def test_sharp_minimum_of_full_batch_gradient_descent():
    loss, top, rise, s = minimum("42-sharp-minimum-full-batch")
    (spec,) = s.setup.runs
    assert spec.batch is None and spec.settings == {"lr": 1.0}
    assert s.setup.fit.directions.kind == "random" and s.setup.fit.directions.centre == "end"
    assert (round(loss, 3), round(top, 2), round(rise, 2)) == (0.069, 1.38, 1.64)
    assert top < 2 / spec.settings["lr"]   # a minimum gradient descent at lr 1 can stay in


@pytest.mark.slow
def test_flat_minimum_of_small_batches():
    loss, top, rise, s = minimum("43-flat-minimum-small-batches")
    (spec,) = s.setup.runs
    assert spec.batch == 16 and spec.settings == {"lr": 1.0}
    sharp_loss, sharp_top, sharp_rise, sharp = minimum("42-sharp-minimum-full-batch")
    assert (round(loss, 3), round(top, 2), round(rise, 2)) == (0.074, 0.45, 1.29)
    assert round(sharp_top, 2) == 1.38 and round(sharp_rise, 2) == 1.64
    assert round(top / sharp_top * 3) == 1   # "a third of full batch's"
    # the same network, data, start and directions' seed: only the batches differ
    assert sharp.setup.fit == s.setup.fit and sharp.setup.runs[0].start == spec.start


DIRECTION_PRESETS = {"42-sharp-minimum-full-batch": test_sharp_minimum_of_full_batch_gradient_descent,
                     "43-flat-minimum-small-batches": test_flat_minimum_of_small_batches}
