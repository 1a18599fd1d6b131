"""A field in the window, tried as a student would: type it, see the arrows and det J's colours, move the lens,
watch Newton–Raphson find both roots, switch a surface to its gradient field."""
from collections import Counter

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from explorer.core.field_picture import KEPT, REVERSED
from explorer.ui.views.drawing.field_palette import ORIENTATION_COLOURS
from explorer.ui.text.inspector_text import LABEL_WIDTH

from tests.ui.at_rest import settle

SYSTEM = "(x^2 - y, x + y - 2)"
POLAR = "(x*cos(y), x*sin(y))"


def type_field(qtbot, window, text, x_range=None, y_range=None):
    c = window.controller
    window.editor.edit.clear()
    qtbot.keyClicks(window.editor.edit, text)
    qtbot.keyClick(window.editor.edit, Qt.Key_Return)
    qtbot.waitUntil(lambda: c.text == text, timeout=5000)
    if x_range is not None:
        c.set_domain(x_range, y_range)
    assert c.wait_for_surface()
    settle(qtbot, window)


def map_pixel(view, x, y):
    """The widget pixel of the point (x, y) on the contour map."""
    scene_pos = view.getPlotItem().vb.mapViewToScene(QPointF(x, y))
    return view.mapFromScene(scene_pos)


def colour_at(view, x, y, half=3):
    """The commonest colour in a small square of the rendered map around (x, y) (arrows are thin)."""
    image = view.grab().toImage()
    p = map_pixel(view, x, y)
    ratio = image.devicePixelRatio()
    cx, cy = round(p.x() * ratio), round(p.y() * ratio)
    colours = Counter(image.pixelColor(i, j).getRgb()[:3] for i in range(cx - half, cx + half + 1)
                      for j in range(cy - half, cy + half + 1))
    return colours.most_common(1)[0][0]


def test_typing_a_field_shows_arrows_coloured_by_the_sign_of_det_j(qtbot, window):
    c = window.controller
    type_field(qtbot, window, SYSTEM, (-4.0, 3.0), (-2.0, 6.0))
    assert c.kind.name == "field" and window.editor.title() == "Field F(x, y) = (u, v)"
    picture = c.field.picture
    assert picture is window.surface.shown_map                      # the 3D view shows the same picture
    view = window.contour
    # det J = 2x + 1: orientation kept right of x = -1/2, reversed left of it, exactly the legend's colours
    assert colour_at(view, 1.8, -1.2) == ORIENTATION_COLOURS[KEPT][1]
    assert colour_at(view, -3.2, -1.2) == ORIENTATION_COLOURS[REVERSED][1]
    legend = window.display_bar.legend
    assert legend.entries["kept"].isVisible() and legend.entries["reversed"].isVisible()
    assert not legend.entries[1].isVisible()                        # no curvature classes for a field
    assert window.display_bar.colouring.currentText() == "orientation"
    assert view.field.arrows.isVisible() and len(picture.arrows.tails) > 100
    assert view.field.zero_u.isVisible() and view.field.zero_v.isVisible() and view.field.fold.isVisible()
    assert view.shown_levels.size == 0                              # no level lines of an f


def test_colouring_by_area_has_a_colour_bar_of_det_j(qtbot, window):
    c = window.controller
    type_field(qtbot, window, POLAR, (0.2, 3.0), (-3.1, 3.1))
    window.display_bar.colouring.setCurrentText("area")
    assert c.colouring == "area"
    bar = window.contour.colour_bar
    assert bar.isVisible() and bar.axis.labelText == "|det J|"
    assert window.display_bar.legend.names["magnitude"].text() == "low |det J| → high |det J|"
    # |det J| = x: the map gets lighter from left to right (viridis: dark purple to yellow)
    left, right = colour_at(window.contour, 0.4, 0.0, 1), colour_at(window.contour, 2.8, 0.0, 1)
    assert sum(right) > sum(left) + 200


def test_a_typing_error_keeps_the_last_good_picture(qtbot, window):
    c = window.controller
    type_field(qtbot, window, SYSTEM)
    before = c.field.picture
    edit = window.editor.edit
    edit.clear()
    qtbot.keyClicks(edit, "(x, 2y)")
    qtbot.keyClick(edit, Qt.Key_Return)
    assert "'2y': write 2*y to multiply at column 5" in window.editor.error.text()
    assert "the last good picture stays on screen" in window.editor.error.text()
    qtbot.wait(400)   # the claim is that nothing happens: longer than the editor's debounce, nothing recomputed
    assert c.field.picture is before and c.text == SYSTEM


