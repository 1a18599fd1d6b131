"""The runs to race (method, start, settings, status), where new runs start, and the timeline controls."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu,
                               QPushButton, QSlider, QSpinBox, QTableWidget, QTableWidgetItem, QToolButton,
                               QVBoxLayout)

from explorer.core.field_newton import NewtonRun
from explorer.core.field_scene import FIELD_METHOD, method_refusal
from explorer.core.optimizers import METHODS
from explorer.core.scene import MAX_STEPS
from explorer.ui.fit_text import parse_vector
from explorer.ui.run_text import format_point, format_settings, parse_point, parse_settings, run_status

METHOD, START, SETTINGS, STATUS = range(4)


class RunsPanel(QGroupBox):
    def __init__(self, controller, parent=None):
        super().__init__("Optimizers", parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["method", "start", "settings", "status"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SETTINGS, QHeaderView.Interactive)
        header.setSectionResizeMode(STATUS, QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setToolTip("Select a run to inspect it; double-click its start or settings to change them")
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.itemChanged.connect(self._edited)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add = QToolButton()
        self.add.setText("Add optimizer")
        self.add.setToolTip("Add a run of another method, starting where new runs start")
        self.add.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(self.add)
        menu.setToolTipsVisible(True)
        self.method_actions = {}
        for name, cls in METHODS.items():
            action = QAction(f"{name} — {cls.title}", menu)
            action.triggered.connect(lambda _=False, n=name: controller.add_run(n))
            menu.addAction(action)
            self.method_actions[name] = action
        self.add.setMenu(menu)
        self.remove = QPushButton("Remove")
        self.remove.setToolTip("Remove the selected run (Ctrl+Z brings it back)")
        self.remove.clicked.connect(lambda: controller.remove_run(self.table.currentRow()))
        row.addWidget(self.add)
        row.addWidget(self.remove)
        layout.addLayout(row)

        options = QHBoxLayout()
        options.addWidget(QLabel("new runs start at"))
        self.default_start = QLineEdit()
        self.default_start.setToolTip("Start point of runs added from now on: x, y (Shift+click on the map "
                                      "moves every run's start there)")
        self.default_start.editingFinished.connect(self._default_start_typed)
        options.addWidget(self.default_start, 1)
        options.addWidget(QLabel("max steps"))
        self.max_steps = QSpinBox()
        self.max_steps.setRange(*MAX_STEPS)
        self.max_steps.setKeyboardTracking(False)
        self.max_steps.setToolTip("A run stops after this many steps")
        self.max_steps.valueChanged.connect(lambda n: controller.set_max_steps(n))
        options.addWidget(self.max_steps)
        layout.addLayout(options)

        controls = QHBoxLayout()
        self.back = QPushButton("◀ Back")
        self.step = QPushButton("Step ▶")
        self.play = QPushButton("Play")
        self.reset = QPushButton("Reset")
        for button, tip, slot in ((self.back, "One step back (Left)", controller.back),
                                  (self.step, "One step forward (Right)", controller.step),
                                  (self.play, "Play or pause (Space)", controller.toggle_play),
                                  (self.reset, "Back to step 0 (R or Home)", controller.reset)):
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.NoFocus)
            button.clicked.connect(lambda _=False, s=slot: s())
            controls.addWidget(button)
        layout.addLayout(controls)
        timeline = QHBoxLayout()
        self.timeline = QSlider(Qt.Horizontal)
        self.timeline.setFocusPolicy(Qt.NoFocus)
        self.timeline.setToolTip("The step every run is shown at: drag to scrub (Home: step 0, End: the last step)")
        self.timeline.valueChanged.connect(controller.jump)
        self.timeline_label = QLabel()
        self.timeline_label.setMinimumWidth(110)
        timeline.addWidget(self.timeline, 1)
        timeline.addWidget(self.timeline_label)
        layout.addLayout(timeline)
        speed = QHBoxLayout()
        speed.addWidget(QLabel("speed"))
        self.speed = QSlider(Qt.Horizontal)
        self.speed.setRange(1, 60)
        self.speed.setValue(int(controller.speed))
        self.speed.setFocusPolicy(Qt.NoFocus)
        self.speed.setToolTip("Steps per second while playing")
        self.speed.valueChanged.connect(controller.set_speed)
        self.speed_label = QLabel(f"{int(controller.speed)} steps/s")
        self.speed.valueChanged.connect(lambda v: self.speed_label.setText(f"{v} steps/s"))
        speed.addWidget(self.speed, 1)
        speed.addWidget(self.speed_label)
        layout.addLayout(speed)
        controller.runsChanged.connect(self.refresh)
        controller.expressionAccepted.connect(self.show_kind)
        controller.fitChanged.connect(self.show_kind)
        controller.stepped.connect(self.update_status)
        controller.selectionChanged.connect(self._show_selection)
        controller.setupChanged.connect(self.show_options)
        controller.playingChanged.connect(lambda on: self.play.setText("Pause" if on else "Play"))
        self.show_options()
        self.show_kind()

    def show_kind(self, *_):
        """A field is solved with Newton–Raphson only: the other methods are offered for surfaces."""
        field, fit = self.controller.is_field, self.controller.fit
        self.setTitle("Newton–Raphson for F = 0" if field else "Optimizers")
        self.table.setHorizontalHeaderLabels(["method", f"start ({', '.join(fit.trained)})" if fit else "start",
                                              "settings", "status"])
        self.default_start.setToolTip(
            f"Start of runs added from now on: {', '.join(fit.trained)}, one number each" if fit else
            "Start point of runs added from now on: x, y (Shift+click on the map moves every run's start there)")
        self.show_options()
        for name, action in self.method_actions.items():
            allowed = not field or name == FIELD_METHOD
            action.setEnabled(allowed)
            action.setText(f"{name} — {'Newton–Raphson for F = 0' if field and allowed else METHODS[name].title}")
            action.setToolTip("" if allowed else method_refusal(name))

    def refresh(self):
        c = self.controller
        self.table.blockSignals(True)
        self.table.setRowCount(len(c.configs))
        for i, config in enumerate(c.configs):
            method = QTableWidgetItem(f"● {config.method}")
            method.setForeground(QBrush(QColor(config.colour)))
            method.setFlags(method.flags() & ~Qt.ItemIsEditable)
            run = c.runs[i]
            field = isinstance(run, NewtonRun)
            method.setToolTip(run.title + " for F = 0" if field else METHODS[config.method].title)
            start = QTableWidgetItem(format_point(config.start))
            start.setToolTip(f"Start: {', '.join(c.fit.trained)}, one number each: double-click to type them; a "
                             "click on the map moves the two on its axes" if c.fit else
                             "Start point x, y: double-click to type one, or click the map with this run selected")
            settings = QTableWidgetItem("" if field else format_settings(run.optimizer.settings()))
            settings.setToolTip("Newton–Raphson on a field has no settings" if field else
                                "name=value, …: double-click to change")
            if field:
                settings.setFlags(settings.flags() & ~Qt.ItemIsEditable)
            status = QTableWidgetItem()
            status.setFlags(status.flags() & ~Qt.ItemIsEditable)
            for col, item in enumerate((method, start, settings, status)):
                self.table.setItem(i, col, item)
        self.table.resizeColumnToContents(METHOD)
        self.table.resizeColumnToContents(START)
        header = self.table.horizontalHeader()
        self.table.setColumnWidth(SETTINGS, max(header.sectionSizeHint(SETTINGS),
                                                min(110, self.table.sizeHintForColumn(SETTINGS))))
        self.table.blockSignals(False)
        self._show_selection()
        self.update_status()

    def _show_selection(self, *_):
        c = self.controller
        if c.runs and self.table.currentRow() != c.selected:
            self.table.blockSignals(True)
            self.table.selectRow(c.selected)
            self.table.blockSignals(False)

    def update_status(self):
        c = self.controller
        wrapped = False
        for i, run in enumerate(c.runs):
            item = self.table.item(i, STATUS)
            if item is not None:
                text, tip = run_status(run)
                wrapped |= "·" in text and item.text() != text
                item.setText(text)
                item.setToolTip(tip)
        if wrapped:   # an outcome is a claim: show all of it, on as many lines as it needs
            self.table.resizeRowsToContents()
        end = c.max_steps
        self.timeline.blockSignals(True)
        self.timeline.setRange(0, end)
        self.timeline.setValue(c.step_index)
        self.timeline.blockSignals(False)
        self.timeline_label.setText(f"step {c.step_index} of {end}")

    def show_options(self):
        c = self.controller
        if not self.default_start.hasFocus():
            self.default_start.setText(format_point(c.setup.default_start))
        self.max_steps.blockSignals(True)
        self.max_steps.setValue(c.max_steps)
        self.max_steps.blockSignals(False)
        self.update_status()

    def _selected(self):
        self.controller.select(self.table.currentRow())

    def _default_start_typed(self):
        c = self.controller
        try:
            if c.fit is not None:
                c.set_default_vector(parse_vector(self.default_start.text(), c.fit.trained))
                return
            x, y = parse_point(self.default_start.text())
        except ValueError as err:
            self.controller.message.emit(str(err))
            self.show_options()
            return
        self.controller.set_default_start(x, y)

    def _edited(self, item):
        c, row = self.controller, item.row()
        try:
            if item.column() == SETTINGS:
                ok = c.set_run_settings(row, parse_settings(item.text()))
            elif item.column() == START and c.fit is not None:   # one number per trained parameter
                ok = c.set_run_vector(row, parse_vector(item.text(), c.fit.trained))
            elif item.column() == START:
                ok = c.set_run_start(row, *parse_point(item.text()))
            else:
                return
        except ValueError as err:
            c.message.emit(str(err))
            ok = False
        if not ok:
            self.refresh()   # refused: show what holds
