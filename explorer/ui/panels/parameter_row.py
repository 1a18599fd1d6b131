"""The function's parameters: one row each, a slider, its value typed or dragged, and its range (editable)."""
from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QSlider, QWidget

SLIDER_STEPS = 1000


def number_box(text: str, tip: str, width: int) -> QLineEdit:
    box = QLineEdit(text)
    box.setValidator(QDoubleValidator())
    box.setToolTip(tip)
    box.setMaximumWidth(width)
    box.setAlignment(Qt.AlignRight)
    return box


class ParameterSlider(QWidget):
    """[low] ====slider==== [high]  [value]: Return in a box applies it; a drag is one undo step."""

    def __init__(self, name, value, low, high, controller):
        super().__init__()
        self.name, self.value, self.low, self.high, self.controller = name, value, low, high, controller
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.low_box = number_box(f"{low:g}", f"lowest value of {name} on the slider", 52)
        self.high_box = number_box(f"{high:g}", f"highest value of {name} on the slider", 52)
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setToolTip(f"drag to change {name}")
        self.value_box = number_box(f"{value:.6g}", f"type a value for {name} and press Return", 80)
        for widget in (self.low_box, self.slider, self.high_box, self.value_box):
            layout.addWidget(widget, 1 if widget is self.slider else 0)
        self.show_value(value, low, high)
        self.slider.valueChanged.connect(self._moved)
        self.slider.sliderReleased.connect(controller.seal)   # one drag, one undo step
        self.value_box.editingFinished.connect(self._typed)
        self.low_box.editingFinished.connect(self._range_typed)
        self.high_box.editingFinished.connect(self._range_typed)

    def show_value(self, value, low, high):
        self.value, self.low, self.high = value, low, high
        with QSignalBlocker(self.slider):
            self.slider.setValue(round((value - low) / (high - low) * SLIDER_STEPS))
        for box, v in ((self.value_box, f"{value:.6g}"), (self.low_box, f"{low:g}"), (self.high_box, f"{high:g}")):
            if not box.hasFocus():
                box.setText(v)

    def _moved(self, position):
        value = self.low + (self.high - self.low) * position / SLIDER_STEPS
        self.value_box.setText(f"{value:.6g}")
        self.controller.set_parameter(self.name, value)

    def _typed(self):
        value = _number(self.value_box.text())
        if value is None:
            self.controller.message.emit(f"{self.name}: type a number")
            return
        if value != self.value:
            self.controller.set_parameter(self.name, value)
            self.controller.seal()

    def _range_typed(self):
        low, high = _number(self.low_box.text()), _number(self.high_box.text())
        if low is None or high is None:
            self.controller.message.emit(f"the range of {self.name} needs two numbers")
            return
        if (low, high) != (self.low, self.high):
            if self.controller.set_parameter_range(self.name, low, high) is False:
                self.low_box.setText(f"{self.low:g}")
                self.high_box.setText(f"{self.high:g}")


class ParameterSliders(QWidget):
    """A row per parameter of the function, kept to the controller's parameters (shown only while there are
    some): the editor's, and presentation mode's under the formula."""

    def __init__(self, controller, parent=None, offered: bool = True):
        super().__init__(parent)
        self.controller, self.offered = controller, offered   # offered=False: hidden whatever the parameters
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.rows: dict[str, ParameterSlider] = {}
        controller.parametersChanged.connect(self.show_parameters)
        self.show_parameters(controller.parameters)

    def show_parameters(self, parameters):
        """The same rows stay (a drag goes on); new names get a row."""
        if list(parameters) != list(self.rows):
            while self.form.rowCount():
                self.form.removeRow(0)
            self.rows = {}
            for name, (value, low, high) in parameters.items():
                self.rows[name] = row = ParameterSlider(name, value, low, high, self.controller)
                self.form.addRow(name, row)
        else:
            for name, (value, low, high) in parameters.items():
                self.rows[name].show_value(value, low, high)
        self.setVisible(self.offered and bool(parameters))

    def offer(self, offered: bool) -> None:
        self.offered = offered
        self.show_parameters(self.controller.parameters)


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None
