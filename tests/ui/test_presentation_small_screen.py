"""Presentation mode on a 1024×768 projector: the views first, no pane squeezed (what has no room is offered:
N the note, V the stability map), the note and caption within a fifth of the height, and the sliders of the
scene's parameters on screen, draggable (preset 06: "drag k up")."""
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionSlider

from explorer.core.preset_library import load_presets
from explorer.ui.lecture.presentation_layout import PANE_MIN, RIGHT_SHARE, TEXT_SHARE
from tests.ui.at_rest import settle
from tests.ui.test_presentation import cut_off, enter
from tests.ui.test_window_fits_screen import visible_in

VIEWS_SHARE = 0.4   # of the window's area at least, for the 3D view and the map together


def show_preset(qtbot, window, prefix):
    scene = next(scene for path, scene in load_presets() if path.stem.startswith(prefix))
    window.scenes.show_scene(scene, f"Load {scene.title}")
    c = window.controller
    assert c.wait_for_surface(60000)
    c.jump(20)
    c.wait_for_runs()
    settle(qtbot, window)


def shown_panes(window):
    """The panes on screen besides the texts: the views, the row below them, the stability map."""
    panes = [window.surface, window.contour, window.loss, window.slice, window.parts["field"].pane,
             window.parts["fit"].pane, window.stability]
    return [pane for pane in panes if pane.isVisible()]


def area(widget) -> int:
    return widget.width() * widget.height()


@pytest.mark.parametrize("prefix", ["06-", "21-", "22-", "25-"])   # a slider, a field, the stability map, a fit
def test_at_1024_by_768_the_views_come_first_and_no_pane_is_squeezed(qtbot, window, prefix):
    show_preset(qtbot, window, prefix)
    enter(qtbot, window, (1024, 768))
    assert (window.width(), window.height()) == (1024, 768)
    views = area(window.surface) + area(window.contour)
    assert views >= VIEWS_SHARE * 1024 * 768
    for pane in shown_panes(window):
        assert pane.width() >= PANE_MIN.width() and pane.height() >= PANE_MIN.height(), type(pane).__name__
        assert visible_in(window, pane)
    texts = (window.note.height() if window.note.isVisible() else 0) + window.caption.height()
    assert texts <= TEXT_SHARE * 768
    assert not window.stability.isVisible()   # offered (V), not a third of the width


def test_the_stability_map_is_swapped_in_for_the_3d_view_with_v(qtbot, window):
    show_preset(qtbot, window, "22-")
    window.main.setSizes([330, 1100, 170])   # the right column dragged narrow beforehand
    enter(qtbot, window, (1024, 768))
    assert window.stability.relevant() and not window.stability.isVisible()
    qtbot.keyClick(window, Qt.Key_V)
    settle(qtbot, window)
    assert window.stability.isVisible() and not window.surface.isVisible() and visible_in(window, window.stability)
    assert window.stability.width() >= PANE_MIN.width() and window.contour.height() >= PANE_MIN.height()
    qtbot.keyClick(window, Qt.Key_V)
    settle(qtbot, window)
    assert window.surface.isVisible() and not window.stability.isVisible()
    window.resize(1920, 1080)   # room for everything: the stability map beside the views
    settle(qtbot, window)
    assert window.stability.isVisible() and window.surface.isVisible()
    assert window.stability.width() >= RIGHT_SHARE * 1920   # its words and its button not cut
    qtbot.keyClick(window, Qt.Key_Escape)
    assert window.surface.isVisible()


def test_a_note_with_no_room_is_held_back_and_n_shows_it(qtbot, window):
    show_preset(qtbot, window, "22-")
    for method in ("gd", "nesterov", "bfgs", "newton"):   # six runs: a caption of several rows
        window.controller.add_run(method)
    enter(qtbot, window, (1024, 768))
    assert window.note.has_note() and not window.note.isVisible()
    assert window.caption.height() <= TEXT_SHARE * 768
    qtbot.keyClick(window, Qt.Key_N)
    assert window.note.isVisible()                       # asked for: shown, although it takes more room
    qtbot.keyClick(window, Qt.Key_N)
    assert not window.note.isVisible()


def handle_centre(slider) -> QPoint:
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    return slider.style().subControlRect(QStyle.CC_Slider, option, QStyle.SC_SliderHandle, slider).center()


def test_the_parameter_slider_of_preset_06_is_on_screen_and_dragging_it_changes_k(qtbot, window):
    show_preset(qtbot, window, "06-")
    assert not window.parameter_bar.isVisible()          # the window's editor has the sliders outside presentation
    window.resize(1024, 768)
    enter(qtbot, window, (1024, 768))
    slider = window.parameter_bar.rows["k"].slider
    assert visible_in(window, slider) and slider.width() >= 300
    c = window.controller
    before = c.parameters["k"][0]
    start = handle_centre(slider)
    qtbot.mousePress(slider, Qt.LeftButton, pos=start)
    for dx in range(10, 110, 10):   # a drag: the press, moves with the button held, the release
        qtbot.mouseMove(slider, start + QPoint(dx, 0))
    qtbot.mouseRelease(slider, Qt.LeftButton, pos=start + QPoint(100, 0))
    after = c.parameters["k"][0]
    assert after > before
    assert c.wait_for_surface()
    assert f"k = {after:.4g}" in window.formula.text()
    for size in ((1024, 768), (1920, 1080)):   # its name too, in the large type, at either size
        window.resize(*size)
        settle(qtbot, window)
        assert cut_off(window) == []
    qtbot.keyClick(window, Qt.Key_Escape)
    assert not window.parameter_bar.isVisible()


def test_at_1024_by_768_a_networks_pane_takes_the_row_below_the_views_and_a_surface_gets_its_loss_plot_back(
        qtbot, window):
    show_preset(qtbot, window, "44-")   # the sharpness view beside the region: both draw the loss per step
    enter(qtbot, window, (1024, 768))
    pane = window.parts["fit"].model_pane
    assert pane.isVisible() and not window.loss.isVisible()
    assert pane.width() >= 0.9 * window.centre.width()
    assert pane.decision.width() >= PANE_MIN.width() and pane.shown_view().width() >= PANE_MIN.width()
    show_preset(qtbot, window, "06-")   # a surface again, still presenting: the loss plot is back
    assert window.loss.isVisible() and not pane.isVisible()
    window.presentation.leave()
    show_preset(qtbot, window, "44-")
    assert window.loss.isVisible()   # the window keeps every pane


def test_a_run_of_four_settings_presented_on_a_large_screen_still_lets_the_window_take_a_small_one(qtbot, window):
    show_preset(qtbot, window, "47-")   # Adam: lr, beta1, beta2 and eps on the settings' row in presentation's type
    enter(qtbot, window, (1920, 1080))
    assert window.run_bar.isVisible() and len(window.run_bar.rows) == 4
    window.resize(1024, 768)   # the gallery's next picture: the projector
    settle(qtbot, window)
    assert (window.width(), window.height()) == (1024, 768)
    assert not window.run_bar.isVisible()   # on a small screen the row shows only while a setting is swept
