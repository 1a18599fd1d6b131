"""The quadratic's stability map beside the inspector: shown for gd and momentum on a quadratic only."""
import numpy as np
import pytest

from explorer.core.preset_library import find_preset
from explorer.core.scene import load_scene


@pytest.fixture
def bowl(window):
    window.scenes.show_scene(load_scene(find_preset("momentum-stability")))
    assert window.controller.wait_for_surface()
    return window


def test_gradient_descent_on_the_bowl_gets_lr_star_two_over_twenty_two(qtbot, bowl):
    c, panel = bowl.controller, bowl.stability
    c.select(1)
    assert c.selected_run().method == "gd"
    assert panel.isVisible()
    st = panel.analysis
    assert st.optimal["lr"] == pytest.approx(2 / (2 + 20), rel=1e-12)
    assert "lr* = 0.09091" in panel.title.text() and "f is quadratic" in panel.title.text()
    panel.use_optimal.click()
    assert c.configs[1].settings["lr"] == pytest.approx(2 / 22, rel=1e-12)
    assert panel.analysis.rate == pytest.approx(9 / 11, rel=1e-12)   # |1 − 2/22·2| = |1 − 2/22·20| = 9/11
    assert not panel.use_optimal.isEnabled()                         # nothing faster left to use
    c.undo()
    assert c.configs[1].settings["lr"] == 0.09


def test_dragging_the_learning_rate_line_sets_the_runs_learning_rate(qtbot, bowl):
    c, panel = bowl.controller, bowl.stability
    c.select(1)
    panel.lr_line.setValue(0.12)                   # beyond 2/20 = 0.1: the stiff direction diverges
    panel.lr_line.sigPositionChangeFinished.emit(panel.lr_line)
    assert c.configs[1].settings["lr"] == pytest.approx(0.12)
    assert not panel.analysis.converges and "diverges" in panel.title.text()


def test_momentum_shows_the_plane_with_the_known_optimal_pair(qtbot, bowl):
    c, panel = bowl.controller, bowl.stability
    c.select(0)
    assert c.selected_run().method == "momentum"
    best_x, best_y = panel.best.getData()
    kappa = 10.0
    assert best_y[0] == pytest.approx(((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2)
    assert best_x[0] == pytest.approx((2 / (np.sqrt(20) + np.sqrt(2))) ** 2)
    assert panel.point.isVisible() and not panel.lr_line.isVisible()
    assert (panel.point.pos().x(), panel.point.pos().y()) == pytest.approx((0.05, 0.8))
    panel.use_optimal.click()
    assert c.configs[0].settings["momentum"] == pytest.approx(best_y[0])
    assert panel.analysis.rate == pytest.approx((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1), rel=1e-6)


def test_not_shown_where_f_is_not_quadratic_or_the_method_has_no_map(qtbot, window):
    c = window.controller                 # the fixture's Rosenbrock
    c.select(0)
    assert not window.stability.isVisible()
    assert c.set_expression("x^2 + 3*y^2")
    assert window.stability.isVisible()   # gd on a quadratic
    c.select(1)                           # newton: no stability map
    assert not window.stability.isVisible()


@pytest.mark.parametrize("expr, says", [
    ("(x - y)^2", ["eigenvalues 0, 4 (a zero eigenvalue: a line of minima)", "neither grows nor shrinks",
                   "converges to a point on the line of minima"]),
    ("x^2", ["eigenvalues 0, 2", "converges to a point on the line of minima"]),
    ("2*x + 3*y", ["(f is linear: no minimum)", "moves on down its slope at a steady pace for ever"]),
])
def test_a_zero_eigenvalue_is_never_called_divergence(qtbot, window, expr, says):
    c, panel = window.controller, window.stability
    assert c.set_expression(expr)
    c.select(0)                                    # gd, lr 0.001
    assert window.stability.isVisible()
    text = panel.title.text()
    assert all(s in text for s in says), text
    assert "diverges" not in text and "∞" not in text
    if "line of minima" in text:                   # the rate curve is the curved direction's: below 1 at the run's lr
        lr, rates = panel.rate_curve.getData()
        assert np.interp(0.001, lr, rates) == pytest.approx(panel.analysis.rate) and panel.analysis.rate < 1


def test_a_fits_panel_names_the_loss_L_not_f(qtbot, window):
    """Preset 29 fits a line to standardised features: its loss L is the quadratic the panel speaks of."""
    window.scenes.show_scene(load_scene(find_preset("29-standardised-features")))
    c, panel = window.controller, window.stability
    assert c.wait_for_surface() and c.kind.name == "fit"
    assert panel.analysis is not None and panel.analysis.form.positive_definite
    text = panel.title.text()
    assert "L is quadratic" in text and "f is" not in text
