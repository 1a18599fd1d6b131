"""The fit view: the data, and the selected run's model at the step on show drawn over it.

What is drawn follows the model (numbers from `explorer.core.fit_predictions`):
    one feature, a numeric target     the rows as points and the model's line (or curve) through them
    one feature, a 0/1 target         the rows at 0 and 1, the model's probability curve, and the decision
                                      boundary where it crosses 0.5
    two features, a 0/1 target        the rows in the feature plane (class 0 hollow, class 1 filled) and
                                      the decision boundary, the line where the model is 0.5
    anything else                     predicted against actual, one point a row, on one scale, with the
                                      diagonal where a perfect model's points would lie (the same
                                      range on both axes)
The data are grey, the model is drawn in its run's colour (colour names the run in every view). The
view stays on the data: a model far off leaves it rather than stretching it. While the selected run is
mini-batched, the rows of the batch its step from the shown state uses are ringed in its colour and
the others fade (a legend says so): the data that step sees.
"""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.core.expression import ERRORS
from explorer.core.fit_predictions import (decision_boundary, is_classification, model_curve, predicted_vs_actual,
                                    predictions)
from explorer.ui.text.run_text import legend_names
from explorer.ui.control.model_control import is_model
from explorer.ui.control.play_throttle import PlayThrottle
from explorer.ui.views.drawing.axis_numbers import scale_ticks_and_title, small_plot
from explorer.ui.text.fit_text import number
from explorer.ui.views.drawing.palette import casing
from explorer.ui.views.drawing.plot_legend import LegendKey, PlotLegend

NAME_PT, TITLE_PT = 12, 10   # axis names and title at text scale 1 (ticks: axis_numbers.TICK_PT)
DATA_PEN, DATA_FILL = "#4d4d4d", "#8c8c8c"
THROTTLE_MS = 120
DOT_PX = 8            # the data's points, at text scale 1
GRID_POINTS = 120     # a side of the grid the 2-feature decision boundary is traced on
PAD = 0.06            # of the data's range, around it
FADED = 0.3           # the opacity of the rows outside the shown step's batch
RING_PX = 15          # the ring around a batch row, at text scale 1
BATCH_LEGEND = "rows of this step's batch"


def fit_kind(problem) -> str:
    """'none' (no model), 'line', 'probability', 'boundary' or 'predicted' (see the module docstring)."""
    if problem is None or problem.model is None:
        return "none"
    features, classes = len(problem.features), is_classification(problem)
    if features == 1:
        return "probability" if classes else "line"
    if features == 2 and classes:
        return "boundary"
    return "predicted"


