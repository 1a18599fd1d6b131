"""What mini-batch noise looks like on the map: the level lines of the shown step's batch loss L_B over those
of the full loss L (thin, dashed, in BATCH_COLOUR: they jump from step to step), and a key in a corner
that says which arrow and which lines are whose, and the scale the arrows are drawn at (for any run).

The lines are drawn at the map's own labelled levels, so a level c of L_B sits where the batch thinks
L = c: how far it lies from L's own line at c is the noise. The grid is the controller's
(`controller.batch.grid`, values only, one per shown step); this view only traces and draws it.
"""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont

from explorer.core.levels import iso_lines
from explorer.core.ticks import format_tick
from explorer.ui.views.drawing.view_card import card_on
from explorer.ui.views.drawing.palette import GRADIENT_COLOUR

BATCH_COLOUR = "#00666E"   # the batch's lines and arrow: a dark teal no run, class or overlay uses
KEY_PT = 10
MARGIN = 6


def _joined(lines) -> np.ndarray:
    gap = np.full((1, 2), np.nan)
    parts = [part for line in lines if len(line) for part in (line, gap)]
    return np.concatenate(parts) if parts else np.empty((0, 2))


def short(value: float) -> str:
    """Two significant digits as the axes write numbers (230, 1.2, 3.2·10⁻¹⁴): enough to compare lengths."""
    if not (np.isfinite(value) and value != 0):
        return format_tick(0.0, 1.0) if value == 0 else "undefined"
    rounded = float(f"{value:.2g}")
    return format_tick(rounded, 10.0 ** (np.floor(np.log10(abs(rounded))) - 1))


def key_html(arrows, lines: bool, rows: int | None, of_rows: int | None) -> str:
    """The key's lines: the −∇ arrows with their scale and lengths on the map's axes, the batch's level lines.

    arrows: (value name, scale s, |∇f|, a batch's |∇L_B| or None) while the arrows are on, else None; an
    arrow too short to draw still has its number."""
    red, teal = GRADIENT_COLOUR, BATCH_COLOUR
    out = []
    if arrows is not None:
        name, scale, full, batch = arrows
        s = format_tick(scale, scale)
        rows_of = " over every row" if batch is not None else ""
        out.append(f"<span style='color:{red}'>━━▶</span> arrow = {s}·(−∇{name}){rows_of}, "
                   f"|∇{name}| = {short(full)}")
        if batch is not None:
            out.append(f"<span style='color:{teal}'>╍╍▶</span> arrow = {s}·(−∇{name}<sub>B</sub>) of this "
                       f"step's batch, |∇{name}<sub>B</sub>| = {short(batch)}")
    if lines:
        size = f" ({rows} of {of_rows} rows)" if rows is not None and of_rows else ""
        out.append(f"<span style='color:{teal}'>╌╌╌</span> L of this step's batch{html.escape(size)}")
    return "<br>".join(out)


class BatchLines:
    """The batch loss's level lines on a ContourView, and the map's key to the batch pictures."""

    def __init__(self, view):
        self.view = view
        self.casing = pg.PlotCurveItem(connect="finite", antialias=True)
        self.lines = pg.PlotCurveItem(connect="finite", antialias=True)
        for z, item in ((-11, self.casing), (-10, self.lines)):   # over L's level lines, under paths and arrows
            item.setZValue(z)
            view.addItem(item, ignoreBounds=True)
        self.casing.setPen(pg.mkPen((255, 255, 255, 170), width=3.6))   # under the lines on viridis heights only
        pen = pg.mkPen(BATCH_COLOUR, width=2.0)
        pen.setDashPattern([5, 2.5])   # long dashes: not the map's own sub-level lines (Qt's shorter DashLine)
        self.lines.setPen(pen)
        self.wanted = True            # the map's menu: "Level lines of the batch"
        self.grid = None              # the BatchGrid on show
        self._traced = None           # (grid, levels) -> the joined vertices
        vb = view.getPlotItem().vb
        self.card, self.text = card_on(vb, 230)
        self.text_scale = 1.0
        self._avoid = None
        vb.sigResized.connect(lambda *_: self._place())
        self.hide()

    def hide(self) -> None:
        self.grid = None
        for item in (self.casing, self.lines, self.card, self.text):
            item.setVisible(False)

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = float(scale)
        self._place()

    def draw(self, grid, levels, cased: bool) -> None:
        """L_B's level lines at `levels` (the map's labelled ones); grid None: nothing (a full-batch run)."""
        self.grid = grid if self.wanted else None
        shown = self.grid is not None and len(levels) > 0
        if shown:   # traced once a grid and set of levels: a zoom or a redraw of the same step re-uses it
            values = tuple(np.asarray(levels, float))
            if self._traced is None or self._traced[0] is not grid or self._traced[1] != values:
                self._traced = grid, values, _joined(iso_lines(grid.x, grid.y, grid.z, levels))
            joined = self._traced[2]
            self.lines.setData(joined[:, 0], joined[:, 1])
            self.casing.setData(joined[:, 0], joined[:, 1])
        self.lines.setVisible(shown)
        self.casing.setVisible(shown and cased)

    def vertices(self) -> np.ndarray:
        """The batch lines' vertices on show, (n, 2) with NaN rows between pieces (empty when hidden)."""
        if not self.lines.isVisible():
            return np.empty((0, 2))
        x, y = self.lines.getData()
        return np.column_stack([x, y])

    def show_key(self, arrows, rows: int | None, of_rows: int | None, avoid=None) -> None:
        """The key in a right-hand corner, the one away from `avoid` (the run's point on the map); arrows: as
        `key_html` takes them."""
        shown = arrows is not None or self.lines.isVisible()
        text = key_html(arrows, self.lines.isVisible(), rows, of_rows) if shown else ""
        self._avoid = avoid
        self.text.setHtml(text)
        for item in (self.card, self.text):
            item.setVisible(bool(text))
        self._place()

    def key_text(self) -> str:
        return self.text.toPlainText() if self.text.isVisible() else ""

    def _place(self) -> None:
        font = QFont("Sans")
        font.setPointSizeF(KEY_PT * self.text_scale)
        self.text.setFont(font)
        vb = self.view.getPlotItem().vb
        self.text.setTextWidth(-1)   # one line a sentence where it fits; wrapped to the map's width where not
        room = vb.width() - 2 * MARGIN
        if self.text.boundingRect().width() > room > 0:
            self.text.setTextWidth(room)
        rect = self.text.boundingRect()
        low = False
        if self._avoid is not None:   # the run's point in the upper half: the key goes to the bottom
            at = vb.mapFromView(QPointF(*map(float, self._avoid)))
            low = at.y() < 0.5 * vb.height()
        x = max(MARGIN, vb.width() - MARGIN - rect.width())
        self.text.setPos(x, vb.height() - MARGIN - rect.height() if low else MARGIN)
        self.card.setRect(self.text.mapRectToParent(rect))
