"""A layout whose items flow onto further rows when the width runs out, and widgets kept together on a row."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLayout, QWidget


class FlowLayout(QLayout):
    """Items left to right, onto further rows when the width runs out; each row's items centred vertically.

    `last="right"` puts the last item at the right end of its row (a legend); `last="fill"` gives it the
    rest of its row (a bar beside a title). An item is never wider than the row: one that wraps its text
    (heightForWidth) gets taller instead.
    """

    def __init__(self, parent=None, spacing: int = 8, last: str = ""):
        super().__init__(parent)
        self._items = []
        self._spacing, self.last = spacing, last
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item):
        self._items.append(item)

    def count(self):
        return len(self._items)

    def itemAt(self, index):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def take_widgets(self) -> list:
        """Empty the layout, handing back its widgets. Not QLayout.removeWidget: that deletes in C++ the item
        this Python list still holds, and the garbage collector deleted it again (a crash in a later GC)."""
        widgets = [item.widget() for item in self._items]
        self._items.clear()
        self.invalidate()
        return [w for w in widgets if w is not None]

    def expandingDirections(self):
        return Qt.Orientations(0)

    def hasHeightForWidth(self):
        return True

    def heightForWidth(self, width):
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def setGeometry(self, rect):
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def sizeHint(self):
        shown = self._shown()
        m = self.contentsMargins()
        width = sum(i.sizeHint().width() for i in shown) + self._spacing * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self):
        m = self.contentsMargins()
        width = max((i.minimumSize().width() for i in self._shown()), default=0)
        height = max((i.minimumSize().height() for i in self._shown()), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def _shown(self):
        return [i for i in self._items if not i.isEmpty()]

    def _height(self, item, width):
        return item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height()

    def _arrange(self, rect: QRect, place: bool) -> int:
        """Lay the items out in `rect` (or only measure); the height they need."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        rows, row, x = [], [], 0
        shown = self._shown()
        for item in shown:
            width = min(max(item.sizeHint().width(), item.minimumSize().width()), area.width())
            if row and x + self._spacing + width > area.width():
                rows.append(row)
                row, x = [], 0
            x += (self._spacing if row else 0) + width
            row.append([item, width])
        if row:
            rows.append(row)
        y = area.y()
        for number, row in enumerate(rows):
            if number == len(rows) - 1 and self.last == "fill":
                used = sum(w for _, w in row[:-1]) + self._spacing * (len(row) - 1)
                row[-1][1] = max(row[-1][1], area.width() - used)
            height = max(self._height(item, width) for item, width in row)
            left = area.x()
            for k, (item, width) in enumerate(row):
                if self.last == "right" and number == len(rows) - 1 and k == len(row) - 1:
                    left = max(left, area.right() + 1 - width)
                h = self._height(item, width)
                if place:
                    item.setGeometry(QRect(QPoint(left, y + (height - h) // 2), QSize(width, h)))
                left += width + self._spacing
            y += height + (self._spacing // 2 if number < len(rows) - 1 else 0)
        return y - area.y() + m.top() + m.bottom()


def group(*widgets) -> QWidget:
    """Widgets that stay together on one row (a label and its control)."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    for widget in widgets:
        layout.addWidget(widget)
    return box
