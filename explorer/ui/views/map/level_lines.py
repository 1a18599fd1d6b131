"""Level lines on the contour map: smooth, anti-aliased iso-lines at round values, a few of them labelled.

The values come from explorer.core.levels. Lines that would crowd into a band at the map's size
on screen are left out (`spaced_levels`), so a bigger pane or a zoom shows more of them; the
iso-lines are recomputed only when the surface, the display or that size changes, never per step.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsItem

from explorer.core.levels import levels_and_sub_levels, spaced_levels
from explorer.ui.views.drawing.palette import LEVEL_LINE

LEVEL_COUNT = 10
MIN_BAND_PX = 7          # neighbouring lines closer than this on average read as a band
MIN_BAND = (0.004, 0.05) # ... but never less or more than these fractions of the domain's smaller side
REFIT = 1.25             # a change of scale by this factor re-chooses the lines
MAX_LABELS = 6
LABEL_PT = 11
LABEL_SPACING_PX = 110   # labels keep this far apart
LABEL_HALF_PX = (34, 12) # and keep their centre this far inside the domain


def level_text(value: float) -> str:
    """A level's label: as short as the round number it is (2000, 0.05, 1e-05)."""
    return f"{value:.4g}".replace("e-0", "e-").replace("e+0", "e").replace("-", "−")


def _joined(lines: list[np.ndarray]) -> np.ndarray:
    """All levels' vertices in one array, pieces separated by NaN rows (one path to draw)."""
    gap = np.full((1, 2), np.nan)
    parts = [part for line in lines if line.size for part in (line, gap)]
    return np.concatenate(parts) if parts else np.empty((0, 2))


def _pieces(line: np.ndarray) -> list[np.ndarray]:
    breaks = np.flatnonzero(np.isnan(line[:, 0]))
    pieces = (piece[np.isfinite(piece[:, 0])] for piece in np.split(line, breaks))
    return [piece for piece in pieces if len(piece) > 1]


def label_spots(lines: list[np.ndarray], x_range, y_range, pixel: float) -> list[tuple[int, np.ndarray]]:
    """Where to write which level: (index, point) for up to MAX_LABELS levels spread over the levels, each
    on one of its longest pieces, apart from each other and inside the domain. pixel: data units a pixel."""
    (x0, x1), (y0, y1) = x_range, y_range
    margin = np.array(LABEL_HALF_PX) * pixel
    low, high = np.array([x0, y0]) + margin, np.array([x1, y1]) - margin
    spacing = LABEL_SPACING_PX * pixel
    drawn = [i for i, line in enumerate(lines) if line.size]
    if not drawn:
        return []
    stride = max(1, int(np.ceil(len(drawn) / MAX_LABELS)))
    spots: list[tuple[int, np.ndarray]] = []
    for i in drawn[len(drawn) - 1::-stride][::-1]:   # the highest level always, then every stride-th below it
        best, best_distance = None, 0.0
        for piece in sorted(_pieces(lines[i]), key=len, reverse=True)[:3]:
            arc = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(piece, axis=0).T))])
            if arc[-1] < 3 * margin[0]:
                continue   # too short to carry a label without hiding it
            for fraction in (0.5, 0.3, 0.7, 0.15, 0.85):
                p = piece[np.searchsorted(arc, fraction * arc[-1]).clip(0, len(piece) - 1)]
                if np.any(p < low) or np.any(p > high):
                    continue
                distance = min((np.hypot(*(p - q)) for _, q in spots), default=np.inf)
                if distance > best_distance:
                    best, best_distance = p, distance
        if best is not None and best_distance > spacing:
            spots.append((i, best))
    return spots


