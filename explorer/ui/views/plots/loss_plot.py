"""f against iteration for every run, optionally on a log scale, with a legend of the runs above the plot.

A mini-batched run also draws the loss of each step's own batch there (`Run.batch_losses`: state t's
batch is the one its step uses), thin and pale in the run's colour under its full loss; the legend then
says which line is which. The y axis is framed on the full losses: a batch's loss may leave through the top.

On a log scale the drawn y values are log10 of the values and the axis writes powers of ten (the curves
are PlotCurveItems, which pyqtgraph's own log mode would not transform). Instead of the value, y may be
each run's distance to its end point, ‖x_t − x_end‖. The settings are the session's (`Setup.loss_plot`,
kept in scenes), so a prepared scene and its export show the plot as it was left.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, QTimer
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QVBoxLayout, QWidget

from explorer.core.loss_plot_scene import Y_AXES
from explorer.core.trajectory import COST_AXES
from explorer.ui.views.drawing.axis_numbers import small_plot
from explorer.ui.views.drawing.flow_layout import FlowLayout, group
from explorer.ui.views.drawing.palette import casing, run_styles
from explorer.ui.control.play_throttle import PlayThrottle
from explorer.ui.views.drawing.plot_legend import LegendKey, PlotLegend
from explorer.ui.text.run_text import legend_names

THROTTLE_MS = 200
MIN_ITERATIONS = 10   # the iteration axis spans at least 0..10, so step 0 shows a sane axis
TICK_PT, NAME_PT, LEGEND_PT = 11, 12, 11
LEGEND_MIN_PT = 9      # the legend's text shrinks to this in a small plot (still read from the back) ...
LEGEND_SHARE = 0.3     # ... while the legend would take more of the plot's height than this
LEGEND_ENTRIES = 8    # more runs than this: the first seven and "… N more"
BATCH_ALPHA = 110     # of 255: the batch loss's line, pale beside the full loss's
BATCH_WIDTH = 1.3
KEY_COLOUR = "#555555"   # the legend's samples of "full loss" and "batch loss": no run's colour
FLAT_DECADES = 0.5    # a flat curve on a log scale: this much above and below it
FLAT_SHARE = 0.1      # ... on a linear scale: this share of its value above and below
LARGEST = 1e300       # values beyond this are framed as this (the range's width must stay a number)
Y_NAMES = {"loss": "value", "distance": "distance to the end", "hessian_error": "‖B − H‖ / ‖H‖ (quasi-Newton)"}


def drawn_heights(values: np.ndarray, log: bool) -> np.ndarray:
    """The y data a curve is drawn with: the values, or log10 of them on a log scale; nan where none is drawn
    (a value that is not finite, or not positive on a log scale)."""
    values = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        heights = np.log10(values) if log else values.copy()
    heights[~np.isfinite(heights)] = np.nan
    return heights


def framed(heights: list[np.ndarray], log: bool) -> tuple[float, float]:
    """The y range that holds every finite height, never absurd: a flat curve gets a margin of its own size."""
    finite = [h[np.isfinite(h)] for h in heights]
    finite = np.clip(np.concatenate(finite), -LARGEST, LARGEST) if finite else np.empty(0)
    if not finite.size:
        return (-1.0, 1.0) if log else (0.0, 1.0)
    low, high = float(finite.min()), float(finite.max())
    if high - low <= 1e-9 * max(abs(low), abs(high)):
        margin = FLAT_DECADES if log else FLAT_SHARE * abs(high) or 1.0
        low, high = low - margin, high + margin
    return low, high


def peaks(xs: np.ndarray, ys: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """(xs, ys) as a plot `bins` pixels wide shows them: for each of `bins` equal slices of xs (ascending), the
    smallest and the largest y, then the last point exactly; as they are when there are few points. One
    numpy pass: a curve of 10,000 steps paints a few hundred segments instead of 10,000."""
    ys = np.where(np.abs(ys) > 1e300, np.copysign(np.inf, ys), ys)   # past any axis (pyqtgraph's padding overflows)
    n = len(xs)
    if n <= 4 * bins or not xs[-1] > xs[0]:
        return xs, ys
    starts = np.unique(np.concatenate([[0], np.searchsorted(xs, np.linspace(xs[0], xs[-1], bins + 1)[1:-1])]))
    with np.errstate(invalid="ignore"):
        low, high = np.minimum.reduceat(ys, starts), np.maximum.reduceat(ys, starts)
    return (np.append(np.repeat(xs[starts], 2), xs[-1]),
            np.append(np.column_stack([low, high]).ravel(), ys[-1]))


class LossPlot(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.legend = PlotLegend(LEGEND_PT)   # above the plot: it never hides a curve
        self._legend_timer = QTimer(self, singleShot=True, interval=0)
        self._legend_timer.timeout.connect(self._show_legend)
        layout.addWidget(self.legend)
        self.plot = small_plot(grid=0.25)   # no "iteration (x0.001)": not an axis a class can read
        self.plot.setMenuEnabled(False)     # its "Log Y" would not transform the curves: the box below does
        self.text_scale = 1.0
        self.plot.getPlotItem().vb.setLimits(xMin=-0.5)   # there are no negative iterations
        self._label = "f"
        self._shown_spec = None
        layout.addWidget(self.plot, 1)
        self.controls = QWidget()   # hidden in presentation mode and exports
        row = FlowLayout(self.controls, spacing=10)
        self.log = QCheckBox("log scale")
        self.log.setToolTip("Logarithmic y axis: the curves are drawn at log10 of the value, the ticks at powers "
                            "of ten,\nso fast and slow convergence show on one plot (f − min f + 10⁻¹² where f "
                            "is not positive;\na distance of 0, at the end point itself, has no place on it)")
        self.log.toggled.connect(lambda on: self._change(log=on))
        self.y_choice = QComboBox()
        for key in Y_AXES:
            self.y_choice.addItem(Y_NAMES[key], key)
        self.y_choice.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.y_choice.setToolTip("What the y axis shows: the value, or each run's distance ‖x_t − x_end‖ to its "
                                 "end point\n(the last state computed: the run's end point once it has stopped),\n"
                                 "or how far a quasi-Newton run's Hessian approximation B_k is from the true "
                                 "H(x_k): ‖B_k − H‖_F / ‖H‖_F\n(BFGS learns a quadratic's H in n steps; other "
                                 "methods have no curve)")
        self.y_choice.currentIndexChanged.connect(lambda _: self._change(y=self.y_choice.currentData()))
        self.axis_choice = QComboBox()
        for key, label in COST_AXES.items():
            self.axis_choice.addItem(label, key)
        self.axis_choice.setSizeAdjustPolicy(QComboBox.AdjustToContents)   # never cut; the row wraps instead
        self.axis_choice.setToolTip("What the x axis counts. A Newton step costs a Hessian and a line search "
                                    "several evaluations of f: count those to compare methods fairly.\n"
                                    "For a fit of data, epochs count the rows whose gradient a run used over the "
                                    "rows of the data: mini-batches and SGD compared by the data they cost.")
        self.axis_choice.currentIndexChanged.connect(lambda _: self._change(axis=self.axis_choice.currentData()))
        for widget in (self.log, group(QLabel("y:"), self.y_choice), group(QLabel("against"), self.axis_choice)):
            row.addWidget(widget)
        layout.addWidget(self.controls)
        for signal in (controller.fitChanged, controller.expressionAccepted):
            signal.connect(self._offer_epochs)
        controller.displayChanged.connect(self.show_settings)
        self.lines: list[pg.PlotCurveItem] = []
        self._errors: dict[int, tuple[object, np.ndarray]] = {}   # id(run) -> (its states, ‖B−H‖/‖H‖ so far)
        self.batch_lines: list[pg.PlotCurveItem | None] = []   # a mini-batched run's batch loss (None otherwise)
        self.set_text_scale(1.0)
        self.throttled = PlayThrottle(self, controller, self.refresh, THROTTLE_MS)   # while playing
        controller.pathsChanged.connect(self.throttled)   # runs, timeline or selection: one redraw
        self._offer_epochs()

    # ---------------------------------------------------------------- settings (the session's)
    def settings(self):
        """The session's loss plot settings as this kind of problem shows them (LossPlotSpec)."""
        c = self.controller
        return c.setup.loss_plot.for_kind(c.kind.has_rows)

    def axis(self) -> str:
        """What the x axis counts: a key of trajectory.COST_AXES."""
        return self.settings().axis

    def _change(self, **changes) -> None:
        """A control moved: the session's settings change (one undo step), then every view of them follows."""
        spec = self.settings()
        if replace(spec, **changes) != spec:
            self.controller.set_display(loss_plot=replace(spec, **changes))

    def show_settings(self, *_) -> None:
        """The controls show the session's settings (after a scene, a preset or an undo too), then the plot."""
        spec = self.settings()
        for widget, setter, value in ((self.log, self.log.setChecked, spec.log),
                                      (self.y_choice, self.y_choice.setCurrentIndex, self.y_choice.findData(spec.y)),
                                      (self.axis_choice, self.axis_choice.setCurrentIndex,
                                       self.axis_choice.findData(spec.axis))):
            with QSignalBlocker(widget):
                setter(value)
        if spec != self._shown_spec:   # a colouring or a 3D scale changed: nothing here to redraw
            self._shown_spec = spec
            self.refresh()

    def _offer_epochs(self, *_) -> None:
        """Epochs are offered for a fit of data only (a function has no rows)."""
        index = self.axis_choice.findData("epochs")
        self.axis_choice.model().item(index).setEnabled(self.controller.kind.has_rows)
        self.show_settings()

    # ---------------------------------------------------------------- text
    def set_text_scale(self, scale: float) -> None:
        """Ticks, axis names and the legend `scale`× their normal size (presentation mode, big exports)."""
        self.text_scale = float(scale)
        font = QFont("Sans")
        font.setPointSizeF(TICK_PT * scale)
        for side, name in (("bottom", self._x_label()), ("left", self._label)):
            self.plot.getAxis(side).setTickFont(font)
            self.plot.setLabel(side, name, **self._name_style())
        self._show_legend()

    def _x_label(self) -> str:
        return {"iterations": "iteration"}.get(self.axis(), COST_AXES[self.axis()])

    def _y_label(self) -> str:
        c = self.controller
        if self.settings().y == "distance":
            point = c.kind.point_name
            return f"‖{point} − {point}<sub>end</sub>‖"
        if self.settings().y == "hessian_error":
            return "‖B − H‖ / ‖H‖"
        return c.kind.value_name

    def _name_style(self) -> dict:
        return {"font-size": f"{NAME_PT * self.text_scale:.3g}pt", "color": "#222222"}

    # ---------------------------------------------------------------- drawing
    def refresh(self, *_):
        c = self.controller
        if c.staging.later(self.refresh, self._hide_curves):
            return   # a big scene opening: its runs' curves are drawn on a turn of their own
        item = self.plot.getPlotItem()
        item.vb.childGroup.setVisible(True)
        while len(self.lines) > len(c.runs):
            item.removeItem(self.lines.pop())
            batch = self.batch_lines.pop()
            if batch is not None:
                item.removeItem(batch)
        while len(self.lines) < len(c.runs):
            # curves, not PlotDataItems: no scatter inside each (64 runs open in a third of the time)
            line = pg.PlotCurveItem(connect="finite")
            item.addItem(line)
            self.lines.append(line)
            self.batch_lines.append(None)
        spec = self.settings()
        log, distance = spec.log, spec.y == "distance"
        # views into the runs' arrays: no walk over history
        if spec.y == "hessian_error":
            distance = True   # like a distance: no batch losses, no shift on a log axis
            series = [self._hessian_errors(r) for r in c.runs]
        else:
            series = [r.shown_distances() if distance else r.shown_values() for r in c.runs]
        batches = [r.batch_losses(r.position + 1) if getattr(r, "batched", False) and not distance else None
                   for r in c.runs]
        costs = [r.cost(spec.axis, r.position + 1).astype(float) for r in c.runs]
        shift, label = 0.0, self._y_label()
        if log and not distance:
            low = min((v[np.isfinite(v)].min() for v in series + [b for b in batches if b is not None]
                       if np.isfinite(v).any()), default=1.0)
            if low <= 0:
                shift, label = 1e-12 - low, f"{label} − min {label}"
        axis = self.plot.getAxis("left")
        if axis.logMode != log:
            axis.setLogMode(False, log)   # the axis only: the curves' y data are log10 already
        if label != self._label:
            self.plot.setLabel("left", label, **self._name_style())
            self._label = label
        styles = run_styles([config.colour for config in c.configs])
        bins = max(50, int(item.vb.width()))   # a slice of steps a pixel
        heights = []
        for line, values, xs, config, style in zip(self.lines, series, costs, c.configs, styles):
            px, py = peaks(xs, values + shift, bins)
            heights.append(drawn_heights(py, log))
            line.setData(px, heights[-1], pen=pg.mkPen(config.colour, width=3, style=style.dash),
                         shadowPen=pg.mkPen(casing(config.colour), width=5))
        for i, (values, xs, config) in enumerate(zip(batches, costs, c.configs)):
            line = self.batch_lines[i]
            if values is None:   # a run on every row has no batch line (made only for mini-batched runs)
                if line is not None:
                    item.removeItem(line)
                    self.batch_lines[i] = None
                continue
            if line is None:
                line = self.batch_lines[i] = pg.PlotCurveItem(connect="finite")
                line.setZValue(-1)   # under every run's full loss
                # the y axis fits the full losses; a batch's loss (one row's can be far above L) may leave the top
                item.addItem(line, ignoreBounds=True)
            colour = QColor(config.colour)
            colour.setAlpha(BATCH_ALPHA)
            px, py = peaks(xs, values + shift, bins)
            line.setData(px, drawn_heights(py, log), pen=pg.mkPen(colour, width=BATCH_WIDTH))
        last = max((float(x[-1]) for x in costs if x.size), default=0.0)
        self.plot.setXRange(0, max(last, MIN_ITERATIONS), padding=0.02)
        self.plot.setYRange(*framed(heights, log), padding=0.05)   # on the data, whatever was drawn before
        if self.plot.getAxis("bottom").labelText != self._x_label():
            self.plot.setLabel("bottom", self._x_label(), **self._name_style())
        self._show_legend()

    def _hessian_errors(self, run) -> np.ndarray:
        """‖B_k − H‖ / ‖H‖ up to the step on show (NaN for a run that keeps no B), extended, not recomputed."""
        count = run.position + 1
        kept = self._errors.get(id(run))
        known = kept[1] if kept is not None and kept[0] is run.states else None
        errors = self.controller.lessons.hessian_errors(run, count, known)
        if errors is None:
            return np.full(count, np.nan)
        if known is None or len(errors) > len(known):
            self._errors[id(run)] = (run.states, errors)
        return errors

    def _hide_curves(self) -> None:
        """Every curve and the legend (they are the last scene's until `refresh` draws this one's)."""
        self.plot.getPlotItem().vb.childGroup.setVisible(False)
        self.legend.set_keys(())

    # ---------------------------------------------------------------- legend
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # a narrower plot may need more rows, or smaller text: sized after this layout pass, whose
        # geometry requests Qt would not honour from inside it
        self._legend_timer.start()

    def _legend_keys(self) -> list[LegendKey]:
        """Method names in their runs' colours with their lines' samples; "… N more" past LEGEND_ENTRIES; the
        key to a mini-batched run's two lines."""
        c = self.controller
        configs = c.configs
        names = legend_names(configs)
        shown = len(configs) if len(configs) <= LEGEND_ENTRIES else LEGEND_ENTRIES - 1
        styles = run_styles([config.colour for config in configs])
        keys = [LegendKey(name, config.colour, (pg.mkPen(casing(config.colour), width=5),
                                                pg.mkPen(config.colour, width=3, style=style.dash)))
                for name, config, style in list(zip(names, configs, styles))[:shown]]
        if shown < len(configs):   # the caption and the runs table name every run; the legend names a few
            keys.append(LegendKey(f"… {len(configs) - shown} more", "#222222", bold=False))
        if self.settings().y == "loss" and any(getattr(r, "batched", False) for r in c.runs):
            # which of a mini-batched run's two lines is which, in no run's colour
            keys += [LegendKey("all rows", KEY_COLOUR, (pg.mkPen(KEY_COLOUR, width=3),), bold=False),
                     LegendKey("batch", KEY_COLOUR, (pg.mkPen(QColor(KEY_COLOUR).lighter(140), width=BATCH_WIDTH),),
                               bold=False)]
        return keys

    def _show_legend(self) -> None:
        """The legend's keys at the largest size, down to LEGEND_MIN_PT, that leaves the legend no more than
        LEGEND_SHARE of the height (a small plot in a 1024×768 window keeps its room for the curves)."""
        pt, smallest = LEGEND_PT * self.text_scale, min(LEGEND_PT, LEGEND_MIN_PT) * self.text_scale
        self.legend.set_keys(self._legend_keys(), pt)
        while pt > smallest and self.legend.height_for(self.width()) > LEGEND_SHARE * self.height():
            pt = max(smallest, pt - 0.5)
            self.legend.set_keys(self.legend.keys, pt)
