"""Fitting data in the window, tried as a student doing the course's exercises would: switch to Data fit, pick
a dataset (the form suggests a model), run, watch the fit view follow the timeline; errors in the form."""
import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from explorer.core.datasets import generate
from explorer.core.preset_library import find_preset
from explorer.core.scene import load_scene
from tests.ui.at_rest import settle
from tests.ui.fit_steps import to_fit_mode


def choose_data(qtbot, window, name):
    form = window.editor.fit_form
    form.source.setCurrentText(name)
    form.source.activated.emit(form.source.currentIndex())
    assert window.controller.wait_for_surface()
    settle(qtbot, window)


def slope_and_intercept(view):
    x, y = view.model.getData()
    slope = (y[-1] - y[0]) / (x[-1] - x[0])
    return slope, y[0] - slope * x[0]


def pixel(widget, plot, x, y):
    """The colour of the rendered plot at data point (x, y)."""
    image = widget.grab().toImage()
    at = plot.getPlotItem().vb.mapViewToScene(QPointF(x, y))
    at = plot.mapTo(widget, plot.mapFromScene(at))
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(at.x() * ratio), round(at.y() * ratio)).getRgb()[:3]


def test_linear_regression_is_set_up_run_and_watched_from_the_window(qtbot, window):
    c = window.controller
    to_fit_mode(qtbot, window)
    form, view = window.editor.fit_form, window.parts["fit"].pane
    assert window.editor.title() == "Data fit: the mean of a loss over the rows"
    assert form.isVisible() and not window.editor.edit.isVisible()
    assert view.isVisible() and not window.slice.isVisible()
    assert form.table.model.rowCount() == 50 and form.table.model.columnCount() == 2
    assert [form.loss.text(), form.model.text(), form.trained.text()] == ["(w*X + b - Y)^2", "w*X + b", "w, b"]
    assert window.contour.getAxis("bottom").labelText == "w" and window.contour.getAxis("left").labelText == "b"
    assert window.surface.axes.axis_names == ("w", "b") and window.loss._label == "L"
    for _ in range(10):
        qtbot.keyClick(window, Qt.Key_Right)
    (gd,) = c.runs
    assert gd.position == 10 and "at step 10" in view.title.text()
    assert slope_and_intercept(view) == pytest.approx(tuple(gd.states[10].point), rel=1e-9)
    qtbot.keyClick(window, Qt.Key_Left)                         # Back: the fit of step 9
    assert slope_and_intercept(view) == pytest.approx(tuple(gd.states[9].point), rel=1e-9)
    qtbot.keyClick(window, Qt.Key_End)
    assert c.wait_for_runs()
    settle(qtbot, window)
    d = generate("line", 0)
    best = np.linalg.lstsq(np.column_stack([d.column("X"), np.ones(d.rows)]), d.column("Y"), rcond=None)[0]
    assert gd.end_point == "minimum" and slope_and_intercept(view) == pytest.approx(tuple(best), abs=1e-6)
    # the line is drawn where the model puts it, in the run's colour (black, its casing white)
    w, b = best
    assert max(pixel(view, view.plot, 0.0, b)) < 90
    assert min(pixel(view, view.plot, 0.0, b + 2.0)) > 150      # two units above it: the background


def test_multiple_regression_in_a_few_clicks_with_a_slice_that_moves_with_the_run(qtbot, window):
    c = window.controller
    to_fit_mode(qtbot, window)
    choose_data(qtbot, window, "plane")                         # the form suggests the model for its columns
    form = window.editor.fit_form
    assert c.text == "(a*X1 + b*X2 + c*X3 + d - Y)^2" and c.fit.spec.trained == ("a", "b", "c", "d")
    assert "Suggested linear regression" in window.statusBar().currentMessage()
    assert window.runs_panel.table.horizontalHeaderItem(1).text() == "start (a, b, c, d)"
    assert form.follow.isVisible() and form.follow.isChecked()
    for _ in range(6):
        qtbot.keyClick(window, Qt.Key_Right)
    (gd,) = c.runs
    assert c.wait_for_surface()
    settle(qtbot, window)
    held = gd.current.point
    note = window.parts["fit"].note.shown_text()
    assert note.startswith("Slice at c = ") and note.endswith("gd's step 6, moving with it")
    cmap = c.cmap
    for i, j in ((0, 0), (57, 120), (199, 13)):   # the map is L with c and d where the run is now
        theta = [cmap.x[i], cmap.y[j], held[2], held[3]]
        assert cmap.z[i, j] == pytest.approx(c.fit.problem.value(theta), rel=1e-12)
    assert window.parts["fit"].pane.kind == "predicted"
    window.inspector_action.setChecked(True)
    plain = window.inspector.plain
    assert plain.count("\n            [") >= 3 and "λ₄" in plain                       # the 4×4 Hessian
    assert f"cond        {c.fit.analysis().condition_number:.6g}" in plain
    assert window.inspector.boxes["gradient"].text() == "−∇L arrow"   # the map is L's, not an f's
    form.follow.setChecked(False)                               # held where they are now
    qtbot.keyClick(window, Qt.Key_Right)
    assert c.fit.spec.held == tuple(held) and c.session.held_theta().tolist() == list(held)
    assert "chosen values" in window.parts["fit"].note.shown_text()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key_H)                            # H: the others follow the run again
    assert c.fit.spec.held is None and form.follow.isChecked() and window.parts["fit"].follow_action.isChecked()


