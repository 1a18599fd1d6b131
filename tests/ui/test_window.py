import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFormLayout

from explorer.core.calculus import PointCalculus
from explorer.ui.text.inspector_text import LABEL_WIDTH, matrix_rows, num


def wait_surface(qtbot, window, expected_text):
    c = window.controller
    qtbot.waitUntil(lambda: c.text == expected_text, timeout=5000)
    assert c.wait_for_surface()


def test_typing_a_function_updates_the_surface(qtbot, window):
    edit = window.editor.edit
    edit.clear()
    qtbot.keyClicks(edit, "x^2 + 3*y^2")
    wait_surface(qtbot, window, "x^2 + 3*y^2")
    shown = window.surface.shown_map
    assert shown is window.controller.cmap
    X, Y = np.meshgrid(shown.x, shown.y, indexing="ij")
    np.testing.assert_allclose(shown.z, X**2 + 3 * Y**2)
    assert np.all(shown.classes == 1)                    # a convex bowl everywhere
    gl_z = window.surface.surface._z                    # what the GL item draws
    assert gl_z.shape == shown.z.shape and np.ptp(gl_z) > 0


def test_a_wrong_function_shows_the_error_and_keeps_the_old_surface(qtbot, window):
    before = window.surface.shown_map
    edit = window.editor.edit
    edit.clear()
    qtbot.keyClicks(edit, "x^2 + foo(y)")
    qtbot.keyClick(edit, Qt.Key_Return)
    assert "unknown function 'foo' at column 7" in window.editor.error.text()
    qtbot.wait(400)  # longer than the debounce: nothing recomputed
    assert window.surface.shown_map is before
    assert window.controller.text == "(1 - x)^2 + 100*(y - x^2)^2"
    edit.setText("x^2")
    qtbot.keyClick(edit, Qt.Key_Return)
    assert window.editor.error.text() == ""


def test_clicking_the_contour_sets_the_start(qtbot, window):
    view = window.contour
    scene_pos = view.getPlotItem().vb.mapViewToScene(QPointF(0.5, 2.0))
    pos = view.mapFromScene(scene_pos)
    c = window.controller
    c.select(1)
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=pos)
    start = c.runs[1].path[0]
    assert start == pytest.approx([0.5, 2.0], abs=0.05)                # the selected run starts there
    assert c.runs[0].path[0].tolist() == [-1.2, 1.0]                    # the other keeps its start


def test_step_moves_every_run_and_the_inspector_shows_the_cores_numbers(qtbot, window):
    c = window.controller
    qtbot.keyClick(window, Qt.Key_Right)
    assert [r.position for r in c.runs] == [1, 1]
    c.select(1)                                          # newton
    point = c.runs[1].current.point
    expected = PointCalculus("(1 - x)**2 + 100*(y - x**2)**2").analyze(point)
    text = window.inspector.plain
    lines = text.splitlines()
    gx, gy = (num(g) for g in expected.gradient)
    width = max(len(gx), len(gy))
    for label, value in (("f", num(expected.value)), ("∇f", f"[{gx:>{width}}]"), ("", f"[{gy:>{width}}]"),
                         ("H", matrix_rows(expected.hessian)[0]), ("λ₁", num(expected.eigenvalues[0])),
                         ("class", expected.classification)):
        assert label.ljust(LABEL_WIDTH) + value in lines
    assert window.inspector.text.toPlainText().replace("■ ", "") == text   # what is shown is what is copied
    assert window.inspector.boxes["gradient"].text() == "−∇f arrow"
    window.inspector.copy.click()
    from PySide6.QtGui import QGuiApplication
    assert QGuiApplication.clipboard().text() == text
    qtbot.keyClick(window, Qt.Key_Left)
    assert [r.position for r in c.runs] == [0, 0]


def test_the_inspector_shows_no_derivatives_where_f_is_undefined(qtbot, window):
    c = window.controller
    assert c.set_expression("log(x) + y^2") and c.set_start(-1.0, 1.0)
    c.select(0)
    lines = window.inspector.plain.splitlines()
    for label, value in (("f", "nan"), ("∇f", "undefined"), ("|∇f|", "undefined"), ("H", "undefined"),
                         ("λ", "undefined"), ("class", "undefined"), ("cond", "undefined")):
        assert label.ljust(LABEL_WIDTH) + value in lines, window.inspector.plain
    assert not any(line.startswith("∇f") and "[" in line for line in lines)


