"""The metrics of a network fit's selected run: its loss on the training and the test rows, and a chosen metric
(accuracy, precision, recall, F1, macro F1, R², MSE: a combo box), against the step (or the epoch, when the
run is mini-batched), with a marker at the state on show; beside them the confusion matrix at that state
(binary 2×2, K×K), a small table of counts coloured by their share of the true class's rows.

Train is blue and solid, test vermillion and dashed (core.colours.SPLIT_COLOURS), in every plot of the two.
The numbers are the session's (`run_metrics`, `step_metrics`: core.metrics on each part).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QBoxLayout, QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from explorer.core.colours import SPLIT_COLOURS
from explorer.ui.control.play_throttle import follow_runs
from explorer.ui.views.drawing.axis_numbers import scale_labels, scale_ticks, small_plot
from explorer.ui.views.drawing.plot_legend import LegendKey, PlotLegend

METRICS = {"binary": ("accuracy", "precision", "recall", "f1"), "classes": ("accuracy", "macro_f1"),
           "regression": ("r2", "mse")}
METRIC_NAMES = {"accuracy": "accuracy", "precision": "precision", "recall": "recall", "f1": "F1",
                "macro_f1": "macro F1", "r2": "R²", "mse": "MSE"}
TICK_PT, NAME_PT, TITLE_PT, CELL_PT = 10, 11, 10, 12
THROTTLE_MS = 150
PARTS = ("train", "test")
STYLES = {"train": Qt.SolidLine, "test": Qt.DashLine}
SHOWN_LINE = "#555555"
WIDE_RATIO = 2.2   # a pane this many times wider than high puts its two plots side by side


def metric_series(records: list[dict], part: str, key: str) -> np.ndarray:
    """One number per record (nan where the part or the key is missing)."""
    return np.array([float(r.get(part, {}).get(key, np.nan)) for r in records], float)


def cell_colour(share: float) -> QColor:
    """A confusion cell's fill: white (none of the true class's rows) to dark blue (all of them)."""
    s = float(np.clip(share, 0, 1))
    return QColor(round(255 - s * (255 - 0x1F)), round(255 - s * (255 - 0x4E)), round(255 - s * (255 - 0x8C)))


class MetricsView(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller, self.reader = controller, controller.model
        self.text_scale, self.task, self.records = 1.0, None, []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setToolTip("The selected run's loss and metric on the rows it trains on and on the held-out "
                              "test rows, step by step; the grey line is the step on show")
        top.addWidget(self.title, 1)
        self.metric_box = QComboBox()
        self.metric_box.setToolTip("The metric drawn under the loss (class 1 is the positive class; threshold 0.5)")
        self.metric_box.activated.connect(lambda _: self.refresh())
        top.addWidget(self.metric_box)
        self.part = QComboBox()
        self.part.addItems(["test rows", "train rows"])
        self.part.setToolTip("Whose confusion matrix is shown: the held-out test rows' or the training rows'")
        self.part.activated.connect(lambda _: self.refresh())
        top.addWidget(self.part)
        layout.addLayout(top)
        self.legend = PlotLegend(TITLE_PT)
        layout.addWidget(self.legend)
        row = QHBoxLayout()
        self.plots = plots = QBoxLayout(QBoxLayout.TopToBottom)   # side by side when the pane is wide (resizeEvent)
        self.loss_plot, self.metric_plot = small_plot(), small_plot()
        self.curves, self.dots, self.shown_lines = {}, {}, []
        for name, plot in (("loss", self.loss_plot), ("metric", self.metric_plot)):
            plot.setMenuEnabled(False)
            for part in PARTS:
                pen = pg.mkPen(SPLIT_COLOURS[part], width=2.5, style=STYLES[part])
                self.curves[name, part] = plot.plot(pen=pen, antialias=True)
                self.dots[name, part] = pg.ScatterPlotItem(size=9, brush=pg.mkBrush(SPLIT_COLOURS[part]),
                                                           pen=pg.mkPen("#ffffff", width=1))
                self.dots[name, part].setZValue(5)
                plot.addItem(self.dots[name, part])
            line = pg.InfiniteLine(angle=90, pen=pg.mkPen(SHOWN_LINE, width=1.5, style=Qt.DotLine))
            plot.addItem(line)
            self.shown_lines.append(line)
            plots.addWidget(plot, 1)
        self.metric_plot.setXLink(self.loss_plot)
        row.addLayout(plots, 3)
        self.confusion_box = QWidget()   # hidden for a regression: the plots take its room
        confusion = QVBoxLayout(self.confusion_box)
        confusion.setContentsMargins(0, 0, 0, 0)
        self.confusion_title = QLabel()
        self.confusion_title.setWordWrap(True)
        confusion.addWidget(self.confusion_title)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setFocusPolicy(Qt.NoFocus)
        self.table.setToolTip("Rows: the true class; columns: the class predicted (P ≥ 0.5 is class 1). A cell's "
                              "colour is its share of the true class's rows")
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.Stretch)
        confusion.addWidget(self.table, 1)
        row.addWidget(self.confusion_box, 2)
        layout.addLayout(row, 1)
        self.set_text_scale(1.0)
        self.throttled = follow_runs(self, controller, self.refresh, THROTTLE_MS)

    def resizeEvent(self, event) -> None:
        """The loss and the metric one above the other, or side by side in a wide, low pane (presentation)."""
        super().resizeEvent(event)
        wide = event.size().width() > WIDE_RATIO * event.size().height()
        self.plots.setDirection(QBoxLayout.LeftToRight if wide else QBoxLayout.TopToBottom)

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = float(scale)
        scale_ticks((self.loss_plot, self.metric_plot), scale, pt=TICK_PT)
        scale_labels((self.title, self.confusion_title), TITLE_PT, scale)
        cells = QFont("Sans")
        cells.setPointSizeF(CELL_PT * scale)
        self.table.setFont(cells)
        for box in (self.metric_box, self.part):
            boxed = QFont(box.font())
            boxed.setPointSizeF(TITLE_PT * scale)
            box.setFont(boxed)
        self.task = None   # the axis names again, at the new size
        self.refresh()

    # ---------------------------------------------------------------- drawing
    def refresh(self, *_) -> None:
        problem = self.reader.problem
        if problem is None:
            return
        if problem.task != self.task:
            self._set_task(problem.task)
        _, run = self.reader.on_show()
        self.records = records = self.reader.run_metrics() if run is not None else []
        per_epoch = self.reader.steps_per_epoch()
        steps = np.array([r["step"] for r in records], float)
        x = steps / per_epoch if per_epoch else steps
        key = self.metric_key()
        for part in PARTS:
            self.curves["loss", part].setData(x, metric_series(records, part, "loss"), connect="finite")
            self.curves["metric", part].setData(x, metric_series(records, part, key), connect="finite")
        if len(x):   # the steps computed, from 0 (the marker line alone would not widen it)
            self.loss_plot.setXRange(0.0, max(float(x[-1]), 1e-9), padding=0.02)
        for plot in (self.loss_plot, self.metric_plot):
            plot.enableAutoRange(axis="y")
        shown = self.reader.step_metrics() if run is not None else None
        at = None
        if shown is not None:
            at = shown["step"] / per_epoch if per_epoch else shown["step"]
            for name, series_key in (("loss", "loss"), ("metric", key)):
                for part in PARTS:
                    value = shown.get(part, {}).get(series_key)
                    self.dots[name, part].setData([at] if value is not None else [],
                                                  [value] if value is not None else [])
        else:
            for dots in self.dots.values():
                dots.setData([], [])
        for line in self.shown_lines:
            line.setVisible(at is not None)
            if at is not None:
                line.setValue(at)
        self._axis_names(per_epoch is not None, key)
        self._title(problem, run, shown, key)
        self._confusion(problem, shown)

    def _set_task(self, task: str) -> None:
        self.task = task
        current = self.metric_box.currentData()
        self.metric_box.clear()
        for key in METRICS[task]:
            self.metric_box.addItem(METRIC_NAMES[key], key)
        if current in METRICS[task]:
            self.metric_box.setCurrentIndex(METRICS[task].index(current))
        self.legend.set_keys([LegendKey(f"{part} rows", SPLIT_COLOURS[part],
                                        pens=(pg.mkPen(SPLIT_COLOURS[part], width=2.5, style=STYLES[part]),))
                              for part in PARTS], TITLE_PT * self.text_scale)

    def metric_key(self) -> str:
        return self.metric_box.currentData() or METRICS[self.task][0]

    def _axis_names(self, epochs: bool, key: str) -> None:
        style = {"font-size": f"{NAME_PT * self.text_scale:.3g}pt", "color": "#222222"}
        self.loss_plot.setLabel("left", "loss", **style)
        self.metric_plot.setLabel("left", METRIC_NAMES[key], **style)
        for plot in (self.loss_plot, self.metric_plot):
            plot.setLabel("bottom", "epoch" if epochs else "step", **style)

    def _title(self, problem, run, shown, key: str) -> None:
        if run is None:
            self.title.setText("Add an optimizer to see its metrics step by step")
            return
        name = METRIC_NAMES[key]
        parts = []
        for part in PARTS:
            value = None if shown is None else shown.get(part, {}).get(key)
            if value is not None:
                parts.append(f"<span style='color:{SPLIT_COLOURS[part]}'>{part} {name} {value:.3g}</span>")
        test_note = "" if len(getattr(problem, "y_test", ())) else " · no test rows (a test fraction of 0)"
        self.title.setText(" · ".join(parts) + test_note)

    def _confusion(self, problem, shown) -> None:
        """The confusion matrix of the part chosen at the state on show (none for a regression)."""
        part = "test" if self.part.currentIndex() == 0 else "train"
        matrix = None if shown is None else shown.get(part, {}).get("confusion")
        self.table.setVisible(matrix is not None)
        self.part.setVisible(problem.task != "regression")
        self.confusion_box.setVisible(problem.task != "regression")
        if matrix is None:
            self.confusion_title.setText("" if problem.task == "regression" else f"No {part} rows to count")
            return
        m = np.asarray(matrix, int)
        k = len(m)
        self.table.setRowCount(k)
        self.table.setColumnCount(k)
        self.table.setHorizontalHeaderLabels([f"→ {j}" for j in range(k)])
        self.table.setVerticalHeaderLabels([f"{problem.target} = {i}" for i in range(k)])
        totals = m.sum(axis=1)
        for i in range(k):
            for j in range(k):
                share = m[i, j] / totals[i] if totals[i] else 0.0
                cell = QTableWidgetItem(str(m[i, j]))
                cell.setTextAlignment(Qt.AlignCenter)
                cell.setBackground(QBrush(cell_colour(share)))
                cell.setForeground(QBrush(QColor("#ffffff" if share > 0.55 else "#111111")))
                cell.setToolTip(f"{m[i, j]} of the {totals[i]} {part} rows of class {i} predicted {j}")
                self.table.setItem(i, j, cell)
        self.confusion_title.setText(f"{part} rows ({int(m.sum())}): true ↓ predicted →")

    def cell(self, i: int, j: int) -> tuple[str, str]:
        """What a test reads: the cell's text and its fill colour."""
        item = self.table.item(i, j)
        return item.text(), item.background().color().name()
