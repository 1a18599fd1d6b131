"""The quadratic's stability map: shown when f is a quadratic and the selected run is gd, momentum or nesterov.

Left: how the error along each eigendirection of H shrinks (or grows) step by step with the run's
settings. Right: the settings themselves — for gradient descent the rate against the learning
rate, for momentum the (learning rate, β) plane coloured by the rate where it converges, with
the fastest settings marked and the run's own settings as a point to drag. "Use the optimal
settings" gives the run the fastest ones. Every number comes from `explorer.core.stability` through
the controller (`controller.lessons.stability`); this panel only draws and sends commands.
"""
from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from explorer.core.stability import error_decay, rate_map
from explorer.ui.views.drawing.axis_numbers import NumberAxis
from explorer.ui.views.drawing.palette import CLASS_LINE_COLOURS
from explorer.ui.views.drawing.plot_legend import LegendKey, PlotLegend

DECAY_STEPS = 60
DECAY_FLOOR = 1e-12               # the error plot's bottom: 10⁻¹² of the start
PLANE = 120                       # samples per axis of the (lr, β) plane
DIRECTION_COLOURS = ("#005A8F", "#A8480A", "#7A6A00")   # dark hues, one per eigendirection (low λ first)
OPTIMAL = "#B0002A"
TITLE_PT = 10
TICK_PT = 9


def _n(value: float) -> str:
    return f"{value:.4g}".replace("-", "−") if math.isfinite(value) else "∞"


def _eigenvalues(form) -> list[str]:
    """The eigenvalues as shown: one within the zero tolerance is 0 (not −4.4e−16)."""
    return ["0" if flat else _n(v) for v, flat in zip(form.eigenvalues, form.flat)]


def _shape(form, name: str = "f") -> str:
    """What the eigenvalues make of f: κ only where it is a finite verdict on a single minimum."""
    lam, flat = form.eigenvalues, form.flat
    if form.positive_definite:
        return f"κ = {_n(lam[-1] / lam[0])}"
    if np.any(~flat & (lam < 0)):
        return "a negative eigenvalue: no minimum"
    if form.falls_for_ever:
        return f"{name} is linear: no minimum" if flat.all() else "a zero eigenvalue with a slope: no minimum"
    return f"{name} is constant" if flat.all() else "a zero eigenvalue: a line of minima"


def _verdict(st, name: str = "f") -> str:
    """What the run's error does, in words that hold for a zero eigenvalue too (module core.stability)."""
    flat = st.form.flat
    if st.form.falls_for_ever and st.rate < 1:
        where = "down its slope" if flat.all() else "along the zero eigenvalue's direction"
        return f"{name} has no minimum: the run moves on {where} at a steady pace for ever"
    if not np.any(~flat):
        return "every point is a minimum: the run does not move"
    rate = f"error × {_n(st.rate)} a step"
    if not st.converges:
        return f"{rate}: <b>diverges</b>"
    steps = f"{rate}: 10⁻⁶ in {_n(math.ceil(st.steps_to(1e-6)))} steps" if st.rate > 0 else f"{rate}: there in 1 step"
    if flat.any():
        steps += ("; along the zero eigenvalue's direction the error neither grows nor shrinks: "
                  "it converges to a point on the line of minima")
    return steps


def describe(st, colour: str, name: str = "f") -> str:
    """Two lines: the quadratic's eigenvalues; the run's rate and the fastest settings (`name`: f, or a fit's L)."""
    head = (f"<b>{name} is quadratic</b>: H is the same everywhere, eigenvalues {', '.join(_eigenvalues(st.form))} "
            f"({_shape(st.form, name)})<br>")
    settings = ", ".join(f"{'β' if k == 'momentum' else k} = {_n(v)}" for k, v in st.settings.items())
    line = f"<span style='color:{colour}'><b>{st.method}</b> ({settings})</span>: {_verdict(st, name)}"
    if st.optimal:
        best = ", ".join(f"{'β' if k == 'momentum' else k}* = {_n(v)}" for k, v in st.optimal.items())
        line += f"; <span style='color:{OPTIMAL}'>fastest: {best}, × {_n(st.best_rate)} a step</span>"
    return head + line