def test_the_lens_moves_with_a_ctrl_click_and_its_numbers_are_the_cores(qtbot, window):
    c = window.controller
    type_field(qtbot, window, POLAR, (0.2, 3.0), (-3.1, 3.1))
    view = window.contour
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, Qt.ControlModifier, map_pixel(view, 2.0, 0.6))
    x, y = c.field.lens_spec.point
    assert x == pytest.approx(2.0, abs=0.03) and y == pytest.approx(0.6, abs=0.03)
    assert [r.start.tolist() for r in c.runs] == [[-1.2, 1.0]]       # a Ctrl+click moved no start
    c.field.set_lens(2.0, 0.6)                                            # exactly there, for numbers checked by hand
    lines = window.inspector.plain.splitlines()
    assert window.inspector.text.toPlainText() == window.inspector.plain   # what is shown is what Copy copies
    assert "det J".ljust(LABEL_WIDTH) + "2" in lines                 # det J = r
    assert "σ₁".ljust(LABEL_WIDTH) + "2" in lines and "σ₂".ljust(LABEL_WIDTH) + "1" in lines
    view = window.parts["field"].pane
    lens = view.lens
    np.testing.assert_allclose(view.image.getData()[0], lens.image[:, 0])   # the view draws the core's curves
    np.testing.assert_allclose(view.ellipse.getData()[1], lens.linear_image[:, 1])
    assert view.isVisible()


def test_shrinking_the_lens_the_ellipse_meets_the_true_image(qtbot, window):
    c = window.controller
    type_field(qtbot, window, POLAR, (0.2, 3.0), (-3.1, 3.1))
    c.field.set_lens(2.0, 0.6, 0.4)
    window.activateWindow()
    gaps = []
    for _ in range(4):
        gaps.append((c.field.lens_spec.radius, window.parts["field"].pane.lens.relative_gap))
        qtbot.keyClick(window, Qt.Key_BracketLeft)                  # [: √2 smaller
    radii = [r for r, _ in gaps]
    np.testing.assert_allclose(np.array(radii[:-1]) / radii[1:], np.sqrt(2))
    relative = [g for _, g in gaps]                                 # gap / r → 0 like r: the derivative, seen
    assert all(a > b for a, b in zip(relative, relative[1:]))
    np.testing.assert_allclose(np.array(relative) / radii, relative[0] / radii[0], rtol=0.1)
    c.undo()                                                        # each key press is one undo step
    assert c.field.lens_spec.radius == pytest.approx(radii[-1])   # back before the 4th press


def test_dragging_the_lens_centre_moves_the_lens(qtbot, window):
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication
    c = window.controller
    type_field(qtbot, window, SYSTEM, (-4.0, 3.0), (-2.0, 6.0))
    c.field.set_lens(0.5, 2.0)
    c.seal()
    view, port = window.contour, window.contour.viewport()
    start, end = map_pixel(view, 0.5, 2.0), map_pixel(view, -1.0, 3.0)
    QTest.mousePress(port, Qt.LeftButton, Qt.NoModifier, start)
    for k in range(1, 11):
        p = start + (end - start) * (k / 10)
        QApplication.sendEvent(port, QMouseEvent(QMouseEvent.MouseMove, QPointF(p), QPointF(port.mapToGlobal(p)),
                                                 Qt.LeftButton, Qt.LeftButton, Qt.NoModifier))
    QTest.mouseRelease(port, Qt.LeftButton, Qt.NoModifier, end)
    x, y = c.field.lens_spec.point
    assert x == pytest.approx(-1.0, abs=0.1) and y == pytest.approx(3.0, abs=0.1)
    assert c.session.history.undo_name() == "Move the lens"
    c.undo()                                                        # the whole drag is one undo step
    assert c.field.lens_spec.point == (0.5, 2.0)


def test_newton_raphson_finds_both_roots_from_two_starts(qtbot, window):
    c = window.controller
    combo = window.editor.presets
    combo.activated.emit(combo.findText("Lecture: Newton–Raphson: two roots of a system"))
    assert c.wait_for_surface() and c.kind.name == "field"
    assert window.runs_panel.title() == "Newton–Raphson for F = 0"
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key_End)
    assert c.wait_for_runs()
    settle(qtbot, window)
    ends = [r.current.point for r in c.runs]
    assert ends[0] == pytest.approx([1.0, 1.0]) and ends[1] == pytest.approx([-2.0, 4.0])
    for row in range(2):
        assert "root found: F = 0" in window.runs_panel.table.item(row, 3).text()
    dots = [dot.getData() for _, dot in window.contour.paths]     # the map's end points are the roots
    assert [(float(x[0]), float(y[0])) for x, y in dots] == [pytest.approx((1.0, 1.0)), pytest.approx((-2.0, 4.0))]
    from explorer.ui.lecture.labels import caption_cells
    assert all("· |F| = " in head for head, _ in caption_cells(c))   # the caption names |F|, not f