def test_logistic_regression_with_an_l2_slider(qtbot, window):
    c = window.controller
    to_fit_mode(qtbot, window)
    choose_data(qtbot, window, "classes-1d")
    form = window.editor.fit_form
    assert c.text == "softplus(w*X + b) - Y*(w*X + b)" and c.fit.spec.model == "1/(1 + exp(-(w*X + b)))"
    form.loss.setFocus()
    form.loss.end(False)
    qtbot.keyClicks(form.loss, " + lam*w^2")
    qtbot.keyClick(form.loss, Qt.Key_Return)
    assert c.text.endswith("+ lam*w^2") and "lam" in window.editor.slider_rows
    c.set_parameter("lam", 0.01)
    c.set_run_settings(0, {"lr": 1.0})
    c.set_start(0.0, 0.0)
    c.to_end()
    assert c.wait_for_runs()
    settle(qtbot, window)
    (gd,) = c.runs
    w, b = gd.current.point
    assert gd.end_point == "minimum" and np.round([w, b], 3).tolist() == [1.589, 0.147]
    view = window.parts["fit"].pane
    assert view.kind == "probability" and view.boundary.isVisible()
    assert view.boundary.value() == pytest.approx(-b / w, abs=1e-3)
    assert f"boundary X = {-b / w:.2f}".replace("-", "−") in view.title.text()


def test_errors_are_shown_in_the_form_and_the_last_good_fit_stays(qtbot, window):
    c = window.controller
    to_fit_mode(qtbot, window)
    form = window.editor.fit_form
    shown = c.cmap
    form.loss.setText("(w*x + b - Y)^2")
    form.apply()
    assert "did you mean the column 'X'? (names are case-sensitive)" in form.error.text()
    assert form.error.text().startswith("⚠ loss:") and "#b00020" in form.loss.styleSheet()
    assert c.text == "(w*X + b - Y)^2" and c.cmap is shown
    form.loss.setText("(w*X + b - Y)^2 + 0*x")
    form.trained.setText("w")
    form.apply()
    assert form.error.text().startswith("⚠ train:") and "#b00020" in form.trained.styleSheet()
    form.loss.setText("(w*X + b - Y)^2")
    form.trained.setText("w, b")
    form.apply()
    assert form.error.text() == "" and form.loss.styleSheet() == ""


def test_a_csv_file_is_read_in_the_background_and_a_broken_one_is_refused(qtbot, window, tmp_path):
    c = window.controller
    to_fit_mode(qtbot, window)
    form = window.editor.fit_form
    good = tmp_path / "people.csv"
    good.write_text("height;weight\n1,5;50\n1,62;61\n1,8;79,5\n1,75;70\n", encoding="utf-8")
    form.open_csv(str(good))
    qtbot.waitUntil(lambda: form.reading is None, timeout=5000)
    assert c.fit.spec.data.source == "people.csv" and c.text == "(w*height + b - weight)^2"
    model = form.table.model
    assert model.rowCount() == 4 and model.headerData(0, Qt.Horizontal) == "height"
    assert model.data(model.index(2, 1)) == "79.5" and not model.flags(model.index(2, 1)) & Qt.ItemIsEditable
    bad = tmp_path / "broken.csv"
    bad.write_text("X,Y\n1,2\n3,abc\n", encoding="utf-8")
    form.open_csv(str(bad))
    qtbot.waitUntil(lambda: form.reading is None, timeout=5000)
    assert "broken.csv, line 3, column 'Y': 'abc' is not a number" in form.error.text()
    assert c.fit.spec.data.source == "people.csv"                    # the data in use stay


