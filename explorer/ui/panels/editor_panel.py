"""The function editor: text with live validation, presets, domain, resolution, parameter sliders; or, in
Data fit mode (the choice at its top, Ctrl+D), the fit form and the data's rows (explorer.ui.panels.fit_form)."""
from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout, QGroupBox, QLabel,
                               QLineEdit, QSpinBox, QVBoxLayout)

from explorer.core.preset_library import preset_paths
from explorer.core.scene import SceneError, load_scene
from explorer.ui.panels.fit_form import FitForm
from explorer.ui.views.drawing.palette import ERROR_BORDER, error_label
from explorer.ui.panels.parameter_row import ParameterSlider, ParameterSliders

DEBOUNCE_MS = 60   # short: the compute service drops stale maps, so typing fast costs nothing extra


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
            try:   # shipped presets are checked by the test suite: read them, compute nothing yet
                scene = load_scene(path, check=False)
            except SceneError:
                continue  # a broken preset file must not take the window with it
            label = f"Lecture: {scene.title}"
            self.lectures[label] = scene
            self.presets.addItem(label)
            self.presets.setItemData(self.presets.count() - 1, scene.note, Qt.ToolTipRole)
        self.presets.setToolTip("Load a scene from the lecture library: a function, its runs and what to watch")
        # long lecture titles must not widen the whole side panel past its scroll area
        self.presets.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.presets.setMinimumContentsLength(16)
        self.presets.activated.connect(self._preset_chosen)
        layout.addWidget(self.presets)
        self.kind_choice = QComboBox()
        self.kind_choice.addItems(["Function f(x, y) or field (u, v)", "Data fit: a loss over rows"])
        self.kind_choice.setToolTip("Type a function or a field, or fit a model to data (Ctrl+D switches)")
        self.kind_choice.activated.connect(self._kind_chosen)
        self.kind_choice.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.kind_choice.setMinimumContentsLength(16)
        layout.addWidget(self.kind_choice)
        self.fit_form = FitForm(controller)
        layout.addWidget(self.fit_form)
        self.edit = QLineEdit()
        self.edit.setFont(QFont("Monospace", 14))
        self.edit.setPlaceholderText("e.g. x^2 + 10*y^2, or a field (x^2 - y, x + y - 2)")
        self.edit.setToolTip("Type f(x, y): + - * / ^, sin cos tan exp log sqrt abs …; other names become sliders.\n"
                             "Type a field F = (u, v) in parentheses, like (x*cos(y), x*sin(y)), to see its Jacobian.\n"
                             "Keys typed here stay here; Return or Esc hands the keyboard to the runs.")
        self.edit.installEventFilter(self)
        layout.addWidget(self.edit)
        self.error = error_label()
        layout.addWidget(self.error)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a5a00;")
        layout.addWidget(self.warning)
        self.gradient = QCheckBox("show ∇f as a field")
        self.gradient.setToolTip("Switch to the field ∇f of this function: its Jacobian is f's Hessian (Ctrl+G)")
        self.gradient.toggled.connect(lambda on: controller.field.set_gradient_field(on) or self._show_kind())
        layout.addWidget(self.gradient)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #333333; font-style: italic;")
        layout.addWidget(self.note)

        domain = QGridLayout()
        self.ranges, self.range_names = [], []
        for row, axis in enumerate("xy"):
            self.range_names.append(QLabel(f"{axis} from"))
            domain.addWidget(self.range_names[-1], row, 0)
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
        self.resolution.valueChanged.connect(lambda n: controller.set_resolution(n) or self.show_domain())
        domain.addWidget(self.resolution, 2, 1, 1, 3)
        layout.addLayout(domain)
        self.sliders_box = ParameterSliders(controller)
        self.sliders = self.sliders_box.form
        layout.addWidget(self.sliders_box)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply)
        self.edit.textEdited.connect(lambda _: self._debounce.start())
        self.edit.returnPressed.connect(self._return_pressed)
        controller.expressionFailed.connect(self._failed)
        controller.expressionAccepted.connect(self._accepted)
        controller.setupChanged.connect(self.show_domain)
        controller.metaChanged.connect(lambda: self.note.setText(controller.setup.note))
        self.show_domain()
        controller.fitChanged.connect(self._show_kind)
        self._show_kind()

    def apply(self):
        self._debounce.stop()
        self.controller.set_expression(self.edit.text())

    def _return_pressed(self):
        """Apply, and hand the keyboard to the window so Space and the arrows step the runs."""
        self.apply()
        self.controller.seal()   # the keystrokes of this edit are one undo step
        if not self.error.text():
            self.window().setFocus()

    def eventFilter(self, watched, event):
        if watched is self.edit and event.type() == QEvent.KeyPress and event.key() == Qt.Key_Escape:
            self.apply()
            self.controller.seal()
            self.window().setFocus()   # Esc: leave the editor, the keys step the runs again
            return True
        if watched is self.edit and event.type() == QEvent.FocusOut:
            self.controller.seal()
        return super().eventFilter(watched, event)

    def show_domain(self):
        c = self.controller
        for pair, rng in zip(self.ranges, (c.x_range, c.y_range)):
            for box, v in zip(pair, rng):
                with QSignalBlocker(box):
                    box.setValue(v)
        with QSignalBlocker(self.resolution):
            self.resolution.setValue(c.resolution)

    def _domain_changed(self, _=None):
        (x0, x1), (y0, y1) = ([b.value() for b in pair] for pair in self.ranges)
        if not self.controller.set_domain((x0, x1), (y0, y1)):
            self.show_domain()   # refused (e.g. lower end above upper): show what holds

    def _preset_chosen(self, index):
        if index <= 0:
            return
        label = self.presets.itemText(index)
        self.presets.setCurrentIndex(0)
        if label in self.lectures:
            self._debounce.stop()
            self.lectureChosen.emit(self.lectures[label])

    def _show_kind(self, *_):
        """The title says what the problem is; '∇f as a field' is offered for a function f."""
        c = self.controller
        kind, typed_field = c.kind, c.kind.has_lens and not c.field.gradient_field
        self.setTitle(kind.title(c.setup))
        self.kind_choice.setCurrentIndex(1 if kind.has_rows else 0)
        self.fit_form.setVisible(kind.has_rows)
        for widget in (self.edit, self.error):
            widget.setVisible(not kind.has_rows)
        for label, name in zip(self.range_names, c.axis_names):
            label.setText(f"{name} from")
        with QSignalBlocker(self.gradient):
            self.gradient.setChecked(c.field.gradient_field)
        self.gradient.setVisible(not typed_field and not kind.has_rows)

    def _kind_chosen(self, index: int) -> None:
        """Function or Data fit (a switch is one undo step: Ctrl+Z comes back)."""
        c = self.controller
        if index == 1 and not c.kind.has_rows:
            c.fit.start()
        elif index == 0 and c.kind.has_rows:
            from explorer.ui.control.controller import DEFAULT_EXPRESSION
            c.set_expression(DEFAULT_EXPRESSION)
        self._show_kind()

    def toggle_kind(self) -> None:
        self._kind_chosen(0 if self.controller.kind.has_rows else 1)

    def _failed(self, message):
        what = self.controller.kind.picture_name
        self.error.setText(f"⚠ {message} — the last good {what} stays on screen")
        self.edit.setStyleSheet(ERROR_BORDER)

    def _accepted(self, text):
        self._show_kind()
        self.error.setText("")
        self.edit.setStyleSheet("")
        if self.edit.text().strip() != text.strip():   # undo, a scene or a preset put another function there
            self._debounce.stop()
            self.edit.setText(text)
        if not self.edit.hasFocus():
            self.edit.setCursorPosition(0)  # show the start of a long formula, not its end
        expression, problem = self.controller.expression, self.controller.fit.problem
        warnings = problem.warnings if problem is not None else expression.warnings if expression is not None else []
        self.warning.setText("<br>".join(f"Note: {html.escape(w)}" for w in warnings))
        self.warning.setVisible(bool(warnings))

    @property
    def slider_rows(self) -> dict[str, ParameterSlider]:
        return self.sliders_box.rows
