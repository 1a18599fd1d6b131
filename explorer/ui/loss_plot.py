"""f against iteration for every run, optionally on a log scale."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget


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
        controller.runsChanged.connect(self.refresh)
        controller.stepped.connect(self.refresh)

    def refresh(self, *_):
        c = self.controller
        for line in self.lines:
            self.plot.removeItem(line)
        self.lines = []
        series = [np.array([s.value for s in r.states[:r.position + 1]]) for r in c.runs]
        shift, label = 0.0, "f"
        if self.log.isChecked():
            low = min((v.min() for v in series if v.size), default=1.0)
            if low <= 0:
                shift, label = 1e-12 - low, "f − min f"
        self.plot.setLogMode(y=self.log.isChecked())
        self.plot.setLabel("left", label)
        for values, config in zip(series, c.configs):
            line = self.plot.plot(np.arange(values.size), values + shift, pen=pg.mkPen(config.colour, width=3))
            self.lines.append(line)
