"""The chosen row on the decision region: a ring round it and the arrow ∇ₓP there (binary: P(y=1); K classes:
the predicted class's probability) while the model pane shows the sensitivity view, and the click on a data
point that chooses the row.

The arrow is s·∇ₓP from the row's point, s in the features' units per unit of P's gradient: it draws the row's
own |∇ₓP| about SHARE of the plane's smaller side, rounded to 1, 2 or 5 × 10ᵏ (core.arrow_scale.nice_number)
so that the legend can state it ("arrow: ∇P(Y = 1) × 0.5"). A scale common to every row would not do: a
trained classifier's P is flat (|∇ₓP| ≈ 0) at most rows and steep near its boundary, so one scale would draw
most arrows as dots or the boundary's off the plane; |∇ₓP| is the arrow's length over s. The numbers are
the session's (session.sensitivity_reading); a click chooses the row nearest the pointer within PICK_PX pixels.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from explorer.core.arrow_scale import SHARE, nice_number
from explorer.ui.views.drawing.palette import casing

ARROW, RING = "#111111", "#111111"
RING_PX = 22        # the chosen row's ring, at text scale 1
PICK_PX = 24        # a click this close to a row's point chooses it
HEAD_PX = 14


class RowArrow:
    """Draws on `view` (a DecisionView: its plot, rows' points row_xy and text_scale) what `reader` reads."""

    def __init__(self, view, reader):
        self.view, self.reader = view, reader
        self.scale, self.drawn = 0.0, None   # drawn: the session's arrow reading last drawn
        item = view.plot.getPlotItem()
        self.line = pg.PlotCurveItem(antialias=True)
        self.head = pg.ArrowItem(headLen=HEAD_PX, tailLen=0, pen=pg.mkPen(ARROW), brush=pg.mkBrush(ARROW))
        self.ring = pg.ScatterPlotItem(symbol="o", brush=pg.mkBrush(None))
        for extra, z in ((self.ring, 9), (self.line, 10), (self.head, 11)):
            extra.setZValue(z)
            item.addItem(extra)
        view.plot.scene().sigMouseClicked.connect(self._clicked)

    def clear(self) -> None:
        self.drawn = None
        self.line.setData([], [])
        self.ring.setData([], [])
        self.head.setVisible(False)

    def refresh(self, xs, ys) -> str:
        """Draw the chosen row's ring and arrow over the plane (xs, ys: its axes); the legend's text ('' none)."""
        if ys is None or self.reader.view != "sensitivity":   # only beside the sensitivity view
            self.clear()
            return ""
        arrow = self.reader.probability_arrow()
        if arrow is None:
            self.clear()
            return ""
        self.drawn = arrow
        scale = self.view.text_scale
        (x, y), g = arrow["at"], np.asarray(arrow["gradient"], float)
        side = min(float(xs[-1] - xs[0]), float(ys[-1] - ys[0]))
        size = float(np.linalg.norm(g))
        self.scale = nice_number(SHARE * side / size) if size > 0 else 0.0
        tip = (x + self.scale * g[0], y + self.scale * g[1])
        self.ring.setData([x], [y], size=RING_PX * scale, pen=pg.mkPen(RING, width=2.5 * scale))
        self.line.setData([x, tip[0]], [y, tip[1]], pen=pg.mkPen(ARROW, width=3.0 * scale),
                          shadowPen=pg.mkPen(casing(ARROW), width=5.5 * scale))
        self.head.setVisible(bool(self.scale * np.linalg.norm(g) > 0))
        self.head.setPos(*tip)
        self.head.setStyle(angle=self._screen_angle(g), headLen=HEAD_PX * scale)
        return f"arrow: ∇{arrow['output']} × {self.scale:g} (row {arrow['row']})"

    def _screen_angle(self, g) -> float:
        """pyqtgraph's ArrowItem angle for a tip heading along g on screen: the head is drawn in pixels, y down,
        pointing left at 0 and turned by the angle, so its tip heads along (−cos a, −sin a) = (dx, −dy)."""
        box = self.view.plot.getPlotItem().getViewBox()
        width, height = box.viewPixelSize()
        dx, dy = g[0] / (width or 1.0), g[1] / (height or 1.0)   # g in pixels, y up
        return math.degrees(math.atan2(dy, -dx))

    def tip(self) -> tuple[float, float] | None:
        """Where the arrow ends (what a test reads)."""
        x, y = self.line.getData()
        return None if x is None or not len(x) else (float(x[-1]), float(y[-1]))

    # ---------------------------------------------------------------- choosing a row
    def _clicked(self, event) -> None:
        box = self.view.plot.getPlotItem().getViewBox()
        if not box.sceneBoundingRect().contains(event.scenePos()):
            return
        point = box.mapSceneToView(event.scenePos())
        self.choose_at(point.x(), point.y())

    def choose_at(self, x: float, y: float) -> int | None:
        """Choose the row whose point is nearest (x, y) on screen, if within PICK_PX pixels; the row or None."""
        xy = self.view.row_xy
        if xy is None or not len(xy):
            return None
        width, height = self.view.plot.getPlotItem().getViewBox().viewPixelSize()
        pixels = np.hypot((xy[:, 0] - x) / (width or 1.0), (xy[:, 1] - y) / (height or 1.0))
        row = int(np.argmin(pixels))
        if pixels[row] > PICK_PX * self.view.text_scale:
            return None
        self.reader.choose_row(row)
        return row
