"""The sensitivity view in the window: its matrix shows the session's Jacobian at the chosen row (finite
differences of the network's P agree), its bars the session's importance; a click on the decision region
chooses the nearest row; the arrow drawn there is ∇ₓP to the legend's stated scale; Step moves it all."""
import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from explorer.core.sensitivity import input_jacobian
from explorer.core.ticks import MINUS
from explorer.ui.views.plots.sensitivity_view import number, signed_colour
from tests.ui.at_rest import settle
from tests.ui.model_fit_window import open_model_fit


@pytest.fixture
def sensitivity_window(qtbot, window):
    return open_model_fit(qtbot, window, "sensitivity", step=60)


def probability(problem, theta, x):
    return float(problem.network.probabilities(theta, np.asarray(x, float)[None, :])[0])


def test_the_matrix_shows_the_sessions_jacobian_at_the_first_test_row(qtbot, sensitivity_window):
    w, c = sensitivity_window, sensitivity_window.controller
    view = w.parts["fit"].model_pane.views["sensitivity"]
    assert view.isVisible()
    problem, theta = c.model.problem, np.asarray(c.selected_run().current.point)
    row = int(np.min(problem.split.test))
    reading = c.session.input_jacobian_at()
    assert reading["row"] == row and view.shown["row"] == row
    x = np.array([problem.dataset.column(f)[row] for f in ("X1", "X2")])
    h = 1e-6
    for j in range(2):
        step = np.eye(2)[j] * h
        by_hand = (probability(problem, theta, x + step) - probability(problem, theta, x - step)) / (2 * h)
        text, fill = view.cell(0, j)
        assert text == f"{reading['jacobian'][0, j]:.3g}".replace("-", MINUS)
        assert float(text.replace(MINUS, "-")) == pytest.approx(by_hand, rel=2e-3)
        assert fill == signed_colour(by_hand, np.max(np.abs(reading["jacobian"]))).name()
    assert f"row {row} (test): X1 = {number(x[0])}, X2 = {number(x[1])}" in view.title.text()
    np.testing.assert_allclose(view.bar_heights(), c.session.feature_importance()["importance"])


def test_a_click_on_the_region_chooses_the_nearest_row_and_the_arrow_is_the_gradient(qtbot, sensitivity_window):
    w, c = sensitivity_window, sensitivity_window.controller
    pane = w.parts["fit"].model_pane
    decision, view = pane.decision, pane.views["sensitivity"]
    problem = c.model.problem
    xy = np.column_stack([problem.dataset.column("X1"), problem.dataset.column("X2")])
    target = 17
    assert decision.row_arrow.choose_at(xy[target, 0] + 0.01, xy[target, 1] - 0.01) == target
    settle(qtbot, w)
    assert c.session.sensitivity_row() == target and view.shown["row"] == target
    assert view.title.text().startswith(f"row {target} (")
    # the arrow starts at the row and is s·∇ₓP, s the scale the legend states
    theta = np.asarray(c.selected_run().current.point)
    gradient = c.session.input_jacobian_at()["jacobian"][0]
    s = decision.row_arrow.scale
    assert s > 0 and any(f"× {s:g} (row {target})" in key.text for key in decision.legend.keys)
    np.testing.assert_allclose(decision.row_arrow.tip(), xy[target] + s * gradient)
    ring = decision.row_arrow.ring.getData()
    assert (float(ring[0][0]), float(ring[1][0])) == pytest.approx(tuple(xy[target]))
    # the drawn arrow points where P rises: a short step along it raises the network's P
    unit = gradient / np.linalg.norm(gradient)
    assert probability(problem, theta, xy[target] + 1e-3 * unit) > probability(problem, theta, xy[target])
    # far from every row, a click chooses nothing
    xs, ys = decision.shown[:2]
    assert decision.row_arrow.choose_at(xs[0] - 100.0, ys[0] - 100.0) is None
    assert c.session.sensitivity_row() == target


def test_step_moves_the_matrix_to_the_new_state(qtbot, sensitivity_window):
    w, c = sensitivity_window, sensitivity_window.controller
    view = w.parts["fit"].model_pane.views["sensitivity"]
    at_60 = np.array(view.shown["jacobian"])
    c.back()
    settle(qtbot, w)
    run, problem = c.selected_run(), c.model.problem
    assert run.current.iteration == 59
    expected = input_jacobian(problem, run.current.point)[view.shown["row"]]
    np.testing.assert_allclose(view.shown["jacobian"], expected)
    assert not np.allclose(expected, at_60, rtol=1e-9, atol=0)
    assert view.cell(0, 0)[0] == number(expected[0, 0])


def test_a_mouse_click_on_a_data_point_chooses_its_row(qtbot, sensitivity_window):
    w, c = sensitivity_window, sensitivity_window.controller
    decision = w.parts["fit"].model_pane.decision
    problem = c.model.problem
    row = int(problem.split.train[5])
    x, y = (problem.dataset.column(f)[row] for f in ("X1", "X2"))
    box = decision.plot.getPlotItem().getViewBox()
    at = decision.plot.mapFromScene(box.mapViewToScene(QPointF(x, y)))
    QTest.mouseClick(decision.plot.viewport(), Qt.LeftButton, Qt.NoModifier, at)
    settle(qtbot, w)
    assert c.session.sensitivity_row() == row


def test_a_big_jacobian_is_computed_in_a_worker_and_then_shown(qtbot, sensitivity_window, monkeypatch):
    import threading

    from explorer.session import sensitivity_reading
    from explorer.ui.control import worker_slot
    w, c = sensitivity_window, sensitivity_window.controller
    view = w.parts["fit"].model_pane.views["sensitivity"]
    monkeypatch.setattr(sensitivity_reading, "INLINE_WORK", 0)   # every Jacobian is "big"
    workers, thread = [], threading.Thread

    def counted(*args, **kwargs):
        workers.append(kwargs.get("name"))
        return thread(*args, **kwargs)

    monkeypatch.setattr(worker_slot.threading, "Thread", counted)
    c.back()   # a state whose Jacobian has not been computed
    qtbot.waitUntil(lambda: c.session.sensitivity_work() is None, timeout=10000)
    settle(qtbot, w)
    assert "network sensitivity" in workers
    expected = input_jacobian(c.model.problem, c.selected_run().current.point)[view.shown["row"]]
    qtbot.waitUntil(lambda: np.allclose(view.shown["jacobian"], expected), timeout=10000)
    assert view.title.text().startswith(f"row {view.shown['row']} (")


def test_the_arrow_is_drawn_only_beside_the_sensitivity_view(qtbot, sensitivity_window):
    w, c = sensitivity_window, sensitivity_window.controller
    decision = w.parts["fit"].model_pane.decision
    assert decision.row_arrow.tip() is not None
    assert c.model.show_view("metrics")
    settle(qtbot, w)
    assert decision.row_arrow.tip() is None and decision.row_arrow.drawn is None
    assert not any(key.text.startswith("arrow: ") for key in decision.legend.keys)
    c.undo()   # back to the sensitivity view
    settle(qtbot, w)
    assert c.model.view == "sensitivity" and decision.row_arrow.tip() is not None


def test_choosing_a_row_is_nothing_to_autosave_or_undo(qtbot, sensitivity_window):
    c = sensitivity_window.controller
    undo = c.session.history.undo_name()
    with qtbot.assertNotEmitted(c.changed), qtbot.waitSignal(c.sensitivityRowChanged, timeout=1000):
        assert c.model.choose_row(5)
    assert c.session.history.undo_name() == undo and c.session.sensitivity_row() == 5
