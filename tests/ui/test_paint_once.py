"""The window paints once a turn, however many of its plots changed in it."""
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QGraphicsView, QHBoxLayout, QWidget

from explorer.ui.window.paint_once import paint_once_a_turn


class _Paints(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, obj, event):
        if event.type() == QEvent.UpdateRequest:
            self.count += 1
        return False


def _a_turn_without_paint(paints: _Paints) -> bool:
    paints.count = 0
    QCoreApplication.processEvents()
    return paints.count == 0


def _two_plots_changed(qtbot, listen: bool) -> int:
    """Window UpdateRequests when two plots of one window change in one turn."""
    top = QWidget()
    qtbot.addWidget(top)
    row = QHBoxLayout(top)
    plots = [pg.PlotWidget(), pg.PlotWidget()]
    curves = []
    for plot in plots:
        row.addWidget(plot)
        plot.disableAutoRange()   # the curves' new data only: no new ranges, which paint again
        curves.append(plot.plot([0, 1, 2], [0, 1, 0]))
    top.resize(600, 300)
    top.show()
    qtbot.waitExposed(top)
    if listen:
        assert paint_once_a_turn(top) == 2
    paints = _Paints()
    top.installEventFilter(paints)
    qtbot.waitUntil(lambda: _a_turn_without_paint(paints))   # the first show's paints are done
    paints.count = 0
    for i, curve in enumerate(curves):
        curve.setData([0, 1, 2], [i, 2, 1])
    for _ in range(20):
        QCoreApplication.processEvents()
    top.removeEventFilter(paints)
    return paints.count


def test_two_plots_changed_in_one_turn_paint_the_window_once(qtbot):
    assert _two_plots_changed(qtbot, listen=False) == 2   # Qt's way: each scene paints the window at once
    assert _two_plots_changed(qtbot, listen=True) == 1


def test_the_window_listens_to_every_plot_it_has(qtbot, window):
    views = window.findChildren(QGraphicsView)
    assert len(views) >= 5
    assert all(getattr(view.scene(), "_paint_once", False) for view in views)
