"""The model builder in the fit form: a model from the library (linear, logistic, softmax, mlp with hidden
widths and an activation), its penalties, its data (a built-in generator with rows, noise and seed, or the
CSV file opened, with the target and feature columns) and the train/test split.

Apply (or Enter in any box) sends everything the builder holds as one undoable command (session.set_network);
a refusal is one line under the row at fault, the box outlined, and the last good model stays on screen.
The penalties cannot go negative; their arrows step by a tenth of the value's decade (0.001 → 0.0011,
0.05 → 0.051): a step is the same share of the value at any strength.
"""
from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout,
                               QLineEdit, QPushButton, QSpinBox, QWidget)

from explorer.core.datasets import GENERATORS
from explorer.core.network import ACTIVATIONS, KINDS, MAX_WIDTH, ModelError, ModelSpec
from explorer.ui.views.drawing.palette import ERROR_BORDER, error_label

CSV_ITEM = "CSV file…"
MAX_ROWS = 100_000
SEED_MAX = 2**31 - 1
TIPS = {
    "source": "The rows: a built-in generator (drawn from its seed) or the CSV file opened last",
    "rows": "How many rows the generator draws",
    "noise": "The standard deviation of the generator's noise (0: its clean shape)",
    "seed": "The seed the generator draws its rows from: the same seed, the same rows",
    "target": "The column the model predicts: 0/1 → a probability and cross-entropy; 0..K−1 → K classes; "
              "otherwise a number and the mean squared error",
    "features": "The columns the model reads, e.g. X1, X2 (two give the decision region)",
    "kind": "linear (a number), logistic (0/1), softmax (K classes), or mlp: hidden layers between the features "
            "and the output",
    "widths": "The hidden layers' widths, e.g. 16, 16 for two layers of 16 units (mlp only)",
    "activation": "The hidden layers' activation: tanh, relu, sigmoid or linear (mlp only)",
    "l2": "L2 penalty l2·Σw² over the weights (not the biases); arrows step by a tenth of its decade",
    "l1": "L1 penalty l1·Σ|w| over the weights (not the biases); arrows step by a tenth of its decade",
    "init_seed": "The seed of the network's initial weights (linear, logistic and softmax start at 0)",
    "test_fraction": "The share of rows held out to judge the model (0: no test rows); never trained on",
    "split_seed": "The seed of the shuffle that picks the test rows: the same seed, the same split",
    "standardise": "Shift and scale every feature by the training rows' mean and standard deviation",
    "apply": "Send the model, its data and its split to the fit (Enter in any box; Ctrl+Z undoes it)",
}
# a refusal's part (ModelError.part, the session's field) → the builder's row
PART_ROWS = {"model": "kind", "widths": "widths", "activation": "activation", "l2": "l2", "l1": "l1",
             "init-seed": "init_seed", "init_seed": "init_seed", "split": "test_fraction",
             "test-fraction": "test_fraction", "test_fraction": "test_fraction", "split-seed": "split_seed",
             "target": "target", "features": "features", "standardise": "standardise", "data": "source",
             "rows": "rows", "noise": "noise", "seed": "seed"}


def widths_of(text: str) -> tuple[int, ...]:
    """'16, 16' → (16, 16); a bad width is a ModelError naming it."""
    widths = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= MAX_WIDTH:
            raise ModelError(f"a hidden width is a whole number from 1 to {MAX_WIDTH}, not '{part}'", "widths")
        widths.append(int(part))
    return tuple(widths)


