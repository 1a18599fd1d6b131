"""Redraw at once while the runs stand still, at most every few hundred ms while they play."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer


class PlayThrottle:
    """Call it on every step: `redraw` runs now unless the controller is playing, then at most once an
    interval (a plot's axes re-range on every step, and drawing their text costs more than the step)."""

    def __init__(self, parent, controller, redraw: Callable[[], object], interval_ms: int):
        self.controller, self.redraw = controller, redraw
        self.timer = QTimer(parent, singleShot=True, interval=interval_ms)
        self.timer.timeout.connect(lambda: redraw())

    def __call__(self, *_) -> None:
        if not self.controller.playing:
            self.redraw()
        elif not self.timer.isActive():
            self.timer.start()


def follow_runs(view, controller, refresh: Callable[[], object], interval_ms: int, also=()) -> PlayThrottle:
    """What a view of the selected run listens to: a new fit, new runs, another run selected (and the signals
    `also`) redraw it at once, a step through PlayThrottle. Returns the throttle."""
    for signal in (controller.fitChanged, controller.runsChanged, controller.selectionChanged, *also):
        signal.connect(refresh)
    throttle = PlayThrottle(view, controller, refresh, interval_ms)
    controller.pathsChanged.connect(throttle)
    return throttle
