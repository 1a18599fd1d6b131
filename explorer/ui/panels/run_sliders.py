"""The selected run's numeric settings as sliders, under the runs table (and a compact row in presentation
mode): drag one and the run is recomputed from its start to the step on show; a drag is one undo step.
Log scale where the range spans decades, linear on [0, 1) for the β's (explorer.core.setting_scales).
Keyboard: Tab to a slider, arrows and PageUp/PageDown move it (each press one undo step), Esc gives the
keys back to the window. ▶ sweeps that setting across its range and back until pressed again (A: the
setting last touched)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QSlider, QToolButton,
                               QWidget)

from explorer.core.methods import ALL_METHODS
from explorer.core.setting_scales import TIPS, SettingScale, scale_of
from explorer.session.kinds import is_optimizer_run
from explorer.ui.control.setting_sweep import SettingSweep

SLIDER_KEYS = {Qt.Key_Left, Qt.Key_Right, Qt.Key_Up, Qt.Key_Down, Qt.Key_PageUp, Qt.Key_PageDown, Qt.Key_Home,
               Qt.Key_End}
PLAY, STOP = "▶", "■"
SLIDER_MIN_PX, VALUE_MIN_PX = 60, 44   # the left panel stays narrow enough for a 1024-wide window


class SettingSlider(QSlider):
    """A slider that keeps its keys while it has the focus (the window's Left/Right step the timeline)."""

    def event(self, event):
        if event.type() == QEvent.ShortcutOverride and event.key() in SLIDER_KEYS and not (
                event.modifiers() & (Qt.ControlModifier | Qt.AltModifier)):
            event.accept()
            return True
        return super().event(event)


class SettingRow:
    """One setting: its name, slider, value and ▶ button."""

    def __init__(self, name: str, scale: SettingScale, method: str):
        self.name, self.scale = name, scale
        tip = f"{name} of {method}: {TIPS.get(name, 'a setting of the method')}"
        self.label = QLabel(name)
        self.label.setToolTip(tip)
        self.slider = SettingSlider(Qt.Horizontal)
        self.slider.setRange(0, scale.positions)
        self.slider.setPageStep(max(1, scale.positions // 10))
        self.slider.setFocusPolicy(Qt.StrongFocus)
        self.slider.setMinimumWidth(SLIDER_MIN_PX)
        self.slider.setToolTip(f"{tip}\n{scale.low:g} … {scale.high:g}: drag, or arrows and PageUp/PageDown")
        self.value = QLabel()
        self.value.setMinimumWidth(VALUE_MIN_PX)
        self.value.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.play = QToolButton()
        self.play.setText(PLAY)
        self.play.setFocusPolicy(Qt.NoFocus)
        self.play.setToolTip(f"Sweep {name} across {scale.low:g} … {scale.high:g} and back, the path following; "
                             "press again to stop (A)")

    def show(self, value: float) -> None:
        if not self.slider.isSliderDown():   # the drag in progress has the slider
            with QSignalBlocker(self.slider):
                self.slider.setValue(self.scale.position(value))
        self.value.setText(f"{value:.3g}")

    def widgets(self):
        return self.label, self.slider, self.value, self.play


class RunSliders(QWidget):
    """Sliders for the settings of the controller's selected run; `compact`: one row (presentation mode);
    `offered=False`: hidden whatever the run. One `sweep` (the animate button's) may serve several panels."""

    def __init__(self, controller, sweep: SettingSweep | None = None, compact: bool = False, offered: bool = True,
                 parent=None):
        super().__init__(parent)
        self.controller, self.compact, self.offered = controller, compact, offered
        self.sweep = sweep or SettingSweep(controller)
        self.layout_ = QHBoxLayout(self) if compact else QGridLayout(self)
        if compact:   # a row above the views: as high as its type needs, the views give way; its width asks for
            # nothing (Ignored), or four settings in presentation's type would keep the window from a 1024 screen
            self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.rows: dict[str, SettingRow] = {}
        self.chosen: str | None = None   # what A sweeps: the setting last dragged or swept
        self._shown = None
        for signal in (controller.runsChanged, controller.selectionChanged, controller.expressionAccepted,
                       controller.fitChanged):
            signal.connect(self.show_run)
        self.sweep.changed.connect(self._sweeping)
        self.show_run()

    def changeEvent(self, event) -> None:
        """Larger type (presentation mode): once every label has it, the row asks for the height it needs."""
        super().changeEvent(event)
        if event.type() in (QEvent.FontChange, QEvent.ApplicationFontChange):
            QTimer.singleShot(0, self, self._regrow)

    def _regrow(self) -> None:
        self.layout_.invalidate()
        if self.compact:
            self.setMinimumHeight(self.layout_.sizeHint().height())
        self.updateGeometry()

    def offer(self, offered: bool) -> None:
        self.offered = offered
        self.show_run()
        QTimer.singleShot(0, self, self._regrow)   # offered in presentation mode: in its larger type

    def show_run(self, *_) -> None:
        """The rows of the selected run's settings: the same rows stay while its method does (a drag goes on)."""
        c = self.controller
        run = c.selected_run()
        index = c.selected
        settings = run.optimizer.settings() if run is not None and is_optimizer_run(run) else {}
        key = (index, run.method if settings else None, tuple(settings))
        if key != self._shown:
            self._shown = key
            self._build(index, run.method if settings else "", settings)
        for name, value in settings.items():
            row = self.rows[name]
            if not row.scale.low <= value <= row.scale.high:   # typed beyond the range: the slider widens
                self._shown = None
                self.show_run()
                return
            row.show(value)
        self.setVisible(self.offered and bool(settings))

    def _build(self, index: int, method: str, settings: dict) -> None:
        if self.sweep.running and (self.sweep.index, self.sweep.method) != (index, method):
            self.sweep.stop()
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rows = {}
        defaults = ALL_METHODS[method].hyperparameters() if method else {}
        if self.compact and method:   # presentation: whose settings these are, in its colour
            owner = QLabel(f'<b style="color: {self.controller.configs[index].colour}">● {method}</b>')
            self.layout_.addWidget(owner)
        for i, (name, value) in enumerate(settings.items()):
            row = self.rows[name] = SettingRow(name, scale_of(name, value, defaults.get(name)), method)
            for column, widget in enumerate(row.widgets()):
                if self.compact:
                    self.layout_.addWidget(widget, 1 if widget is row.slider else 0)
                else:
                    self.layout_.addWidget(widget, i, column)
            row.slider.valueChanged.connect(lambda p, n=name: self._moved(n, p))
            row.slider.sliderReleased.connect(self.controller.seal)   # one drag, one undo step
            row.play.clicked.connect(lambda _=False, n=name: self.toggle_animation(n))
        if self.compact:
            self.layout_.addStretch(0)
        else:
            self.layout_.setColumnStretch(1, 1)
        if self.chosen not in self.rows:
            self.chosen = next(iter(self.rows), None)
        self._sweeping(self.sweep.running)
        QTimer.singleShot(0, self, self._regrow)

    def _moved(self, name: str, position: int) -> None:
        c, row = self.controller, self.rows[name]
        self.chosen = name
        if self.sweep.running:
            self.sweep.stop()   # the hand takes over from the sweep
        value = row.scale.value(position)
        row.value.setText(f"{value:.3g}")
        config = c.configs[c.selected]
        c.set_run_settings(c.selected, dict(config.settings, **{name: value}), merge=name)
        if not row.slider.isSliderDown():
            c.seal()   # a key press or a click on the groove: one undo step each

    def toggle_animation(self, name: str | None = None) -> None:
        """▶: sweep `name` (default: the setting last touched) of the selected run, or stop the sweep."""
        if self.sweep.running:
            self.sweep.stop()
            return
        name = name or self.chosen
        if name is None or name not in self.rows:
            self.controller.message.emit("Select a run with settings to sweep one of them")
            return
        self.chosen = name
        self.sweep.start(self.controller.selected, name, self.rows[name].scale)

    def _sweeping(self, running: bool) -> None:
        for name, row in self.rows.items():
            on = running and name == self.sweep.name and self.controller.selected == self.sweep.index
            row.play.setText(STOP if on else PLAY)
