"""The window over the session: starts, one timeline, undo, and controls that show what the session holds."""
import pytest
from PySide6.QtCore import QPointF, Qt

from explorer.core.preset_library import load_presets
from explorer.ui.text.run_text import format_point

HIMMELBLAU = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"


def click_map(qtbot, window, x, y, modifier=Qt.NoModifier):
    view = window.contour
    pos = view.mapFromScene(view.getPlotItem().vb.mapViewToScene(QPointF(x, y)))
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, modifier, pos=pos)


def load_lecture(window, title):
    combo = window.editor.presets
    combo.activated.emit(combo.findText(f"Lecture: {title}"))
    assert window.controller.wait_for_surface()


def test_the_four_himmelblau_starts_survive_a_click(qtbot, window):
    load_lecture(window, "Himmelblau: four minima")
    c = window.controller
    starts = [tuple(r.start) for r in c.runs]
    assert len(set(starts)) == 4
    c.select(2)
    click_map(qtbot, window, -3.0, -2.0)
    moved = [tuple(r.start) for r in c.runs]
    assert moved[:2] == starts[:2] and moved[3] == starts[3]
    assert moved[2] == pytest.approx((-3.0, -2.0), abs=0.1)
    assert window.runs_panel.table.item(2, 1).text() == format_point(moved[2])
    click_map(qtbot, window, 1.0, 2.0, Qt.ShiftModifier)       # Shift: every run
    assert all(tuple(r.start) == pytest.approx((1.0, 2.0), abs=0.1) for r in c.runs)


def test_step_ten_back_ten_with_the_keys(qtbot, window):
    c = window.controller
    before = [r.current.point.tolist() for r in c.runs]
    for _ in range(10):
        qtbot.keyClick(window, Qt.Key_Right)
    after = [r.position for r in c.runs]
    assert after[0] == 10 and window.runs_panel.timeline.value() == 10
    for _ in range(10):
        qtbot.keyClick(window, Qt.Key_Left)
    assert [r.current.point.tolist() for r in c.runs] == before and c.step_index == 0


def test_home_end_and_the_step_slider(qtbot, window):
    c = window.controller
    c.set_max_steps(40)
    qtbot.keyClick(window, Qt.Key_End)
    assert c.wait_for_runs()
    assert c.step_index == 40 and window.runs_panel.timeline_label.text() == "step 40 of 40"
    window.runs_panel.timeline.setValue(7)                    # scrub
    assert [r.position for r in c.runs] == [7, min(7, len(c.runs[1].states) - 1)]
    qtbot.keyClick(window, Qt.Key_Home)
    assert c.step_index == 0


def test_undo_a_typed_function_a_slider_drag_and_a_removed_run(qtbot, window):
    c = window.controller
    edit = window.editor.edit
    edit.setFocus()
    edit.clear()
    qtbot.keyClicks(edit, "a*x^2 + y^2")
    qtbot.keyClick(edit, Qt.Key_Return)
    assert c.text == "a*x^2 + y^2"
    row = window.editor.slider_rows["a"]
    for position in range(500, 800, 20):                      # one drag
        row.slider.setValue(position)
    row.slider.sliderReleased.emit()
    assert c.parameter_values()["a"] == pytest.approx(-5 + 10 * 780 / 1000)
    c.remove_run(0)
    assert [r.method for r in c.runs] == ["newton"]
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)      # the removed run
    assert [r.method for r in c.runs] == ["gd", "newton"]
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)      # the drag, all of it
    assert c.parameter_values()["a"] == 1.0 and row.value_box.text() == "1"
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)      # the typed function
    assert c.text == "(1 - x)^2 + 100*(y - x^2)^2" and edit.text() == c.text
    qtbot.keyClick(window, Qt.Key_Y, Qt.ControlModifier)      # redo
    assert c.text == "a*x^2 + y^2"
    assert window.redo_action.text() == "&Redo Set a"


def test_keys_typed_in_the_editor_stay_there_and_esc_hands_them_over(qtbot, window):
    c = window.controller
    edit = window.editor.edit
    edit.setFocus()
    edit.setCursorPosition(3)
    for key in (Qt.Key_Right, Qt.Key_Left, Qt.Key_Home, Qt.Key_End, Qt.Key_R, Qt.Key_Space):
        qtbot.keyClick(edit, key)
    assert c.step_index == 0 and not c.playing and edit.text().endswith("r ")
    edit.setText(c.text)
    qtbot.keyClick(edit, Qt.Key_Escape)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key_Right)
    assert c.step_index == 1


def test_typed_start_settings_parameter_and_range(qtbot, window):
    c = window.controller
    table = window.runs_panel.table
    table.item(0, 1).setText("0.5, -0.25")
    assert tuple(c.runs[0].start) == (0.5, -0.25)
    table.item(0, 1).setText("nonsense")
    assert tuple(c.runs[0].start) == (0.5, -0.25) and table.item(0, 1).text() == "0.5, -0.25"
    table.item(0, 2).setText("lr=0.002")
    assert c.runs[0].optimizer.lr == 0.002
    window.runs_panel.max_steps.setValue(40)                  # the max-steps control
    assert c.max_steps == 40 and all(r.max_steps == 40 for r in c.runs)
    window.runs_panel.default_start.setText("2, 2")
    window.runs_panel.default_start.editingFinished.emit()
    c.add_run("bfgs")
    assert tuple(c.runs[-1].start) == (2.0, 2.0)
    window.editor.edit.setText("a*x^2 + y^2")
    window.editor.apply()
    row = window.editor.slider_rows["a"]
    row.value_box.setText("12.5")
    row.value_box.editingFinished.emit()
    assert c.parameters["a"] == (12.5, -5.0, 12.5)             # the range widens to hold a typed value
    row.low_box.setText("0")
    row.high_box.setText("20")
    row.high_box.editingFinished.emit()
    assert c.parameters["a"] == (12.5, 0.0, 20.0)
    assert row.slider.value() == round(12.5 / 20 * 1000)


