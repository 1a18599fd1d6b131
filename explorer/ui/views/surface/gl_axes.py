"""The 3D view's axes: a floor grid at round x and y values, and tick numbers on x, y and f.

The grid is GL lines (hidden by the surface where it is in front). The numbers and axis names are
painted in one QPainter pass over the finished frame, at the projections of their 3D anchors, on
the box edges nearest the camera, pushed outwards by a few pixels and never on top of each other.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph.opengl as gl
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetricsF, QPainter, QPen

TICK_COLOUR = QColor("#2b2b2b")
TITLE_COLOUR = QColor("#111111")
LABEL_SHARE = 0.028     # label height as a share of the pane's smaller side (bigger panes, bigger type)
GAP_EM = 0.45           # space between an edge and its numbers, in label heights


class AxisFrame:
    """Owns the floor grid items; paints the numbers and names when asked (explorer.ui.views.surface.surface_marks)."""

    def __init__(self, view):
        self.view = view
        self.grid = gl.GLLinePlotItem(mode="lines", color=(0, 0, 0, 0.16), width=1, antialias=True,
                                      glOptions="translucent")
        self.outline = gl.GLLinePlotItem(mode="line_strip", color=(0.2, 0.2, 0.2, 1), width=1.5, antialias=True,
                                         glOptions="translucent")
        for item in (self.grid, self.outline):
            item.setVisible(False)
            view.addItem(item)
        self.box = None          # (hx, hy, floor, top) in display units
        self.x_ticks: list[tuple[float, float, str]] = []    # (value, display coordinate, text)
        self.y_ticks: list[tuple[float, float, str]] = []
        self.f_ticks: list[tuple[float, float, str]] = []
        self.generation = 0      # counts changes, so a painted copy knows when it is stale
        self.height_name = "f"   # the vertical axis' name: f, or a field's |F|, u or v
        self.axis_names = ("x", "y")   # the horizontal axes' names: a fit's are two trained parameters

    def set_axes(self, box, x_ticks, y_ticks, f_ticks) -> None:
        """The box (hx, hy, floor, top) and the ticks of each axis as (value, display coordinate, text)."""
        self.box, self.x_ticks, self.y_ticks, self.f_ticks = box, list(x_ticks), list(y_ticks), list(f_ticks)
        self.generation += 1
        hx, hy, floor, _ = box
        lines = [((d, -hy, floor), (d, hy, floor)) for _, d, _ in self.x_ticks if abs(abs(d) - hx) > 1e-6]
        lines += [((-hx, d, floor), (hx, d, floor)) for _, d, _ in self.y_ticks if abs(abs(d) - hy) > 1e-6]
        if lines:
            self.grid.setData(pos=np.array(lines, dtype=float).reshape(-1, 3))
        self.grid.setVisible(bool(lines))
        ring = np.array([(-hx, -hy), (hx, -hy), (hx, hy), (-hx, hy), (-hx, -hy)], dtype=float)
        self.outline.setData(pos=np.column_stack([ring, np.full(5, floor)]))
        self.outline.setVisible(True)

    def labels(self) -> dict[str, list[tuple[float, str]]]:
        """The tick values and texts on each axis (what a test or a legend can read)."""
        return {name: [(v, t) for v, _, t in ticks]
                for name, ticks in (("x", self.x_ticks), ("y", self.y_ticks), ("f", self.f_ticks))}

    # ---------------------------------------------------------------- painting
    def font(self, base: QFont, width: int, height: int, title=False) -> QFont:
        font = QFont(base)
        px = max(1.1 * QFontInfo(base).pixelSize(), LABEL_SHARE * min(width, height))
        font.setPixelSize(round(px * (1.25 if title else 1.0)))
        font.setBold(title)
        return font

    def paint(self, painter: QPainter, project, camera_dir, base_font: QFont, width: int, height: int) -> None:
        """Draw the numbers; `project` maps (n, 3) display points to (n, 2) pixels (nan behind the camera)."""
        if self.box is None:
            return
        hx, hy, floor, top = self.box
        sx = 1.0 if camera_dir[0] >= 0 else -1.0      # the edges nearest the camera carry the numbers
        sy = 1.0 if camera_dir[1] >= 0 else -1.0
        corners = np.array([(a * hx, b * hy, floor) for a in (-1, 1) for b in (-1, 1)])
        left = corners[int(np.nanargmin(project(corners)[:, 0]))]   # f stands at the corner seen leftmost
        tick_font, title_font = self.font(base_font, width, height), self.font(base_font, width, height, True)
        gap = GAP_EM * QFontMetricsF(tick_font).height()
        taken: list[QRectF] = []
        painter.setRenderHint(QPainter.Antialiasing)
        pen = QPen(TICK_COLOUR, 1.3)
        painter.setPen(pen)
        f_bottom, f_top = project(np.array([(left[0], left[1], floor), (left[0], left[1], top)]))
        if np.all(np.isfinite([f_bottom, f_top])):
            painter.drawLine(QPointF(*f_bottom), QPointF(*f_top))
        # a number at the foot of the f axis would read as a value of f: x and y leave that corner out
        x_ticks = [(t, (d, sy * hy, floor)) for _, d, t in self.x_ticks
                   if not (np.isclose(d, left[0]) and np.isclose(sy * hy, left[1]))]
        y_ticks = [(t, (sx * hx, d, floor)) for _, d, t in self.y_ticks
                   if not (np.isclose(d, left[1]) and np.isclose(sx * hx, left[0]))]
        groups = [
            (self.axis_names[0], x_ticks, (0.0, sy, 0.0), (0.0, sy * hy, floor)),
            (self.axis_names[1], y_ticks, (sx, 0.0, 0.0), (sx * hx, 0.0, floor)),
            (self.height_name, [(t, (left[0], left[1], d)) for _, d, t in self.f_ticks],
             (np.sign(left[0]) / np.sqrt(2), np.sign(left[1]) / np.sqrt(2), 0.0), None),
        ]
        for name, ticks, outward, middle in groups:
            reach = self._paint_ticks(painter, project, ticks, np.array(outward), tick_font, gap, taken)
            painter.setFont(title_font)
            painter.setPen(TITLE_COLOUR)
            if middle is not None:
                anchor = np.array(middle)
                self._place(painter, project, anchor, np.array(outward), name, gap + reach + 0.4 * gap, taken,
                            force=True)
            else:
                self._place(painter, project, np.array([left[0], left[1], top]), np.array([0.0, 0.0, 1.0]),
                            name, gap, taken, force=True)
            painter.setPen(pen)

    def _paint_ticks(self, painter, project, ticks, outward, font, gap, taken) -> float:
        """Tick marks and numbers along one edge; returns how far out the numbers reach (pixels)."""
        painter.setFont(font)
        reach = 0.0
        for text, anchor in ticks:
            anchor = np.array(anchor)
            placed = self._place(painter, project, anchor, outward, text, gap, taken)
            if placed is not None:
                start, direction, extent = placed
                painter.drawLine(QPointF(*start), QPointF(*(start + direction * 0.7 * gap)))
                reach = max(reach, extent)
        return reach

    @staticmethod
    def _place(painter, project, anchor, outward, text, gap, taken, force=False):
        """Draw `text` just outside `anchor` in the direction `outward` points on screen; skip it if it overlaps."""
        scale = 0.05 * max(1.0, float(np.linalg.norm(anchor)))
        p0, p1 = project(np.array([anchor, anchor + scale * outward]))
        if not np.all(np.isfinite([p0, p1])):
            return None
        direction = p1 - p0
        length = np.linalg.norm(direction)
        direction = direction / length if length > 1e-6 else np.array([0.0, -1.0])
        metrics = QFontMetricsF(painter.font())
        w, h = metrics.horizontalAdvance(text), metrics.capHeight() * 1.25
        extent = 0.5 * (abs(direction[0]) * w + abs(direction[1]) * h)
        centre = p0 + direction * (gap + extent)
        rect = QRectF(centre[0] - w / 2, centre[1] - h / 2, w, h)
        if not force and any(rect.adjusted(-3, -2, 3, 2).intersects(r) for r in taken):
            return None
        taken.append(rect)
        painter.drawText(QPointF(rect.left(), rect.bottom() - 0.12 * h), text)
        return p0, direction, 2 * extent
