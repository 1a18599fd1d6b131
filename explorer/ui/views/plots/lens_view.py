"""The Jacobian lens: a small circle of inputs around a point (left, the x-y plane) and its two images in the
output plane (right, u-v): the true image F(circle), curved, and the linear image F(p) + J·(circle − p), an
ellipse with semi-axes rσ₁, rσ₂. As the radius shrinks the two meet: the derivative, seen.

Both planes keep one scale for both axes. Every number and curve comes from the core (`core.lens`).
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from explorer.ui.views.drawing.field_palette import LENS_COLOUR, LINEAR_COLOUR

SLIDER_STEPS = 200
TICK_PT, TITLE_PT = 9, 10
SIDE_EM = 22                 # the column of numbers, in average character widths
INPUT_TITLE, OUTPUT_TITLE = "inputs (x, y)", "outputs (u, v)"
KEY = (f"<span style='color:{LENS_COLOUR}'>━</span> circle, F(circle)<br>"
       f"<span style='color:{LINEAR_COLOUR}'>╍</span> F(p) + J·(circle − p)")
RADIUS_RANGE = (1e-3, 0.5)   # of the domain's smaller side, on a log scale
PADDING = 0.12
MAX_HALF_SPAN = 1e100     # beyond this a frame is not moved: the points are not drawable as numbers on an axis
AXIS_COLOUR = "#8a8a8a"


def radius_of(step: int, side: float) -> float:
    """The radius at slider position `step` (log scale over RADIUS_RANGE × side)."""
    lo, hi = (math.log10(v * side) for v in RADIUS_RANGE)
    return 10 ** (lo + (hi - lo) * step / SLIDER_STEPS)


def step_of(radius: float, side: float) -> int:
    lo, hi = (math.log10(v * side) for v in RADIUS_RANGE)
    return int(round(np.clip((math.log10(radius) - lo) / (hi - lo), 0, 1) * SLIDER_STEPS))


def number(v: float) -> str:
    return f"{v:.4g}".replace("-", "−")


class Plane(pg.PlotWidget):
    """One plane of the lens: equal scale on both axes, no interaction but the wheel."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent, background="#ffffff")
        self.setAspectLocked(True, ratio=1)
        self.disableAutoRange()   # framed by frame() alone: pyqtgraph's own cannot range points past ±1e308
        self.setMenuEnabled(False)
        self.setFocusPolicy(Qt.NoFocus)
        self.setMinimumSize(100, 90)
        self.showGrid(x=True, y=True, alpha=0.18)
        for side in ("bottom", "left"):
            axis = self.getAxis(side)
            axis.setTextPen("#222222")
            axis.setPen("#555555")
            axis.enableAutoSIPrefix(False)
        self.setTitle(title, color="#222222", size=f"{TITLE_PT}pt")   # a title, not a rotated 'v' on the left axis (it reads as '>')

    def curve(self, colour, width=2.5, dash=Qt.SolidLine, z=0):
        item = pg.PlotCurveItem(antialias=True, connect="finite", pen=pg.mkPen(colour, width=width, style=dash))
        item.setZValue(z)
        self.addItem(item)
        return item

    def dots(self, z=5):
        item = pg.ScatterPlotItem()
        item.setZValue(z)
        self.addItem(item)
        return item

    def frame(self, points: np.ndarray | None = None) -> None:
        """Show all of `points` (finite ones; None: the last ones again), centred, with a margin."""
        if points is None:
            points = getattr(self, "_framed", None)
            if points is None:
                return
        self._framed = points
        pts = points[np.all(np.isfinite(points), axis=1)]
        if not len(pts):
            return
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        with np.errstate(over="ignore", invalid="ignore"):   # (1e308·x, 1e308·y): too far apart is said below
            half = 0.5 * max(float(np.max(hi - lo)), 1e-12) * (1 + 2 * PADDING)
            mid = 0.5 * lo + 0.5 * hi
        if not (half <= MAX_HALF_SPAN and np.all(np.abs(mid) <= MAX_HALF_SPAN)):
            return   # no view can show points so far apart (nor pyqtgraph compute its range): the last one stays
        self.setRange(xRange=(mid[0] - half, mid[0] + half), yRange=(mid[1] - half, mid[1] + half), padding=0)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.frame()   # the locked aspect trims one range to the new shape: show the whole curve again