def test_a_field_offers_newton_only_and_says_why_in_one_line(qtbot, window):
    c = window.controller
    messages = []
    c.message.connect(messages.append)
    type_field(qtbot, window, SYSTEM)
    assert [r.method for r in c.configs] == ["newton"]               # gd went, newton stays
    assert any("removed gd" in m and "Ctrl+Z" in m for m in messages)
    actions = window.runs_panel.method_actions
    assert actions["newton"].isEnabled() and not actions["gd"].isEnabled()
    assert "gd minimises a function f(x, y)" in actions["gd"].toolTip()
    assert not c.add_run("gd")
    assert messages[-1].startswith("a field F = (u, v) is solved for F = 0 with newton")
    c.undo()
    assert [r.method for r in c.configs] == ["gd", "newton"] and c.kind.name != "field"


def test_show_gradient_field_shows_j_beside_the_hessian(qtbot, window):
    c = window.controller
    type_field(qtbot, window, "(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    assert c.kind.name != "field"
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key_G, Qt.ControlModifier)             # Field → Show ∇f as a field
    assert c.wait_for_surface() and c.kind.name == "field" and c.field.gradient_field
    assert window.editor.gradient.isChecked() and window.parts["field"].gradient_action.isChecked()
    assert "shown as the field ∇f" in window.editor.title()
    c.field.set_lens(0.0, 0.0)
    lines = window.inspector.plain.splitlines()
    # at (0, 0) f's Hessian is [[-42, 0], [0, -26]]: J of ∇f is the same, symmetric
    assert lines[lines.index("J".ljust(LABEL_WIDTH) + "[-42    0]") + 1].endswith("[  0  -26]")
    assert "H of f".ljust(LABEL_WIDTH) + "[-42    0]" in lines and "|J − H|".ljust(LABEL_WIDTH) + "0" in lines
    assert "gradient?".ljust(LABEL_WIDTH) + "yes: J = Jᵀ" in lines
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)            # the lens's move, then ∇f
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert c.kind.name != "field" and not window.editor.gradient.isChecked()


def test_a_general_field_is_said_not_to_be_a_gradient_field(qtbot, window):
    type_field(qtbot, window, "(-y, x)")
    assert "gradient?".ljust(LABEL_WIDTH) + "no: J ≠ Jᵀ" in window.inspector.plain.splitlines()


def test_the_3d_view_raises_the_chosen_height(qtbot, window):
    c = window.controller
    type_field(qtbot, window, "(3*x, 4*y)", (-1.0, 1.0), (-1.0, 1.0))
    surface = window.surface
    assert surface.axes.height_name == "|F|"
    z = surface.surface._z
    norm = c.field.picture.height("norm")
    assert np.argmax(z) == np.argmax(norm) and np.argmin(z) == np.argmin(norm)
    combo = window.display_bar.field_height
    combo.setCurrentIndex(combo.findData("v"))
    assert c.field.height == "v" and surface.axes.height_name == "v"
    z = surface.surface._z
    assert np.all(np.diff(z, axis=1) > 0) and np.allclose(np.diff(z, axis=0), 0)   # v = 4y rises with y only


def test_a_field_scene_saves_and_reopens_exactly(qtbot, window, tmp_path):
    c = window.controller
    type_field(qtbot, window, SYSTEM, (-4.0, 3.0), (-2.0, 6.0))
    c.add_run("newton", start=(-3.0, 3.0))
    c.field.set_lens(0.5, 2.0, 0.3)
    c.set_display(colouring="stretch")
    saved = window.scenes.scene()
    path = tmp_path / "field.json"
    assert window.scenes.save_path(path)
    type_field(qtbot, window, "x^2 + y^2")
    assert window.scenes.open_path(path)
    assert c.wait_for_surface() and c.kind.name == "field"
    assert window.scenes.scene() == saved and window.display_bar.colouring.currentText() == "stretch"


def test_a_plain_click_on_the_lens_moves_no_start_and_l_makes_clicks_move_the_lens(qtbot, window):
    c = window.controller
    type_field(qtbot, window, SYSTEM, (-4.0, 3.0), (-2.0, 6.0))
    c.field.set_lens(0.5, 2.0)
    c.seal()
    view = window.contour
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, map_pixel(view, 0.5, 2.0))
    assert c.runs[0].start.tolist() == [-1.2, 1.0]                   # the lens's handle, not a new start
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, map_pixel(view, 2.0, 0.0))
    assert c.runs[0].start == pytest.approx([2.0, 0.0], abs=0.05)   # elsewhere a click still moves the start
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key_L)                                 # Field → Lens follows clicks
    assert window.parts["field"].lens_tool_action.isChecked()
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, map_pixel(view, -2.0, 4.0))
    assert c.field.lens_spec.point == pytest.approx((-2.0, 4.0), abs=0.05)
    assert c.runs[0].start == pytest.approx([2.0, 0.0], abs=0.05)
