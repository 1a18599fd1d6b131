"""The selected run's start on the map as a handle: press, drag, release, the path following as it moves (each
position a session command recomputing that run alone; the whole drag one undo step)."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QSignalBlocker

from explorer.ui.views.drawing.palette import casing

HANDLE_PX = 26       # the ring round the selected run's start: a target a finger on a touchpad finds
NEAR_PX = 13         # a click this close to it is on the handle (it moves no start)


class StartHandle:
    """A ring round the selected run's start, dragged to move it; `view` is the contour map (a PlotWidget)."""

    def __init__(self, view, controller):
        self.view, self.controller = view, controller
        self.target = pg.TargetItem(pos=(0, 0), size=HANDLE_PX, symbol="o", pen=pg.mkPen("#000000", width=2),
                                    hoverPen=pg.mkPen("#000000", width=4), brush=pg.mkBrush(0, 0, 0, 0),
                                    hoverBrush=pg.mkBrush(255, 255, 255, 90))
        self.target.setZValue(31)
        self.target.setToolTip("The selected run's start: drag it and the path follows (Ctrl+Z undoes the drag)")
        self.target.setVisible(False)
        view.addItem(self.target, ignoreBounds=True)
        self.target.sigPositionChanged.connect(self._moved)
        self.target.sigPositionChangeFinished.connect(lambda _: controller.seal())   # one drag, one undo step

    def place(self, start, colour: str | None) -> None:
        """On the selected run's start (x, y on the map), ringed in its colour; hidden with no run (None)."""
        self.target.setVisible(start is not None)
        if start is None:
            return
        self.target.setPen(pg.mkPen(casing(colour), width=2))
        self.target.setHoverPen(pg.mkPen(colour, width=4))
        if not self.target.moving:   # while dragged the target is where the hand is
            with QSignalBlocker(self.target):
                self.target.setPos(float(start[0]), float(start[1]))

    def near(self, scene_pos) -> bool:
        """Is a click at `scene_pos` on the handle?"""
        if not self.target.isVisible():
            return False
        centre = self.view.getPlotItem().vb.mapViewToScene(QPointF(self.target.pos()))
        return (centre - scene_pos).manhattanLength() < NEAR_PX

    def drag_to(self, x: float, y: float) -> None:
        """What a drag does at (x, y): the selected run starts there (tests call this as the mouse would)."""
        c = self.controller
        (x0, x1), (y0, y1) = c.x_range, c.y_range
        x, y = min(max(x, x0), x1), min(max(y, y0), y1)   # the start stays where the map was computed
        if c.runs and c.set_run_start(c.selected, x, y, merge="start"):
            c.message.emit(f"{c.configs[c.selected].method} starts at ({x:.4g}, {y:.4g})")

    def _moved(self, target) -> None:
        if target.moving:
            self.drag_to(target.pos().x(), target.pos().y())
