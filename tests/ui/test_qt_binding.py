import sys

from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QPainter, QPen


def test_qt_calls_keep_their_reference_to_none():
    # PySide6 6.12.0 decrements None's refcount on each call of a void method; before Python 3.12
    # that kills the process ("none_dealloc") after a few thousand paints. Must stay balanced.
    image = QImage(16, 16, QImage.Format_ARGB32)
    painter = QPainter(image)
    pen = QPen()
    before = sys.getrefcount(None)
    for _ in range(2000):
        painter.setPen(pen)
        painter.drawLine(QPointF(0, 0), QPointF(5, 5))
    after = sys.getrefcount(None)
    painter.end()
    assert after - before > -100