class LevelLines:
    """The level lines of the surface on show, fitted to the map's size on screen."""

    def __init__(self, view):
        self.view = view
        self.casing = pg.PlotCurveItem(connect="finite", antialias=True)
        self.major = pg.PlotCurveItem(connect="finite", antialias=True)
        self.minor = pg.PlotCurveItem(connect="finite", antialias=True)
        for z, item in enumerate((self.casing, self.minor, self.major)):
            item.setZValue(-20 + z)
            item.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
            view.addItem(item, ignoreBounds=True)
        self.casing.setPen(pg.mkPen((255, 255, 255, 200), width=3.6))
        self.major.setPen(pg.mkPen(LEVEL_LINE, width=1.6))
        self.minor.setPen(pg.mkPen(LEVEL_LINE, width=1.0, style=Qt.DashLine))
        self.labels: list[pg.TextItem] = []
        self.text_scale = 1.0
        self.font = QFont("Sans", LABEL_PT)
        self.font.setBold(True)
        self.labelled = True
        self.cased = False
        self.cmap = None
        self.candidates = self.major_candidates = np.empty(0)
        self.shown = np.empty(0)          # the levels drawn
        self.shown_major = np.empty(0)    # the drawn levels that are not sub-levels (labelled, on the colour bar)
        self._lines: list[np.ndarray] = []
        self._fitted_pixel = None

    def set_surface(self, cmap, log: bool, cased: bool, pixel: float | None) -> None:
        """A new surface or display: choose the candidate levels, then the lines that fit."""
        self.cmap = cmap
        self.candidates, minor = levels_and_sub_levels(cmap.z, log=log, count=LEVEL_COUNT)
        self.major_candidates = self.candidates[~minor]
        self.cased = cased
        self.casing.setVisible(cased)
        self._fitted_pixel = None
        self.fit(pixel)

    def fit(self, pixel: float | None) -> bool:
        """Keep the lines that do not crowd at `pixel` data units a pixel (None: not on screen yet).
        Returns whether the lines changed; a small change of scale keeps them."""
        if self.cmap is None:
            return False
        if self._fitted_pixel is not None and pixel is not None and 1 / REFIT < pixel / self._fitted_pixel < REFIT:
            return False
        cmap = self.cmap
        size = min(cmap.x[-1] - cmap.x[0], cmap.y[-1] - cmap.y[0])
        width = MIN_BAND_PX * pixel if pixel else 0.015 * size
        width = float(np.clip(width, MIN_BAND[0] * size, MIN_BAND[1] * size))
        self.shown, self._lines = spaced_levels(cmap.x, cmap.y, cmap.z, self.candidates, width)
        self._fitted_pixel = pixel
        is_minor = ~np.isin(self.shown, self.major_candidates)
        self.shown_major = self.shown[~is_minor]
        major = _joined([line for line, m in zip(self._lines, is_minor) if not m])
        minor = _joined([line for line, m in zip(self._lines, is_minor) if m])
        self.major.setData(major[:, 0], major[:, 1])
        self.minor.setData(minor[:, 0], minor[:, 1])
        cased = _joined(self._lines) if self.cased else np.empty((0, 2))
        self.casing.setData(cased[:, 0], cased[:, 1])
        self.place_labels(pixel)
        return True

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = scale
        self.font.setPointSizeF(LABEL_PT * scale)
        for label in self.labels:
            label.setFont(self.font)

    def place_labels(self, pixel: float | None) -> None:
        cmap = self.cmap
        if cmap is None:
            return
        pixel = pixel or 0.004 * min(cmap.x[-1] - cmap.x[0], cmap.y[-1] - cmap.y[0])
        is_major = np.isin(self.shown, self.major_candidates)
        lines = [line for line, m in zip(self._lines, is_major) if m]
        # a bigger text needs as much more room
        spots = label_spots(lines, (cmap.x[0], cmap.x[-1]), (cmap.y[0], cmap.y[-1]),
                            pixel * self.text_scale) if self.labelled else []
        while len(self.labels) > len(spots):
            self.view.removeItem(self.labels.pop())
        while len(self.labels) < len(spots):
            label = pg.TextItem(anchor=(0.5, 0.5), color="#111111", fill=pg.mkBrush(255, 255, 255, 215))
            label.setFont(self.font)
            label.setZValue(-5)
            self.view.addItem(label, ignoreBounds=True)
            self.labels.append(label)
        for label, (i, point) in zip(self.labels, spots):
            label.setText(level_text(self.shown_major[i]))
            label.setPos(float(point[0]), float(point[1]))
