"""The runs to race (method, start, settings, status; on a fit a first-order run's mini-batch and seed; the
learning-rate schedule), where new runs start, and the timeline controls. A cell typed in or a schedule
chosen is a session command (Ctrl+Z undoes it); one refused leaves the cell as the session has it and says
why in the status bar."""
from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu,
                               QPushButton, QSlider, QSpinBox, QTableWidget, QTableWidgetItem, QToolButton,
                               QVBoxLayout)

from explorer.core.field_scene import method_refusal
from explorer.core.batches import MAX_SEED
from explorer.core.methods import ALL_METHODS, FIRST_ORDER, LEAST_SQUARES, no_schedule
from explorer.core.scene import MAX_STEPS
from explorer.session.kinds import is_optimizer_run
from explorer.ui.text.fit_text import parse_vector
from explorer.ui.text.run_text import (batch_cell, batch_text, format_point, format_settings, legend_names, lr_text,
                                  parse_batch, parse_point, parse_seed, parse_settings, run_status)
from explorer.ui.panels.training_editor import ScheduleDialog
from explorer.ui.panels.run_sliders import RunSliders

# logical columns; shown in the order of SHOWN (what tells the runs apart first; the table scrolls sideways)
METHOD, START, SETTINGS, STATUS, BATCH, SEED, SCHEDULE = range(7)
HEADERS = ["method", "start", "settings", "status", "batch", "seed", "schedule"]
SHOWN = (METHOD, STATUS, BATCH, SEED, SETTINGS, SCHEDULE, START)
STATUS_WIDTH = (110, 200)   # the status column's width: 40% of the table's, within these
SCHEDULE_MAX_WIDTH = 150
HEADER_TIPS = {
    STATUS: "The step on show (a mini-batched run's epoch and batch), and the outcome once a run stops",
    BATCH: "Rows a step of a first-order method averages its gradient over: 'all' is the full batch, 1 is SGD",
    SEED: "Shuffles the rows into batches each epoch: the same seed, the same batches",
    SCHEDULE: "How the learning rate changes with the step: double-click (or Return, or Schedule…) to choose",
}
LEAST_SQUARES_HINT = "Gauss–Newton and Levenberg–Marquardt: give the fit as residuals (the fit form's 'residual r')"


