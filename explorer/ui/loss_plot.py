"""f against iteration for every run, optionally on a log scale, with a legend of the runs."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from explorer.core.trajectory import COST_AXES
from explorer.ui.axis_numbers import NumberAxis
from explorer.ui.palette import casing, run_styles
from explorer.ui.play_throttle import PlayThrottle

THROTTLE_MS = 200
MIN_ITERATIONS = 10   # the iteration axis spans at least 0..10, so step 0 shows a sane axis
TICK_PT, NAME_PT, LEGEND_PT = 11, 12, 11
LEGEND_COLUMNS = 4    # entries per legend row
LEGEND_ENTRIES = 8    # more runs than this: the first seven and "… N more"


def legend_names(configs) -> list[str]:
    """Method names; a method that runs more than once is numbered (gd 1, gd 2)."""
    methods = [config.method for config in configs]
    seen: dict[str, int] = {}
    names = []
    for method in methods:
        seen[method] = seen.get(method, 0) + 1
        names.append(f"{method} {seen[method]}" if methods.count(method) > 1 else method)
    return names


class LossPlot(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plot = pg.PlotWidget(background="#f7f7f7",
                                  axisItems={side: NumberAxis(side) for side in ("left", "bottom")})
        self.plot.setFocusPolicy(Qt.NoFocus)
        self.text_scale = 1.0
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setTextPen("#222222")
            axis.enableAutoSIPrefix(False)   # "iteration (x0.001)" is not an axis a class can read
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.getPlotItem().vb.setLimits(xMin=-0.5)   # there are no negative iterations
        self.plot.enableAutoRange(y=True)
        self.legend = self.plot.addLegend(offset=(-10, 8), brush=pg.mkBrush(255, 255, 255, 220),
                                          pen=pg.mkPen("#999999"))
        self._legend_key = None
        self._more = pg.PlotDataItem(pen=None)   # the legend's "… N more" entry: no line of its own
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
                                    "several evaluations of f: count those to compare methods fairly.")
        self.axis_choice.currentIndexChanged.connect(lambda _: self.refresh())
        row.addWidget(self.axis_choice)
        layout.addWidget(self.controls)
        self.lines: list[pg.PlotDataItem] = []
        controller.runsChanged.connect(self.refresh)
        self.throttled = PlayThrottle(self, controller, self.refresh, THROTTLE_MS)   # while playing
        controller.stepped.connect(self.throttled)

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

    def axis(self) -> str:
        """What the x axis counts: a key of trajectory.COST_AXES."""
        return self.axis_choice.currentData() if hasattr(self, "axis_choice") else "iterations"

    def _x_label(self) -> str:
        return {"iterations": "iteration"}.get(self.axis(), COST_AXES[self.axis()])

    def _name_style(self) -> dict:
        return {"font-size": f"{NAME_PT * self.text_scale:.3g}pt", "color": "#222222"}

    def refresh(self, *_):
        c = self.controller
        while len(self.lines) > len(c.runs):
            self.plot.removeItem(self.lines.pop())
        while len(self.lines) < len(c.runs):
            line = pg.PlotDataItem()
            self.plot.getPlotItem().addItem(line)   # not plot(): the legend is kept by hand below
            self.lines.append(line)
        series = [r.shown_values() for r in c.runs]   # views into the runs' arrays: no walk over history
        axis = self.axis()
        costs = [r.cost(axis, r.position + 1).astype(float) for r in c.runs]
        shift, label = 0.0, "|F|" if getattr(c, "is_field", False) else "L" if getattr(c, "is_fit", False) else "f"
        log = self.log.isChecked()
        if log:
            low = min((v[np.isfinite(v)].min() for v in series if np.isfinite(v).any()), default=1.0)
            if low <= 0:
                shift, label = 1e-12 - low, f"{label} − min {label}"
        if self.plot.getPlotItem().ctrl.logYCheck.isChecked() != log:
            self.plot.setLogMode(y=log)
        if label != self._label:
            self.plot.setLabel("left", label, **self._name_style())
            self._label = label
        styles = run_styles([config.colour for config in c.configs])
        for line, values, xs, config, style in zip(self.lines, series, costs, c.configs, styles):
            line.setData(xs, values + shift,
                         pen=pg.mkPen(config.colour, width=3, style=style.dash),
                         shadowPen=pg.mkPen(casing(config.colour), width=5))
        last = max((float(x[-1]) for x in costs if x.size), default=0.0)
        self.plot.setXRange(0, max(last, MIN_ITERATIONS), padding=0.02)
        if self.plot.getAxis("bottom").labelText != self._x_label():
            self.plot.setLabel("bottom", self._x_label(), **self._name_style())
        self._show_legend(c.configs)

    def _show_legend(self, configs) -> None:
        """Method names in their runs' colours; rebuilt only when the runs change."""
        names = legend_names(configs)
        key = (len(self.lines),) + tuple((name, config.colour) for name, config in zip(names, configs))
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        # a row of up to four: the plot is short and wide, and a tall legend hides the curves' ends
        self.legend.setColumnCount(min(max(1, len(configs)), LEGEND_COLUMNS))
        shown = len(configs) if len(configs) <= LEGEND_ENTRIES else LEGEND_ENTRIES - 1
        size = f"{LEGEND_PT * self.text_scale:.3g}pt"
        for line, name, config in list(zip(self.lines, names, configs))[:shown]:
            self.legend.addItem(line, name)
            self.legend.items[-1][1].setText(name, color=config.colour, size=size, bold=True)
        if shown < len(configs):   # the caption and the runs table name every run; the legend names a few
            self.legend.addItem(self._more, "")
            self.legend.items[-1][1].setText(f"… {len(configs) - shown} more", color="#222222", size=size)
