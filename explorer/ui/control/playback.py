"""The controller's timeline: step, back, reset, jump, to the end, and the play timer (a mixin of Controller,
which owns `session`, `_timer`, `_catch_up` and the signals it emits)."""
from __future__ import annotations

from explorer.ui.control.guarded import guarded


class Playback:
    @guarded("take a step")
    def step(self) -> bool:
        moved = self.session.step_forward()
        if not moved and self.runs and not self.playing:
            self.message.emit("Every run has stopped: no further step")
        return moved

    @guarded("step back")
    def back(self) -> bool:
        return self.session.step_back()

    @guarded("go back to step 0")
    def reset(self) -> None:
        self.pause()
        self.session.reset()

    @guarded("move along the timeline")
    def jump(self, k: int) -> None:
        self.session.jump(k)

    @guarded("go to the last step")
    def to_end(self) -> None:
        """End: the step where the last run stops (computed in the background, with progress)."""
        self.pause()
        self.session.jump(self.max_steps)

    def wait_for_runs(self, timeout_ms: int = 30000) -> bool:
        """For tests and export: compute every state up to the current step."""
        return self._catch_up.wait(timeout_ms)

    def set_speed(self, steps_per_second: float) -> None:
        self.speed = max(1.0, float(steps_per_second))
        self._timer.setInterval(int(1000 / self.speed))

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def play(self) -> None:
        if not self.playing and self.runs:
            self._timer.start()
            self.playingChanged.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self.playingChanged.emit(False)
            self.stepped.emit()  # views that skipped frames while playing catch up
            self.pathsChanged.emit()

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def _tick(self) -> None:
        if not self.step():
            self.pause()   # every run has stopped, or the step failed (reported)
