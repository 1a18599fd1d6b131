"""A small plot's legend beside it, never over it: coloured names with their line samples, in a row that wraps.

A pyqtgraph LegendItem sits inside the plot and hides whatever curve passes under it (with three runs it
took a third to a half of the loss plot). This widget goes in the layout above (or below) the plot: the
plot keeps all of its rectangle for the data, and the legend takes as many rows as the names need.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QWidget

from explorer.ui.views.drawing.flow_layout import FlowLayout

SAMPLE_EM = 1.6    # a line sample is this many text heights long
GAP_EM = 0.4       # between the sample and its name
SPACING_EM = 1.0   # between one entry and the next
MARGIN = (4, 2)    # pixels left and right, above and below


@dataclass(frozen=True)
class LegendKey:
    """One entry: its text in `colour`, after a sample of the line drawn with `pens` (under to over) or, with
    `ring`, a ring drawn with that pen (a marker's sample); neither: the text alone, as "… 5 more"."""

    text: str
    colour: str
    pens: tuple[QPen, ...] = ()
    bold: bool = True
    ring: QPen | None = None

    @property
    def sampled(self) -> bool:
        return bool(self.pens) or self.ring is not None


def legend_font(pt: float, bold: bool = True) -> QFont:
    font = QFont("Sans")
    font.setPointSizeF(pt)
    font.setBold(bold)
    return font


def entry_size(key: LegendKey, pt: float) -> QSize:
    """The room one entry takes: its sample, the gap and its name, one line high."""
    metrics = QFontMetricsF(legend_font(pt, key.bold))
    sample = (SAMPLE_EM + GAP_EM) * metrics.height() if key.sampled else 0.0
    return QSize(int(sample + metrics.horizontalAdvance(key.text)) + 2, int(metrics.height() * 1.15) + 1)


class LegendEntry(QWidget):
    """A line sample and a name, painted; exactly as wide as they need."""

    def __init__(self, key: LegendKey, pt: float, parent=None):
        super().__init__(parent)
        self.key, self.pt = key, pt
        self.setFont(legend_font(pt, key.bold))

    def _sample_width(self) -> float:
        return SAMPLE_EM * QFontMetricsF(self.font()).height() if self.key.sampled else 0.0

    def sizeHint(self) -> QSize:
        return entry_size(self.key, self.pt)

    minimumSizeHint = sizeHint

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        middle = self.height() / 2
        sample = self._sample_width()
        for pen in self.key.pens:
            painter.setPen(pen)
            painter.drawLine(QPointF(2, middle), QPointF(sample - 2, middle))
        if self.key.ring is not None:
            radius = 0.3 * self.height()
            painter.setPen(self.key.ring)
            painter.drawEllipse(QPointF(sample / 2, middle), radius, radius)
        painter.setPen(QColor(self.key.colour))
        painter.setFont(self.font())
        left = int(sample + (GAP_EM * QFontMetricsF(self.font()).height() if self.key.sampled else 0))
        painter.drawText(QRect(left, 0, self.width() - left, self.height()), Qt.AlignVCenter | Qt.AlignLeft,
                         self.key.text)
        painter.end()


class PlotLegend(QWidget):
    """Legend entries left to right, onto further rows when the width runs out."""

    def __init__(self, pt: float = 11.0, parent=None):
        super().__init__(parent)
        self.pt = float(pt)
        self.keys: tuple[LegendKey, ...] = ()
        self.entries: list[LegendEntry] = []
        self.flow = FlowLayout(self, spacing=self._spacing())
        self.flow.setContentsMargins(*MARGIN, *MARGIN)
        self.hide()   # until it has keys: no empty row above the plot

    def _spacing(self) -> int:
        return round(SPACING_EM * QFontMetricsF(legend_font(self.pt)).height())

    def set_keys(self, keys, pt: float | None = None) -> None:
        """Show `keys` (LegendKey) at `pt` points (default: as before); nothing is rebuilt if nothing changed.
        New entries, not resized ones: resized entries were not always placed again by the flow."""
        keys, pt = tuple(keys), self.pt if pt is None else float(pt)
        if keys == self.keys and pt == self.pt:
            return
        self.keys, self.pt = keys, pt
        for entry in self.flow.take_widgets():
            entry.hide()   # gone now, not at the next turn of the event loop (no two rows drawn at once)
            entry.deleteLater()
        self.flow._spacing = self._spacing()
        self.entries = [LegendEntry(key, pt, self) for key in keys]
        for entry in self.entries:
            self.flow.addWidget(entry)
            entry.show()   # a child made after its parent was shown stays hidden unless told
        self.setVisible(bool(keys))
        self.updateGeometry()

    def height_for(self, width: int) -> int:
        """The height the entries shown take in `width` pixels, as the flow places them."""
        return self.flow.heightForWidth(width) if self.keys else 0

    def texts(self) -> list[str]:
        return [key.text for key in self.keys]