def test_play_then_pause(qtbot, window):
    c = window.controller
    c.set_speed(60)
    qtbot.keyClick(window, Qt.Key_Space)
    assert c.playing and window.runs_panel.play.text() == "Pause"
    qtbot.waitUntil(lambda: c.runs[0].position >= 3, timeout=5000)
    qtbot.keyClick(window, Qt.Key_Space)
    assert not c.playing and window.runs_panel.play.text() == "Play"
    stopped_at = c.runs[0].position
    qtbot.wait(200)   # the claim is that nothing happens: several ticks at 60 steps/s take no step
    assert c.runs[0].position == stopped_at
    qtbot.keyClick(window, Qt.Key_R)
    assert c.runs[0].position == 0


def test_parameter_slider_changes_the_surface(qtbot, window):
    window.editor.edit.setText("a*x^2 + y^2")
    window.editor.apply()
    assert window.controller.wait_for_surface()
    slider = window.editor.sliders.itemAt(0, QFormLayout.ItemRole.FieldRole).widget()
    assert slider.name == "a"
    slider.slider.setValue(0)                            # a = -5: a saddle now
    assert window.controller.wait_for_surface()
    cmap = window.surface.shown_map
    assert window.controller.parameter_values() == {"a": -5.0}
    np.testing.assert_allclose(cmap.hxx, -10)
    assert np.all(cmap.classes == 3)


def test_views_never_compute_derivatives():
    ui = pathlib.Path(__file__).resolve().parents[2] / "explorer" / "ui"
    for path in ui.glob("*.py"):
        text = path.read_text()
        assert "import autograd" not in text and "from autograd" not in text, path.name


def test_screenshot_is_not_blank_and_the_program_exits_0(tmp_path):
    out = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "explorer", "--expr", "x^2 - y^2", "--screenshot", str(out)],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert image.width() >= 800 and image.height() >= 600
    # sample the picture: many distinct colours, and the saddle's yellow is among them
    colours = {image.pixelColor(x, y).rgb() for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 100
    yellowish = [c for c in colours if (c >> 16 & 255) > 200 and (c >> 8 & 255) > 200 and (c & 255) < 140]
    assert yellowish


def test_bad_screenshot_name_exits_2():
    done = subprocess.run([sys.executable, "-m", "explorer", "--screenshot", "shot.jpg"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and "must name a .png" in done.stderr


def test_a_bad_expression_with_screenshot_exits_2_and_writes_nothing(tmp_path):
    out = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "explorer", "--expr", "x^2+", "--screenshot", str(out)],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert done.returncode == 2 and not out.exists()
    assert done.stderr.strip().splitlines()[-1] == ("landscape-explorer: error: expected an expression after '+' "
                                                    "at column 4")


def test_return_in_the_editor_hands_the_keys_to_the_runs(qtbot, window):
    edit = window.editor.edit
    edit.setFocus()
    before = edit.text()
    qtbot.keyClick(edit, Qt.Key_Space)                  # while editing, Space is a space
    assert len(edit.text()) == len(before) + 1 and edit.text().replace(" ", "") == before.replace(" ", "")
    assert not window.controller.playing
    qtbot.keyClick(edit, Qt.Key_Return)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key_Right)
    assert [r.position for r in window.controller.runs] == [1, 1]


def test_presentation_mode(qtbot, window):
    from PySide6.QtWidgets import QApplication
    size = QApplication.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key_F11)
    assert window.presentation.active and window.isFullScreen()
    assert not window.left_panel.isVisible() and not window.inspector.isVisible()
    assert QApplication.font().pointSizeF() > size
    assert "gd · step 0 · f = 24.2" in window.caption.text()     # Rosenbrock at (-1.2, 1): 4.84 + 19.36
    qtbot.keyClick(window, Qt.Key_Right)
    assert "gd · step 1" in window.caption.text() and "newton · step 1" in window.caption.text()
    qtbot.keyClick(window, Qt.Key_Escape)
    assert not window.presentation.active and window.left_panel.isVisible()
    assert QApplication.font().pointSizeF() == size


def test_a_lecture_preset_loads_with_its_runs_and_note(qtbot, window):
    combo = window.editor.presets
    index = combo.findText("Lecture: Ill-conditioned bowl")
    assert index > 0
    combo.activated.emit(index)
    c = window.controller
    assert c.wait_for_surface()
    assert c.text.replace(" ", "") == "x^2+10*y^2"
    assert {r.method for r in c.runs} >= {"gd", "newton"}
    assert "Newton" in window.editor.note.text()
