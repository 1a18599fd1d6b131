"""What the 3D view paints over its GL picture, and the current-point dots.

Tick numbers, axis names, the crosses where paths leave the domain and the notes about them are
painted with one QPainter into an image that is kept until the camera, the pane or the content
changes (text through GL is slow), then drawn into the frame buffer GL has just filled: a QPainter
on the widget itself would land under the GL picture when a parent widget is grabbed, as exports do.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph.opengl as gl
from OpenGL import GL
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPen
from PySide6.QtOpenGL import QOpenGLPaintDevice

DOT_DEPTH = 0.4     # a dot or cross this close behind the surface (display units) still counts as seen
HIDDEN_OPACITY = 0.35
MAX_READ_PIXELS = 400_000   # one depth read of at most this rectangle; points further apart are read one by one


def depth_seen(view, points, tolerance: float) -> tuple[bool, ...]:
    """Which display points nothing drawn so far hides by more than `tolerance` display units,
    read from the depth buffer of the frame being drawn (call it while GL draws). One read of the
    rectangle around all the points: each read waits for GL to finish drawing (milliseconds on a
    software renderer), so one read, not one a point."""
    points = np.asarray(points, float).reshape(-1, 3)
    if not len(points):
        return ()
    ratio = view.devicePixelRatioF()
    near, far = view.opts["distance"] * 0.001, view.opts["distance"] * 1000.0   # as pyqtgraph projects
    width, height = view.width() * ratio, view.height() * ratio
    where = []
    for x, y, z in view.project(points, depth=True):
        col, row = int(x * ratio), int((view.height() - y) * ratio)
        inside = np.isfinite(z) and 0 <= col < width and 0 <= row < height
        where.append((col, row, z) if inside else None)
    found = [w for w in where if w is not None]
    if not found:
        return tuple(False for _ in where)
    c0, c1 = min(w[0] for w in found), max(w[0] for w in found)
    r0, r1 = min(w[1] for w in found), max(w[1] for w in found)
    if (c1 - c0 + 1) * (r1 - r0 + 1) > MAX_READ_PIXELS:   # far apart: a read each (still few)
        depth = {(c, r): _read(c, r, 1, 1)[0, 0] for c, r, _ in found}
    else:
        block = _read(c0, r0, c1 - c0 + 1, r1 - r0 + 1)
        depth = {(c, r): block[r - r0, c - c0] for c, r, _ in found}
    seen = []
    for w in where:
        if w is None:
            seen.append(False)
            continue
        col, row, z = w
        buffer = float(depth[(col, row)])
        eye = [2 * near * far / (far + near - (2 * d - 1) * (far - near)) for d in (z, buffer)]   # distances
        seen.append(bool(eye[0] <= eye[1] + tolerance))
    return tuple(seen)


def _read(col, row, w, h) -> np.ndarray:
    """(h, w) depth values of the frame buffer's rectangle from (col, row), rows bottom-up."""
    data = GL.glReadPixels(col, row, w, h, GL.GL_DEPTH_COMPONENT, GL.GL_FLOAT)
    return np.asarray(data, dtype=np.float32).reshape(h, w)


def dots_seen(view) -> dict[int, bool]:
    """For this frame, whether each CurrentPoint of `view` is wholly seen: all of them from one read,
    the first time a dot is drawn in the frame (the surface is in the depth buffer by then)."""
    frame = getattr(view, "frame", None)
    cache = view.__dict__.get("_dots_seen")
    if cache is not None and frame is not None and cache[0] == frame:
        return cache[1]
    dots = [item for item in view.items if isinstance(item, CurrentPoint) and item.visible()
            and item.pos is not None and len(item.pos)]
    points = [p for item in dots for p in np.asarray(item.pos, float).reshape(-1, 3)]
    flags = iter(depth_seen(view, points, DOT_DEPTH))
    result = {id(item): all([next(flags) for _ in range(len(np.asarray(item.pos).reshape(-1, 3)))]) for item in dots}
    view.__dict__["_dots_seen"] = (frame, result)
    return result


