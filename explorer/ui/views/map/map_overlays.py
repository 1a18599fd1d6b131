"""What the map shows at the selected run's point: the −∇f arrow, the Hessian's eigenvector axes scaled by
curvature, and the level sets of the local quadratic model (from explorer.core.models) with Newton's
geometry (from explorer.core.newton_geometry): the model's stationary point, named; where pure Newton
lands (on it); damped Newton's |λ| model and the point its backtracking stops at.

The arrow is s·(−∇f) long, s the picture's scale (explorer.core.arrow_scale: fixed while stepping, stated
by the map's key), so it shrinks to nothing at a stationary point. For a mini-batched run the batch's
gradient gets its own arrow (BATCH_COLOUR, dashed) beside −∇L's on the same s: their lengths compare as
the gradients' do; their directions are exact."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from explorer.core.calculus import curvature_class
from explorer.core.levels import contour_levels, iso_lines
from explorer.core.models import quadratic_model
from explorer.ui.views.map.batch_overlay import BATCH_COLOUR
from explorer.ui.views.drawing.palette import AXIS_COLOUR, CLASS_LINE_COLOURS, GRADIENT_COLOUR, MODEL_COLOUR

MODEL_RADIUS = 2.0  # the quadratic model is drawn on a disc this many arrow lengths wide
MODEL_GRID = 61
LABEL_PT = 10
HEAD_PX = (18, 14)   # an arrow head's length and width in pixels, smaller on an arrow shorter than 2.5 heads
SHORTEST_PX = 2.0    # an arrow drawn shorter than this is not drawn (the key still gives |∇f|)
SHORTEST_SHARE = 0.01   # the same before the pane has a size: this share of the eigen axes' length


def _segment(start, end) -> tuple[np.ndarray, np.ndarray]:
    return np.array([start[0], end[0]]), np.array([start[1], end[1]])


class MapOverlays:
    def __init__(self, view):
        def curve(z, **options):
            item = pg.PlotCurveItem(antialias=True, **options)
            item.setZValue(z)
            view.addItem(item, ignoreBounds=True)
            return item

        self.model = curve(5, connect="finite")
        self.gradient_casing = curve(14)
        self.gradient = curve(15)
        self.head = pg.ArrowItem(headLen=HEAD_PX[0], headWidth=HEAD_PX[1], tailLen=0,
                                 pen=pg.mkPen("#ffffff", width=1.5), brush=GRADIENT_COLOUR)
        self.head.setZValue(16)
        view.addItem(self.head, ignoreBounds=True)
        self.batch_casing, self.batch_line = curve(14), curve(15)   # the batch's −∇L_B, beside −∇L
        self.batch_head = pg.ArrowItem(headLen=HEAD_PX[0], headWidth=HEAD_PX[1], tailLen=0,
                                       pen=pg.mkPen("#ffffff", width=1.5), brush=BATCH_COLOUR)
        self.batch_head.setZValue(16)
        view.addItem(self.batch_head, ignoreBounds=True)
        self.batch_casing.setPen(pg.mkPen("#ffffff", width=6))
        self.batch_line.setPen(pg.mkPen(BATCH_COLOUR, width=3.2, style=Qt.DashLine))
        self.axes = [(curve(12), curve(13)) for _ in range(2)]
        font = QFont("Sans", LABEL_PT)
        self.axis_labels = []
        for _ in range(2):
            label = pg.TextItem(anchor=(0, 1), fill=pg.mkBrush(255, 255, 255, 200))
            label.setFont(font)
            label.setZValue(13)
            view.addItem(label, ignoreBounds=True)
            self.axis_labels.append(label)
        self.model.setPen(pg.mkPen(MODEL_COLOUR, width=2.2, style=Qt.DashLine))
        self.modified = curve(5, connect="finite")          # damped Newton's |λ| model: always a bowl
        self.modified.setPen(pg.mkPen(MODEL_COLOUR, width=1.6, style=Qt.DotLine))
        self.step_casing, self.step = curve(16), curve(17)  # the Newton (or damped) step from the point
        self.step_casing.setPen(pg.mkPen("#ffffff", width=5))
        self.step.setPen(pg.mkPen(MODEL_COLOUR, width=2.5))
        self.marks = pg.ScatterPlotItem(pxMode=True)        # the model's stationary point, the damped step's end
        self.marks.setZValue(18)
        view.addItem(self.marks, ignoreBounds=True)
        self.mark_labels = []
        for _ in range(2):
            label = pg.TextItem(anchor=(0, 1), fill=pg.mkBrush(255, 255, 255, 215), color=MODEL_COLOUR)
            label.setFont(font)
            label.setZValue(18)
            view.addItem(label, ignoreBounds=True)
            self.mark_labels.append(label)
        self._shown, self._pixel = None, None
        self.gradient_casing.setPen(pg.mkPen("#ffffff", width=6))
        self.gradient.setPen(pg.mkPen(GRADIENT_COLOUR, width=3.5))
        self.hide()

    def set_text_scale(self, scale: float) -> None:
        font = QFont("Sans")
        font.setPointSizeF(LABEL_PT * scale)
        for label in (*self.axis_labels, *self.mark_labels):
            label.setFont(font)

    def hide(self) -> None:
        for item in self._items():
            item.setVisible(False)

    def _items(self):
        return (self.model, self.gradient_casing, self.gradient, self.head, self.batch_casing, self.batch_line,
                self.batch_head, *self.axis_labels,
                *(item for pair in self.axes for item in pair), self.modified, self.step_casing, self.step,
                self.marks, *self.mark_labels)

    def draw(self, analysis, overlays: dict, length: float, domain, levels: np.ndarray, shown=None,
             pixel: float | None = None, geometry=None, method: str | None = None, batch_gradient=None,
             scale: float = 0.0) -> None:
        """Overlays at `analysis.point` (None: nothing to show): the −∇f arrow at `scale` (data units per unit
        of gradient), eigen axes `length` long (data units), the model on a disc twice that; levels: the
        map's, which the model's level sets reuse; shown: the part of the plane on screen (a QRectF) and
        pixel its data units a pixel, to keep the λ labels on screen;
        geometry: the selected run's NewtonGeometry (drawn with the model), method: that run's method;
        batch_gradient: a mini-batched run's ∇L_B at the point (its arrow is drawn beside −∇L's)."""
        self._shown, self._pixel = shown, pixel
        if analysis is None or not (np.isfinite(analysis.value) and np.all(np.isfinite(analysis.hessian))):
            self.hide()
            return
        p = np.asarray(analysis.point, dtype=float)
        show = overlays.get("gradient", False)
        least = SHORTEST_PX * pixel if pixel else SHORTEST_SHARE * length   # shorter arrows are not drawn
        self._arrow(p, analysis.gradient, scale, show, least, (self.gradient_casing, self.gradient, self.head))
        self._arrow(p, batch_gradient, scale, show and batch_gradient is not None, least,
                    (self.batch_casing, self.batch_line, self.batch_head))
        self._axes(p, analysis, length, overlays.get("eigenvectors", False))
        show_model = overlays.get("quadratic_model", False)
        radius = MODEL_RADIUS * length
        if show_model and geometry is not None:   # wide enough to hold the points Newton's geometry names
            reach = [q for q in (geometry.model.stationary, geometry.damped_point) if q is not None]
            (x0, x1), (y0, y1) = domain
            far = max([float(np.linalg.norm(np.asarray(q) - p)) for q in reach], default=0.0)
            radius = min(max(radius, 1.15 * far), float(np.hypot(x1 - x0, y1 - y0)))
        self._model(p, analysis, radius, domain, levels, show_model)
        self._newton(p, geometry if show_model else None, method, radius, domain)

    def _arrow(self, p, g, scale, show, least, items) -> None:
        """−g from p, `scale` data units per unit of gradient (steepest descent; its length compares); not drawn
        shorter than `least` data units (at a stationary point rounding alone would point it)."""
        casing, line, head = items
        norm = float(np.linalg.norm(g)) if show else 0.0
        show = bool(show and norm > 0 and scale > 0 and np.isfinite(norm) and scale * norm >= least)
        drawn = scale * norm / self._pixel if self._pixel else math.inf   # pixels
        if show:
            tip = p - scale * np.asarray(g, float)
            for item in (casing, line):
                item.setData(*_segment(p, tip))
            direction = -np.asarray(g) / norm
            shrink = min(1.0, drawn / (2.5 * HEAD_PX[0]))   # a head never longer than its arrow
            # ArrowItem's angle 0 points left; its tip sits at its position
            head.setStyle(angle=180 - np.degrees(np.arctan2(direction[1], direction[0])),
                          headLen=HEAD_PX[0] * shrink, headWidth=HEAD_PX[1] * shrink)
            head.setPos(float(tip[0]), float(tip[1]))
        for item in items:
            item.setVisible(show)

    def _axes(self, p, a, length, show) -> None:
        biggest = float(np.max(np.abs(a.eigenvalues))) if show else 0.0
        for (casing, line), label, lam, v in zip(self.axes, self.axis_labels, a.eigenvalues, a.eigenvectors.T):
            visible = show and biggest > 0
            if visible:
                half = length * abs(lam) / biggest   # scaled by curvature: the stiffer direction is the longer axis
                half = max(half, 0.06 * length)
                bar = 0.12 * length * np.array([-v[1], v[0]])   # end bars: an axis, not a path
                a_end, b_end = p - half * v, p + half * v
                pts = np.array([a_end, b_end, [np.nan] * 2, a_end - bar, a_end + bar, [np.nan] * 2,
                                b_end - bar, b_end + bar])
                casing.setData(pts[:, 0], pts[:, 1], connect="finite", pen=pg.mkPen("#ffffff", width=5.5))
                line.setData(pts[:, 0], pts[:, 1], connect="finite", pen=pg.mkPen(AXIS_COLOUR, width=2.5))
                sign = curvature_class(np.array([lam, lam]))
                label.setText(f"λ = {lam:.3g}".replace("-", "−"), color=CLASS_LINE_COLOURS[sign])
                # at the end pointing right (or up), the text running away from the point
                out = v if (v[0], v[1]) > (0, 0) or (v[0] == 0 and v[1] > 0) else -v
                end = p + half * out
                right, up = out[0] >= -1e-9, out[1] >= 0
                if self._shown is not None and self._pixel:   # a label that would leave the pane turns back
                    text = label.boundingRect()
                    right = right and end[0] + text.width() * self._pixel < self._shown.right()
                    up = up and end[1] + text.height() * self._pixel < self._shown.bottom()   # bottom(): the larger y
                label.setAnchor((0.0 if right else 1.0, 1.0 if up else 0.0))
                label.setPos(float(end[0]), float(end[1]))
            for item in (casing, line, label):
                item.setVisible(visible)

    def _model(self, p, a, radius, domain, levels, show) -> None:
        self.model.setVisible(show)
        if not show:
            return
        u = np.linspace(-radius, radius, MODEL_GRID)
        dx, dy = np.meshgrid(u, u, indexing="ij")
        values = quadratic_model(a)(dx, dy)
        (x0, x1), (y0, y1) = domain
        outside = (p[0] + dx < x0) | (p[0] + dx > x1) | (p[1] + dy < y0) | (p[1] + dy > y1)
        values[(np.hypot(dx, dy) > radius) | outside] = np.nan   # a disc around the point (local), in the domain
        inside = values[np.isfinite(values)]
        chosen = levels[(levels > inside.min()) & (levels < inside.max())] if inside.size else levels[:0]
        if chosen.size < 3:   # the map's levels are too sparse here: the model's own round levels
            chosen = contour_levels(values, count=6, subdivide=False)
        chosen = np.union1d(chosen, [a.value])   # the level through the point: tangent to f's own level line
        lines = iso_lines(p[0] + u, p[1] + u, values, chosen)
        gap = np.full((1, 2), np.nan)
        joined = np.concatenate([part for line in lines for part in (line, gap)]) if lines else np.empty((0, 2))
        self.model.setData(joined[:, 0], joined[:, 1])

    def _newton(self, p, geometry, method, radius, domain) -> None:
        """The model's stationary point named; pure Newton's step onto it; damped Newton's |λ| bowl and step."""
        for item in (self.modified, self.step_casing, self.step, self.marks, *self.mark_labels):
            item.setVisible(False)
        if geometry is None:
            return
        model, spots, labels = geometry.model, [], []
        if model.stationary is not None and np.all(np.isfinite(model.stationary)):
            spots.append((model.stationary, "+" if model.kind == "saddle" else "o"))
            labels.append(f"the model's {model.kind}" if method != "newton"
                          else f"the model's {model.kind}:\npure Newton lands here")
        step_to = None
        if method == "newton":
            step_to = model.stationary
        elif method == "damped-newton" and geometry.modified is not None:
            u = np.linspace(-radius, radius, MODEL_GRID)
            values = geometry.modified.values(p[0] + u[:, None], p[1] + u[None, :])
            values[np.hypot(*np.meshgrid(u, u, indexing="ij")) > radius] = np.nan
            lines = iso_lines(p[0] + u, p[1] + u, values, geometry.modified.levels(7))
            gap = np.full((1, 2), np.nan)
            joined = np.concatenate([part for line in lines for part in (line, gap)]) if lines else np.empty((0, 2))
            self.modified.setData(joined[:, 0], joined[:, 1])
            self.modified.setVisible(True)
            if geometry.damped_point is not None:
                step_to = geometry.damped_point
                spots.append((geometry.damped_point, "t"))
                labels.append(f"damped Newton's step, t = {geometry.step_length:.3g}:\n"
                              "downhill on the |λ| bowl (dotted)")
        if step_to is not None and np.all(np.isfinite(step_to)):
            for item in (self.step_casing, self.step):
                item.setData(*_segment(p, step_to))
                item.setVisible(True)
        if spots:
            self.marks.setData([q[0] for q, _ in spots], [q[1] for q, _ in spots], symbol=[m for _, m in spots],
                               size=16, brush=pg.mkBrush(MODEL_COLOUR), pen=pg.mkPen("#ffffff", width=2))
            self.marks.setVisible(True)
        for label, (q, _), text in zip(self.mark_labels, spots, labels):
            label.setText(text)
            x = float(q[0])   # text above its point, starting there, moved left as far as the pane needs
            if self._shown is not None and self._pixel:
                width = label.boundingRect().width() * self._pixel
                x = max(min(x, self._shown.right() - width), self._shown.left())
            label.setAnchor((0.0, 1.0))
            label.setPos(x, float(q[1]))
            label.setVisible(True)
