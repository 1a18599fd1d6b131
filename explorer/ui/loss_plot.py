"""f against iteration for every run, optionally on a log scale."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

THROTTLE_MS = 200


class LossPlot(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plot = pg.PlotWidget(background="#f7f7f7")
        self.plot.setFocusPolicy(Qt.NoFocus)
        self.plot.setLabel("bottom", "iteration", **{"font-size": "12pt", "color": "#222222"})
        self.plot.setLabel("left", "f", **{"font-size": "12pt", "color": "#222222"})
        for side in ("left", "bottom"):
            self.plot.getAxis(side).setTickFont(QFont("Sans", 11))
            self.plot.getAxis(side).setTextPen("#222222")
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        layout.addWidget(self.plot)
        self.log = QCheckBox("log scale (plots f − min f + 10⁻¹² if f is not positive)")
        self.log.setToolTip("Logarithmic f axis: shows fast and slow convergence on one plot")
        self.log.toggled.connect(self.refresh)
        layout.addWidget(self.log)
        self.lines: list[pg.PlotDataItem] = []
        self._label = "f"
        # while playing, redraw at most every THROTTLE_MS: its axes re-range on every step and
        # drawing their text costs more than the step itself on a software renderer
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(THROTTLE_MS)
        self._throttle.timeout.connect(self.refresh)
        controller.runsChanged.connect(self.refresh)
        controller.stepped.connect(self._stepped)

    def _stepped(self):
        if not self.controller.playing:
            self.refresh()
        elif not self._throttle.isActive():
            self._throttle.start()

    def refresh(self, *_):
        c = self.controller
        while len(self.lines) > len(c.runs):
            self.plot.removeItem(self.lines.pop())
        while len(self.lines) < len(c.runs):
            self.lines.append(self.plot.plot())
        series = [np.array([s.value for s in r.states[:r.position + 1]]) for r in c.runs]
        shift, label = 0.0, "f"
        log = self.log.isChecked()
        if log:
            low = min((v.min() for v in series if v.size), default=1.0)
            if low <= 0:
                shift, label = 1e-12 - low, "f − min f"
        if self.plot.getPlotItem().ctrl.logYCheck.isChecked() != log:
            self.plot.setLogMode(y=log)
        if label != self._label:
            self.plot.setLabel("left", label)
            self._label = label
        for line, values, config in zip(self.lines, series, c.configs):
            line.setData(np.arange(values.size), values + shift, pen=pg.mkPen(config.colour, width=3))
