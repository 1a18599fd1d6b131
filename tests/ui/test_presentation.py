"""Presentation mode tells the story: typeset formula, legend, note (N), captions with outcomes, every text
scaled, nothing cut off, and a clicker or the keyboard reaches scenes, files and exports in full screen."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel

from explorer.ui.views.map import contour_view
from explorer.ui.views.plots import loss_plot
from explorer.ui.lecture.labels import SCALE, caption_text, number_text
from explorer.ui.lecture.presentation import lecture_index, show_lecture

from tests.ui.at_rest import settle


def enter(qtbot, window, size=None):
    if size is None:
        qtbot.keyClick(window, Qt.Key_F11)
    else:   # the full-screen layout at a size this test screen does not have
        window.presentation.enter(full_screen=False)
        window.resize(*size)
    settle(qtbot, window)   # the map places its labels once a resize settles
    assert window.presentation.active


def cut_off(window) -> list[str]:
    """Visible labels and check boxes whose text does not fit the room they were given."""
    bad = []
    for widget in window.findChildren(QLabel) + window.findChildren(QCheckBox):
        if not widget.isVisible() or widget.width() == 0:
            continue
        hint, size = widget.sizeHint(), widget.size()
        if isinstance(widget, QLabel) and widget.wordWrap():
            fits = widget.heightForWidth(size.width()) <= size.height() + 1
        else:
            fits = hint.width() <= size.width() + 1 and hint.height() <= size.height() + 1
        # and the widget lies inside the window, not past its edge
        corner = widget.mapTo(window, widget.rect().bottomRight())
        inside = corner.x() <= window.width() and corner.y() <= window.height()
        if not (fits and inside):
            bad.append(f"{type(widget).__name__} {widget.text()[:40]!r}: {hint.width()}x{hint.height()} hint in "
                       f"{size.width()}x{size.height()}")
    return bad


def test_the_formula_is_typeset_and_the_legend_stays(qtbot, window):
    enter(qtbot, window)
    assert window.formula.isVisible()
    text = window.formula.text()
    assert text.startswith("f(x, y) = (1 − x)<sup>2</sup> + 100·(y − x<sup>2</sup>)<sup>2</sup>")
    assert "^" not in text and "*" not in text
    legend = window.display_bar.legend
    assert legend.isVisible() and all(legend.swatches[k].isVisible() for k in (1, 2, 3, 0, -1))
    assert not window.display_bar.colouring.isVisible() and not window.display_bar.log.isVisible()
    qtbot.keyClick(window, Qt.Key_Escape)
    assert not window.formula.isVisible() and window.display_bar.colouring.isVisible()


def test_parameters_show_their_values_beside_the_formula(qtbot, window):
    c = window.controller
    assert c.set_expression("x^2/k + y^2")
    c.set_parameter("k", 10)
    enter(qtbot, window)
    assert "x<sup>2</sup>/k + y<sup>2</sup>" in window.formula.text() and "(k = 10)" in window.formula.text()


def test_the_lecture_note_toggles_with_n(qtbot, window):
    show_lecture(window, 4)
    note = window.controller.setup.note
    assert note
    enter(qtbot, window)
    assert window.note.isVisible() and window.note.text() == note
    qtbot.keyClick(window, Qt.Key_N)
    assert not window.note.isVisible()
    qtbot.keyClick(window, Qt.Key_N)
    assert window.note.isVisible()
    qtbot.keyClick(window, Qt.Key_Escape)
    assert not window.note.isVisible()


def test_the_caption_says_how_each_run_ended_in_its_colour(qtbot, window):
    enter(qtbot, window)
    c = window.controller
    c.jump(40)
    c.wait_for_runs()
    text = window.caption.text()
    assert "newton · step" in text and "converged to a minimum" in text       # Newton is done; gd is not
    assert all(config.colour in text for config in c.configs)
    assert number_text(3.43265e-20) == "3.433·10⁻²⁰" and number_text(-0.5) == "−0.5"


def test_every_text_is_scaled_axis_ticks_included(qtbot, window):
    app_size = QApplication.font().pointSizeF()
    surface_px = window.surface.axes.font(window.surface.font(), 100, 100).pixelSize()
    enter(qtbot, window)
    assert QApplication.font().pointSizeF() == pytest.approx(app_size * SCALE)
    assert window.caption.font().pointSizeF() > app_size * SCALE
    assert window.formula.font().pointSizeF() > app_size * SCALE
    assert window.contour.tick_font.pointSizeF() == pytest.approx(contour_view.TICK_PT * SCALE)
    assert window.loss.plot.getAxis("bottom").style["tickFont"].pointSizeF() == pytest.approx(loss_plot.TICK_PT * SCALE)
    assert window.surface.axes.font(window.surface.font(), 100, 100).pixelSize() > 1.4 * surface_px
    qtbot.keyClick(window, Qt.Key_Escape)
    assert QApplication.font().pointSizeF() == app_size
    assert window.contour.tick_font.pointSizeF() == pytest.approx(contour_view.TICK_PT)
    assert window.statusBar().isVisible() and window.menuBar().isVisible()


@pytest.mark.parametrize("size", [None, (1024, 768)])
def test_nothing_is_cut_off(qtbot, window, size):
    for method in ("gd", "momentum", "bfgs", "damped-newton"):   # six runs: the caption needs rows
        window.controller.add_run(method)
    show_lecture(window, 8)   # the saddle: long outcomes
    window.controller.jump(20)
    window.controller.wait_for_runs()
    enter(qtbot, window, size)
    if size:
        assert (window.width(), window.height()) == size       # nothing forced the window wider
    assert cut_off(window) == []
    squeezed = QLabel("a label far wider than its room", window.centralWidget())
    squeezed.setGeometry(0, 0, 20, 20)
    squeezed.show()
    assert len(cut_off(window)) == 1                            # the check does see a cut-off text


def test_a_long_caption_is_laid_out_in_columns(qtbot, window):
    c = window.controller
    for method in ("gd", "momentum", "nesterov", "bfgs"):
        c.add_run(method, {"lr": 1e-3} if method != "bfgs" else {})
    enter(qtbot, window, (1024, 768))
    assert window.caption.text().startswith("<table") and window.caption.text().count("<tr>") >= 2
    assert caption_text(c).count("●") == 6 and "<table" not in caption_text(c)
    assert (window.width(), window.height()) == (1024, 768)


def test_the_window_fits_a_1024_by_768_projector(qtbot, window):
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 768
    window.resize(1024, 768)
    settle(qtbot, window)
    assert window.width() == 1024 and not window.inspector.isVisible()   # shown again by View → Inspector
    window.inspector_action.setChecked(True)
    assert window.inspector.isVisible()
    window.resize(1600, 950)
    settle(qtbot, window)
    assert window.inspector.isVisible()


def test_ctrl_page_down_and_up_move_through_the_lecture_presets(qtbot, window):
    enter(qtbot, window)
    titles = [scene.title for scene in window.editor.lectures.values()]
    qtbot.keyClick(window, Qt.Key_PageDown, Qt.ControlModifier)   # from a scene of one's own: the first
    assert window.controller.setup.title == titles[0] and lecture_index(window) == 0
    qtbot.keyClick(window, Qt.Key_PageDown, Qt.ControlModifier)
    assert window.controller.setup.title == titles[1]
    assert window.controller.wait_for_surface()
    assert window.formula.text().startswith("f(x, y) = x<sup>2</sup> + 3·y<sup>2</sup>")
    qtbot.keyClick(window, Qt.Key_PageDown)                          # the clicker still steps the runs
    assert [r.position for r in window.controller.runs] == [1]
    qtbot.keyClick(window, Qt.Key_PageUp, Qt.ControlModifier)
    assert window.controller.setup.title == titles[0]
    assert window.isFullScreen() and window.presentation.active


def test_open_and_export_shortcuts_work_in_full_screen(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from explorer.ui.export.dialog import ExportDialog
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: asked.append("open") or ("", ""))
    monkeypatch.setattr(ExportDialog, "exec", lambda self: asked.append(self.windowTitle()) or 0)
    enter(qtbot, window)
    qtbot.keyClick(window, Qt.Key_O, Qt.ControlModifier)
    qtbot.keyClick(window, Qt.Key_E, Qt.ControlModifier)
    qtbot.keyClick(window, Qt.Key_E, Qt.ControlModifier | Qt.ShiftModifier)
    assert asked == ["open", "Export picture", "Export animation"]
    assert window.isFullScreen()


def test_ctrl_l_pops_up_the_lectures_menu_in_full_screen(qtbot, window):
    from PySide6.QtCore import QTimer
    enter(qtbot, window)
    shown = []

    def pick_the_bowl():
        menu = QApplication.activePopupWidget()
        shown.append([a.text() for a in menu.actions()])
        next(a for a in menu.actions() if "Ill-conditioned bowl" in a.text()).trigger()
        menu.close()

    QTimer.singleShot(100, pick_the_bowl)
    qtbot.keyClick(window, Qt.Key_L, Qt.ControlModifier)
    assert shown and any("Rosenbrock" in text for text in shown[0])
    assert window.controller.setup.title == "Ill-conditioned bowl" and window.isFullScreen()