class CurrentPoint(gl.GLScatterPlotItem):
    """A run's current point: drawn whole over the surface where the surface does not hide it (with
    the depth test a dot loses the part a slope rises in front of), with the depth test where it does."""

    def setupGLState(self):
        super().setupGLState()
        if self.pos is not None and len(self.pos) and dots_seen(self.view()).get(id(self), False):
            GL.glDisable(GL.GL_DEPTH_TEST)


class FrameMarks:
    """Numbers, names, exit crosses and notes over the 3D view's frame."""

    def __init__(self, view):
        self.view = view
        self.notes: list[str] = []
        self.exits: list[tuple[np.ndarray, str, int]] = []    # (display point, colour, step)
        self.seen: tuple[bool, ...] = ()                      # which exits the surface does not hide
        self._key, self._image = None, None

    def paint(self) -> None:
        """Call after GL has drawn the frame."""
        view = self.view
        self.seen = depth_seen(view, [point for point, _, _ in self.exits], DOT_DEPTH)
        ratio = view.devicePixelRatioF()
        device = QOpenGLPaintDevice(round(view.width() * ratio), round(view.height() * ratio))
        device.setDevicePixelRatio(ratio)
        painter = QPainter(device)
        try:
            painter.drawImage(0, 0, self._picture(ratio))
        finally:
            painter.end()

    def _picture(self, ratio: float) -> QImage:
        view, o = self.view, self.view.opts
        key = (view.width(), view.height(), ratio, o["distance"], o["elevation"], o["azimuth"], tuple(o["center"]),
               o["fov"], view.axes.generation, tuple((step, colour) for _, colour, step in self.exits), self.seen,
               tuple(self.notes), view.font().key())
        if key != self._key:
            image = QImage(round(view.width() * ratio), round(view.height() * ratio),
                           QImage.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(ratio)
            image.fill(Qt.transparent)
            painter = QPainter(image)
            try:
                e, a = np.radians(o["elevation"]), np.radians(o["azimuth"])
                camera_dir = (np.cos(e) * np.cos(a), np.cos(e) * np.sin(a), np.sin(e))
                view.axes.paint(painter, view.project, camera_dir, view.font(), view.width(), view.height())
                self._paint_exits(painter)
            finally:
                painter.end()
            self._key, self._image = key, image
        return self._image

    def _paint_exits(self, painter: QPainter) -> None:
        """A cross where a path leaves the domain (faint where the surface hides it), labelled with the
        step; the notes in the top-left corner."""
        view = self.view
        font = view.axes.font(view.font(), view.width(), view.height())
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        r = 0.45 * metrics.height()
        for (point, colour, step), seen in zip(self.exits, self.seen):
            (x, y), = view.project(point[None])
            if not np.isfinite([x, y]).all():
                continue
            painter.setOpacity(1.0 if seen else HIDDEN_OPACITY)
            for width, pen_colour in ((6.0, QColor("#ffffff")), (3.0, QColor(colour))):
                painter.setPen(QPen(pen_colour, width, Qt.SolidLine, Qt.RoundCap))
                painter.drawLine(QPointF(x - r, y - r), QPointF(x + r, y + r))
                painter.drawLine(QPointF(x - r, y + r), QPointF(x + r, y - r))
            text = f"step {step}"
            right = x + 1.5 * r + metrics.horizontalAdvance(text) + 6 <= view.width()   # else on the left
            start = x + 1.5 * r if right else x - 1.5 * r - metrics.horizontalAdvance(text)
            boxed_text(painter, QPointF(start, max(y - 0.9 * r, metrics.height())), text, QColor(colour))
        painter.setOpacity(1.0)
        for k, note in enumerate(self.notes):
            boxed_text(painter, QPointF(0.6 * metrics.height(), (1.3 + 1.15 * k) * metrics.height()), note,
                       QColor("#111111"))


def boxed_text(painter: QPainter, baseline: QPointF, text: str, colour: QColor) -> None:
    """Text on a white card, readable over any class colour."""
    metrics = QFontMetricsF(painter.font())
    rect = metrics.boundingRect(text).translated(baseline).adjusted(-4, -1, 4, 1)
    painter.setPen(Qt.NoPen)
    painter.setBrush(QColor(255, 255, 255, 225))
    painter.drawRoundedRect(rect, 3, 3)
    painter.setPen(colour)
    painter.drawText(baseline, text)
