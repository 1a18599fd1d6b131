"""f against iteration for every run, optionally on a log scale, with a legend of the runs.

A mini-batched run also draws the loss of each step's own batch there (`Run.batch_losses`: state t's
batch is the one its step uses), thin and pale in the run's colour under its full loss; the legend then
says which line is which. The y axis fits the full losses: a batch's loss may leave through the top."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from explorer.core.trajectory import COST_AXES
from explorer.ui.axis_numbers import small_plot
from explorer.ui.palette import casing, run_styles
from explorer.ui.play_throttle import PlayThrottle
from explorer.ui.run_text import legend_names

THROTTLE_MS = 200
MIN_ITERATIONS = 10   # the iteration axis spans at least 0..10, so step 0 shows a sane axis
TICK_PT, NAME_PT, LEGEND_PT = 11, 12, 11
LEGEND_MIN_PT = 9      # the legend's text shrinks to this in a small plot (still read from the back) ...
LEGEND_SHARE = 0.4     # ... while the legend would take more of the plot's height than this
LEGEND_SAMPLE_PX = 20  # a legend row is at least its line sample's height
LEGEND_COLUMNS = 4    # entries per legend row
LEGEND_ENTRIES = 8    # more runs than this: the first seven and "… N more"
BATCH_ALPHA = 110     # of 255: the batch loss's line, pale beside the full loss's
BATCH_WIDTH = 1.3
KEY_COLOUR = "#555555"   # the legend's samples of "full loss" and "batch loss": no run's colour


def _legend_metrics(pt: float) -> QFontMetricsF:
    font = QFont("Sans")
    font.setPointSizeF(pt)
    font.setBold(True)
    return QFontMetricsF(font)


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
        self.plot = small_plot(grid=0.25)   # no "iteration (x0.001)": not an axis a class can read
        self.text_scale = 1.0
        self.plot.getPlotItem().vb.setLimits(xMin=-0.5)   # there are no negative iterations
        self.plot.enableAutoRange(y=True)
        self.legend = self.plot.addLegend(offset=(-10, 8), brush=pg.mkBrush(255, 255, 255, 220),
                                          pen=pg.mkPen("#999999"))
        self._legend_key = None
        self._more = pg.PlotDataItem(pen=None)   # the legend's "… N more" entry: no line of its own
        # the legend's key to a mini-batched run's two lines (samples only: never added to the plot)
        self._full_key = pg.PlotDataItem(pen=pg.mkPen(KEY_COLOUR, width=3))
        self._batch_key = pg.PlotDataItem(pen=pg.mkPen(QColor(KEY_COLOUR).lighter(140), width=BATCH_WIDTH))
        self._label = "f"
        self.set_text_scale(1.0)
        layout.addWidget(self.plot)
        self.controls = QWidget()   # hidden in presentation mode and exports
        row = QHBoxLayout(self.controls)
        row.setContentsMargins(0, 0, 0, 0)
        self.log = QCheckBox("log scale")
        self.log.setToolTip("Logarithmic f axis: shows fast and slow convergence on one plot\n"
                            "(plots f − min f + 10⁻¹² where f is not positive)")
        self.log.toggled.connect(self.refresh)
        row.addWidget(self.log, 1)
        self.axis_choice = QComboBox()
        for key, label in COST_AXES.items():
            self.axis_choice.addItem(f"against {label}", key)
        # narrow windows (1024×768) must not be held wide by this box: it shrinks, the list does not
        self.axis_choice.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.axis_choice.setMinimumContentsLength(10)
        self.axis_choice.setToolTip("What the x axis counts. A Newton step costs a Hessian and a line search "
                                    "several evaluations of f: count those to compare methods fairly.\n"
                                    "For a fit of data, epochs count the rows whose gradient a run used over the "
                                    "rows of the data: mini-batches and SGD compared by the data they cost.")
        self.axis_choice.currentIndexChanged.connect(lambda _: self.refresh())
        for signal in (controller.fitChanged, controller.expressionAccepted):
            signal.connect(self._offer_epochs)
        row.addWidget(self.axis_choice)
        layout.addWidget(self.controls)
        self.lines: list[pg.PlotCurveItem] = []
        self.batch_lines: list[pg.PlotCurveItem | None] = []   # a mini-batched run's batch loss (None otherwise)
        self.throttled = PlayThrottle(self, controller, self.refresh, THROTTLE_MS)   # while playing
        controller.pathsChanged.connect(self.throttled)   # runs, timeline or selection: one redraw
        self._offer_epochs()

    def set_text_scale(self, scale: float) -> None:
        """Ticks, axis names and the legend `scale`× their normal size (presentation mode, big exports)."""
        self.text_scale = float(scale)
        font = QFont("Sans")
        font.setPointSizeF(TICK_PT * scale)
        for side, name in (("bottom", self._x_label()), ("left", self._label)):
            self.plot.getAxis(side).setTickFont(font)
            self.plot.setLabel(side, name, **self._name_style())
        self._legend_key = None
        if hasattr(self, "lines"):
            self._show_legend(self.controller.configs)

    def _offer_epochs(self, *_) -> None:
        """Epochs are offered for a fit of data only (a function has no rows)."""
        index = self.axis_choice.findData("epochs")
        fit = bool(getattr(self.controller, "is_fit", False))
        self.axis_choice.model().item(index).setEnabled(fit)
        if not fit and self.axis() == "epochs":
            self.axis_choice.setCurrentIndex(self.axis_choice.findData("iterations"))

    def axis(self) -> str:
        """What the x axis counts: a key of trajectory.COST_AXES."""
        return self.axis_choice.currentData() if hasattr(self, "axis_choice") else "iterations"

    def _x_label(self) -> str:
        return {"iterations": "iteration"}.get(self.axis(), COST_AXES[self.axis()])

    def _name_style(self) -> dict:
        return {"font-size": f"{NAME_PT * self.text_scale:.3g}pt", "color": "#222222"}

    def refresh(self, *_):
        c = self.controller
        if c.staging.later(self.refresh, self._hide_curves):
            return   # a big scene opening: its runs' curves are drawn on a turn of their own
        item = self.plot.getPlotItem()
        item.vb.childGroup.setVisible(True)
        self.legend.setVisible(True)
        while len(self.lines) > len(c.runs):
            item.removeItem(self.lines.pop())
            batch = self.batch_lines.pop()
            if batch is not None:
                item.removeItem(batch)
        while len(self.lines) < len(c.runs):
            # curves, not PlotDataItems: no scatter inside each (64 runs open in a third of the time)
            line = pg.PlotCurveItem()
            item.addItem(line)
            self.lines.append(line)
            self.batch_lines.append(None)
        series = [r.shown_values() for r in c.runs]   # views into the runs' arrays: no walk over history
        batches = [r.batch_losses(r.position + 1) if getattr(r, "batched", False) else None for r in c.runs]
        axis = self.axis()
        costs = [r.cost(axis, r.position + 1).astype(float) for r in c.runs]
        shift, label = 0.0, "|F|" if getattr(c, "is_field", False) else "L" if getattr(c, "is_fit", False) else "f"
        log = self.log.isChecked()
        if log:
            low = min((v[np.isfinite(v)].min() for v in series + [b for b in batches if b is not None]
                       if np.isfinite(v).any()), default=1.0)
            if low <= 0:
                shift, label = 1e-12 - low, f"{label} − min {label}"
        if self.plot.getPlotItem().ctrl.logYCheck.isChecked() != log:
            self.plot.setLogMode(y=log)
        if label != self._label:
            self.plot.setLabel("left", label, **self._name_style())
            self._label = label
        styles = run_styles([config.colour for config in c.configs])
        bins = max(50, int(self.plot.getPlotItem().vb.width()))   # a slice of steps a pixel
        for line, values, xs, config, style in zip(self.lines, series, costs, c.configs, styles):
            line.setData(*peaks(xs, values + shift, bins),
                         pen=pg.mkPen(config.colour, width=3, style=style.dash),
                         shadowPen=pg.mkPen(casing(config.colour), width=5))
        for i, (values, xs, config) in enumerate(zip(batches, costs, c.configs)):
            line = self.batch_lines[i]
            if values is None:   # a run on every row has no batch line (made only for mini-batched runs)
                if line is not None:
                    item.removeItem(line)
                    self.batch_lines[i] = None
                continue
            if line is None:
                line = self.batch_lines[i] = pg.PlotCurveItem()
                line.setZValue(-1)   # under every run's full loss
                # the y axis fits the full losses; a batch's loss (one row's can be far above L) may leave the top
                item.addItem(line, ignoreBounds=True)
            colour = QColor(config.colour)
            colour.setAlpha(BATCH_ALPHA)
            line.setData(*peaks(xs, values + shift, bins), pen=pg.mkPen(colour, width=BATCH_WIDTH))
        last = max((float(x[-1]) for x in costs if x.size), default=0.0)
        self.plot.setXRange(0, max(last, MIN_ITERATIONS), padding=0.02)
        if self.plot.getAxis("bottom").labelText != self._x_label():
            self.plot.setLabel("bottom", self._x_label(), **self._name_style())
        self._show_legend(c.configs)

    def _hide_curves(self) -> None:
        """Every curve and the legend (they are the last scene's until `refresh` draws this one's)."""
        self.plot.getPlotItem().vb.childGroup.setVisible(False)
        self.legend.setVisible(False)

    def _legend_columns(self, names, most: int, pt: float) -> int:
        """The most entries a row (up to `most`) whose widest row fits the plot's width."""
        metrics = _legend_metrics(pt)
        entry = [metrics.horizontalAdvance(name) + 4.5 * metrics.height() for name in names] or [0.0]   # + sample
        room = 0.9 * self.plot.width()
        for columns in range(most, 1, -1):
            if max(sum(entry[i:i + columns]) for i in range(0, len(entry), columns)) <= room:
                return columns
        return 1

    def _legend_layout(self, names, most: int, entries: int) -> tuple[float, int]:
        """(point size, entries a row) of a legend of `entries` entries: its text shrinks, down to
        LEGEND_MIN_PT, while the legend would take more than LEGEND_SHARE of the plot's height (a small
        plot in a 1024×768 window: the legend would hide the curves)."""
        pt, smallest = LEGEND_PT * self.text_scale, min(LEGEND_PT, LEGEND_MIN_PT) * self.text_scale
        while True:
            columns = self._legend_columns(names, most, pt)
            rows = -(-entries // columns)
            height = rows * max(LEGEND_SAMPLE_PX, 1.3 * _legend_metrics(pt).height())
            if height <= LEGEND_SHARE * self.plot.height() or pt <= smallest:
                return pt, columns
            pt = max(smallest, pt - 0.5)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if hasattr(self, "lines"):
            self._show_legend(self.controller.configs)   # long names may need more rows in a narrower plot

    def _show_legend(self, configs) -> None:
        """Method names in their runs' colours; rebuilt only when the runs change."""
        names = legend_names(configs)
        batched = any(getattr(r, "batched", False) for r in self.controller.runs)
        shown = len(configs) if len(configs) <= LEGEND_ENTRIES else LEGEND_ENTRIES - 1
        entries = shown + (shown < len(configs)) + 2 * batched
        pt, columns = self._legend_layout(names[:shown], min(max(1, len(configs), 2 * batched), LEGEND_COLUMNS),
                                          entries)
        size = f"{pt:.3g}pt"
        key = (len(self.lines), batched, columns, pt) + tuple((name, config.colour)
                                                              for name, config in zip(names, configs))
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        # a row of up to four: the plot is short and wide, and a tall legend hides the curves' ends;
        # fewer a row where long names would not fit the plot's width (the legend would be cut off)
        self.legend.setColumnCount(columns)
        for line, name, config in list(zip(self.lines, names, configs))[:shown]:
            self.legend.addItem(line, name)
            self.legend.items[-1][1].setText(name, color=config.colour, size=size, bold=True)
        if shown < len(configs):   # the caption and the runs table name every run; the legend names a few
            self.legend.addItem(self._more, "")
            self.legend.items[-1][1].setText(f"… {len(configs) - shown} more", color="#222222", size=size)
        if batched:   # on a row of its own: which of a mini-batched run's two lines is which, in no run's colour
            for sample, text in ((self._full_key, "all rows"), (self._batch_key, "batch")):
                self.legend.addItem(sample, text)
                self.legend.items[-1][1].setText(text, color=KEY_COLOUR, size=size)
