"""Sensitivity of a network fit's model at the selected run's state on show: the input–output Jacobian at the
chosen row as a small matrix (outputs × inputs, the numbers in the cells, blue below 0, white at 0, vermillion
above, to the matrix's largest |entry|), and feature importance over every row of the data as bars (the mean
|∂output/∂input|, in the raw features' units). A line names the row: "row 17 (test): X1 = 0.42, X2 = −0.13".
Clicking a data point on the decision region chooses the row. The numbers are the session's
(session.sensitivity_reading, over core.sensitivity).
"""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QAbstractScrollArea, QBoxLayout, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from explorer.core.ticks import MINUS
from explorer.ui.control.play_throttle import follow_runs
from explorer.ui.views.drawing.axis_numbers import scale_labels, scale_ticks_and_title, small_plot

TITLE_PT, CELL_PT = 10, 12
THROTTLE_MS = 150
NEGATIVE, POSITIVE = (0x00, 0x72, 0xB2), (0xD5, 0x5E, 0x00)   # blue below 0, vermillion above (white at 0)
BAR = "#4d4d4d"
WIDE_RATIO = 1.6   # a pane this many times wider than high puts the matrix beside the bars
MATRIX_SHARE = 0.6     # of such a pane's width, at most, for the matrix (the bars take the rest)
MIN_CELL_SHARE = 0.6   # the cells' text shrinks to fit the matrix's room, down to this share of its size


def signed_colour(value: float, largest: float) -> QColor:
    """A cell's fill: white at 0, to full blue at −largest and full vermillion at +largest."""
    share = 0.0 if not largest > 0 else float(np.clip(abs(value) / largest, 0.0, 1.0))
    end = POSITIVE if value > 0 else NEGATIVE
    return QColor(*(round(255 - share * (255 - c)) for c in end))


def number(value: float) -> str:
    """A cell's or a feature's number, with a true minus sign."""
    return f"{value:.3g}".replace("-", MINUS)


