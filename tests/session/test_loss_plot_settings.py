"""The loss plot's settings are the session's: one undo step each, kept in the scene, and each run's distance
to its end point for the plot's distance axis."""
import numpy as np
import pytest

from explorer.core.loss_plot_scene import LossPlotSpec
from explorer.session import Session, SessionError
from tests.session.test_session import session_with


def test_a_change_is_a_display_change_of_one_undo_step_and_the_scene_keeps_it():
    s = session_with("x^2 + 10*y^2", ("gd", {"lr": 0.05}, (2.0, 1.0)))
    heard = []
    s.subscribe(heard.append)
    s.set_display(loss_plot=LossPlotSpec(log=True, y="distance"))
    assert "display" in heard[-1]
    assert s.scene().loss_plot == LossPlotSpec(log=True, y="distance")
    scene = s.scene()
    s.undo()
    assert s.setup.loss_plot == LossPlotSpec()
    other = Session()
    other.load_scene(scene)                       # a prepared scene opens with its plot as it was left
    assert other.setup.loss_plot == LossPlotSpec(log=True, y="distance")


def test_epochs_are_refused_for_a_function_and_nothing_changes():
    s = session_with("x^2 + y^2", ("gd", {}, (1.0, 1.0)))
    with pytest.raises(SessionError, match="^loss plot: 'axis' epochs needs a fit of data"):
        s.set_display(loss_plot=LossPlotSpec(axis="epochs"))
    assert s.setup.loss_plot == LossPlotSpec() and not s.history.done


def test_a_fit_keeps_epochs_and_a_function_shows_them_as_iterations():
    s = Session()
    s.start_fit()
    s.set_display(loss_plot=LossPlotSpec(axis="epochs"))
    assert s.scene().loss_plot.axis == "epochs"
    assert LossPlotSpec(axis="epochs").for_kind(fit=False).axis == "iterations"


def test_the_distance_to_the_end_point_is_measured_by_hand():
    # gd with lr 0.05 on x² + 10y²: x shrinks by 0.9 a step, y by 1 − 0.05·20 = 0 (it lands on y = 0 at once)
    s = session_with("x^2 + 10*y^2", ("gd", {"lr": 0.05}, (2.0, 1.0)))
    for _ in range(5):
        s.step_forward()
    run = s.runs[0]
    end = 2.0 * 0.9 ** 5
    expected = [np.hypot(2.0 - end, 1.0)] + [2.0 * 0.9 ** k - end for k in range(1, 6)]
    np.testing.assert_allclose(run.shown_distances(), expected, rtol=1e-12, atol=1e-15)
    s.step_back()
    assert len(run.shown_distances()) == 5 and run.shown_distances()[-1] == pytest.approx(2 * 0.9 ** 4 - end)
