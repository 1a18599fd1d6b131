"""Sharpness along the selected run: λmax of the full-batch training loss's Hessian per step (a line that fills
in as a worker estimates it) against the method's stability bound (dashed: 2/lr for gradient descent,
(2 + 2β)/lr for momentum, Nesterov's; none, and a line saying why, for Adam and the rest), the training
loss per step in a small plot under it (log axis; left out where the pane is too low for two plots, as in a
small export: the loss plot beside shows it), a marker at the step on show, and the lesson in one line.
The λmax axis starts at 0, so the distance to the bound is drawn to scale.

Every number is the session's (`controller.model.sharpness_or_later`: explorer.session.sharpness_reading over
core.sharpness); nothing is estimated while the view is hidden.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer.session.sharpness_reading import EVERY_STEP_UP_TO
from explorer.ui.control.play_throttle import follow_runs
from explorer.ui.views.drawing.axis_numbers import scale_labels, scale_ticks, small_plot

TICK_PT, NAME_PT, TITLE_PT = 10, 11, 10
THROTTLE_MS = 150
SHARPNESS_COLOUR = "#1F4E8C"    # blue: λmax
BOUND_COLOUR = "#D55E00"        # vermillion, dashed: the bound
LOSS_COLOUR = "#444444"
SHOWN_LINE = "#555555"
HEADROOM = 1.2                  # the λmax axis's top, over the largest of λmax and the bound (room for the label)
LOSS_PLOT_FROM_PX = 330         # the pane's height (at text scale 1) from which the loss gets its own plot
LESSON_FROM_PX = 300            # the pane's height (at text scale 1) from which the lesson has a line under the plots
WIDE_RATIO = 2.2                # a pane this many times wider than high puts its two plots side by side
BOUND_FORMULAS = {"gd": "2/lr", "momentum": "(2+2β)/lr", "nesterov": "(2+2β)/(lr(1+2β))"}


def bound_label(method: str, bound: float, scheduled: bool) -> str:
    """'2/lr = 20' (the formula of the method's bound and its value; lr of the step on show under a schedule)."""
    formula = BOUND_FORMULAS.get(method, "bound")
    if scheduled:
        formula = formula.replace("lr", "lrₜ")
    return f"{formula} = {bound:.3g}"


def lesson(reading) -> str:
    """The lesson in one line, in the words of the run's method, agreeing with the estimates drawn."""
    r = reading
    if r.why:
        return f"No stability bound: {r.why}."
    formula = BOUND_FORMULAS[r.method]
    if r.batched:
        return (f"Mini-batches: λmax is the full-batch loss's, but each step follows a batch's gradient, so {formula} "
                "is the bound of full-batch steps, a guide here rather than a limit")
    what = {"gd": "gradient descent", "momentum": "heavy-ball momentum", "nesterov": "Nesterov momentum"}[r.method]
    bound = dict(zip(r.bound_steps.tolist(), r.bounds.tolist()))
    ratios = np.array([v / bound[t] for t, v in zip(r.steps.tolist(), r.values) if t in bound])
    reached = np.flatnonzero(ratios >= 1.0)
    if len(reached):
        return (f"λmax reached {formula} at step {r.steps[reached[0]]}: full-batch {what} then hovers at this edge of "
                "stability; above it the quadratic model predicts divergence")
    general = (f"full-batch {what} tends to sharpen up to {formula} and hover there (the edge of stability); above "
               "it the quadratic model predicts divergence")
    if not np.isfinite(ratios).any():
        return general[0].upper() + general[1:]
    return f"λmax is at most {np.nanmax(ratios):.0%} of {formula} so far: " + general


def shown_estimate(reading) -> int | None:
    """The index of the estimate at the step on show, or, between two estimates of a long run (a stride), of the
    last one before it; None if there is none yet."""
    r = reading
    i = int(np.searchsorted(r.steps, r.shown, side="right")) - 1
    if i < 0 or r.shown - r.steps[i] >= r.stride:
        return None
    return i


class SharpnessView(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller, self.reader = controller, controller.model
        self.text_scale, self.reading = 1.0, None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setToolTip("λmax: the largest eigenvalue of the training loss's Hessian (all training rows), by "
                              "Lanczos on Hessian-vector products, at each step of the selected run")
        layout.addWidget(self.title)
        self.plots = QBoxLayout(QBoxLayout.TopToBottom)
        self.sharpness_plot, self.loss_plot = small_plot(), small_plot()
        for plot in (self.sharpness_plot, self.loss_plot):
            plot.setMenuEnabled(False)
        self.curve = self.sharpness_plot.plot(pen=pg.mkPen(SHARPNESS_COLOUR, width=2.5), antialias=True)
        self.bound = self.sharpness_plot.plot(pen=pg.mkPen(BOUND_COLOUR, width=2, style=Qt.DashLine))
        self.bound_text = pg.TextItem(color=BOUND_COLOUR, anchor=(0, 1))   # above the line's left end
        self.sharpness_plot.addItem(self.bound_text)
        self.dot = pg.ScatterPlotItem(size=10, brush=pg.mkBrush(SHARPNESS_COLOUR), pen=pg.mkPen("#ffffff", width=1))
        self.dot.setZValue(5)
        self.sharpness_plot.addItem(self.dot)
        self.loss = self.loss_plot.plot(pen=pg.mkPen(LOSS_COLOUR, width=2), antialias=True)
        self.loss_plot.setLogMode(y=True)
        self.loss_plot.setXLink(self.sharpness_plot)
        self.shown_lines = []
        for plot in (self.sharpness_plot, self.loss_plot):
            line = pg.InfiniteLine(angle=90, pen=pg.mkPen(SHOWN_LINE, width=1.5, style=Qt.DotLine))
            plot.addItem(line)
            self.shown_lines.append(line)
        self.plots.addWidget(self.sharpness_plot, 3)
        self.plots.addWidget(self.loss_plot, 2)
        layout.addLayout(self.plots, 1)
        self.lesson = QLabel()
        self.lesson.setWordWrap(True)
        layout.addWidget(self.lesson)
        self.set_text_scale(1.0)
        self.throttled = follow_runs(self, controller, self.refresh, THROTTLE_MS)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        wide = event.size().width() > WIDE_RATIO * event.size().height()
        self.plots.setDirection(QBoxLayout.LeftToRight if wide else QBoxLayout.TopToBottom)
        # too low for two readable plots (a small export): λmax alone; the loss is in the loss plot beside
        self.loss_plot.setVisible(wide or event.size().height() >= LOSS_PLOT_FROM_PX * self.text_scale)
        # lower than that (a projector's row under the views), the plots keep the height: the lesson is a tooltip
        self.lesson.setVisible(event.size().height() >= LESSON_FROM_PX * self.text_scale)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        worker = getattr(self.reader, "sharpness", None)
        if worker is not None:
            worker.stop()

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = float(scale)
        scale_ticks((self.sharpness_plot, self.loss_plot), scale, pt=TICK_PT)
        scale_labels((self.title, self.lesson), TITLE_PT, scale)
        bound = QFont("Sans")
        bound.setPointSizeF(NAME_PT * scale)
        self.bound_text.setFont(bound)
        style = {"font-size": f"{NAME_PT * scale:.3g}pt", "color": "#222222"}
        self.sharpness_plot.setLabel("left", "λmax", **style)
        self.loss_plot.setLabel("left", "loss", **style)
        for plot in (self.sharpness_plot, self.loss_plot):
            plot.setLabel("bottom", "step", **style)
        self.refresh()

    # ---------------------------------------------------------------- drawing
    def refresh(self, *_) -> None:
        if not self.isVisible() or self.reader.problem is None:
            return
        self.reading = r = self.reader.sharpness_or_later(self.refresh)
        if r is None:
            for item in (self.curve, self.bound, self.loss):
                item.setData([], [])
            self.dot.setData([], [])
            self.bound_text.setText("")
            self.title.setText("Add an optimizer to see the sharpness along its steps")
            self.lesson.setText("")
            return
        self.curve.setData(r.steps.astype(float), r.values, connect="finite")
        last = max(len(r.losses) - 1, 1)
        self._draw_bound(r, last)
        states = np.arange(len(r.losses), dtype=float)
        positive = r.losses > 0   # a log axis: the loss of a model is positive; anything else is not drawn
        self.loss.setData(states[positive], r.losses[positive])
        self.sharpness_plot.setXRange(0.0, float(last), padding=0.02)
        self._y_range(r)
        self.loss_plot.enableAutoRange(axis="y")
        at = shown_estimate(r)
        self.dot.setData([] if at is None else [float(r.steps[at])], [] if at is None else [float(r.values[at])])
        for line in self.shown_lines:
            line.setValue(float(r.shown))
        self._title(r)
        self.lesson.setText(lesson(r))
        self.sharpness_plot.setToolTip(lesson(r))

    def _y_range(self, r) -> None:
        """From 0 (true to scale: how far λmax is from 0 and from the bound) to above the bound and its label."""
        finite = np.concatenate([r.values[np.isfinite(r.values)], r.bounds[np.isfinite(r.bounds)]])
        top = float(np.max(finite)) if len(finite) else 1.0
        low = min(0.0, float(np.min(finite))) if len(finite) else 0.0
        self.sharpness_plot.setYRange(low, top * HEADROOM if top > 0 else 1.0, padding=0)

    def _draw_bound(self, r, last: int) -> None:
        if not len(r.bounds):
            self.bound.setData([], [])
            self.bound_text.setText("")
            return
        x, y = r.bound_steps.astype(float), r.bounds
        scheduled = bool(np.ptp(y) > 0)
        if not scheduled:   # a constant bound: one dashed line across the steps
            x, y = np.array([0.0, float(last)]), np.array([y[0], y[0]])
        self.bound.setData(x, y, stepMode=None)
        shown = r.bounds[min(np.searchsorted(r.bound_steps, r.shown), len(r.bounds) - 1)]
        self.bound_text.setText(bound_label(r.method, float(shown), scheduled))
        self.bound_text.setPos(float(x[0]), float(y[0]))   # where λmax is still below it (sharpening)

    def _title(self, r) -> None:
        at = shown_estimate(r)
        parts = [f"λmax {r.values[at]:.4g} at step {r.steps[at]}" if at is not None
                 else f"step {r.shown}: not estimated yet"]
        if len(r.bounds):
            i = min(np.searchsorted(r.bound_steps, r.shown), len(r.bounds) - 1)
            parts.append(bound_label(r.method, float(r.bounds[i]), bool(np.ptp(r.bounds) > 0)))
        if r.stride > 1:
            parts.append(f"estimated every {r.stride} steps (a run of more than {EVERY_STEP_UP_TO})")
        if r.missing:
            parts.append(f"estimating {r.missing} more steps…")
        self.title.setText(" · ".join(parts))