class RunsPanel(QGroupBox):
    def __init__(self, controller, parent=None):
        super().__init__("Optimizers", parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SETTINGS, QHeaderView.Interactive)
        header.setStretchLastSection(True)
        for place, col in enumerate(SHOWN):
            header.moveSection(header.visualIndex(col), place)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setToolTip("Select a run to inspect it; double-click its start, settings, batch or seed to type "
                              "them, its schedule to choose one")
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.itemChanged.connect(self._edited)
        self.table.itemActivated.connect(self._activated)   # a double-click, or Return, on a cell
        layout.addWidget(self.table)
        self.sliders = RunSliders(controller)   # the selected run's settings, dragged
        layout.addWidget(self.sliders)
        row = QHBoxLayout()
        self.add = QToolButton()
        self.add.setText("Add optimizer")
        self.add.setToolTip("Add a run of another method, starting where new runs start")
        self.add.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(self.add)
        menu.setToolTipsVisible(True)
        self.method_actions = {}
        for name, cls in ALL_METHODS.items():
            if name in LEAST_SQUARES and not any(n in LEAST_SQUARES for n in self.method_actions):
                menu.addSeparator()
                self.least_squares_hint = QAction(LEAST_SQUARES_HINT, menu)
                self.least_squares_hint.setEnabled(False)
                menu.addAction(self.least_squares_hint)
            action = QAction(f"{name} — {cls.title}", menu)
            action.triggered.connect(lambda _=False, n=name: controller.add_run(n))
            menu.addAction(action)
            self.method_actions[name] = action
        self.add.setMenu(menu)
        self.remove = QPushButton("Remove")
        self.remove.setToolTip("Remove the selected run (Ctrl+Z brings it back)")
        self.remove.clicked.connect(lambda: controller.remove_run(self.table.currentRow()))
        self.schedule = QPushButton("Schedule…")
        self.schedule.setToolTip("Choose the selected run's learning-rate schedule (or double-click its schedule "
                                 "cell; Return on it)")
        self.schedule.clicked.connect(lambda: self.edit_schedule(self.table.currentRow()))
        self.schedule_dialog: ScheduleDialog | None = None
        row.addWidget(self.add)
        row.addWidget(self.remove)
        row.addWidget(self.schedule)
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
        """A field is solved with Newton–Raphson only: the other methods are offered for surfaces. Gauss–Newton
        and Levenberg–Marquardt only for a fit given as residuals; batch and seed only for a fit."""
        c = self.controller
        kind, fit = c.kind, c.fit.spec
        field, methods = not kind.minimises, kind.methods(c.setup)   # a field solves F = 0 with Newton–Raphson
        residual = fit is not None and fit.residual
        self.setTitle("Newton–Raphson for F = 0" if field else "Optimizers")
        self.table.setHorizontalHeaderLabels([f"start ({', '.join(fit.trained)})" if fit and h == "start" else h
                                              for h in HEADERS])
        for col, tip in HEADER_TIPS.items():
            self.table.horizontalHeaderItem(col).setToolTip(tip)
        for col in (BATCH, SEED):
            self.table.setColumnHidden(col, fit is None)
        self.table.setColumnHidden(SCHEDULE, field)
        self.schedule.setVisible(not field)
        self.default_start.setToolTip(
            f"Start of runs added from now on: {', '.join(fit.trained)}, one number each" if fit else
            "Start point of runs added from now on: x, y (Shift+click on the map moves every run's start there)")
        self.show_options()
        self.least_squares_hint.setVisible(fit is not None and not residual)
        for name, action in self.method_actions.items():
            if name in LEAST_SQUARES:   # listed only where they can run
                action.setVisible(residual)
                action.setEnabled(residual)
                action.setToolTip(f"{ALL_METHODS[name].title} on the residuals r: steps from r and its Jacobian J")
                continue
            allowed = name in methods
            action.setEnabled(allowed)
            title = "Newton–Raphson for F = 0" if field and allowed else ALL_METHODS[name].title
            action.setText(f"{name} — {title}")
            action.setToolTip("" if allowed else method_refusal(name))

    def refresh(self):
        with QSignalBlocker(self.table):
            self._fill_table()
        self._show_selection()
        self.update_status()

    def _fill_table(self):
        """One row per run: its method, start, settings, status and training cells."""
        c = self.controller
        rows = c.fit.problem.dataset.rows if c.fit.spec is not None and c.fit.problem is not None else None
        self.table.setRowCount(len(c.configs))
        for i, config in enumerate(c.configs):
            method = QTableWidgetItem(f"● {config.method}")
            method.setForeground(QBrush(QColor(config.colour)))
            run = c.runs[i]
            field = not is_optimizer_run(run)
            method.setToolTip(run.title + " for F = 0" if field else ALL_METHODS[config.method].title)
            start = QTableWidgetItem(format_point(config.start))
            start.setToolTip(f"Start: {', '.join(c.fit.spec.trained)}, one number each: double-click to type them; a "
                             "click on the map moves the two on its axes" if c.fit.spec else
                             "Start point x, y: double-click to type one, or click the map with this run selected")
            settings = QTableWidgetItem("" if field else format_settings(run.optimizer.settings()))
            settings.setToolTip("Newton–Raphson on a field has no settings" if field else
                                "name=value, …: double-click to change")
            items = {METHOD: method, START: start, SETTINGS: settings, STATUS: QTableWidgetItem(),
                     **self._training_cells(config, rows, field)}
            fixed = {METHOD, STATUS} | ({SETTINGS} if field else set())
            for col, item in items.items():
                if col in fixed:
                    item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                self.table.setItem(i, col, item)
        for col in (METHOD, START, BATCH, SEED):
            self.table.resizeColumnToContents(col)
        header = self.table.horizontalHeader()
        self.table.setColumnWidth(SETTINGS, max(header.sectionSizeHint(SETTINGS),
                                                min(110, self.table.sizeHintForColumn(SETTINGS))))
        self.table.setColumnWidth(SCHEDULE, max(header.sectionSizeHint(SCHEDULE),
                                                min(SCHEDULE_MAX_WIDTH, self.table.sizeHintForColumn(SCHEDULE))))
        if not self._size_status():
            self.table.resizeRowsToContents()   # a settings cell wraps onto as many lines as it needs

    def _size_status(self) -> bool:
        """The status column at 40 % of the table's width (within STATUS_WIDTH); whether it changed."""
        low, high = STATUS_WIDTH
        width = min(high, max(low, int(0.4 * self.table.viewport().width())))
        if self.table.columnWidth(STATUS) == width:
            return False
        self.table.setColumnWidth(STATUS, width)
        self.table.resizeRowsToContents()
        return True

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._size_status()

    def _training_cells(self, config, rows: int | None, field: bool) -> dict[int, QTableWidgetItem]:
        """The batch, seed and schedule cells of a run: editable where the method takes them."""
        first_order = config.method in FIRST_ORDER
        uses = f"(mini-batches and schedules are for {', '.join(FIRST_ORDER)})"
        if rows is None or not first_order:
            batch = QTableWidgetItem("all" if rows is not None else "")
            batch.setToolTip(f"{config.method} uses every row at each step {uses}")
            seed = QTableWidgetItem("")
            seed.setToolTip(batch.toolTip())
        else:
            text, tip = batch_cell(config.batch, rows)
            batch = QTableWidgetItem(text)
            batch.setToolTip(tip + " — double-click to type")
            full = config.batch is None or config.batch >= rows
            seed = QTableWidgetItem("—" if full else str(config.seed))
            seed.setToolTip("The seed shuffles mini-batches: give a batch size first" if full else
                            f"The seed of the shuffles (0 to {MAX_SEED:,}): the same seed, the same batches")
            if full:
                seed.setFlags(seed.flags() & ~Qt.ItemIsEditable)
        if rows is None or not first_order or field:
            batch.setFlags(batch.flags() & ~Qt.ItemIsEditable)
            seed.setFlags(seed.flags() & ~Qt.ItemIsEditable)
        schedule = QTableWidgetItem(config.schedule.describe() if first_order and not field else "—")
        schedule.setToolTip(f"{schedule.text()}: double-click (or Return, or Schedule…) to choose another"
                            if first_order and not field else f"{config.method} has no learning rate to schedule")
        schedule.setFlags(schedule.flags() & ~Qt.ItemIsEditable)   # edited in its dialog
        return {BATCH: batch, SEED: seed, SCHEDULE: schedule}

    def _show_selection(self, *_):
        c = self.controller
        if c.runs and self.table.currentRow() != c.selected:
            with QSignalBlocker(self.table):
                self.table.selectRow(c.selected)

    def update_status(self):
        c = self.controller
        wrapped = False
        for i, run in enumerate(c.runs):
            item = self.table.item(i, STATUS)
            if item is not None:
                text, tip = run_status(run)
                wrapped |= item.text().count("·") != text.count("·")   # an outcome or an epoch appeared
                item.setText(text)
                item.setToolTip(tip)
        if wrapped:   # an outcome is a claim: show all of it, on as many lines as it needs
            self.table.resizeRowsToContents()
        end = c.max_steps
        with QSignalBlocker(self.timeline):
            self.timeline.setRange(0, end)
            self.timeline.setValue(c.step_index)
        self.timeline_label.setText(f"step {c.step_index} of {end}")

    def show_options(self):
        c = self.controller
        if not self.default_start.hasFocus():
            self.default_start.setText(format_point(c.setup.default_start))
        with QSignalBlocker(self.max_steps):
            self.max_steps.setValue(c.max_steps)
        self.update_status()

    def _selected(self):
        c, row = self.controller, self.table.currentRow()
        c.select(row)
        if 0 <= row < len(c.runs):   # how the chosen run trains, in the status bar
            said = "; ".join(t for t in (batch_text(c.runs[row]), lr_text(c.runs[row])) if t)
            if said:
                c.message.emit(f"{c.runs[row].method}: {said}")

    def _default_start_typed(self):
        c = self.controller
        try:
            if c.fit.spec is not None:
                c.fit.set_default_vector(parse_vector(self.default_start.text(), c.fit.spec.trained))
                return
            x, y = parse_point(self.default_start.text())
        except ValueError as err:
            self.controller.message.emit(str(err))
            self.show_options()
            return
        self.controller.set_default_start(x, y)

    def _activated(self, item) -> None:
        if item.column() == SCHEDULE:
            self.edit_schedule(item.row())

    def edit_schedule(self, row: int) -> None:
        """Open the schedule dialog for run `row` (non-blocking); OK sets the schedule (Ctrl+Z undoes it)."""
        c = self.controller
        if not 0 <= row < len(c.configs) or not c.kind.minimises:
            c.message.emit("Select a run first: its schedule is what the dialog edits")
            return
        config = c.configs[row]
        if self.schedule_dialog is not None and self.schedule_dialog.isVisible():
            self.schedule_dialog.raise_()
            return
        if no_schedule(config.method):
            c.message.emit(no_schedule(config.method))
            return
        lr0 = c.runs[row].optimizer.settings().get("lr")
        dialog = ScheduleDialog(config.schedule, lr0, f"Learning-rate schedule of {legend_names(c.configs)[row]}",
                                self)
        dialog.accepted.connect(lambda: self._schedule_chosen(config, row, dialog.schedule()))
        dialog.finished.connect(lambda _: self._dialog_closed(dialog))
        self.schedule_dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog) -> None:
        if self.schedule_dialog is dialog:
            self.schedule_dialog = None
        dialog.deleteLater()

    def _schedule_chosen(self, config, row: int, schedule) -> None:
        c = self.controller
        if row < len(c.configs) and c.configs[row] == config and schedule is not None:
            c.training.set_run_schedule(row, schedule)
        else:
            c.message.emit("The runs changed while the dialog was open: choose the schedule again")

    def _edited(self, item):
        c, row = self.controller, item.row()
        try:
            if item.column() == SETTINGS:
                ok = c.set_run_settings(row, parse_settings(item.text()))
            elif item.column() == START and c.fit.spec is not None:   # one number per trained parameter
                ok = c.fit.set_run_vector(row, parse_vector(item.text(), c.fit.spec.trained))
            elif item.column() == START:
                ok = c.set_run_start(row, *parse_point(item.text()))
            elif item.column() == BATCH:
                ok = c.training.set_run_batch(row, parse_batch(item.text()))
            elif item.column() == SEED:
                ok = c.training.set_run_batch(row, c.configs[row].batch, parse_seed(item.text(), MAX_SEED))
            else:
                return
        except ValueError as err:
            c.message.emit(str(err))
            ok = False
        if not ok:
            self.refresh()   # refused: show what holds
