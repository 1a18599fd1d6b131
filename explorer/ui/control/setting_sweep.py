"""The animate button (Desmos' ▶): one setting of the selected run swept across its slider's range and back,
over and over until stopped, the path recomputed at every new value. The whole sweep is one undo step."""
from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from explorer.core.setting_scales import SettingScale

SWEEP_S = 4.0     # seconds from one end of the range to the other and back
TICK_MS = 15      # a new value at most this often (each one recomputes the path: the tick waits for it)


def sweep_position(seconds: float, start: int, positions: int, period: float = SWEEP_S) -> int:
    """Where a sweep that began at `start` is after `seconds`: up to `positions`, down to 0, up again…
    (a triangle wave of `period` seconds over the range, entered at `start` on its way up)."""
    if positions <= 0:
        return 0
    travelled = start + 2 * positions * seconds / period   # positions moved, as if the range were a circle
    phase = travelled % (2 * positions)
    return round(phase if phase <= positions else 2 * positions - phase)


class SettingSweep(QObject):
    """Sweeps setting `name` of run `index` while `running`; tells `changed(running)` when it starts or stops."""

    changed = Signal(bool)

    def __init__(self, controller, period: float = SWEEP_S):
        super().__init__(controller)
        self.controller, self.period = controller, period
        self.index, self.name, self.scale, self.method = -1, "", None, ""
        self._start = 0
        self._clock = QElapsedTimer()
        self._timer = QTimer(self, interval=TICK_MS, timeout=self.tick)
        controller.historyMoving.connect(self.stop)   # Ctrl+Z during a sweep undoes the sweep, not the next tick

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self, index: int, name: str, scale: SettingScale) -> None:
        """Sweep `name` of run `index` from where it is now."""
        c = self.controller
        self.stop()
        if not 0 <= index < len(c.configs):
            return
        self.index, self.name, self.scale, self.method = index, name, scale, c.configs[index].method
        value = c.runs[index].optimizer.settings()[name]
        self._start = scale.position(value)
        self._clock.start()
        self._timer.start()
        self.changed.emit(True)
        c.message.emit(f"Sweeping {name} of {self.method} across {scale.low:g} … {scale.high:g}: "
                       "▶ again (or A) stops it")

    def stop(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.controller.seal()   # the sweep was one undo step
            self.changed.emit(False)

    def tick(self, seconds: float | None = None) -> None:
        """The next value (`seconds` since the start: tests give it; the clock otherwise)."""
        c = self.controller
        if not self.running:
            return   # stopped (Ctrl+Z, the button) with a tick already on its way
        if not (0 <= self.index < len(c.configs) and c.configs[self.index].method == self.method):
            self.stop()   # the run was removed or is another method now (an undo, a scene opened)
            return
        elapsed = self._clock.elapsed() / 1000 if seconds is None else seconds
        value = self.scale.value(sweep_position(elapsed, self._start, self.scale.positions, self.period))
        config = c.configs[self.index]
        if config.settings.get(self.name) != value:
            if not c.set_run_settings(self.index, dict(config.settings, **{self.name: value}),
                                      merge=self.name):
                self.stop()   # refused (said in the status bar): nothing more to sweep