class LensView(QWidget):
    """The two planes side by side, then a narrow column: where the lens looks, its radius, and how close
    the two images are (a short pane, as in presentation mode, still shows both planes whole)."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(4)
        self.inputs = Plane(INPUT_TITLE)
        self.outputs = Plane(OUTPUT_TITLE)
        self.inputs.setToolTip("The circle of inputs p + r·(cos t, sin t); the dot marks t = 0")
        self.outputs.setToolTip("Solid: the true image F(circle). Dashed: the linear image F(p) + J·(circle − p), "
                                "an ellipse with semi-axes rσ₁ and rσ₂ (grey). The dots: the images of t = 0")
        layout.addWidget(self.inputs, 1)
        layout.addWidget(self.outputs, 1)
        self.circle = self.inputs.curve(LENS_COLOUR)
        self.centre_in = self.inputs.dots()
        self.start_in = self.inputs.dots()
        self.axes = self.outputs.curve(AXIS_COLOUR, width=1.5, z=-1)
        self.ellipse = self.outputs.curve(LINEAR_COLOUR, width=2.2, dash=Qt.DashLine, z=1)
        self.image = self.outputs.curve(LENS_COLOUR, width=2.5, z=2)
        self.centre_out = self.outputs.dots()
        self.start_out = self.outputs.dots()
        side = QVBoxLayout()
        side.setSpacing(2)
        self.title = QLabel()
        self.title.setTextFormat(Qt.RichText)
        self.title.setWordWrap(True)   # never wider than the column: the window must fit a 1024×768 projector
        side.addWidget(self.title)
        self.radius = QSlider(Qt.Horizontal)
        self.radius.setRange(0, SLIDER_STEPS)
        self.radius.setFocusPolicy(Qt.NoFocus)
        self.radius.setToolTip("The circle's radius r (log scale): shrink it and the ellipse meets the true image "
                               "([ and ] shrink and grow it)")
        self.radius.valueChanged.connect(self._radius_moved)
        self.radius.sliderReleased.connect(controller.seal)
        self.radius_label = QLabel()
        row = QHBoxLayout()
        row.setSpacing(4)
        row.addWidget(self.radius_label)
        row.addWidget(self.radius, 1)
        side.addLayout(row)
        self.numbers = QLabel()
        self.numbers.setTextFormat(Qt.RichText)
        self.numbers.setWordWrap(True)
        self.numbers.setTextInteractionFlags(Qt.TextSelectableByMouse)
        side.addWidget(self.numbers)
        side.addStretch(1)
        column = QWidget()
        column.setLayout(side)
        column.setFixedWidth(SIDE_EM * self.fontMetrics().averageCharWidth())
        self.column = column
        layout.addWidget(column)
        self.lens = None
        self.text_scale = 1.0
        for signal in (controller.lensChanged, controller.surfaceChanged, controller.setupChanged):
            signal.connect(self.refresh)
        self.refresh()

    def set_text_scale(self, scale: float) -> None:
        """Plane titles and ticks `scale`× their normal size (presentation mode, big exports); the labels
        follow the widget's own font."""
        self.text_scale = float(scale)
        font = QFont("Sans")
        font.setPointSizeF(TICK_PT * scale)
        for plane, title in ((self.inputs, INPUT_TITLE), (self.outputs, OUTPUT_TITLE)):
            for axis in ("bottom", "left"):
                plane.getAxis(axis).setTickFont(font)
            plane.setTitle(title, color="#222222", size=f"{TITLE_PT * scale:.3g}pt")
        self.column.setFixedWidth(SIDE_EM * self.fontMetrics().averageCharWidth())

    def changeEvent(self, event):
        if event.type() == QEvent.FontChange and hasattr(self, "column"):   # the column holds its numbers
            self.column.setFixedWidth(SIDE_EM * self.fontMetrics().averageCharWidth())
        super().changeEvent(event)

    def side(self) -> float:
        (x0, x1), (y0, y1) = self.controller.x_range, self.controller.y_range
        return min(x1 - x0, y1 - y0)

    def _radius_moved(self, step: int) -> None:
        self.controller.field.set_lens(radius=radius_of(step, self.side()))

    def scale_radius(self, factor: float) -> None:
        """[ and ]: the circle √2 times smaller or larger (one undo step each)."""
        c = self.controller
        if c.kind.has_lens and c.field.set_lens(radius=c.field.lens_spec.radius * factor):
            c.seal()

    def refresh(self, *_):
        c = self.controller
        self.lens = lens = c.field.lens()   # None where the problem is no field
        if lens is None:
            for item in (self.circle, self.axes, self.ellipse, self.image):
                item.setData([], [])
            for item in (self.centre_in, self.start_in, self.centre_out, self.start_out):
                item.setData([], [])
            self.title.setText("<b>Jacobian lens</b>: type a field (u, v) to look through it")
            self.radius_label.setText("")
            self.numbers.setText("")
            return
        spec = c.field.lens_spec
        with QSignalBlocker(self.radius):
            self.radius.setValue(step_of(spec.radius, self.side()))
        self.radius_label.setText(f"r = {number(spec.radius)}")
        p, F = lens.center, lens.value
        self.title.setText(f"<b>Lens</b> at p = ({number(p[0])}, {number(p[1])})<br>{KEY}")
        self.circle.setData(lens.circle[:, 0], lens.circle[:, 1])
        self.centre_in.setData([p[0]], [p[1]], symbol="+", size=12, pen=pg.mkPen("#222222", width=2))
        self.start_in.setData([lens.circle[0, 0]], [lens.circle[0, 1]], size=9, brush=LENS_COLOUR, pen=None)
        self.inputs.frame(lens.circle)
        if not lens.analysis.defined:
            for item in (self.axes, self.ellipse, self.image, self.centre_out, self.start_out):
                item.setData([], [])
            self.numbers.setText("F or J is not defined at p: nothing to map")
            return
        self.image.setData(lens.image[:, 0], lens.image[:, 1])
        self.ellipse.setData(lens.linear_image[:, 0], lens.linear_image[:, 1])
        ends = [F + sign * a * d for a, d in zip(lens.semi_axes, lens.axis_directions.T) for sign in (-1, 1)]
        segments = np.array([ends[0], ends[1], [np.nan, np.nan], ends[2], ends[3]])
        self.axes.setData(segments[:, 0], segments[:, 1])
        self.centre_out.setData([F[0]], [F[1]], symbol="+", size=12, pen=pg.mkPen("#222222", width=2))
        starts = np.array([lens.image[0], lens.linear_image[0]])
        self.start_out.setData(starts[:, 0], starts[:, 1], size=9, brush=[pg.mkBrush(LENS_COLOUR),
                                                                          pg.mkBrush(LINEAR_COLOUR)], pen=None)
        self.outputs.frame(np.vstack([lens.image, lens.linear_image]))
        s = lens.semi_axes
        self.numbers.setText(f"<b>gap / r = {number(lens.relative_gap)}</b> → 0 as r → 0")
        self.numbers.setToolTip(f"The ellipse's semi-axes rσ₁ = {number(s[0])}, rσ₂ = {number(s[1])}; the largest "
                                f"distance between F and its linear model on the circle: {number(lens.gap)}")
