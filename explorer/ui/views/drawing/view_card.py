"""A note or key on a pale card over a plot's view box, above everything drawn there."""
from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsTextItem


def card_on(vb, alpha: int = 225) -> tuple[QGraphicsRectItem, QGraphicsTextItem]:
    """A hidden white card (`alpha` of 255 opaque) with a grey edge, and its text item, children of `vb`."""
    card = QGraphicsRectItem(vb)
    card.setBrush(QBrush(QColor(255, 255, 255, alpha)))
    card.setPen(QPen(QColor("#888888")))
    text = QGraphicsTextItem(vb)
    text.setDefaultTextColor(QColor("#111111"))
    for item, z in ((card, 1e6), (text, 1e6 + 1)):
        item.setZValue(z)
        item.setVisible(False)
    return card, text
