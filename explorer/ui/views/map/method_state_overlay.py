"""The selected run's method state on the map (display option "method_state", issue 27's x-ray): the arrows,
ellipses, circles and points of an `explorer.core.method_geometry.MethodDrawing`, drawn in the map's own units
(a step is drawn as the step it is), with a key that names each mark.

Colours mean one thing each: the −∇f arrow's red for what the gradient contributes, the quadratic model's dark
blue for the exact model (the true Hessian), the run's own colour for the method's step, scaling or
approximation, and the run's colour dashed for what the method carried in (velocity, m̂, the previous
direction)."""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from explorer.core.colours import method_colour
from explorer.ui.views.drawing.palette import GRADIENT_COLOUR, MODEL_COLOUR

ARROWS, CURVES = 4, 4   # the most any method draws
HEAD_PX = (14, 11)
LABEL_PT = 10
Z = 19   # above the other overlays at the point


def role_style(role: str, method: str) -> tuple[str, Qt.PenStyle]:
    """A mark's colour and dash by its role (the module docstring)."""
    if role == "gradient":
        return GRADIENT_COLOUR, Qt.SolidLine
    if role == "true":
        return MODEL_COLOUR, Qt.DashLine
    return method_colour(method), Qt.DashLine if role == "memory" else Qt.SolidLine


class MethodStateOverlay:
    def __init__(self, view):
        def curve():
            item = pg.PlotCurveItem(antialias=True, connect="finite")
            item.setZValue(Z)
            view.addItem(item, ignoreBounds=True)
            return item

        self.arrows = []
        for _ in range(ARROWS):
            casing, line = curve(), curve()
            head = pg.ArrowItem(headLen=HEAD_PX[0], headWidth=HEAD_PX[1], tailLen=0, pen=pg.mkPen("#ffffff", width=1.5))
            head.setZValue(Z + 1)
            view.addItem(head, ignoreBounds=True)
            self.arrows.append((casing, line, head))
        self.curves = [(curve(), curve()) for _ in range(CURVES)]
        self.marks = pg.ScatterPlotItem(pxMode=True)
        self.marks.setZValue(Z + 2)
        view.addItem(self.marks, ignoreBounds=True)
        self.key = pg.TextItem(anchor=(1, 1), color="#222222", fill=pg.mkBrush(255, 255, 255, 225), border=pg.mkPen("#999999"))
        self.key.setFont(QFont("Sans", LABEL_PT))
        self.key.setZValue(Z + 3)
        view.addItem(self.key, ignoreBounds=True)
        self.drawn = None   # the MethodDrawing on show (tests read it)
        self.hide()

    def set_text_scale(self, scale: float) -> None:
        font = QFont("Sans")
        font.setPointSizeF(LABEL_PT * scale)
        self.key.setFont(font)

    def _items(self):
        return (*(i for a in self.arrows for i in a), *(i for c in self.curves for i in c), self.marks, self.key)

    def hide(self) -> None:
        self.drawn = None
        for item in self._items():
            item.setVisible(False)

    def draw(self, drawing, shown=None, pixel: float | None = None) -> None:
        """`drawing` (None: nothing) at its point; `shown`: the part of the plane on screen (the key's corner);
        pixel: data units a pixel (an arrow shorter than 2 pixels is not drawn, its key line still says so)."""
        self.hide()
        if drawing is None:
            return
        self.drawn = drawing
        least = 2.0 * pixel if pixel else 0.0
        names = []
        for (casing, line, head), arrow in zip(self.arrows, drawing.arrows):
            colour, dash = role_style(arrow.role, drawing.method)
            names.append((arrow.name, colour, "→"))
            length = float(np.linalg.norm(arrow.vector))
            if not (np.isfinite(length) and length > least and np.all(np.isfinite(arrow.start))):
                continue
            xs, ys = [arrow.start[0], arrow.end[0]], [arrow.start[1], arrow.end[1]]
            casing.setData(xs, ys, pen=pg.mkPen("#ffffff", width=5.5))
            line.setData(xs, ys, pen=pg.mkPen(colour, width=2.8, style=dash))
            shrink = min(1.0, length / pixel / (2.5 * HEAD_PX[0])) if pixel else 1.0   # a head never longer than its arrow
            angle = 180 - np.degrees(np.arctan2(arrow.vector[1], arrow.vector[0]))   # ArrowItem's 0 points left
            head.setStyle(angle=angle, headLen=HEAD_PX[0] * shrink, headWidth=HEAD_PX[1] * shrink,
                          brush=pg.mkBrush(colour))
            head.setPos(float(arrow.end[0]), float(arrow.end[1]))
            for item in (casing, line, head):
                item.setVisible(True)
        for (casing, line), shape in zip(self.curves, drawing.curves):
            colour, dash = role_style(shape.role, drawing.method)
            names.append((shape.name, colour, "◯" if len(shape.points) > 2 else "—"))
            pts = shape.points
            casing.setData(pts[:, 0], pts[:, 1], pen=pg.mkPen("#ffffff", width=4.5))
            line.setData(pts[:, 0], pts[:, 1], pen=pg.mkPen(colour, width=2.2, style=dash))
            casing.setVisible(True)
            line.setVisible(True)
        if drawing.marks:
            colours = [role_style(m.role, drawing.method)[0] for m in drawing.marks]
            self.marks.setData([m.point[0] for m in drawing.marks], [m.point[1] for m in drawing.marks], size=13,
                               symbol="s", brush=[pg.mkBrush(c) for c in colours], pen=pg.mkPen("#ffffff", width=2))
            self.marks.setVisible(True)
            names += [(m.name, c, "■") for m, c in zip(drawing.marks, colours)]
        if names and shown is not None:
            self.key.setHtml("<br>".join(f"<span style='color:{c}'>{s}</span> {html.escape(n)}" for n, c, s in names))
            # the bottom right corner on screen (top(): the smaller y); the batch key keeps to the left
            self.key.setPos(float(shown.right()), float(shown.top()))
            self.key.setVisible(True)
