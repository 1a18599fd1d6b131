"""The runs to race (method, settings, colour, status) and the Step / Back / Play / Reset controls."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QMenu, QPushButton,
                               QSlider, QTableWidget, QTableWidgetItem, QToolButton, QVBoxLayout)

from explorer.core.optimizers import METHODS


def format_settings(settings: dict) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in settings.items())


def parse_settings(text: str) -> dict[str, float]:
    """'lr=0.01, momentum=0.9' -> {'lr': 0.01, 'momentum': 0.9}; ValueError says what is wrong."""
    out = {}
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"write settings as name=value, not '{part.strip()}'")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise ValueError(f"'{value.strip()}' is not a number") from None
    return out


class RunsPanel(QGroupBox):
    def __init__(self, controller, parent=None):
        super().__init__("Optimizers", parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["method", "settings (editable)", "status"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setToolTip("Select a run to inspect it; double-click its settings to change them")
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.itemChanged.connect(self._edited)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add = QToolButton()
        self.add.setText("Add optimizer")
        self.add.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(self.add)
        for name, cls in METHODS.items():
            action = QAction(f"{name} — {cls.title}", menu)
            action.triggered.connect(lambda _=False, n=name: controller.add_run(n))
            menu.addAction(action)
        self.add.setMenu(menu)
        self.remove = QPushButton("Remove")
        self.remove.setToolTip("Remove the selected run")
        self.remove.clicked.connect(lambda: controller.remove_run(self.table.currentRow()))
        row.addWidget(self.add)
        row.addWidget(self.remove)
        layout.addLayout(row)

        controls = QHBoxLayout()
        self.back = QPushButton("◀ Back")
        self.step = QPushButton("Step ▶")
        self.play = QPushButton("Play")
        self.reset = QPushButton("Reset")
        for button, tip, slot in ((self.back, "One step back (Left)", controller.back),
                                  (self.step, "One step forward (Right)", controller.step),
                                  (self.play, "Play or pause (Space)", controller.toggle_play),
                                  (self.reset, "Back to the start point (R)", controller.reset)):
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.NoFocus)
            button.clicked.connect(lambda _=False, s=slot: s())
            controls.addWidget(button)
        layout.addLayout(controls)
        speed = QHBoxLayout()
        speed.addWidget(QLabel("speed"))
        self.speed = QSlider(Qt.Horizontal)
        self.speed.setRange(1, 60)
        self.speed.setValue(int(controller.speed))
        self.speed.setToolTip("Steps per second while playing")
        self.speed.valueChanged.connect(controller.set_speed)
        self.speed_label = QLabel(f"{int(controller.speed)} steps/s")
        self.speed.valueChanged.connect(lambda v: self.speed_label.setText(f"{v} steps/s"))
        speed.addWidget(self.speed, 1)
        speed.addWidget(self.speed_label)
        layout.addLayout(speed)
        controller.runsChanged.connect(self.refresh)
        controller.stepped.connect(self.update_status)
        controller.playingChanged.connect(lambda on: self.play.setText("Pause" if on else "Play"))

    def refresh(self):
        c = self.controller
        self.table.blockSignals(True)
        self.table.setRowCount(len(c.configs))
        for i, (config, run) in enumerate(zip(c.configs, c.runs)):
            method = QTableWidgetItem(f"● {config.method}")
            method.setForeground(QBrush(QColor(config.colour)))
            method.setFlags(method.flags() & ~Qt.ItemIsEditable)
            settings = QTableWidgetItem(format_settings(run.optimizer.settings()))
            status = QTableWidgetItem()
            status.setFlags(status.flags() & ~Qt.ItemIsEditable)
            for col, item in enumerate((method, settings, status)):
                self.table.setItem(i, col, item)
        self.table.resizeColumnToContents(0)
        if c.runs:
            self.table.selectRow(c.selected)
        self.table.blockSignals(False)
        self.update_status()

    def update_status(self):
        for i, run in enumerate(self.controller.runs):
            item = self.table.item(i, 2)
            if item is not None:
                text = f"step {run.position}" + ("" if run.position < len(run.states) - 1 or not run.finished
                                                  else f" · {run.status}")
                item.setText(text)
                item.setToolTip(run.reason or "running")

    def _selected(self):
        self.controller.select(self.table.currentRow())

    def _edited(self, item):
        if item.column() != 1:
            return
        try:
            settings = parse_settings(item.text())
        except ValueError as err:
            self.controller.message.emit(str(err))
            self.refresh()
            return
        if not self.controller.set_run_settings(item.row(), settings):
            self.refresh()
