"""One computation at a time in a worker thread, for a reading that is not at hand yet (a big network's summary,
spectrum or input Jacobian): the window goes on, and everyone who asked meanwhile is called back on the
window's thread when it is done (they ask again and find it at hand)."""
from __future__ import annotations

import threading
from typing import Callable

from PySide6.QtCore import QObject, Signal


class _Relay(QObject):
    """Tells the window's thread that the worker is done (a queued signal: emitted from the worker)."""

    done = Signal()


class WorkerSlot:
    """`start(work, ready)`: run `work()` in a thread named `name` unless one is running; `ready()` (each one
    given while it runs, once) is called on the window's thread when it ends."""

    def __init__(self, name: str):
        self.name = name
        self.busy = False
        self._waiting: list[Callable[[], None]] = []
        self._relay = None   # kept alive until the worker is done

    def start(self, work: Callable[[], object], ready: Callable[[], None]) -> None:
        if ready not in self._waiting:
            self._waiting.append(ready)
        if self.busy:
            return
        self.busy = True
        self._relay = relay = _Relay()
        relay.done.connect(self._done)

        def run():
            try:
                work()
            finally:
                try:
                    relay.done.emit()
                except RuntimeError:   # the window went away meanwhile
                    pass

        threading.Thread(target=run, name=self.name, daemon=True).start()

    def _done(self) -> None:
        self.busy = False
        waiting, self._waiting = self._waiting, []
        for ready in waiting:
            ready()
