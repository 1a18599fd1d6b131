"""The learning rate against step, with a marker at the step on show: the selected run's curve bold, the other
runs' with an lr thin, each in its run's colour (schedules compare at a glance), its title the selected one's.

Shown while some run takes a schedule (only constant rates: flat lines that say nothing). A curve is the
whole schedule up to the run's last step (or the step limit): a schedule is known before the run
takes a step, so the audience sees where the rate is going; the markers follow the timeline. The
numbers come from the controller (`controller.batch.lr_curve`: `Schedule.lrs` and `Run.lr_of_step`); only
the marker moves on a step, so a frame costs the same at step 10,000 as at step 10.
"""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.ui.views.drawing.axis_numbers import scale_plot_text, small_plot
from explorer.ui.text.fit_text import number
from explorer.ui.views.drawing.palette import casing, run_styles
from explorer.ui.control.play_throttle import PlayThrottle

THROTTLE_MS = 120
MARKER_PX = 12
MIN_PLOT_PX = 70      # the plot keeps room for two ticks of lr, at text scale 1


class LrPlot(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.text_scale = 1.0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.title = QLabel()
        self.title.setToolTip("The learning rate each step of the selected run takes (its schedule); the dot is the "
                              "step on show")
        layout.addWidget(self.title)
        self.plot = small_plot()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        layout.addWidget(self.plot, 1)
        self.curves: list[pg.PlotCurveItem] = []   # one a run (empty for a method without an lr)
        self.marker = pg.ScatterPlotItem(symbol="o")   # every run's rate at the step on show
        self.marker.setZValue(10)
        self.now = pg.InfiniteLine(angle=90, pen=pg.mkPen("#777777", width=1, style=Qt.DashLine))
        for item in (self.now, self.marker):
            self.plot.addItem(item)
        self._drawn: dict[int, tuple] = {}
        self._span = None
        self.set_text_scale(1.0)
        for signal in (controller.runsChanged, controller.selectionChanged, controller.setupChanged):
            signal.connect(self.refresh)
        self.throttled = PlayThrottle(self, controller, self.refresh, THROTTLE_MS)   # while playing
        controller.stepped.connect(self.throttled)

    def relevant(self) -> bool:
        """Worth its room: some run takes a learning-rate schedule."""
        return self.controller.batch.any_schedule()

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = float(scale)
        scale_plot_text(self.plot, self.title, {"bottom": "step", "left": "lr"}, scale)
        self.plot.setMinimumHeight(round(MIN_PLOT_PX * scale))
        self.refresh()

    def refresh(self, *_) -> None:
        c = self.controller
        if not self.relevant():   # hidden while no run has a schedule: nothing to draw (64 runs open faster)
            return
        curves = [c.batch.lr_curve(i) for i in range(len(c.runs))]
        while len(self.curves) > len(curves):
            self.plot.removeItem(self.curves.pop())
        while len(self.curves) < len(curves):
            self.curves.append(pg.PlotCurveItem(antialias=True))
            self.plot.addItem(self.curves[-1])
        styles = run_styles([config.colour for config in c.configs])
        selected, top = c.selected, 0.0
        for i, (item, curve, config, style) in enumerate(zip(self.curves, curves, c.configs, styles)):
            if curve is None:
                item.setData([], [])
                self._drawn.pop(i, None)
                continue
            key = (curve.lrs, config.colour, i == selected)
            if self._drawn.get(i) is None or self._drawn[i][0] is not curve.lrs or self._drawn[i][1:] != key[1:]:
                self._drawn[i] = key   # a new schedule, run, step limit or selection: the curve again
                item.setData(curve.steps, curve.lrs, pen=pg.mkPen(config.colour, width=3 if i == selected else 1.6,
                                                                  style=style.dash))
                item.setZValue(2 if i == selected else 1)
            finite = curve.lrs[np.isfinite(curve.lrs)]
            top = max(top, float(finite.max()) if finite.size else 0.0)
        shown = [(i, curve) for i, curve in enumerate(curves) if curve is not None]
        span = (max((curve.steps[-1] for _, curve in shown), default=1), top)
        if span != self._span:
            self._span = span
            self.plot.setRange(xRange=(0, max(1, span[0])), yRange=(0, 1.15 * top if top > 0 else 1.0), padding=0.02)
        self.marker.setData([curve.shown for _, curve in shown], [curve.shown_lr for _, curve in shown],
                            size=[MARKER_PX * self.text_scale * (1.0 if i == selected else 0.7) for i, _ in shown],
                            brush=[pg.mkBrush(c.configs[i].colour) for i, _ in shown],
                            pen=[pg.mkPen(casing(c.configs[i].colour), width=1.5) for i, _ in shown])
        run = c.selected_run()
        mine = curves[selected] if 0 <= selected < len(curves) else None
        self.now.setVisible(bool(shown))
        if mine is not None:
            self.now.setValue(mine.shown)
            colour = c.configs[selected].colour
            self.title.setText(f"lr of <b style='color:{colour}'>{html.escape(run.method)}</b>: "
                               f"{html.escape(mine.schedule)} · step {mine.shown}: lr = {number(mine.shown_lr)}")
        elif shown:
            self.now.setValue(shown[0][1].shown)
            self.title.setText(f"lr per step · {html.escape(run.method)} has no learning rate" if run is not None
                               else "lr per step")
        else:
            self.title.setText("lr per step: no run has a learning rate")

    def marker_position(self) -> tuple[float, float] | None:
        """(step, lr) where the selected run's marker is (None when it has none): for tests."""
        c = self.controller
        x, y = self.marker.getData()
        with_lr = [i for i in range(len(c.runs)) if c.batch.lr_curve(i) is not None]
        if c.selected not in with_lr:
            return None
        k = with_lr.index(c.selected)
        return float(x[k]), float(y[k])
