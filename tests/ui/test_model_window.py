"""A model from the library in the window, tried as the issue's exercises would: a new model fit from the Fit
menu, the decision region and metrics following Step and Back, a wider network built in the fit form (the
inspector then shows norms and extreme eigenvalues), a bad width refused under its row, Undo, the sweep."""
import numpy as np
import pytest

from tests.ui.at_rest import settle
from tests.ui.model_fit_window import action, open_model_fit


@pytest.fixture
def model_window(qtbot, window):
    return open_model_fit(qtbot, window)


def test_a_new_model_fit_shows_the_builder_the_decision_region_and_the_metrics(qtbot, model_window):
    w, c = model_window, model_window.controller
    parts, form = w.parts["fit"], w.editor.fit_form
    assert parts.model_pane.isVisible() and not parts.pane.isVisible()
    assert form.builder.isVisible() and not form.loss.isVisible()
    problem = c.model.problem
    assert (form.builder.kind.currentText(), form.builder.widths.text()) == ("mlp", "4")
    assert form.builder.test_fraction.value() == pytest.approx(0.3)
    # the axes chooser offers the network's parameters
    assert [form.axes[0].itemText(i) for i in range(form.axes[0].count())] == list(problem.trained)
    decision = parts.model_pane.decision
    assert decision.shown is not None and decision.shown[3] == "binary"
    assert len(decision.test.points()) == len(problem.split.test)


def test_the_model_views_follow_step_and_back(qtbot, model_window):
    w, c = model_window, model_window.controller
    pane = w.parts["fit"].model_pane
    c.jump(20)
    settle(qtbot, w)
    at_20 = pane.decision.shown[2].copy()
    theta = c.selected_run().current.point
    xs, ys = pane.decision.shown[:2]
    assert at_20[60, 60] == pytest.approx(float(c.model.problem.network.probabilities(
        theta, np.array([[xs[60], ys[60]]]))[0]))
    c.back()
    settle(qtbot, w)
    assert not np.allclose(pane.decision.shown[2], at_20)
    assert pane.metrics.shown_lines[0].value() == 19
    metrics = c.session.step_metrics()
    text, _ = pane.metrics.cell(1, 1)
    assert text == str(metrics["test"]["confusion"][1][1])


def test_a_wider_network_from_the_builder_and_the_inspector_for_many_parameters(qtbot, model_window):
    w, c = model_window, model_window.controller
    b = w.editor.fit_form.builder
    b.widths.setText("16, 16")
    b.l2.setValue(0.001)
    assert b.apply()
    assert c.wait_for_surface() and c.wait_for_runs()
    settle(qtbot, w)
    problem = c.model.problem
    assert problem.dimension == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1 and problem.l2 == pytest.approx(0.001)
    assert "computed when the run stands still" in w.inspector.plain or "λmax of H" in w.inspector.plain
    qtbot.waitUntil(lambda: "λmax of H" in w.inspector.plain, timeout=10000)   # asked once the timeline stood still
    plain = w.inspector.plain
    assert "parameters  337" in plain and "‖W2‖" in plain and "λmax of H" in plain
    assert "H " not in plain.replace("of H", "")   # no 337×337 matrix
    c.undo()
    settle(qtbot, w)
    assert c.model.problem.dimension == 17 and b.widths.text() == "4"


def test_a_bad_width_is_refused_under_its_row_and_the_model_stays(qtbot, model_window):
    w, c = model_window, model_window.controller
    b = w.editor.fit_form.builder
    b.widths.setText("4, 0")
    assert not b.apply()
    assert b.errors["widths"].isVisible() and "0" in b.errors["widths"].text()
    assert c.model.problem.dimension == 17
    b.l2.setValue(0.5)
    b.widths.setText("4")
    b.features.setText("X1, Z")
    assert not b.apply()   # the session refuses a column the data does not have: under the features row
    assert b.errors["features"].isVisible() and "'Z'" in b.errors["features"].text()
    assert "border" in b.features.styleSheet() and b.error_text().count("⚠") == 1
    assert c.model.problem.l2 == 0.0 and not w.editor.fit_form.error.text()


def test_the_sweep_dialog_opens_for_a_model_fit_only(qtbot, window, model_window):
    action(model_window, "Sweep a setting…").trigger()
    dialog = model_window.parts["fit"].sweep_dialog
    assert dialog.isVisible() and dialog.metric_box.itemText(0) == "accuracy"
    dialog.close()


def test_an_export_of_a_model_fit_draws_the_region_and_metrics_in_its_row(qtbot, model_window):
    from explorer.ui.export.stage import ExportStage
    from explorer.ui.kinds.fit_parts import ModelPane
    c = model_window.controller
    c.jump(30)
    stage = ExportStage(c.session.scene(), "both", (1280, 720), start_at_current=True)
    qtbot.addWidget(stage)
    assert isinstance(stage.slice, ModelPane)
    assert stage.slice.height() == stage.slice.minimumHeight() < 720 // 2   # the views above keep their room
    assert stage.slice.decision.shown is not None and stage.slice.metrics.shown_lines[0].value() == 30