class ModelBuilder(QWidget):
    applied = Signal(bool)   # a set_network was sent: accepted or not

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = c = controller
        self.csv = None   # (DataSpec of the CSV read, its columns) when one was opened
        form = self.form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.boxes, self.errors = {}, {}
        self.source = QComboBox()
        self.source.addItems([name for name in GENERATORS])
        self.rows, self.seed = self._spin(2, MAX_ROWS, "rows "), self._spin(0, SEED_MAX, "seed ")
        self.noise = self._double(0.0, 10.0, 3, "noise ")
        self._row("data", self._pair(self.source, self.rows), "source", self.source)
        self._row("", self._pair(self.noise, self.seed), "noise", self.noise)
        self._remember("rows", self.rows)
        self._remember("seed", self.seed)
        self.target = QComboBox()
        self.features = self._line("e.g. X1, X2")
        self._row("target", self.target, "target")
        self._row("features", self.features, "features")
        self.kind = QComboBox()
        self.kind.addItems(list(KINDS))
        self.widths = self._line("e.g. 16, 16")
        self.activation = QComboBox()
        self.activation.addItems(list(ACTIVATIONS))
        self._row("model", self.kind, "kind")
        self._row("hidden", self._pair(self.widths, self.activation), "widths", self.widths)
        self._remember("activation", self.activation)
        self.kind.currentTextChanged.connect(self._kind_chosen)
        self.l2, self.l1 = self._double(0.0, 1e3, 6, ""), self._double(0.0, 1e3, 6, "")
        self._row("L2 penalty", self.l2, "l2")
        self._row("L1 penalty", self.l1, "l1")
        self.init_seed = self._spin(0, SEED_MAX, "")
        self.standardise = QCheckBox("standardise")
        self._row("init seed", self._pair(self.init_seed, self.standardise), "init_seed", self.init_seed)
        self._remember("standardise", self.standardise)
        self.test_fraction = self._double(0.0, 0.9, 2, "")
        self.test_fraction.setSingleStep(0.05)
        self.test_fraction.setStepType(QAbstractSpinBox.DefaultStepType)
        self.split_seed = self._spin(0, SEED_MAX, "seed ")
        self._row("test share", self._pair(self.test_fraction, self.split_seed), "test_fraction", self.test_fraction)
        self._remember("split_seed", self.split_seed)
        self.apply_button = QPushButton("Apply model")
        self.apply_button.setToolTip(TIPS["apply"])
        self.apply_button.clicked.connect(lambda: self.apply())
        form.addRow("", self.apply_button)
        self.source.activated.connect(lambda _: self._source_chosen())
        for signal in (c.fitChanged, c.expressionAccepted):
            signal.connect(self.show_model)
        c.fitFailed.connect(self.show_error)
        self._kind_chosen(self.kind.currentText())

    # ---------------------------------------------------------------- building the form
    def _remember(self, name: str, widget) -> None:
        widget.setToolTip(TIPS[name])
        self.boxes[name] = widget

    def _row(self, label: str, field, name: str, widget=None) -> None:
        """A row, its error line under it (hidden until a refusal names it)."""
        self._remember(name, widget if widget is not None else field)
        self.form.addRow(label, field)
        error = error_label()
        error.setVisible(False)
        self.form.addRow("", error)
        self.errors[name] = error

    @staticmethod
    def _pair(first, second) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(first, 1)
        row.addWidget(second, 1)
        return row

    def _spin(self, low: int, high: int, prefix: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(low, high)
        box.setPrefix(prefix)
        box.setKeyboardTracking(False)
        box.lineEdit().returnPressed.connect(lambda: self.apply())
        return box

    def _double(self, low: float, high: float, decimals: int, prefix: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(low, high)   # low 0: a penalty cannot go negative
        box.setDecimals(decimals)
        box.setPrefix(prefix)
        box.setStepType(QAbstractSpinBox.AdaptiveDecimalStepType)
        box.setKeyboardTracking(False)
        box.lineEdit().returnPressed.connect(lambda: self.apply())
        return box

    def _line(self, placeholder: str) -> QLineEdit:
        box = QLineEdit()
        box.setFont(QFont("Monospace", 11))
        box.setPlaceholderText(placeholder)
        box.setMinimumWidth(60)
        box.returnPressed.connect(lambda: self.apply())
        return box

    def _kind_chosen(self, kind: str) -> None:
        for box in (self.widths, self.activation):
            box.setEnabled(kind == "mlp")

    def _source_chosen(self) -> None:
        generated = self.source.currentText() != CSV_ITEM
        for box in (self.rows, self.noise, self.seed):
            box.setEnabled(generated)
        self.target.clear()          # other data: the target and features their defaults until chosen
        self.features.setText("")
        if generated:
            generator = GENERATORS[self.source.currentText()]
            with QSignalBlocker(self.rows), QSignalBlocker(self.noise):
                self.rows.setValue(generator.rows)
                self.noise.setValue(generator.noise)

    # ---------------------------------------------------------------- what the builder holds
    def model_text(self) -> str:
        """The model as network.parse_model reads it ('mlp:16,16:tanh'); a bad width raises ModelError."""
        kind = self.kind.currentText()
        if kind != "mlp":
            return kind
        widths = widths_of(self.widths.text())
        if not widths:
            raise ModelError("an mlp needs at least one hidden width, e.g. 8", "widths")
        return ModelSpec("mlp", widths, self.activation.currentText()).text

    def values(self) -> dict:
        """What Apply sends: {"network": {…NetworkSpec's fields}, "data": {…DataSpec's}, "target", "features"}."""
        features = tuple(f.strip() for f in self.features.text().split(",") if f.strip())
        network = {"model": self.model_text(), "l2": self.l2.value(), "l1": self.l1.value(),
                   "init_seed": self.init_seed.value(), "test_fraction": self.test_fraction.value(),
                   "split_seed": self.split_seed.value(), "standardise": self.standardise.isChecked()}
        if self.source.currentText() == CSV_ITEM and self.csv is not None:
            data = {"csv": self.csv[0].csv, "source": self.csv[0].source}
        else:   # the generator's own rows and noise are sent as None: the same data as a scene that omits them
            generator = GENERATORS[self.source.currentText()]
            rows, noise = self.rows.value(), self.noise.value()
            data = {"dataset": self.source.currentText(), "seed": self.seed.value(),
                    "rows": None if rows == generator.rows else rows,
                    "noise": None if noise == round(generator.noise, self.noise.decimals()) else noise}
        return {"network": network, "data": data, "target": self.target.currentText() or None,
                "features": features or None}

    def apply(self) -> bool:
        """Send the whole builder as one command; a refusal is shown under its row."""
        try:
            values = self.values()
        except ModelError as err:
            self.show_error(err.part, str(err))
            return False
        done = self.controller.model.set_network(**values)
        self.applied.emit(done)
        return done

    def show_error(self, part: str, message: str) -> None:
        """One line under the row at fault, its box outlined ('' clears every one)."""
        at = PART_ROWS.get(part, "kind") if message else None
        for name, box in self.boxes.items():
            box.setStyleSheet(ERROR_BORDER if name == at else "")
        row_of = {"rows": "source", "seed": "noise", "activation": "widths", "standardise": "init_seed",
                  "split_seed": "test_fraction"}
        shown = row_of.get(at, at)
        for name, label in self.errors.items():
            label.setText(f"⚠ {message}" if name == shown else "")
            label.setVisible(name == shown)

    def error_text(self) -> str:
        return " ".join(label.text() for label in self.errors.values() if label.isVisible())

    # ---------------------------------------------------------------- what the session holds
    def show_model(self, *_) -> None:
        """The builder shows the session's network fit (after undo, a preset, a scene)."""
        reader = self.controller.model
        problem = reader.problem
        fit = self.controller.fit.spec
        network = getattr(fit, "network", None)
        if problem is None or network is None:
            return
        spec = problem.spec
        for box in (self.kind, self.activation, self.source, self.target):
            box.blockSignals(True)
        try:
            self.kind.setCurrentText(spec.kind)
            self.widths.setText(", ".join(str(w) for w in spec.widths))
            self.activation.setCurrentText(spec.activation)
            for box, value in ((self.l2, network.l2), (self.l1, network.l1), (self.init_seed, network.init_seed),
                               (self.test_fraction, network.test_fraction), (self.split_seed, network.split_seed)):
                with QSignalBlocker(box):
                    box.setValue(value)
            self.standardise.setChecked(network.standardise)
            self._show_data(fit.data, problem)
        finally:
            for box in (self.kind, self.activation, self.source, self.target):
                box.blockSignals(False)
        self._kind_chosen(spec.kind)
        self.show_error("", "")

    def _show_data(self, data, problem) -> None:
        if data.csv is not None:
            if self.source.findText(CSV_ITEM) < 0:
                self.source.addItem(CSV_ITEM)
            self.source.setCurrentText(CSV_ITEM)
            self.source.setItemData(self.source.findText(CSV_ITEM), data.source, Qt.ToolTipRole)
            self.csv = (data, problem.dataset.columns)
        else:
            self.source.setCurrentText(data.dataset)
            generator = GENERATORS.get(data.dataset)
            for box, value in ((self.seed, data.seed), (self.rows, data.rows or getattr(generator, "rows", 100)),
                               (self.noise, getattr(data, "noise", None) if getattr(data, "noise", None) is not None
                                else getattr(generator, "noise", 0.0))):
                with QSignalBlocker(box):
                    box.setValue(value)
        for box in (self.rows, self.noise, self.seed):
            box.setEnabled(data.csv is None)
        self.target.clear()
        self.target.addItems(list(problem.dataset.columns))
        self.target.setCurrentText(problem.target)
        if not self.features.hasFocus():
            self.features.setText(", ".join(problem.features))

    def csv_opened(self, spec) -> None:
        """The fit form read a CSV file: it becomes the builder's data (applied at once)."""
        self.csv = (spec, ())
        if self.source.findText(CSV_ITEM) < 0:
            self.source.addItem(CSV_ITEM)
        self.source.setCurrentText(CSV_ITEM)
        self._source_chosen()
        self.features.setText("")
        self.target.clear()
        self.apply()