def test_return_with_unchanged_text_changes_nothing(qtbot, window):
    c = window.controller
    for _ in range(3):
        c.step()
    runs = list(c.runs)
    window.editor.edit.setFocus()
    qtbot.keyClick(window.editor.edit, Qt.Key_Return)
    assert c.runs == runs and c.step_index == 3 and [r.position for r in c.runs][0] == 3


def controls_of(window):
    """What each control of the window shows, read from the widgets themselves."""
    e, d, i, r = window.editor, window.display_bar, window.inspector, window.runs_panel
    return {
        "expression": e.edit.text(),
        "x_range": tuple(b.value() for b in e.ranges[0]), "y_range": tuple(b.value() for b in e.ranges[1]),
        "resolution": e.resolution.value(), "note": e.note.text(),
        "colouring": d.colouring.currentText(), "log_scale": d.log.isChecked(),
        "vertical_scale": d.scale.value() / 10,
        "overlays": {k: b.isChecked() for k, b in i.boxes.items()} | {"basins": window.basins_action.isChecked()},
        "max_steps": r.max_steps.value(),
        "starts": [r.table.item(k, 1).text() for k in range(r.table.rowCount())],
        "parameters": {n: (float(row.value_box.text()), float(row.low_box.text()), float(row.high_box.text()))
                       for n, row in e.slider_rows.items()},
    }


def expected_controls(scene):
    return {
        "expression": scene.text, "x_range": scene.x_range, "y_range": scene.y_range,
        "resolution": scene.resolution, "note": scene.note, "colouring": scene.shown_colouring,
        "log_scale": scene.log_scale, "vertical_scale": scene.vertical_scale,
        "overlays": dict(scene.overlays), "max_steps": scene.max_steps,
        "starts": [format_point(spec.start) for spec in scene.runs],
        "parameters": {n: (p.value, p.low, p.high) for n, p in scene.parameters.items()},
    }


@pytest.mark.slow   # over 30 s: every preset opened in the window, some with their basins computed
def test_every_preset_shows_controls_that_match_the_picture(qtbot, window, tmp_path):
    c = window.controller
    # controls in a state unlike every preset first: height colouring, all overlays on
    c.set_display(colouring="height", log_scale=True, gradient=True, eigenvectors=True, quadratic_model=True)
    for path, scene in load_presets():
        load_lecture(window, scene.title)
        if scene.overlays["basins"]:   # computed once the window has the scene
            qtbot.waitUntil(lambda: window.basins.shown, timeout=20000)
        assert controls_of(window) == expected_controls(scene), scene.title
        assert c.cmap.x[0] == scene.x_range[0] and c.cmap.x.size == scene.resolution
        saved = tmp_path / "again.json"
        assert window.scenes.save_path(saved)
        c.set_display(colouring="height" if scene.shown_colouring == "curvature" else "curvature")
        assert window.scenes.open_path(saved)
        if scene.overlays["basins"]:
            qtbot.waitUntil(lambda: window.basins.shown, timeout=20000)
        assert controls_of(window) == expected_controls(scene), scene.title


def test_an_edited_preset_forgets_its_title_and_note(qtbot, window):
    load_lecture(window, "Newton walks onto a saddle")
    assert window.editor.note.text()
    window.editor.edit.setText("x^2 + y^2")
    window.editor.apply()
    assert window.editor.note.text() == "" and window.scenes.scene().title == ""
    assert "saddle" not in window.windowTitle()


def test_opening_a_scene_far_along_does_not_freeze(qtbot, window, tmp_path):
    from dataclasses import replace
    from explorer.core.scene import save_scene
    _, scene = load_presets()[0]
    far = replace(scene, runs=tuple(replace(r, settings={"lr": 1e-7}) if r.method == "gd" else r
                                    for r in scene.runs), max_steps=100_000, current_step=100_000)
    path = tmp_path / "far.json"
    save_scene(far, path)
    assert window.scenes.open_path(path)
    c = window.controller
    assert c.session.pending()                                 # returned at once; computed in the background
    qtbot.waitUntil(lambda: "Computing steps" in window.statusBar().currentMessage(), timeout=5000)
    have, need = c.session.progress()
    assert 0 < have < need


def test_a_clicker_drives_full_screen_and_every_shortcut_still_works(qtbot, window):
    from PySide6.QtWidgets import QMenu
    c = window.controller
    qtbot.keyClick(window, Qt.Key_F11)
    assert window.presentation.active and not window.menuBar().isVisible()
    qtbot.keyClick(window, Qt.Key_PageDown)
    qtbot.keyClick(window, Qt.Key_PageDown)
    assert c.step_index == 2
    qtbot.keyClick(window, Qt.Key_PageUp)
    assert c.step_index == 1
    shortcuts = {a.shortcut().toString() for a in window.actions()}
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            if not action.shortcut().isEmpty():
                assert action.shortcut().toString() in shortcuts, action.text()
    assert {"Ctrl+O", "Ctrl+S", "Ctrl+E", "Ctrl+Z"} <= shortcuts
    qtbot.keyClick(window, Qt.Key_Escape)
    assert not window.presentation.active