def test_the_keyboard_help_names_the_model_fit_and_the_sweep(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    window._help()
    assert "Ctrl+Shift+N: a new model fit" in shown[0] and "Ctrl+Shift+W: sweep" in shown[0]


def test_the_sweep_is_refused_with_a_line_for_a_typed_fit(qtbot, window):
    c = window.controller
    with qtbot.waitSignal(c.message) as said:
        action(window, "Sweep a setting…").trigger()
    assert "needs a model fit" in said.args[0] and getattr(window.parts["fit"], "sweep_dialog", None) is None


def test_playing_asks_for_the_summary_only_once_the_run_stands_still(qtbot, model_window, monkeypatch):
    w, c = model_window, model_window.controller
    from explorer.session import model_reading
    asked = []   # the run's position at every summary computed
    real = model_reading.summary_of
    monkeypatch.setattr(model_reading, "summary_of",
                        lambda problem, theta: asked.append(c.selected_run().position) or real(problem, theta))
    c.jump(10)
    qtbot.waitUntil(lambda: asked == [10], timeout=5000)   # a Step or a jump: once it has stood still
    c.play()
    qtbot.waitUntil(lambda: c.selected_run().position >= 16, timeout=20000)
    c.pause()
    assert asked == [10]   # none while playing
    stopped = c.selected_run().position
    qtbot.waitUntil(lambda: asked == [10, stopped], timeout=5000)
    assert "λmax of H" in w.inspector.plain


def test_a_mini_batched_network_metrics_by_epoch_and_the_maps_note_clear_of_the_arrows_key(qtbot, model_window):
    w, c = model_window, model_window.controller
    assert c.training.set_run_batch(0, 35)
    assert c.wait_for_surface() and c.wait_for_runs()
    c.jump(40)
    assert c.wait_for_surface()
    settle(qtbot, w)
    assert c.batch.shown_batch() is not None   # and nothing raised at any step (batch_control.grid)
    metrics = w.parts["fit"].model_pane.metrics
    assert metrics.shown_lines[0].value() == pytest.approx(40 * 35 / 140)   # 140 training rows: epoch 10
    note, key = w.parts["fit"].note, w.contour.batch
    qtbot.waitUntil(lambda: note.shown_text() != "" and key.key_text() != "", timeout=5000)
    qtbot.wait(50)
    assert not note.card.rect().intersects(key.card.rect())


def test_a_big_networks_summary_is_computed_off_the_windows_thread(qtbot, model_window):
    """Lanczos on a network past HESSIAN_LIMIT takes seconds: the inspector gets None at once, the summary is
    computed in a worker, and the window's thread is told when it is there."""
    import threading

    from explorer.session import model_reading
    w, c = model_window, model_window.controller
    w.editor.fit_form.builder.widths.setText("16, 16")
    assert w.editor.fit_form.builder.apply()
    assert c.wait_for_surface() and c.wait_for_runs()
    settle(qtbot, w)
    model_reading._summaries.clear()
    told = []
    assert c.model.summary_or_later(lambda: told.append(threading.current_thread())) is None
    qtbot.waitUntil(lambda: bool(told), timeout=20000)
    assert told == [threading.main_thread()]
    summary = c.session.cached_model_summary()
    assert summary["parameters"] == 337 and not summary["hessian_exact"]
    assert summary == c.session.model_summary()   # kept: asking again computes nothing


def test_the_tabs_beside_the_region_choose_the_view_as_one_undo_step_kept_in_the_scene(qtbot, model_window):
    from PySide6.QtCore import Qt
    from explorer.core.model_scene import MODEL_VIEW_NAMES
    w, c = model_window, model_window.controller
    pane = w.parts["fit"].model_pane
    tabs = pane.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Metrics", "Spectrum", "Sharpness", "Sensitivity", "Line"]
    assert list(pane.views) == list(MODEL_VIEW_NAMES) and pane.shown_view() is pane.metrics
    for i in range(tabs.count()):   # every tab in sight, none behind a scroll button
        assert tabs.tabRect(i).right() <= tabs.width()
    qtbot.mouseClick(tabs, Qt.LeftButton, pos=tabs.tabRect(1).center())
    settle(qtbot, w)
    assert c.setup.fit.view == "spectrum" and pane.shown_view() is pane.views["spectrum"]
    assert pane.shown_view().isVisible() and not pane.metrics.isVisible()
    assert c.session.scene().fit.view == "spectrum"
    c.undo()
    settle(qtbot, w)
    assert c.setup.fit.view == "metrics" and pane.shown_view() is pane.metrics and tabs.currentIndex() == 0


def test_the_pane_asks_for_the_room_of_the_view_on_show_only(qtbot, model_window):
    # a stack asks for its widest page: a wide hidden view kept a 1024-wide window from fitting the screen
    w, c = model_window, model_window.controller
    pane = w.parts["fit"].model_pane
    for name in pane.views:
        assert c.model.show_view(name) or c.setup.fit.view == name
        settle(qtbot, w)
        shown = pane.shown_view()
        assert pane.stack.minimumSizeHint().width() == shown.minimumSizeHint().width(), name