class SensitivityView(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller, self.reader = controller, controller.model
        self.text_scale, self.shown = 1.0, None   # shown: the Jacobian reading last drawn
        self.importance = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setToolTip("The row the Jacobian is read at: click a data point on the decision region to "
                              "choose another")
        layout.addWidget(self.title)
        self.parts = parts = QBoxLayout(QBoxLayout.LeftToRight)
        matrix = QVBoxLayout()
        self.matrix_title = QLabel()
        self.matrix_title.setWordWrap(True)
        matrix.addWidget(self.matrix_title)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setFocusPolicy(Qt.NoFocus)
        self.table.setToolTip("J = ∂output/∂input at the row: how much each output moves per unit of each input "
                              "(the data's own units); blue below 0, vermillion above, white at 0")
        # columns as wide as their numbers, and the table as wide as its columns: a narrow pane gives the bars
        # less room rather than cutting a cell's number to "0.…"
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.AdjustToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        matrix.addWidget(self.table, 1)
        parts.addLayout(matrix, 0)
        bars = QVBoxLayout()
        self.bars_title = QLabel()
        self.bars_title.setWordWrap(True)
        bars.addWidget(self.bars_title)
        self.plot = small_plot()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush=BAR, pen=pg.mkPen(None))
        self.plot.addItem(self.bars)
        bars.addWidget(self.plot, 1)
        parts.addLayout(bars, 1)
        layout.addLayout(parts, 1)
        self.set_text_scale(1.0)
        self.throttled = follow_runs(self, controller, self.refresh, THROTTLE_MS,
                                     also=(controller.sensitivityRowChanged,))

    def resizeEvent(self, event) -> None:
        """The matrix beside the bars, or above them in a tall, narrow pane."""
        super().resizeEvent(event)
        wide = event.size().width() > WIDE_RATIO * event.size().height()
        self.parts.setDirection(QBoxLayout.LeftToRight if wide else QBoxLayout.TopToBottom)
        self._fit_cells()

    def _fit_cells(self) -> None:
        """The cells' text at CELL_PT × text scale, or smaller (to MIN_CELL_SHARE of it) where the matrix would
        not fit its share of the pane's width: every number stays whole."""
        if self.shown is None:
            return
        base = CELL_PT * self.text_scale
        font = QFont("Sans")
        font.setPointSizeF(base)
        metrics = QFontMetricsF(font)
        pad = 2.2 * metrics.horizontalAdvance("0")
        J = np.asarray(self.shown["jacobian"], float)
        columns = [max([metrics.horizontalAdvance(f"∂/∂{f}")]
                       + [metrics.horizontalAdvance(number(v)) for v in J[:, j]]) + pad
                   for j, f in enumerate(self.shown["features"])]
        rows = max(metrics.horizontalAdvance(o) for o in self.shown["outputs"]) + pad
        wide = self.parts.direction() == QBoxLayout.LeftToRight
        room = max(1.0, self.width() * (MATRIX_SHARE if wide else 1.0) - 8)
        font.setPointSizeF(base * float(np.clip(room / (rows + sum(columns)), MIN_CELL_SHARE, 1.0)))
        self.table.setFont(font)
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setFont(font)

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = float(scale)
        scale_ticks_and_title(self.plot, self.title, scale)   # the caption above names the bars' quantity
        scale_labels((self.matrix_title, self.bars_title), TITLE_PT, scale)
        self.refresh()
        self._fit_cells()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    # ---------------------------------------------------------------- drawing
    def refresh(self, *_) -> None:
        if not self.isVisible():
            return   # drawn when shown (showEvent): the Jacobian over every row is not computed for nothing
        if self.reader.problem is None:
            return
        if not self.reader.sensitivity_or_later(self.refresh):   # a big network on many rows: in a worker
            self.title.setText("computing ∂output/∂input at every row…")
            return
        reading = self.reader.input_jacobian_at()
        self.shown, self.importance = reading, self.reader.feature_importance()
        self._title(reading)
        self._matrix(reading)
        self._bars(self.importance)
        self._fit_cells()

    def _title(self, reading: dict) -> None:
        _, run = self.reader.on_show()
        where = (f"<b style='color:{self.reader.run_colour()}'>{html.escape(run.method)}</b>" if run is not None
                 else "the start of new runs")
        at = ", ".join(f"{html.escape(f)} = {number(v)}" for f, v in zip(reading["features"], reading["x"]))
        self.title.setText(f"row {reading['row']} ({reading['part']}): {at} · {where}")

    def _matrix(self, reading: dict) -> None:
        J = np.asarray(reading["jacobian"], float)
        outputs, features = reading["outputs"], reading["features"]
        self.table.setRowCount(len(outputs))
        self.table.setColumnCount(len(features))
        self.table.setHorizontalHeaderLabels([f"∂/∂{f}" for f in features])
        self.table.setVerticalHeaderLabels(outputs)
        largest = float(np.max(np.abs(J))) if J.size else 0.0
        for i, name in enumerate(outputs):
            for j, feature in enumerate(features):
                value = float(J[i, j])
                cell = QTableWidgetItem(number(value))
                cell.setTextAlignment(Qt.AlignCenter)
                fill = signed_colour(value, largest)
                cell.setBackground(QBrush(fill))
                dark = largest > 0 and abs(value) / largest > 0.6
                cell.setForeground(QBrush(QColor("#ffffff" if dark else "#111111")))
                cell.setToolTip(f"∂{name}/∂{feature} = {value:.6g} at row {reading['row']}")
                self.table.setItem(i, j, cell)
        self.matrix_title.setText(f"J = ∂output/∂input at row {reading['row']}")

    def _bars(self, importance: dict) -> None:
        values = np.asarray(importance["importance"], float)
        names = importance["features"]
        x = np.arange(len(values), dtype=float)
        self.bars.setOpts(x=x, height=values, width=0.6)
        self.plot.getAxis("bottom").setTicks([[(float(i), name) for i, name in enumerate(names)]])
        self.plot.setXRange(-0.6, len(values) - 0.4, padding=0)
        top = float(np.max(values)) if values.size and np.isfinite(values).all() else 1.0
        self.plot.setYRange(0.0, top * 1.1 if top > 0 else 1.0, padding=0)
        what = "and outputs" if len(importance["outputs"]) > 1 else ""
        self.bars_title.setText(f"feature importance: mean |∂output/∂input| over all {importance['rows']} rows "
                                f"{what}".strip())

    # ---------------------------------------------------------------- what a test reads
    def cell(self, i: int, j: int) -> tuple[str, str]:
        """The matrix cell's text and its fill colour."""
        item = self.table.item(i, j)
        return item.text(), item.background().color().name()

    def bar_heights(self) -> np.ndarray:
        return np.asarray(self.bars.opts["height"], float)