class StabilityPanel(QWidget):
    relevanceChanged = Signal(bool)   # shown (f became a quadratic, a gd/momentum run selected) or hidden

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.analysis = None
        self._drawn_colour, self._scaled = None, False
        self.text_scale = 1.0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QVBoxLayout()
        self.title = QLabel()
        self.title.setWordWrap(True)
        top.addWidget(self.title)
        self.use_optimal = QPushButton("Use the optimal settings")
        self.use_optimal.setToolTip("Give the selected run the fastest settings on this quadratic (undoable)")
        self.use_optimal.clicked.connect(self.apply_optimal)
        top.addWidget(self.use_optimal)
        layout.addLayout(top)
        plots = QVBoxLayout()   # stacked: the panel sits in the narrow column under the inspector
        self.decay = pg.PlotWidget(background="#f7f7f7", axisItems={s: NumberAxis(s) for s in ("left", "bottom")})
        self.decay.setLogMode(y=True)
        self.decay.setLabel("bottom", "step")
        self.decay.setLabel("left", "|error|")
        self.decay_key = PlotLegend(TICK_PT)   # above the error plot: a fast decay reaches its bottom left too
        plots.addWidget(self.decay_key)
        self.plane = pg.PlotWidget(background="#f7f7f7", axisItems={s: NumberAxis(s) for s in ("left", "bottom")})
        for widget in (self.decay, self.plane):
            for side in ("left", "bottom"):
                widget.getAxis(side).enableAutoSIPrefix(False)   # no "learning rate (x0.001)"
            widget.setFocusPolicy(Qt.NoFocus)
            widget.showGrid(x=True, y=True, alpha=0.2)
            plots.addWidget(widget, 1)
        layout.addLayout(plots, 1)
        self.decay_dots = [self.decay.plot() for _ in DIRECTION_COLOURS]
        self.decay_lines = [self.decay.plot() for _ in DIRECTION_COLOURS]
        item = self.plane.getPlotItem()
        self.region = pg.ImageItem(axisOrder="col-major")
        self.region.setZValue(-10)
        item.addItem(self.region)
        self.rate_curve = item.plot(pen=pg.mkPen("#222222", width=2.5))
        self.one = pg.InfiniteLine(pos=1.0, angle=0, pen=pg.mkPen("#555555", style=Qt.DashLine))
        item.addItem(self.one)
        self.edge = item.plot(pen=pg.mkPen("#222222", width=2), connect="finite")   # rate = 1: where it stops converging
        self.best = pg.ScatterPlotItem(symbol="star", size=20, brush=pg.mkBrush(OPTIMAL), pen=pg.mkPen("#ffffff"))
        item.addItem(self.best)
        self.lr_line = pg.InfiniteLine(angle=90, movable=True, pen=pg.mkPen("#222222", width=3))
        self.lr_line.setToolTip("The run's learning rate: drag it")
        self.lr_line.sigPositionChangeFinished.connect(lambda line: self._dragged(lr=line.value()))
        item.addItem(self.lr_line)
        self.point = pg.TargetItem(movable=True, size=16, pen=pg.mkPen("#222222", width=2.5))
        self.point.setToolTip("The run's (learning rate, β): drag it")
        self.point.sigPositionChangeFinished.connect(
            lambda target: self._dragged(lr=target.pos().x(), momentum=target.pos().y()))
        item.addItem(self.point)
        self.set_text_scale(1.0)
        controller.pathsChanged.connect(self.refresh)
        controller.surfaceChanged.connect(self.refresh)
        controller.setupChanged.connect(self.refresh)

    def set_text_scale(self, scale: float) -> None:
        self.text_scale, self._scaled = float(scale), True
        font = QFont(self.font())
        font.setPointSizeF(TITLE_PT * scale)
        self.title.setFont(font)
        ticks = QFont("Sans")
        ticks.setPointSizeF(TICK_PT * scale)
        for widget in (self.decay, self.plane):
            for side in ("left", "bottom"):
                widget.getAxis(side).setTickFont(ticks)
                widget.getAxis(side).setTextPen("#222222")
                widget.getAxis(side).label.setFont(ticks)
        self.refresh()

    def relevant(self) -> bool:
        return self.analysis is not None

    def refresh(self, *_) -> None:
        c = self.controller
        st = c.lessons.stability()
        colour = c.configs[c.selected].colour if st is not None else None
        if st is not None and st is self.analysis and colour == self._drawn_colour and not self._scaled:
            return   # asked on every step; the controller hands back the same analysis until a setting changes
        self.analysis, self._drawn_colour, self._scaled = st, colour, False
        if self.isHidden() == (st is not None):
            self.setVisible(st is not None)
            self.relevanceChanged.emit(st is not None)
        if st is None:
            return
        self.title.setText(describe(st, html.escape(colour), self.controller.kind.value_name))
        self.use_optimal.setEnabled(bool(st.optimal) and st.optimal != {k: st.settings[k] for k in st.optimal})
        self._draw_decay(st)
        if st.method == "gd":
            self._draw_gd_line(st)
        else:
            self._draw_plane(st)

    def apply_optimal(self) -> None:
        st = self.analysis
        if st is not None and st.optimal:
            self._dragged(**st.optimal)

    # ------------------------------------------------------------------ inside
    def _dragged(self, **settings) -> None:
        c = self.controller
        if self.analysis is None or c.selected_run() is None:
            return
        new = dict(c.configs[c.selected].settings)
        new.update({k: float(v) for k, v in settings.items()})
        if "momentum" in new:
            new["momentum"] = min(max(new["momentum"], 0.0), 0.999)
        new["lr"] = max(new["lr"], 1e-12)
        if not c.set_run_settings(c.selected, new):
            self.refresh()   # refused: the marks go back to the run's settings

    def _draw_decay(self, st) -> None:
        """Per eigendirection: |error| at each step (dots; momentum's swings through 0 dip) and its
        long-run envelope ρᵏ (line), the rate the title quotes."""
        e = np.abs(error_decay(st.method, st.form.eigenvalues, DECAY_STEPS, **st.settings))
        steps = np.arange(DECAY_STEPS + 1)
        keys = []
        for i, (dots, line) in enumerate(zip(self.decay_dots, self.decay_lines)):
            shown = i < e.shape[1]
            dots.setVisible(shown)
            line.setVisible(shown)
            if not shown:
                continue
            colour = DIRECTION_COLOURS[i % len(DIRECTION_COLOURS)]
            dots.setData(steps, np.maximum(e[:, i], DECAY_FLOOR), symbol="o", symbolSize=4, pen=None,
                         symbolBrush=colour, symbolPen=None)
            with np.errstate(all="ignore"):
                envelope = np.maximum(st.factors[i] ** steps.astype(float), DECAY_FLOOR)
            line.setData(steps, envelope, pen=pg.mkPen(colour, width=2.5))
            keys.append(LegendKey(f"λ = {_eigenvalues(st.form)[i]}: × {_n(st.factors[i])}", colour,
                                  (pg.mkPen(colour, width=2.5),)))
        self.decay_key.set_keys(keys, TICK_PT * self.text_scale)
        self.decay.setYRange(np.log10(DECAY_FLOOR), 1, padding=0)   # log10 units

    def _draw_gd_line(self, st) -> None:
        lam = _curved(st)
        top = 2.0 / lam[-1] if lam[-1] > 0 else 1.0
        lr = np.linspace(0, 1.3 * max(top, st.settings["lr"]), 400)
        rates = rate_map("gd", lam, lr, [0.0])[:, 0]
        for item in (self.region, self.edge, self.point):
            item.setVisible(False)
        for item in (self.rate_curve, self.one, self.lr_line):
            item.setVisible(True)
        self.rate_curve.setData(lr, rates)
        self.lr_line.setValue(st.settings["lr"])
        self.best.setData(*(([st.optimal["lr"]], [st.best_rate]) if st.optimal else ([], [])))
        self.plane.setLabel("bottom", "learning rate")
        self.plane.setLabel("left", "error × per step")
        self.plane.setXRange(0, float(lr[-1]), padding=0.02)
        self.plane.setYRange(0, 2.0, padding=0.02)

    def _draw_plane(self, st) -> None:
        lam = _curved(st)
        top = 4.0 / lam[-1] if lam[-1] > 0 else 1.0
        lr_max = 1.1 * max(top, st.settings["lr"])
        lrs, betas = np.linspace(0, lr_max, PLANE), np.linspace(0, 0.99, PLANE)
        rates = rate_map(st.method, lam, lrs, betas)
        rgba = _rate_colours(rates)
        self.region.setImage(rgba, autoLevels=False)
        self.region.setRect(0.0, 0.0, float(lr_max), 0.99)
        for item in (self.rate_curve, self.one, self.lr_line):
            item.setVisible(False)
        for item in (self.region, self.edge, self.point):
            item.setVisible(True)
        self.edge.setData(*_edge(lrs, betas, rates))
        self.point.setPos(st.settings["lr"], st.settings["momentum"])
        self.best.setData(*(([st.optimal["lr"]], [st.optimal["momentum"]]) if st.optimal else ([], [])))
        self.plane.setLabel("bottom", "learning rate")
        self.plane.setLabel("left", "momentum β")
        self.plane.setXRange(0, float(lr_max), padding=0.02)
        self.plane.setYRange(0, 1.0, padding=0.02)