def _span(values, pad=PAD) -> tuple[float, float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    margin = pad * (hi - lo) if hi > lo else 0.5
    return lo - margin, hi + margin


class FitView(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.kind, self._data_of, self.text_scale = "none", None, 1.0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setToolTip("The data and the selected run's model at the step on show: it follows Step, Back, "
                              "the timeline and the run you select")
        layout.addWidget(self.title)
        self.legend = PlotLegend(TITLE_PT)   # under the title, never over the data (a batch's key)
        layout.addWidget(self.legend)
        self.plot = small_plot()
        self.plot.setMenuEnabled(False)
        layout.addWidget(self.plot, 1)
        item = self.plot.getPlotItem()
        self.classes = [pg.ScatterPlotItem(size=8, symbol="o", pen=pg.mkPen(DATA_PEN, width=1.4),
                                           brush=pg.mkBrush(255, 255, 255, 200)),
                        pg.ScatterPlotItem(size=8, symbol="o", pen=pg.mkPen(DATA_PEN, width=1.0),
                                           brush=pg.mkBrush(DATA_FILL))]
        for scatter in self.classes:
            scatter.setZValue(5)
            item.addItem(scatter)
        self.diagonal = item.plot(pen=pg.mkPen("#777777", width=1.5, style=Qt.DashLine))
        self.half = pg.InfiniteLine(angle=0, pen=pg.mkPen("#777777", width=1, style=Qt.DotLine))
        self.boundary = pg.InfiniteLine(angle=90)
        self.model = pg.PlotCurveItem(antialias=True, connect="finite")
        self.model.setZValue(10)
        for extra in (self.half, self.boundary, self.model):
            item.addItem(extra)
        # a mini-batched run: its batch's rows drawn again at full strength, ringed in its colour
        self.row_xy, self.row_filled = None, None   # each row where it is drawn (file order), filled or hollow
        self.batch_dots = pg.ScatterPlotItem(symbol="o")
        self.batch_rings = pg.ScatterPlotItem(symbol="o", brush=pg.mkBrush(None))
        self.batch_dots.setZValue(11)
        self.batch_rings.setZValue(12)
        for extra in (self.batch_dots, self.batch_rings):
            item.addItem(extra)
        self.shown_rows = None   # the batch's rows ringed now (None: no batch on show)
        self.set_text_scale(1.0)
        for signal in (controller.fitChanged, controller.parametersChanged, controller.runsChanged,
                       controller.expressionAccepted):
            signal.connect(self.refresh)
        self.throttled = PlayThrottle(self, controller, self.refresh, THROTTLE_MS)   # while playing
        controller.pathsChanged.connect(self.throttled)

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = float(scale)
        scale_ticks_and_title(self.plot, self.title, scale)
        for scatter in self.classes:
            scatter.setSize(DOT_PX * scale)
        self._data_of = None   # axis names again, at the new size
        self.refresh()

    # ---------------------------------------------------------------- drawing
    def theta(self):
        """(θ, run or None): the selected run's parameters at the step on show, or the start of new runs."""
        c = self.controller
        run = c.selected_run()
        return (np.asarray(run.current.point, float), run) if run is not None else \
            (np.asarray(c.setup.default_start, float), None)

    def refresh(self, *_) -> None:
        c = self.controller
        problem = c.fit.problem
        if problem is None or is_model(problem):   # a network fit draws in its own pane (ui.kinds.fit_parts)
            return
        self.kind = kind = fit_kind(problem)
        if (id(problem), kind) != self._data_of:
            self._show_data(problem, kind)
        theta, run = self.theta()
        colour = c.configs[c.selected].colour if run is not None else "#444444"
        pen = pg.mkPen(colour, width=3.5)
        with np.errstate(**ERRORS):
            extra = self._show_model(problem, kind, theta, pen, colour)
        self._show_batch(c.batch.shown_batch() if run is not None else None, colour)
        name = legend_names(c.configs)[c.selected] if run is not None else ""   # 'gd, SGD' among several gd
        where = (f"<b style='color:{colour}'>{html.escape(name)}</b> at step {run.position}" if run is not None
                 else "the start of new runs")
        values = ", ".join(f"{html.escape(n)} = {number(v)}" for n, v in zip(problem.trained, theta))
        loss = f" · L = {number(run.current.value)}" if run is not None else ""
        self.title.setText(f"The fit of {where}: {values}{loss}{extra}" if kind != "none" else
                           "Type a model (what the loss compares with the target, e.g. w*X + b) to draw the fit")

    def _show_data(self, problem, kind: str) -> None:
        self._data_of = (id(problem), kind)
        d, style = problem.dataset, {"font-size": f"{NAME_PT * self.text_scale:.3g}pt", "color": "#222222"}
        for scatter in self.classes:
            scatter.setData([], [])
        self.diagonal.setData([], [])
        self.row_xy = self.row_filled = None
        self.half.setVisible(kind == "probability")
        self.boundary.setVisible(False)
        # predicted against actual: the same range on both axes, the diagonal corner to corner (the pane's
        # shape is not the lesson, so the scales are not locked)
        if kind == "none":
            return
        target = d.column(problem.target)
        if kind in ("line", "probability"):
            (feature,) = problem.features
            x = d.column(feature)
            names, x_range = (feature, problem.target), _span(x)
            y_range = (-0.08, 1.08) if kind == "probability" else _span(target, 0.12)
            groups = [(x[target == 0], target[target == 0]), (x[target == 1], target[target == 1])] \
                if kind == "probability" else [((), ()), (x, target)]
        elif kind == "boundary":
            f1, f2 = problem.features
            x1, x2 = d.column(f1), d.column(f2)
            names, x_range, y_range = (f1, f2), _span(x1), _span(x2)
            groups = [(x1[target == 0], x2[target == 0]), (x1[target == 1], x2[target == 1])]
        else:
            names = (f"actual {problem.target}", f"predicted {problem.target}")
            x_range = y_range = _span(target, 0.08)
            groups = [((), ()), ((), ())]
            self.diagonal.setData(x_range, x_range)
        if kind in ("line", "probability", "boundary"):   # where each row is drawn, in file order
            self.row_xy = np.column_stack([x, target] if kind != "boundary" else [x1, x2]).astype(float)
            self.row_filled = target != 0 if kind != "line" else np.ones(d.rows, bool)
        for scatter, (gx, gy), brush in zip(self.classes, groups, (pg.mkBrush(255, 255, 255, 200), DATA_FILL)):
            scatter.setData(np.asarray(gx, float), np.asarray(gy, float), brush=pg.mkBrush(brush),
                            pen=pg.mkPen(DATA_PEN, width=1.4 if scatter is self.classes[0] else 1.0))
        self.plot.setLabel("bottom", names[0], **style)
        self.plot.setLabel("left", "P(" + problem.target + " = 1)" if kind == "probability" else names[1], **style)
        self.plot.setRange(xRange=x_range, yRange=y_range, padding=0)

    def _show_model(self, problem, kind: str, theta, pen, colour) -> str:
        """Draw the model at θ; what the title adds about it."""
        shadow = pg.mkPen(casing(colour), width=6)
        self.boundary.setVisible(False)
        if kind == "none":   # no model expression (a network's fit: the decision view draws it)
            self.model.setData([], [])
            return ""
        if kind in ("line", "probability"):
            curve = model_curve(problem, theta, 240)
            self.model.setData(curve.x, np.clip(curve.prediction, -1e6, 1e6), pen=pen, shadowPen=shadow)
            if kind == "probability":
                crossings = curve.crossings(0.5)
                if crossings.size:
                    self.boundary.setPen(pg.mkPen(colour, width=2, style=Qt.DashLine))
                    self.boundary.setValue(float(crossings[0]))
                    self.boundary.setVisible(True)
                    return f" · boundary {html.escape(curve.feature)} = {number(crossings[0])}"
                return " · no boundary in view"
            return ""
        if kind == "boundary":
            b = decision_boundary(problem, theta, GRID_POINTS)
            line = b.line if len(b.line) else np.empty((0, 2))
            self.model.setData(line[:, 0], line[:, 1], pen=pen, shadowPen=shadow)
            return " · the line is p = 0.5" if len(line) else " · no boundary in view"
        actual, predicted = predicted_vs_actual(problem, theta)
        predicted = np.clip(predicted, -1e6, 1e6)
        self.classes[1].setData(actual, predicted, brush=pg.mkBrush(colour), pen=pg.mkPen(casing(colour), width=1))
        self.row_xy, self.row_filled = np.column_stack([actual, predicted]).astype(float), None
        self.model.setData([], [])
        return ""

    def _show_batch(self, rows, colour) -> None:
        """Ring the rows of the shown step's batch in the run's colour and fade the others (rows None: none)."""
        rows = None if rows is None or self.row_xy is None else np.asarray(rows, dtype=np.intp)
        self.shown_rows = rows
        for scatter in self.classes:
            scatter.setOpacity(1.0 if rows is None else FADED)
        self.legend.set_keys(() if rows is None else
                             (LegendKey(BATCH_LEGEND, "#222222", bold=False, ring=pg.mkPen(colour, width=2.4)),),
                             TITLE_PT * self.text_scale)
        if rows is None:
            self.batch_dots.setData([], [])
            self.batch_rings.setData([], [])
            return
        xy, size = self.row_xy[rows], DOT_PX * self.text_scale
        if self.row_filled is None:   # predicted against actual: the points are the run's colour
            brushes = [pg.mkBrush(colour)] * len(rows)
        else:
            brushes = [pg.mkBrush(DATA_FILL) if filled else pg.mkBrush(255, 255, 255, 230)
                       for filled in self.row_filled[rows]]
        self.batch_dots.setData(xy[:, 0], xy[:, 1], size=size, brush=brushes, pen=pg.mkPen(DATA_PEN, width=1.2))
        self.batch_rings.setPen(pg.mkPen(colour, width=2.4))
        self.batch_rings.setSize(RING_PX * self.text_scale)
        self.batch_rings.setData(xy[:, 0], xy[:, 1])

    def predictions(self):
        """The model's predictions at the θ on show (for tests and a curious reader)."""
        return predictions(self.controller.fit.problem, self.theta()[0])
