"""The decision region: what a network fit's model predicts over the plane of its two features, behind the data.

    binary target      P(y = 1) on a diverging scale (class 0's tint at 0, white at 0.5, class 1's at 1) and
                       the line P = 0.5 in the selected run's colour
    K classes          the class the model predicts, each in its class's tint
    regression         the prediction on a lightened viridis, the rows in the same colours (two features);
                       with one feature the model's curve over the rows
The training rows are filled circles, the test rows crosses, each in its class's colour (dark outline).
It follows Step, Back, the timeline and the run selected (the session's `decision_grid` at the state on
show); the numbers all come from the session. With more than two features the plane is the first two's, the
others held at their training rows' means (the title says so); with none, a line says why nothing is drawn.
"""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.ui.control.play_throttle import PlayThrottle
from explorer.ui.views.drawing.axis_numbers import scale_ticks_and_title, small_plot
from explorer.ui.views.drawing.model_palette import (class_hue, classes_rgba, prediction_rgba, probability_rgba,
                                                     value_colours)
from explorer.ui.views.drawing.palette import casing
from explorer.ui.views.drawing.plot_legend import LegendKey, PlotLegend
from explorer.ui.views.plots.row_arrow import RowArrow

GRID = 120            # points a side of the region's grid
NAME_PT, TITLE_PT = 12, 10   # axis names and title at text scale 1 (ticks: axis_numbers.TICK_PT)
DOT_PX = 9            # a training row's circle, at text scale 1
CROSS_PX = 12         # a test row's cross
RING_PX = 17          # the ring round a row of the shown step's mini-batch
THROTTLE_MS = 150
OUTLINE = "#1a1a1a"
CURVE_ROWS = "#a0a0a0"   # a regression's rows under its curve: grey, so the run's colour reads over them
TRAIN_SYMBOL, TEST_SYMBOL = "o", "x"


def row_parts(problem) -> tuple[np.ndarray, np.ndarray]:
    """The training and the test rows' indices in file order (no split: every row trains)."""
    split = getattr(problem, "split", None)
    if split is None:
        return np.arange(problem.dataset.rows), np.arange(0)
    return np.asarray(split.train, int), np.asarray(split.test, int)


SAME_SCALE_RATIO = 4.0   # features whose spans differ by less than this are drawn to one scale

