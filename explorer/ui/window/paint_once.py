"""One paint of the window a turn, however many of its plots changed.

A QGraphicsScene that has processed its changed items paints the whole window at once (Qt's
`dispatchPendingUpdateRequests`), unless something listens to its `changed` signal: then its views
are marked for the window's next paint like any other widget. A window of nine pyqtgraph panes and
an OpenGL view would otherwise paint and compose itself once per changed pane in a single turn.
"""
from __future__ import annotations

from PySide6.QtWidgets import QGraphicsView, QWidget


def _listen(_rects) -> None:
    """Only being connected matters."""


def paint_once_a_turn(window: QWidget) -> int:
    """Listen to every graphics scene in `window`; the number of scenes now listened to."""
    scenes = {view.scene() for view in window.findChildren(QGraphicsView) if view.scene() is not None}
    for scene in scenes:
        if not getattr(scene, "_paint_once", False):
            scene.changed.connect(_listen)
            scene._paint_once = True
    return len(scenes)