def _curved(st) -> np.ndarray:
    """The eigenvalues the rate plots use: a zero one's factor is 1 whatever the settings (the decay
    plot shows it), so the curve and the region are those of the curved directions, as the title's rate."""
    return st.curved_eigenvalues if len(st.curved_eigenvalues) else st.form.eigenvalues


def _rate_colours(rates: np.ndarray) -> np.ndarray:
    """Converging settings from dark (fast) to light (slow) blue; diverging ones light grey."""
    fast = np.array(pg.mkColor(CLASS_LINE_COLOURS[1]).getRgb()[:3], dtype=float)   # the convex hue, dark
    slow = np.array([214, 232, 245], dtype=float)                                    # to a pale blue
    t = np.clip(rates, 0, 1)[..., None]
    rgb = fast + (slow - fast) * t
    rgb = np.where((rates >= 1)[..., None], 225, rgb)
    return np.concatenate([rgb, np.full(rates.shape + (1,), 255)], axis=-1).astype(np.ubyte)


def _edge(lrs, betas, rates):
    """The rate = 1 curve (where the method stops converging) as one polyline per piece."""
    from explorer.core.levels import iso_lines
    lines = iso_lines(lrs, betas, rates, np.array([1.0]))
    gap = np.full((1, 2), np.nan)
    joined = np.concatenate([part for line in lines for part in (line, gap)]) if lines else np.empty((0, 2))
    return joined[:, 0], joined[:, 1]

