"""A fit of one's own CSV in the window: the fit view draws the column the loss subtracts against the model's
feature, and the form's target and features boxes say so and can choose otherwise."""
import numpy as np
from PySide6.QtCore import Qt

from tests.ui.fit_steps import to_fit_mode

HOURS = "Hours,Score,Pass\n1,52,0\n2,55,0\n3,61,0\n4,70,1\n5,74,1\n6,83,1\n"


def open_hours(qtbot, window, tmp_path):
    to_fit_mode(qtbot, window)
    form = window.editor.fit_form
    path = tmp_path / "hours.csv"
    path.write_text(HOURS, encoding="utf-8")
    form.open_csv(str(path))
    qtbot.waitUntil(lambda: form.reading is None, timeout=5000)
    return form


def type_fit(window, form, loss, model):
    form.loss.setText(loss)
    form.model.setText(model)
    form.trained.setText("w, b")
    assert form.apply() and window.controller.wait_for_surface()


def drawn_points(view):
    """Every data point the fit view draws, as (x, y) pairs (both classes' scatters)."""
    return sorted((float(x), float(y)) for s in view.classes for x, y in zip(*s.getData()))


def test_score_is_drawn_against_hours_not_the_probability_of_pass(qtbot, window, tmp_path):
    form = open_hours(qtbot, window, tmp_path)
    type_fit(window, form, "(w*Hours + b - Score)^2", "w*Hours + b")
    view = window.parts["fit"].pane
    assert view.kind == "line"
    assert drawn_points(view) == [(1, 52), (2, 55), (3, 61), (4, 70), (5, 74), (6, 83)]
    assert view.plot.getAxis("bottom").labelText == "Hours" and view.plot.getAxis("left").labelText == "Score"
    assert form.columns.target.currentText() == "Score (from the loss)"
    assert form.columns.features.placeholderText() == "Hours (the model's)" and form.columns.features.text() == ""


def test_choosing_pass_as_the_target_draws_its_probability(qtbot, window, tmp_path):
    form = open_hours(qtbot, window, tmp_path)
    type_fit(window, form, "log(1 + exp(w*Hours + b)) - Pass*(w*Hours + b)", "1/(1 + exp(-(w*Hours + b)))")
    boxes, c = form.columns, window.controller
    boxes.target.setCurrentIndex(boxes.target.findText("Pass"))
    boxes.target.activated.emit(boxes.target.currentIndex())
    assert c.wait_for_surface() and c.fit.spec.target == "Pass"
    view = window.parts["fit"].pane
    assert view.kind == "probability" and view.plot.getAxis("left").labelText == "P(Pass = 1)"
    assert drawn_points(view) == [(1, 0), (2, 0), (3, 0), (4, 1), (5, 1), (6, 1)]
    c.undo()
    assert c.fit.spec.target is None and boxes.target.currentIndex() == 0


def test_features_that_leave_out_the_models_column_are_refused_and_outlined(qtbot, window, tmp_path):
    form = open_hours(qtbot, window, tmp_path)
    type_fit(window, form, "(w*Hours + b - Score)^2", "w*Hours + b")
    problem = window.controller.fit.problem
    form.columns.features.setText("Pass")
    qtbot.keyClick(form.columns.features, Qt.Key_Return)
    assert form.error.text().startswith("⚠ features: the model uses the column 'Hours', which is not a feature")
    assert "#b00020" in form.columns.features.styleSheet()
    assert window.controller.fit.problem is problem                  # the last good fit stays
    np.testing.assert_array_equal(window.parts["fit"].pane.row_xy[:, 1], [52, 55, 61, 70, 74, 83])
