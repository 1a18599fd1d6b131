"""The Data fit form in the editor: the data (a built-in dataset and its seed, or a CSV file), the columns to
standardise, the per-row loss (or, ticked, the residual r of a row: the loss is then r², for Gauss–Newton),
the model, its target and features (`fit_columns`), the trained parameters, the axes, the held values; the rows.

Everything typed goes to the session at once (the form sends all it holds), so a new dataset and the loss
over its columns can arrive together; a fit the session refuses is shown under the form with the part at
fault outlined, and the last good picture stays. Choosing other data whose columns the loss does not use
puts the suggested model for it in the form (`explorer.core.fit_suggest`), said so in the status bar.
A CSV file is read in a worker thread: the window keeps drawing meanwhile.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLineEdit,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from explorer.core.datasets import GENERATORS
from explorer.core.batches import MAX_SEED
from explorer.core.fit_scene import DataSpec, FitSetupError, build_dataset
from explorer.core.fit_suggest import suggested_fit
from explorer.ui.panels.csv_reading import CsvReading
from explorer.ui.panels.data_table import DataTable
from explorer.ui.panels.fit_columns import ColumnChoice
from explorer.ui.panels.fit_form_rewrites import LossRewrites
from explorer.ui.panels.model_builder import ModelBuilder
from explorer.ui.views.drawing.palette import ERROR_BORDER, error_label
from explorer.ui.text.fit_text import parse_vector

DEBOUNCE_MS = 300
RESIDUAL_TEXT = "residual r (loss = mean of r²)"
LOSS_TIP = ("The loss of one row, with column names and the trained parameters; the landscape is its mean over the "
            "rows. Other names become sliders. softplus(z) and logsigmoid(z) keep a logistic loss finite at any z.")
RESIDUAL_TIP = ("The residual r of one row, e.g. a*exp(b*X) - Y: the landscape is the mean of r² over the rows. "
                "Other names become sliders.")
CSV_ITEM = "CSV file…"


class FitForm(LossRewrites, QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = c = controller
        self.csv: tuple[DataSpec, object] | None = None   # the CSV rows read, with their spec
        self.failed = ""                                   # the part of the form the session refused last
        self._csv_reading = CsvReading(self)   # only the latest Open's rows are taken
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        data = QHBoxLayout()
        self.source = QComboBox()
        for name, generator in GENERATORS.items():
            self.source.addItem(name)
            self.source.setItemData(self.source.count() - 1, generator.description, Qt.ToolTipRole)
        self.source.setToolTip("A built-in dataset (drawn from its seed), or the CSV file opened last")
        self.source.activated.connect(lambda _: self.apply(data_changed=True))
        self.seed = QSpinBox()
        self.seed.setRange(0, min(MAX_SEED, 2**31 - 1))
        self.seed.setPrefix("seed ")
        self.seed.setKeyboardTracking(False)
        self.seed.setToolTip("The seed of the built-in dataset's noise: the same seed, the same rows")
        self.seed.setMaximumWidth(110)   # its widest value would hold the side panel wide
        self.source.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.source.setMinimumContentsLength(8)
        self.seed.valueChanged.connect(lambda _: self.apply(data_changed=True))
        self.open_button = QPushButton("Open CSV…")
        self.open_button.setToolTip("Read a CSV file: a header of column names, then rows of numbers "
                                    "(Ctrl+Shift+O)")
        self.open_button.clicked.connect(lambda: self.open_csv())
        data.addWidget(self.source, 1)
        data.addWidget(self.seed)
        form.addRow("data", data)
        self.data_row = data
        self.suggest = QPushButton("Suggest a model")
        self.suggest.setToolTip("Linear regression of Y on the other columns (logistic when Y is 0 or 1), "
                                "as text you can change (Ctrl+Shift+M)")
        self.suggest.clicked.connect(lambda: self.suggest_model())
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.suggest)
        form.addRow("", buttons)
        self.standardise = self._line("columns to standardise, e.g. X1, X2",
                                      "Rescale these columns to mean 0 and standard deviation 1 (the feature-scaling "
                                      "lesson); empty: the data as they are")
        form.addRow("standardise", self.standardise)
        self.loss = self._line("e.g. (w*X + b - Y)^2", LOSS_TIP)
        form.addRow("loss", self.loss)
        self.residual = QCheckBox(RESIDUAL_TEXT)
        self.residual.setToolTip("Give the fit as the residual r of one row (e.g. a*exp(b*X) - Y): the landscape "
                                 "is the mean of r² over the rows, and Gauss–Newton and Levenberg–Marquardt can "
                                 "run on it (Ctrl+Shift+R; Ctrl+Z undoes the switch)")
        self.residual.toggled.connect(self._residual_toggled)
        form.addRow("", self.residual)
        self.model = self._line("e.g. w*X + b", "What the model predicts for a row: the fit view draws it over "
                                "the data (optional)")
        form.addRow("model", self.model)
        self.columns = ColumnChoice(self._line("the model's columns", ""), self.apply)
        form.addRow("target", self.columns.target)
        form.addRow("features", self.columns.features)
        self.trained = self._line("e.g. w, b", "The parameters to train, in the order a start is typed")
        form.addRow("train", self.trained)
        axes = QHBoxLayout()
        self.axes = [QComboBox(), QComboBox()]
        for box, which in zip(self.axes, ("horizontal", "vertical")):
            box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(4)
            box.setToolTip(f"The trained parameter on the landscape's {which} axis")
            box.activated.connect(lambda _, b=box: self._axes_chosen(b))
            axes.addWidget(box, 1)
        form.addRow("axes", axes)
        self.axes_row = axes
        self.follow = QCheckBox("others follow the selected run")
        self.follow.setToolTip("Hold the parameters not on the axes at the selected run's current values (the "
                               "slice moves with the run), or at the values typed below (H)")
        self.follow.toggled.connect(self._follow_toggled)
        self.held = self._line("held values, one per trained parameter", "The values the other parameters are "
                               "held at (the axis parameters' entries are not used); Return applies them", False)
        self.held.editingFinished.connect(self._held_typed)
        form.addRow(self.follow)
        form.addRow("held at", self.held)
        self.form = form
        self.builder = ModelBuilder(c)   # a network fit's model, data and split, in the typed loss's place
        self.builder.setVisible(False)
        layout.addWidget(self.builder)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        self.table = DataTable()
        layout.addWidget(self.table, 1)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply)
        self._csv_reading.read.connect(self._csv_read)
        c.fitFailed.connect(self.show_error)
        for signal in (c.fitChanged, c.expressionAccepted):
            signal.connect(self.show_fit)
        c.pathsChanged.connect(self._show_held)
        self.show_fit()

    def _line(self, placeholder: str, tip: str, live: bool = True) -> QLineEdit:
        box = QLineEdit()
        box.setFont(QFont("Monospace", 11))
        box.setMinimumWidth(80)   # a long loss scrolls in its box; the side panel keeps its width
        box.setPlaceholderText(placeholder)
        box.setToolTip(tip)
        if live:
            box.textEdited.connect(lambda _: self._debounce.start())
            box.returnPressed.connect(self._return_pressed)
            box.editingFinished.connect(self._finished)   # leaving a field: its edit is one undo step
        return box

    # ---------------------------------------------------------------- what the session holds
    def show_fit(self, *_) -> None:
        """The form shows the session's fit (after undo, a preset, a scene); a field being typed in is left alone."""
        c = self.controller
        fit = c.fit.spec
        if fit is None:
            return
        network = getattr(fit, "network", None) is not None   # a model of the library: the builder shows it
        self._show_builder(network)
        d = fit.data
        if not network:
            self._set_source(d)
            for box, text in ((self.standardise, ", ".join(d.standardise)), (self.loss, c.text),
                              (self.model, fit.model), (self.trained, ", ".join(fit.trained))):
                if not box.hasFocus() and box.text().strip() != text.strip():
                    box.setText(text)
                    box.setCursorPosition(0)
            self._show_residual(fit.residual)
            self.columns.show(fit, c.fit.problem)
        for box, name in zip(self.axes, fit.axes):
            with QSignalBlocker(box):
                box.clear()
                box.addItems(list(fit.trained))
                box.setCurrentText(name)
        with QSignalBlocker(self.follow):
            self.follow.setChecked(fit.held is None)
        many = fit.dimension > 2
        plane = getattr(fit, "directions", None) is not None   # a network's map over directions: no axes to choose
        for widget in (self.follow, self.held):   # two trained parameters: nothing is held
            self.form.setRowVisible(widget, many and not plane)
        self.form.setRowVisible(self.axes_row, not plane)
        self.held.setEnabled(fit.held is not None)
        self._show_held()
        problem = c.fit.problem
        if problem is not None:
            self.table.show_dataset(problem.dataset, d.standardise, d.label())
        self.show_error("", "")

    def _show_builder(self, network: bool) -> None:
        """A network fit: the builder in place of the typed loss's rows (the axes and held values stay)."""
        self.builder.setVisible(network)
        for row in (self.data_row, self.standardise, self.loss, self.residual, self.model, self.columns.target,
                    self.columns.features, self.trained):
            self.form.setRowVisible(row, not network)
        self.suggest.setVisible(not network)

    def _show_residual(self, residual: bool) -> None:
        """The box and its label say what the text is: a per-row loss, or a residual r."""
        with QSignalBlocker(self.residual):
            self.residual.setChecked(residual)
        label = self.form.labelForField(self.loss)
        if label is not None:
            label.setText("residual r" if residual else "loss")
        self.loss.setToolTip(RESIDUAL_TIP if residual else LOSS_TIP)
        self.loss.setPlaceholderText("e.g. a*exp(b*X) - Y" if residual else "e.g. (w*X + b - Y)^2")

    def _set_source(self, d: DataSpec) -> None:
        with QSignalBlocker(self.source), QSignalBlocker(self.seed):
            if d.csv is not None:
                if self.source.findText(CSV_ITEM) < 0:
                    self.source.addItem(CSV_ITEM)
                self.source.setItemText(self.source.findText(CSV_ITEM), CSV_ITEM)
                self.source.setCurrentIndex(self.source.count() - 1)
                self.source.setItemData(self.source.count() - 1, d.source, Qt.ToolTipRole)
                if self.csv is None or self.csv[0].csv != d.csv:
                    self.csv = (DataSpec(csv=d.csv, source=d.source), None)
            else:
                self.source.setCurrentText(d.dataset)
                self.seed.setValue(d.seed)
            self.seed.setEnabled(d.csv is None)

    def _show_held(self, *_) -> None:
        c = self.controller
        if c.fit.spec is None or self.held.hasFocus():
            return
        theta = c.session.held_theta()
        self.held.setText(", ".join(f"{v:.6g}" for v in theta))

    def show_error(self, field: str, message: str) -> None:
        if self.builder.isVisibleTo(self):
            field, message = "", ""   # a network fit's refusals are shown by the builder, under their row
        boxes = {"loss": self.loss, "model": self.model, "train": self.trained, "data": self.standardise,
                 "held": self.held, "target": self.columns.target, "features": self.columns.features}
        for name, box in boxes.items():
            box.setStyleSheet(ERROR_BORDER if name == field else "")
        self.source.setStyleSheet(ERROR_BORDER if field == "data" else "")
        self.failed = field
        name = "residual r" if field == "loss" and self.residual.isChecked() else field
        self.error.setText(f"⚠ {name}: {message} — the last good fit stays on screen" if message else "")

    # ---------------------------------------------------------------- what the person does
    def data_spec(self) -> DataSpec:
        """The data the form names: a built-in dataset and seed, or the CSV rows read last; standardised columns."""
        columns = tuple(c.strip() for c in self.standardise.text().split(",") if c.strip())
        if self.source.currentText() == CSV_ITEM and self.csv is not None:
            return DataSpec(csv=self.csv[0].csv, source=self.csv[0].source, standardise=columns)
        return DataSpec(self.source.currentText(), self.seed.value(), standardise=columns)

    def apply(self, data_changed: bool = False) -> bool:
        """Send the form to the session. With other data, the model suggested for them replaces one that was
        only the old data's suggestion, or one whose loss cannot use the new columns."""
        self._debounce.stop()
        c = self.controller
        if c.fit.spec is None:
            return False
        data = self.data_spec()
        self.seed.setEnabled(data.csv is None)
        shown = self._show_rows(data)
        if data_changed and shown is not None and c.fit.problem is not None and data != c.fit.spec.data:
            old = suggested_fit(c.fit.problem.dataset)
            if (self._typed(old.loss), old.model, old.trained) == (c.text, c.fit.spec.model, c.fit.spec.trained) and \
                    suggested_fit(shown) != old:
                return self.suggest_model()
        done = c.fit.set(data=data, loss=self.loss.text(), model=self.model.text(), trained=self.trained.text(),
                         **self.columns.values())
        if not done and data_changed and shown is not None and self.failed not in ("", "data"):
            return self.suggest_model()
        return done

    def _show_rows(self, data: DataSpec):
        """The rows of the data chosen, in the table at once (before the fit takes them); None if they are broken."""
        try:
            dataset = self.csv[1] if data.csv is not None and self.csv and self.csv[1] is not None and \
                not data.standardise else build_dataset(data)
        except FitSetupError as err:
            self.show_error("data", str(err))
            return None
        self.table.show_dataset(dataset, data.standardise, data.label())
        return dataset

    def _return_pressed(self) -> None:
        """Apply, and hand the keyboard to the window (Space and the arrows step the runs) unless refused."""
        self.apply()
        self.controller.seal()
        if not self.error.text():
            self.window().setFocus()

    def _finished(self) -> None:
        if self._debounce.isActive():
            self.apply()
        self.controller.seal()

    def _axes_chosen(self, box) -> None:
        first, second = (b.currentText() for b in self.axes)
        fit = self.controller.fit.spec
        if first == second and fit is not None:   # the other axis takes the parameter just given up
            other = self.axes[1] if box is self.axes[0] else self.axes[0]
            other.setCurrentText(fit.axes[0] if box is self.axes[1] else fit.axes[1])
            first, second = (b.currentText() for b in self.axes)
        if not self.controller.fit.set_axes(first, second):
            self.show_fit()

    def _follow_toggled(self, on: bool) -> None:
        c = self.controller
        self.held.setEnabled(not on)
        c.fit.set_held(None if on else tuple(float(v) for v in c.session.held_theta()))

    def _held_typed(self) -> None:
        c = self.controller
        if c.fit.spec is None or self.follow.isChecked():
            return
        try:
            values = parse_vector(self.held.text(), c.fit.spec.trained)
        except ValueError as err:
            self.show_error("held", str(err))
            return
        c.fit.set_held(values)

    # ---------------------------------------------------------------- CSV files
    def open_csv(self, path: str | None = None) -> None:
        """Read a CSV file in a worker thread; once read, its rows are the data (Ctrl+Shift+O)."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Open CSV data", str(Path.home()), "CSV files (*.csv *.txt)")
            if not path:
                return
        if self.reading is not None:   # the latest Open wins: a read that never ends holds nothing up
            self.controller.message.emit(f"Reading {Path(path).name} instead of {self.reading}")
        self._csv_reading.start(path)
        self.table.caption.setText(f"Reading {self.reading}…")

    @property
    def reading(self) -> str | None:
        """The CSV file being read, if any."""
        return self._csv_reading.reading

    def _csv_read(self, spec, dataset, message: str) -> None:
        if spec is None:
            self.show_error("data", message)
            self.controller.message.emit(message)
            self.table.caption.setText(message)
            return
        self.csv = (spec, dataset)
        if self.builder.isVisible():   # a network fit: the builder takes the file
            self.controller.message.emit(f"Read {dataset.rows:,} rows of {', '.join(dataset.columns)} from "
                                         f"{spec.source}")
            self.builder.csv_opened(spec)
            return
        self.standardise.setText("")
        self._set_source(spec)
        self.controller.message.emit(f"Read {dataset.rows:,} rows of {', '.join(dataset.columns)} from {spec.source}")
        self.apply(data_changed=True)
