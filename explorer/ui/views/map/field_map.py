"""What the contour map draws over a field's colours: arrows of F, the zero curves u = 0 and v = 0 (their
crossings are the roots), det J = 0 (the fold), and the Jacobian lens's circle with its draggable centre.

Every array comes from the core (`FieldPicture`); this only turns them into pyqtgraph items.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QFont

from explorer.ui.views.drawing.field_palette import ARROW_COLOUR, FOLD, LENS_COLOUR, ZERO_U, ZERO_V

HEAD_ANGLE = np.radians(26)   # the arrowhead's half-angle
HEAD_SHARE = 0.32             # of the arrow's length
LABEL_PT = 11
CIRCLE_POINTS = 97
LABEL_PLACES = (0.5, 0.3, 0.7, 0.15, 0.85)   # along a piece of a zero curve
LABEL_HALF_PX = (34, 12)                     # a label's centre stays this far inside the domain


def arrow_segments(tails: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """(9k, 2) vertices: each arrow's shaft and the two strokes of its head, pieces separated by NaN rows."""
    tips = tails + vectors
    head = -HEAD_SHARE * vectors
    c, s = np.cos(HEAD_ANGLE), np.sin(HEAD_ANGLE)
    left = tips + np.stack([c * head[:, 0] - s * head[:, 1], s * head[:, 0] + c * head[:, 1]], axis=1)
    right = tips + np.stack([c * head[:, 0] + s * head[:, 1], -s * head[:, 0] + c * head[:, 1]], axis=1)
    gap = np.full_like(tails, np.nan)
    return np.stack([tails, tips, gap, tips, left, gap, tips, right, gap], axis=1).reshape(-1, 2)


def label_spot(curve: np.ndarray, other: np.ndarray, low, high) -> np.ndarray | None:
    """A point of `curve` inside [low, high] at one of a few places along its pieces, the farthest from the
    points `other` (the other curve, the runs' points)."""
    finite = other[np.all(np.isfinite(other), axis=1)]
    best, best_distance = None, -1.0
    for piece in np.split(curve, np.flatnonzero(np.isnan(curve[:, 0]))):
        piece = piece[np.all(np.isfinite(piece), axis=1)]
        if len(piece) < 2:
            continue
        for fraction in LABEL_PLACES:
            point = piece[int(fraction * (len(piece) - 1))]
            if np.any(point < low) or np.any(point > high):
                continue
            distance = float(np.min(np.linalg.norm(finite - point, axis=1))) if len(finite) else np.inf
            if distance > best_distance:
                best, best_distance = point, distance
    return best


def circle(centre, radius: float, points: int = CIRCLE_POINTS) -> np.ndarray:
    t = np.linspace(0.0, 2 * np.pi, points)
    return np.asarray(centre, float) + radius * np.stack([np.cos(t), np.sin(t)], axis=1)


