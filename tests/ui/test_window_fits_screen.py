"""The window opens inside the screen it opens on (frame included), remembers its size per screen, and keeps
Step, Play and the timeline in view on a 1024×768 projector whatever the problem (surface, field, fit)."""
import pytest
from PySide6.QtCore import QRect, QSize

from explorer.ui.window import window_placement
from explorer.ui.window.window_placement import fitted, open_on_screen, remember_size, remembered_size
from tests.ui.at_rest import settle
from tests.ui.fit_steps import to_fit_mode
from tests.ui.test_field_window import SYSTEM, type_field


class Projector:
    """A screen of 1024×768 whose top 24 px are a desktop panel (what availableGeometry leaves out)."""

    def __init__(self, name="projector", width=1024, height=768):
        self._name, self._size = name, QSize(width, height)

    def name(self):
        return self._name

    def size(self):
        return self._size

    def availableGeometry(self):
        return QRect(0, 24, self._size.width(), self._size.height() - 24)


def test_a_framed_window_is_made_small_enough_for_the_room_and_centred():
    room = QRect(0, 24, 1024, 744)
    inner = fitted(QSize(1600, 950), room, QSize(8, 30))       # 4 px each side, a 26 px title bar
    assert inner.size() == QSize(1016, 714)                    # 1024 − 8 and 744 − 30
    assert inner.topLeft().x() == 0 and inner.topLeft().y() == 24
    small = fitted(QSize(800, 600), room, QSize(8, 30))
    assert small.size() == QSize(800, 600)
    assert (small.x(), small.y()) == ((1024 - 808) // 2, 24 + (744 - 630) // 2)


def visible_in(window, widget) -> bool:
    """Shown, and its whole rectangle lies inside the window's."""
    rect = widget.rect()
    corners = (widget.mapTo(window, rect.topLeft()), widget.mapTo(window, rect.bottomRight()))
    return widget.isVisible() and all(window.rect().contains(p) for p in corners)


def lecturer_controls(window):
    panel = window.runs_panel
    return {"Step": panel.step, "Play": panel.play, "Back": panel.back, "timeline": panel.timeline}


@pytest.mark.parametrize("kind", ["surface", "field", "fit"])
def test_on_a_1024_by_768_screen_the_window_fits_and_step_play_and_the_timeline_show(qtbot, window, monkeypatch,
                                                                                    kind):
    if kind == "field":
        type_field(qtbot, window, SYSTEM, (-4.0, 3.0), (-2.0, 6.0))
    elif kind == "fit":
        to_fit_mode(qtbot, window)
    monkeypatch.setattr(window_placement, "opening_screen", lambda: Projector())
    open_on_screen(window, remembered=False)
    settle(qtbot, window)
    assert QRect(0, 24, 1024, 744).contains(window.frameGeometry())
    assert window.width() <= 1024 and window.height() <= 744
    hidden = [name for name, widget in lecturer_controls(window).items() if not visible_in(window, widget)]
    assert hidden == []


def test_the_size_is_remembered_for_each_screen(qtbot, window, monkeypatch):
    laptop, projector = Projector("laptop", 1920, 1080), Projector("projector", 1024, 768)
    monkeypatch.setattr(type(window), "screen", lambda self: laptop)
    window.resize(1300, 800)
    remember_size(window)
    assert remembered_size(laptop) == QSize(1300, 800)
    assert remembered_size(projector) is None or remembered_size(projector) != QSize(1300, 800)
    monkeypatch.setattr(window_placement, "opening_screen", lambda: laptop)
    window.resize(900, 700)
    open_on_screen(window)
    assert window.size() == QSize(1300, 800)                    # the size it had on this screen
    monkeypatch.setattr(window_placement, "opening_screen", lambda: projector)
    open_on_screen(window)
    assert window.width() <= 1024 and window.height() <= 744    # the default, held inside the projector


def test_every_runs_table_row_is_as_tall_as_its_wrapped_cells(qtbot, window):
    from tests.ui.test_presentation_small_screen import show_preset
    show_preset(qtbot, window, "31-")   # mini-batches: 'step 20 · epoch 5, batch 1/5', momentum's settings
    window.resize(1024, 768)
    settle(qtbot, window)
    table = window.runs_panel.table
    assert table.rowCount() == 3
    assert all(table.rowHeight(r) >= table.sizeHintForRow(r) for r in range(table.rowCount()))


def test_the_inspector_keeps_its_lines_beside_the_stability_map_at_1024_by_768(qtbot, window):
    from PySide6.QtGui import QFontMetrics
    from explorer.ui.panels.inspector_panel import MIN_LINES
    from tests.ui.test_presentation_small_screen import show_preset
    show_preset(qtbot, window, "22-")   # momentum on a quadratic: the stability map shows
    window.resize(1024, 768)
    window.inspector_action.setChecked(True)
    settle(qtbot, window)
    text = window.inspector.text
    assert window.stability.isVisible() and window.inspector.isVisible()
    assert (window.width(), window.height()) == (1024, 768)
    lines = (text.viewport().height() - 2 * text.document().documentMargin()) / QFontMetrics(text.font()).lineSpacing()
    assert lines >= MIN_LINES