class DecisionView(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller, self.reader = controller, controller.model
        self.text_scale, self.shown = 1.0, None   # shown: (xs, ys, values, task) last drawn
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setToolTip("What the selected run's model predicts over the plane of the two features, at the "
                              "step on show, behind the data: filled circles are the rows it trains on, crosses "
                              "the held-out test rows")
        layout.addWidget(self.title)
        self.legend = PlotLegend(TITLE_PT)
        layout.addWidget(self.legend)
        self.plot = small_plot(grid=0.0)
        self.plot.setMenuEnabled(False)
        layout.addWidget(self.plot, 1)
        item = self.plot.getPlotItem()
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setZValue(-10)
        self.boundary = pg.PlotCurveItem(antialias=True, connect="finite")
        self.boundary.setZValue(4)
        self.curve = pg.PlotCurveItem(antialias=True)
        self.curve.setZValue(7)   # a regression's curve over its rows (they are grey)
        self.train = pg.ScatterPlotItem(symbol=TRAIN_SYMBOL)
        self.test = pg.ScatterPlotItem(symbol=TEST_SYMBOL)
        self.rings = pg.ScatterPlotItem(symbol="o", brush=pg.mkBrush(None))   # the shown step's mini-batch
        for extra, z in ((self.train, 5), (self.test, 6), (self.rings, 8)):
            extra.setZValue(z)
        for extra in (self.image, self.boundary, self.curve, self.train, self.test, self.rings):
            item.addItem(extra)
        self.row_xy, self.keys, self.ringed = None, (), None
        self._data_of = None
        self.row_arrow, self.arrow_key = RowArrow(self, self.reader), ""   # the chosen row's ∇ₓP; a click chooses
        self.set_text_scale(1.0)
        for signal in (controller.fitChanged, controller.runsChanged, controller.selectionChanged,
                       controller.sensitivityRowChanged, controller.modelViewChanged):
            signal.connect(self.refresh)
        self.throttled = PlayThrottle(self, controller, self.refresh, THROTTLE_MS)
        controller.pathsChanged.connect(self.throttled)

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = float(scale)
        scale_ticks_and_title(self.plot, self.title, scale)
        self._data_of = None
        self.refresh()

    # ---------------------------------------------------------------- drawing
    def refresh(self, *_) -> None:
        if not self.isVisible() and self.shown is not None:
            return   # drawn again when shown (showEvent)
        problem = self.reader.problem
        if problem is None:
            return
        grid = self.reader.decision_grid(GRID)
        if grid is None:
            self._nothing(problem)
            return
        xs, ys, values, _ = grid
        task = problem.task
        self.shown = (np.asarray(xs, float), None if ys is None else np.asarray(ys, float), np.asarray(values), task)
        if (id(problem), self.text_scale) != self._data_of:
            self._show_rows(problem, ys is None)
        colour = self.reader.run_colour()
        if ys is None:
            self._show_curve(*self.shown[:3], colour)
        else:
            self._show_region(*self.shown, colour)
        self.arrow_key = self.row_arrow.refresh(xs, ys)
        self._show_batch(self.reader.batch_rows(), colour)
        self.title.setText(self._title(problem, task, ys is None, colour))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def _nothing(self, problem) -> None:
        self.shown = None
        self.image.clear()
        for item in (self.boundary, self.curve, self.train, self.test):
            item.setData([], [])
        self.legend.set_keys(())
        self.rings.setData([], [])
        self.row_arrow.clear()
        n = len(problem.features)
        self.title.setText(f"The decision region needs two features (or one for a regression); this model has {n}: "
                           "the metrics beside still judge it")

    def _title(self, problem, task: str, curve: bool, colour: str) -> str:
        theta, run = self.reader.on_show()
        name = html.escape(getattr(run, "method", "")) if run is not None else ""
        where = f"<b style='color:{colour}'>{name}</b>" if run is not None else "the start of new runs"
        target = html.escape(problem.target)
        what = {"binary": f"P({target} = 1), line P = 0.5" if not curve else f"P({target} = 1)",
                "classes": f"the class of {target} predicted",
                "regression": (f"the model's {target}" if curve else
                               f"the model's {target} (the rows: their {target})")}[task]
        held = self.reader.decision_held()
        if held:   # the plane of the first two features: say where the others are
            what += " · " + ", ".join(f"{html.escape(c)} held at {v:.3g}" for c, v in held.items())
            what += " (training mean)" if len(held) == 1 else " (training means)"
        return f"{where}: {what}"

    def _show_rows(self, problem, curve: bool) -> None:
        """The rows: training ones filled circles, test ones crosses, coloured by their class (or target)."""
        self._data_of = (id(problem), self.text_scale)
        d, scale = problem.dataset, self.text_scale
        y = np.asarray(d.column(problem.target), float)
        if curve:
            (feature,) = problem.features
            x1, x2, names = np.asarray(d.column(feature), float), y, (feature, problem.target)
        else:
            f1, f2 = problem.features[:2]
            x1, x2, names = np.asarray(d.column(f1), float), np.asarray(d.column(f2), float), (f1, f2)
        if problem.task == "regression":
            colours = [CURVE_ROWS] * len(y) if curve else value_colours(y, float(np.min(y)), float(np.max(y)))
        else:
            colours = [class_hue(int(k)) for k in y]
        train, test = row_parts(problem)
        self.row_colours, self.row_xy = colours, np.column_stack([x1, x2])
        for scatter, rows, size in ((self.train, train, DOT_PX), (self.test, test, CROSS_PX)):
            scatter.setData(x1[rows], x2[rows], size=size * scale, pen=pg.mkPen(OUTLINE, width=1.0 * scale),
                            brush=[pg.mkBrush(colours[i]) for i in rows], data=rows)
        style = {"font-size": f"{NAME_PT * scale:.3g}pt", "color": "#222222"}
        self.plot.setLabel("bottom", names[0], **style)
        self.plot.setLabel("left", names[1], **style)
        keys = [LegendKey(f"● train {len(train)}", "#222222", bold=False)]
        if len(test):
            keys.append(LegendKey(f"✕ test {len(test)}", "#222222", bold=False))
        if problem.task != "regression":
            for k in range(problem.classes or 2):
                keys.append(LegendKey(f"■ {k}" if k else f"■ {problem.target} = 0", class_hue(k)))
        self.keys = tuple(keys)
        self.legend.set_keys(keys, TITLE_PT * scale)

    def _show_batch(self, rows, colour: str) -> None:
        """Ring the rows of the shown step's mini-batch in the run's colour (rows None: a full-batch run)."""
        self.ringed = rows
        ring = pg.mkPen(colour, width=2.4 * self.text_scale)
        keys = self.keys + ((LegendKey("this step's batch", "#222222", bold=False, ring=ring),)
                            if rows is not None else ())
        if self.arrow_key:
            keys += (LegendKey(self.arrow_key, "#111111", bold=False),)
        self.legend.set_keys(keys, TITLE_PT * self.text_scale)
        if rows is None:
            self.rings.setData([], [])
            return
        xy = self.row_xy[rows]
        self.rings.setData(xy[:, 0], xy[:, 1], size=RING_PX * self.text_scale, pen=ring)

    def _show_region(self, xs, ys, values, task: str, colour: str) -> None:
        if task == "binary":
            rgba = probability_rgba(values)
        elif task == "classes":
            rgba = classes_rgba(values)
        else:
            y = np.asarray(self.reader.problem.dataset.column(self.reader.problem.target), float)
            rgba = prediction_rgba(values, float(np.min(y)), float(np.max(y)))
        self.image.setImage(rgba, autoLevels=False)
        dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1)
        dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
        self.image.setRect(QRectF(xs[0] - dx / 2, ys[0] - dy / 2, dx * len(xs), dy * len(ys)))
        self.curve.setData([], [])
        if task == "binary":
            line = self.boundary_line(xs, ys, values)
            self.boundary.setData(line[:, 0], line[:, 1], pen=pg.mkPen(colour, width=3.0 * self.text_scale),
                                  shadowPen=pg.mkPen(casing(colour), width=5.5 * self.text_scale))
        else:
            self.boundary.setData([], [])
        # x and y to one scale (a circle of data looks round) unless the features differ in size so much that
        # the plane would shrink to a strip: then each axis fills the pane, as the axis numbers say
        spans = (xs[-1] - xs[0], ys[-1] - ys[0])
        self.plot.setAspectLocked(bool(min(spans) > 0 and max(spans) / min(spans) <= SAME_SCALE_RATIO), ratio=1)
        self.plot.setRange(xRange=(xs[0], xs[-1]), yRange=(ys[0], ys[-1]), padding=0)

    @staticmethod
    def boundary_line(xs, ys, p) -> np.ndarray:
        """The line P = 0.5 through the grid as (x, y) points, pieces separated by NaN rows."""
        pieces = pg.functions.isocurve(np.nan_to_num(np.asarray(p, float), nan=0.5), 0.5, connected=True)
        out = []
        for piece in pieces:
            ij = np.asarray(piece, float)
            out.append(np.column_stack([np.interp(ij[:, 0], np.arange(len(xs)), xs),
                                        np.interp(ij[:, 1], np.arange(len(ys)), ys)]))
            out.append(np.full((1, 2), np.nan))
        return np.vstack(out) if out else np.empty((0, 2))

    def _show_curve(self, xs, _ys, values, colour: str) -> None:
        self.plot.setAspectLocked(False)   # x against the target: two different quantities
        self.image.clear()
        self.boundary.setData([], [])
        self.curve.setData(xs, np.clip(np.asarray(values, float), -1e6, 1e6),
                           pen=pg.mkPen(colour, width=3.5 * self.text_scale),
                           shadowPen=pg.mkPen(casing(colour), width=6 * self.text_scale))
        y = np.asarray(self.reader.problem.dataset.column(self.reader.problem.target), float)
        lo, hi = float(np.min(y)), float(np.max(y))
        pad = 0.1 * (hi - lo) if hi > lo else 0.5
        self.plot.setRange(xRange=(xs[0], xs[-1]), yRange=(lo - pad, hi + pad), padding=0)

    # ---------------------------------------------------------------- what a test reads
    def colour_at(self, x: float, y: float) -> tuple[int, int, int]:
        """The region's RGB drawn at the plane's point (x, y)."""
        xs, ys = self.shown[0], self.shown[1]
        rgba = self.image.image
        i = int(np.clip(np.rint((x - xs[0]) / (xs[-1] - xs[0]) * (len(xs) - 1)), 0, len(xs) - 1))
        j = int(np.clip(np.rint((y - ys[0]) / (ys[-1] - ys[0]) * (len(ys) - 1)), 0, len(ys) - 1))
        return tuple(int(c) for c in rgba[i, j, :3])
