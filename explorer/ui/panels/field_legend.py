"""The legend's entries for a field: the orientation swatches (or the |det J| / σ₁ ramp), the curves u = 0,
v = 0 and det J = 0 drawn as the map draws them, and what an arrow means."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QLabel, QWidget

from explorer.core.field_picture import KEPT, REVERSED, SINGULAR
from explorer.ui.views.drawing.field_palette import ARROW_COLOUR, FOLD, MAGNITUDE_NAMES, ORIENTATION_COLOURS, ZERO_U, ZERO_V

# key -> what the entry says; the undefined swatch is shared with the curvature legend
FIELD_ENTRIES = ("kept", "reversed", "magnitude", "fold", "zero_u", "zero_v", "arrows")
SHOWN = {"orientation": ("kept", "reversed", "fold", "zero_u", "zero_v", "arrows"),
         "area": ("magnitude", "zero_u", "zero_v", "arrows"),
         "stretch": ("magnitude", "zero_u", "zero_v", "arrows")}


class LineSample(QWidget):
    """A short stretch of a curve as the map draws it (colour, dash, width), or an arrow."""

    def __init__(self, colour: str, dash=Qt.SolidLine, width: float = 2.5, arrow: bool = False, background=None,
                 parent=None):
        super().__init__(parent)
        self.colour, self.dash, self.pen_width, self.arrow = QColor(colour), dash, width, arrow
        self.background = None if background is None else QColor(*background)

    def sizeHint(self) -> QSize:
        h = max(12, self.fontMetrics().height())
        return QSize(2 * h, h)

    minimumSizeHint = sizeHint

    def paintEvent(self, event):
        painter = QPainter(self)
        if self.background is not None:   # the map's colour for the same thing (a singular grid point)
            painter.fillRect(0, 0, self.width(), self.height(), self.background)
            painter.setPen(QColor("#505050"))
            painter.drawRect(0, 0, self.width() - 1, self.height() - 1)
        painter.setRenderHint(QPainter.Antialiasing)
        y = self.height() / 2
        pen = QPen(self.colour, self.pen_width, self.dash)
        pen.setCapStyle(Qt.FlatCap)
        painter.setPen(pen)
        right = self.width() - 2 - (self.height() * 0.3 if self.arrow else 0)
        painter.drawLine(QPointF(2, y), QPointF(right, y))
        if self.arrow:
            painter.setPen(Qt.NoPen)
            painter.setBrush(self.colour)
            h = self.height() * 0.32
            tip = QPointF(self.width() - 2, y)
            painter.drawPolygon(QPolygonF([tip, QPointF(tip.x() - 2 * h, y - h), QPointF(tip.x() - 2 * h, y + h)]))
        painter.end()


def field_entry(key: str, swatch):
    """(box, name) of a field legend entry; `swatch(rgb)` makes a colour square as the curvature legend's."""
    if key in ("kept", "reversed"):
        label, rgb = ORIENTATION_COLOURS[KEPT if key == "kept" else REVERSED]
        box = swatch(QColor(*rgb))
        box.setToolTip(f"{label}: #%02x%02x%02x" % rgb)
        return box, QLabel(label)
    if key == "magnitude":
        return QLabel(), QLabel()
    if key == "arrows":
        box = LineSample(ARROW_COLOUR, width=1.6, arrow=True)
        name = QLabel("F (length ∝ |F|, the longest capped)")
        name.setToolTip("Arrows point along F; their lengths are in proportion up to the 90th percentile of |F| "
                        "on the arrow grid, longer ones are drawn that long")
        return box, name
    name, colour, dash, width = {"fold": FOLD, "zero_u": ZERO_U, "zero_v": ZERO_V}[key]
    box = LineSample(colour, dash, width, background=ORIENTATION_COLOURS[SINGULAR][1] if key == "fold" else None)
    if key == "fold":
        box.setToolTip("The curve det J = 0 where F folds the plane; a grid point exactly on it is grey")
    words = QLabel(name + (" (F folds)" if key == "fold" else ""))
    if key != "fold":
        words.setToolTip("u = 0 and v = 0 cross at the roots of F: where Newton–Raphson can end")
    return box, words


def magnitude_text(colouring: str) -> str:
    name = MAGNITUDE_NAMES.get(colouring, "|det J|")
    return f"low {name} → high {name}"