class FieldMapLayer:
    """The field's items on a ContourView; `draw(picture, colouring)`, `draw_lens(spec)`, `hide()`."""

    def __init__(self, view, on_lens_moved, on_lens_released):
        self.view = view

        def curve(z, name_colour_dash_width=None, **options):
            item = pg.PlotCurveItem(connect="finite", antialias=True, **options)
            if name_colour_dash_width is not None:
                _, colour, dash, width = name_colour_dash_width
                item.setPen(pg.mkPen(colour, width=width, style=dash))
            item.setZValue(z)
            view.addItem(item, ignoreBounds=True)
            return item

        self.arrows = curve(-12)
        self.arrows.setPen(pg.mkPen(ARROW_COLOUR, width=1.3))
        self.fold_casing, self.fold = curve(-9), curve(-8, FOLD)
        self.zero_casings = [curve(-7), curve(-7)]
        self.zero_u, self.zero_v = curve(-6, ZERO_U), curve(-6, ZERO_V)
        for casing in (self.fold_casing, *self.zero_casings):
            casing.setPen(pg.mkPen((255, 255, 255, 210), width=5.0))
        self.font = QFont("Sans", LABEL_PT)
        self.font.setBold(True)
        self.labels = []
        for name, colour, _, _ in (ZERO_U, ZERO_V):
            label = pg.TextItem(name, color=colour, anchor=(0.5, 0.5), fill=pg.mkBrush(255, 255, 255, 215))
            label.setFont(self.font)
            label.setZValue(-4)
            view.addItem(label, ignoreBounds=True)
            self.labels.append(label)
        self.lens_casing, self.lens_circle = curve(24), curve(25)
        self.lens_casing.setPen(pg.mkPen("#ffffff", width=5.5))
        self.lens_circle.setPen(pg.mkPen(LENS_COLOUR, width=2.5))
        self.target = pg.TargetItem(pos=(0, 0), size=18, pen=pg.mkPen(LENS_COLOUR, width=2.5),
                                    hoverPen=pg.mkPen("#000000", width=3), movable=True)
        self.target.setZValue(26)
        self.target.setToolTip("The Jacobian lens: drag it (or Ctrl+click the map) to look elsewhere")
        view.addItem(self.target, ignoreBounds=True)
        self.target.sigPositionChanged.connect(lambda item: on_lens_moved(item.pos().x(), item.pos().y()))
        self.target.sigPositionChangeFinished.connect(lambda _: on_lens_released())
        self.picture = None
        self.avoid = np.empty((0, 2))
        self.text_scale = 1.0
        self.hide()

    def _items(self):
        return (self.arrows, self.fold_casing, self.fold, *self.zero_casings, self.zero_u, self.zero_v, *self.labels,
                self.lens_casing, self.lens_circle, self.target)

    def hide(self) -> None:
        self.picture = None
        for item in self._items():
            item.setVisible(False)

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = scale
        self.font.setPointSizeF(LABEL_PT * scale)
        for label in self.labels:
            label.setFont(self.font)

    def draw(self, picture, colouring: str, pixel: float | None) -> None:
        """Arrows and curves of `picture`; det J = 0 only when colouring by orientation."""
        self.picture = picture
        a = picture.arrows
        if a is not None and len(a.tails):
            segments = arrow_segments(a.tails, a.vectors)
            self.arrows.setData(segments[:, 0], segments[:, 1])
        self.arrows.setVisible(a is not None and len(a.tails) > 0)
        show_fold = colouring == "orientation" and len(picture.fold) > 0
        for item in (self.fold_casing, self.fold):
            if show_fold:
                item.setData(picture.fold[:, 0], picture.fold[:, 1])
            item.setVisible(show_fold)
        for casing, line, points in ((self.zero_casings[0], self.zero_u, picture.zero_u),
                                     (self.zero_casings[1], self.zero_v, picture.zero_v)):
            for item in (casing, line):
                if len(points):
                    item.setData(points[:, 0], points[:, 1])
                item.setVisible(len(points) > 0)
        self.place_labels(pixel)

    def place_labels(self, pixel: float | None, avoid=None) -> None:
        """'u = 0' and 'v = 0' on their curves, inside the domain, as far as can be from the other curve
        (where they cross is a root: a label there would hide it) and from the points `avoid` (runs)."""
        if avoid is not None:
            self.avoid = np.asarray(avoid, dtype=float).reshape(-1, 2)
        p = self.picture
        for label in self.labels:
            label.setVisible(False)
        if p is None:
            return
        pixel = (pixel or 0.004 * min(np.ptp(p.x), np.ptp(p.y))) * self.text_scale
        low = np.array([p.x[0], p.y[0]]) + np.array(LABEL_HALF_PX) * pixel
        high = np.array([p.x[-1], p.y[-1]]) - np.array(LABEL_HALF_PX) * pixel
        curves = (p.zero_u, p.zero_v)
        for label, curve, other in zip(self.labels, curves, curves[::-1]):
            spot = label_spot(curve, np.vstack([other.reshape(-1, 2), self.avoid]), low, high)
            if spot is not None:
                label.setPos(float(spot[0]), float(spot[1]))
                label.setVisible(True)

    def draw_lens(self, spec, shown: bool) -> None:
        """The lens's circle (true radius) and its draggable centre."""
        for item in (self.lens_casing, self.lens_circle, self.target):
            item.setVisible(shown)
        if not shown:
            return
        ring = circle(spec.point, spec.radius)
        for item in (self.lens_casing, self.lens_circle):
            item.setData(ring[:, 0], ring[:, 1])
        with QSignalBlocker(self.target):
            self.target.setPos(*spec.point)