def test_a_fit_scene_saves_reopens_and_undo_brings_the_function_back(qtbot, window, tmp_path):
    c = window.controller
    window.scenes.show_scene(load_scene(find_preset("multiple-regression")))
    assert c.wait_for_surface()
    c.jump(12)
    c.wait_for_runs()
    path = tmp_path / "plane.json"
    assert window.scenes.save_path(path)
    c.set_expression("x^2 + y^2")
    assert c.kind.name != "fit" and window.slice.isVisible() and not window.parts["fit"].pane.isVisible()
    assert window.scenes.open_path(path)
    assert c.kind.name == "fit" and c.step_index == 12 and c.fit.spec.trained == ("a", "b", "c", "d")
    assert window.editor.fit_form.table.model.rowCount() == 100
    c.undo()
    assert c.text == "x^2 + y^2" and window.editor.edit.isVisible()


def test_data_fit_mode_has_a_shortcut_and_the_window_still_fits_a_projector(qtbot, window):
    c = window.controller
    qtbot.keyClick(window, Qt.Key_D, Qt.ControlModifier)
    assert c.kind.name == "fit"
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 768
    window.presentation.enter(full_screen=False)
    try:
        assert window.formula.text().startswith("L(w, b) = ")
        assert window.parts["fit"].pane.text_scale > 1 and window.parts["fit"].pane.isVisible()
    finally:
        window.presentation.leave()
    qtbot.keyClick(window, Qt.Key_D, Qt.ControlModifier)
    assert c.kind.name != "fit"


def test_two_features_and_two_classes_draw_the_decision_boundary(qtbot, window):
    c = window.controller
    to_fit_mode(qtbot, window)
    choose_data(qtbot, window, "classes-2d")
    assert c.fit.spec.trained == ("a", "b", "c") and c.fit.spec.model == "1/(1 + exp(-(a*X1 + b*X2 + c)))"
    c.set_run_settings(0, {"lr": 1.0})
    c.to_end()
    assert c.wait_for_runs()
    settle(qtbot, window)
    view = window.parts["fit"].pane
    a, b, k = c.runs[0].current.point
    assert view.kind == "boundary" and view.title.text().endswith("the line is p = 0.5")
    x1, x2 = view.model.getData()
    finite = np.isfinite(x1) & np.isfinite(x2)
    assert finite.sum() > 50
    # on the line the model is 1/2: a X1 + b X2 + c = 0 (up to the grid it is traced on)
    assert np.max(np.abs(a * x1[finite] + b * x2[finite] + k)) < 1e-6 * (abs(a) + abs(b)) + 1e-3
    hollow, filled = view.classes
    assert len(hollow.data) + len(filled.data) == 200            # both classes, every row
    c.fit_to_runs()                                              # the map holds every path, on its axes (a, b)
    path = c.plane(c.runs[0].shown_path())
    assert c.x_range[0] <= path[:, 0].min() and path[:, 0].max() <= c.x_range[1]


def test_each_field_typed_is_one_undo_step(qtbot, window):
    c = window.controller
    to_fit_mode(qtbot, window)
    form = window.editor.fit_form
    form.loss.setFocus()
    form.loss.end(False)
    qtbot.keyClicks(form.loss, " + lam*w^2")
    form.model.setFocus()                                       # leaving the loss seals its edit
    qtbot.waitUntil(lambda: c.text.endswith("lam*w^2"), timeout=3000)
    form.model.selectAll()
    qtbot.keyClicks(form.model, "w*X")
    form.trained.setFocus()
    qtbot.waitUntil(lambda: c.fit.spec.model == "w*X", timeout=3000)
    c.undo()
    assert c.fit.spec.model == "w*X + b" and c.text.endswith("lam*w^2")
    c.undo()
    assert c.text == "(w*X + b - Y)^2"


def test_a_fit_is_autosaved_and_restored(qtbot, window):
    from explorer.ui.window.scene_actions import autosave_path
    c = window.controller
    to_fit_mode(qtbot, window)
    choose_data(qtbot, window, "plane")
    c.jump(4)
    c.wait_for_runs()
    window.scenes.autosave()
    saved = load_scene(autosave_path())
    assert saved.kind == "fit" and saved.fit.trained == ("a", "b", "c", "d") and saved.current_step == 4
    kept = autosave_path().read_bytes()
    c.set_expression("x^2 + y^2")
    autosave_path().write_bytes(kept)   # as a window killed before that edit left it (each edit is written through)
    try:
        assert window.scenes.restore_autosave()
        assert c.kind.name == "fit" and c.step_index == 4 and c.text == "(a*X1 + b*X2 + c*X3 + d - Y)^2"
    finally:
        autosave_path().unlink(missing_ok=True)
