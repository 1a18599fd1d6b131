"""A big scene's runs drawn one view a turn after it opens, so that no turn of the event loop holds the window.

Opening a scene of many runs (up to 64: a path and a dot on the map and in 3D, a curve in the loss
plot) costs as much in drawing those items, and again in painting them, as everything else it
changes together. While `collecting`, a view that draws one item per run hides the ones it has and
asks to be called later instead; afterwards each such view draws on a turn of its own, and the
window paints in between. The turns are timers of 1 ms, not 0: Qt runs a zero-time single shot as a
posted call in the same turn, before the window has painted, which would join the pieces again.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable

from PySide6.QtCore import QObject, QTimer

STAGE_MS = 1      # between two views' draws: the window paints, and input is served, in between
STAGED_RUNS = 16  # a change that brings or takes away this many runs or more is drawn in stages


def replaces_many_runs(before, after) -> bool:
    """Does going from session Setup `before` to `after` replace the runs of a big scene: a different
    function or number of runs, with STAGED_RUNS runs or more on one side?"""
    return (max(len(before.runs), len(after.runs)) >= STAGED_RUNS
            and (len(before.runs) != len(after.runs) or before.text != after.text))


class StagedDrawing(QObject):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._queue: list[Callable[[], object]] = []
        self._collecting = False
        self._timer = QTimer(self, singleShot=True, interval=STAGE_MS)
        self._timer.timeout.connect(self._next)

    @contextmanager
    def collecting(self, on: bool = True):
        """Within it (if `on`), `later` defers views' drawing; the deferred draws start once it ends."""
        self._collecting = bool(on)
        try:
            yield
        finally:
            self._collecting = False
            if self._queue:
                self._timer.start()

    def later(self, draw: Callable[[], object], hide: Callable[[], object]) -> bool:
        """While collecting: `hide` now (nothing stale stays on show) and `draw` on a later turn, once
        however often asked; True. Otherwise False: the caller draws now (and its turn, if it was
        waiting for one, is not needed any more)."""
        if not self._collecting:
            if draw in self._queue:
                self._queue.remove(draw)
            return False
        if draw not in self._queue:   # bound methods of one view compare equal
            hide()
            self._queue.append(draw)
        return True

    @property
    def pending(self) -> int:
        """The views still waiting for their turn."""
        return len(self._queue)

    def finish(self) -> None:
        """Every waiting view draws now (before an export or a screenshot)."""
        self._timer.stop()
        while self._queue:
            self._queue.pop(0)()

    def drop(self) -> None:
        """Nothing waiting is drawn (the window is closing)."""
        self._timer.stop()
        self._queue.clear()

    def _next(self) -> None:
        if self._queue:
            self._queue.pop(0)()
        if self._queue:
            self._timer.start()
