"""The function editor: text with live validation, presets, domain, resolution, parameter sliders."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QSlider, QSpinBox, QVBoxLayout, QWidget)

from explorer.core.preset_library import preset_paths
from explorer.core.presets import PRESETS, preset
from explorer.core.scene import SceneError, load_scene

DEBOUNCE_MS = 250
SLIDER_STEPS = 1000


class ParameterSlider(QWidget):
    def __init__(self, name, value, low, high, on_change):
        super().__init__()
        self.name, self.low, self.high, self.on_change = name, low, high, on_change
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setToolTip(f"{name} from {low:g} to {high:g}")
        self.label = QLabel()
        self.label.setMinimumWidth(60)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self.set_value(value)
        self.slider.valueChanged.connect(self._moved)

    def set_value(self, value):
        self.slider.blockSignals(True)
        self.slider.setValue(round((value - self.low) / (self.high - self.low) * SLIDER_STEPS))
        self.slider.blockSignals(False)
        self.label.setText(f"{value:.3g}")

    def _moved(self, position):
        value = self.low + (self.high - self.low) * position / SLIDER_STEPS
        self.label.setText(f"{value:.3g}")
        self.on_change(self.name, value)


class EditorPanel(QGroupBox):
    lectureChosen = Signal(object)   # a Scene from the preset library
    def __init__(self, controller, parent=None):
        super().__init__("Function f(x, y)", parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        self.presets = QComboBox()
        self.presets.addItem("Presets…")
        self.lectures = {}
        for path in preset_paths():
            try:
                scene = load_scene(path)
            except SceneError:
                continue  # a broken preset file must not take the window with it
            label = f"Lecture: {scene.title}"
            self.lectures[label] = scene
            self.presets.addItem(label)
            self.presets.setItemData(self.presets.count() - 1, scene.note, Qt.ToolTipRole)
        for p in PRESETS:
            self.presets.addItem(p.name)
            self.presets.setItemData(self.presets.count() - 1, p.note, Qt.ToolTipRole)
        self.presets.setToolTip("Load a function from the lecture library")
        # long lecture titles must not widen the whole side panel past its scroll area
        self.presets.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.presets.setMinimumContentsLength(16)
        self.presets.activated.connect(self._preset_chosen)
        layout.addWidget(self.presets)
        self.edit = QLineEdit()
        self.edit.setFont(QFont("Monospace", 14))
        self.edit.setPlaceholderText("e.g. x^2 + 10*y^2")
        self.edit.setToolTip("Type f(x, y): + - * / ^, sin cos tan exp log sqrt abs …; other names become sliders")
        layout.addWidget(self.edit)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        layout.addWidget(self.error)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #333333; font-style: italic;")
        layout.addWidget(self.note)

        domain = QGridLayout()
        self.ranges = []
        for row, axis in enumerate("xy"):
            domain.addWidget(QLabel(f"{axis} from"), row, 0)
            pair = []
            for col in (1, 3):
                box = QDoubleSpinBox()
                box.setRange(-1e6, 1e6)
                box.setDecimals(3)
                box.setKeyboardTracking(False)
                box.setToolTip(f"{axis} range of the surface and contour map")
                box.valueChanged.connect(self._domain_changed)
                domain.addWidget(box, row, col)
                pair.append(box)
            domain.addWidget(QLabel("to"), row, 2)
            self.ranges.append(pair)
        domain.addWidget(QLabel("grid"), 2, 0)
        self.resolution = QSpinBox()
        self.resolution.setRange(20, 800)
        self.resolution.setSingleStep(20)
        self.resolution.setSuffix(" × N")
        self.resolution.setKeyboardTracking(False)
        self.resolution.setToolTip("Points per axis of the surface grid")
        self.resolution.valueChanged.connect(lambda n: controller.set_resolution(n))
        domain.addWidget(self.resolution, 2, 1, 1, 3)
        layout.addLayout(domain)
        self.sliders_box = QWidget()
        self.sliders = QFormLayout(self.sliders_box)
        self.sliders.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sliders_box)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply)
        self.edit.textEdited.connect(lambda _: self._debounce.start())
        self.edit.returnPressed.connect(self._return_pressed)
        controller.expressionFailed.connect(self._failed)
        controller.expressionAccepted.connect(self._accepted)
        controller.parametersChanged.connect(self._rebuild_sliders)
        self.show_domain()

    def apply(self):
        self._debounce.stop()
        self.controller.set_expression(self.edit.text())

    def _return_pressed(self):
        """Apply, and hand the keyboard to the window so Space and the arrows step the runs."""
        self.apply()
        if not self.error.text():
            self.window().setFocus()

    def show_domain(self):
        c = self.controller
        for pair, rng in zip(self.ranges, (c.x_range, c.y_range)):
            for box, v in zip(pair, rng):
                box.blockSignals(True)
                box.setValue(v)
                box.blockSignals(False)
        self.resolution.blockSignals(True)
        self.resolution.setValue(c.resolution)
        self.resolution.blockSignals(False)

    def _domain_changed(self, _=None):
        (x0, x1), (y0, y1) = ([b.value() for b in pair] for pair in self.ranges)
        self.controller.set_domain((x0, x1), (y0, y1))

    def _preset_chosen(self, index):
        if index <= 0:
            return
        label = self.presets.itemText(index)
        self.presets.setCurrentIndex(0)
        if label in self.lectures:
            self.lectureChosen.emit(self.lectures[label])
            return
        p = preset(label)
        c = self.controller
        c.x_range, c.y_range = p.x_range, p.y_range
        self.show_domain()
        self.edit.setText(p.expression)
        self.apply()
        c.set_start(*p.start)
        self.note.setText(p.note)

    def _failed(self, message):
        self.error.setText(f"⚠ {message} — the last good surface stays on screen")
        self.edit.setStyleSheet("border: 2px solid #b00020;")

    def _accepted(self, text):
        self.error.setText("")
        self.edit.setStyleSheet("")
        if self.edit.text() != text:
            self.edit.setText(text)
        if not self.edit.hasFocus():
            self.edit.setCursorPosition(0)  # show the start of a long formula, not its end

    def _rebuild_sliders(self, parameters):
        while self.sliders.rowCount():
            self.sliders.removeRow(0)
        for name, (value, low, high) in parameters.items():
            self.sliders.addRow(name, ParameterSlider(name, value, low, high, self.controller.set_parameter))
        self.sliders_box.setVisible(bool(parameters))
