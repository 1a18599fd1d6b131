"""The schedule dialog: a run's learning-rate schedule by name, the chosen schedule's settings (its defaults
filled in) and a warm-up, with the rates it gives a few steps shown as they are typed. OK is offered only
for a schedule the core accepts; the reason for a refusal is one line under the settings."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox,
                               QVBoxLayout)

from explorer.core.schedules import (CONSTANT, MAX_STEPS_SETTING, SCHEDULES, WARMUP, Schedule, ScheduleError,
                                     make_schedule)
from explorer.ui.views.drawing.palette import error_label

FORMULAS = {   # what each schedule does to lr₀ at step t (t = 0, 1, ...)
    "constant": "lr₀ at every step",
    "exponential": "lr₀·γᵗ: shrinks by the factor γ every step",
    "step": "lr₀·drop^⌊t/every⌋: multiplied by drop every `every` steps",
    "inverse-time": "lr₀/(1 + decay·t)",
    "cosine": "lr_min + ½(lr₀ − lr_min)(1 + cos(π·min(t, T)/T)), T = period: half a cosine down to lr_min",
}
SETTING_TIPS = {
    "gamma": "γ, the factor the rate is multiplied by each step: in (0, 1]",
    "drop": "the factor the rate is multiplied by every `every` steps: in (0, 1]",
    "every": "how many steps between drops: a whole number, 1 or more",
    "decay": "how fast lr₀/(1 + decay·t) falls: 0 or more",
    "period": "T, the steps the cosine takes to reach lr_min (it stays there after): a whole number, 1 or more",
    "lr_min": "the rate at the end of the cosine: 0 or more",
}
PREVIEW_STEPS = (0, 1, 10, 100, 1000)


def _number(value: float) -> str:
    return f"{value:g}"


class ScheduleDialog(QDialog):
    """Edit one run's schedule; `schedule()` is the accepted one. `lr0` (the run's lr) feeds the preview."""

    def __init__(self, schedule: Schedule = CONSTANT, lr0: float | None = None, title: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle(title or "Learning-rate schedule")
        self.original, self.lr0 = schedule, lr0
        self._schedule: Schedule | None = schedule
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        self.form = form = QFormLayout()
        self.name = QComboBox()
        for k, name in enumerate(SCHEDULES):
            self.name.addItem(name)
            self.name.setItemData(k, FORMULAS[name], Qt.ToolTipRole)
        self.name.setCurrentText(schedule.name)
        self.name.setToolTip("How the learning rate changes with the step t (t = 0 is the first step)")
        self.name.currentTextChanged.connect(self._named)
        form.addRow("&schedule", self.name)
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        form.addRow("", self.formula)
        self.boxes: dict[str, QLineEdit] = {}
        self.warmup = QSpinBox()
        self.warmup.setRange(0, MAX_STEPS_SETTING)
        self.warmup.setValue(schedule.warmup)
        self.warmup.setSuffix(" steps")
        self.warmup.setToolTip("Linear warm-up: the rate times min(1, (t + 1)/W) over the first W steps "
                               "(0: none)")
        self.warmup.valueChanged.connect(lambda _: self._check())
        form.addRow("&warm-up", self.warmup)
        layout.addLayout(form)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setToolTip("The learning rate this schedule gives at a few steps")
        layout.addWidget(self.preview)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._named(schedule.name, keep=schedule)
        self.name.setFocus()

    def _named(self, name: str, keep: Schedule | None = None) -> None:
        """Show the settings of schedule `name`: the values of `keep` (or the run's own) if it is that one,
        else the defaults."""
        keep = keep or self.original
        values = keep.values if keep.name == name else {}
        for box in self.boxes.values():   # the last schedule's settings, between the formula and the warm-up
            self.form.removeRow(box)
        self.boxes = {}
        for row, (key, default) in enumerate(SCHEDULES.get(name, {}).items(), start=2):
            box = QLineEdit(_number(values.get(key, default)))
            box.setToolTip(f"{SETTING_TIPS.get(key, key)} (default {_number(default)})")
            box.textChanged.connect(lambda _: self._check())
            self.boxes[key] = box
            self.form.insertRow(row, key, box)
        self.formula.setText(FORMULAS.get(name, ""))
        self._check()

    def _check(self) -> None:
        """Make the schedule from what the dialog holds; OK only when the core accepts it."""
        settings: dict[str, float | str] = {k: box.text().strip() for k, box in self.boxes.items()}
        settings[WARMUP] = self.warmup.value()
        try:
            schedule = make_schedule(self.name.currentText(), **settings)
        except ScheduleError as err:
            self._schedule = None
            self.error.setText(str(err))
            self.preview.setText("")
        else:
            self._schedule = schedule
            self.error.setText("")
            self.preview.setText(self._preview(schedule))
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(self._schedule is not None)

    def _preview(self, schedule: Schedule) -> str:
        if self.lr0 is None:
            return schedule.describe()
        rates = ", ".join(f"{t}: {schedule.lr(self.lr0, t):.3g}" for t in PREVIEW_STEPS)
        return f"lr at step {rates} (lr₀ = {self.lr0:g})"

    def schedule(self) -> Schedule | None:
        """The schedule the dialog holds (None while a setting is refused)."""
        return self._schedule

    def accept(self) -> None:
        if self._schedule is not None:
            super().accept()
