"""The compute service: grids computed off the window's thread, only the newest request, stale work stopped.

One worker thread, one computation in flight. `submit` replaces whatever is waiting; the job
running is asked `stop()` between its row blocks and gives up as soon as a newer request exists.
A job is a list of stages (a coarse grid, then the full one): each stage's result is delivered
while the request is still the newest, so a slider drag shows coarse maps as fast as they come
and the full map once the hand stops. Results arrive on the window's thread through `done`.
"""
from __future__ import annotations

import threading
from typing import Callable

from PySide6.QtCore import QObject, Signal

Stage = Callable[[Callable[[], bool]], object]   # stage(stop) -> result, or None when it stopped


class ComputeService(QObject):
    done = Signal(int, object, bool)   # generation, result (or the exception raised), final stage?

    def __init__(self, parent=None, name: str = "grids"):
        super().__init__(parent)
        self._lock = threading.Condition()
        self._waiting: tuple[int, list[Stage]] | None = None
        self._newest = 0
        self._closing = False
        self.finished_stages = 0     # counted for tests: stages computed to the end
        self.stopped_stages = 0      # and stages given up because a newer request came
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def submit(self, generation: int, stages: list[Stage]) -> None:
        """Compute `stages` in turn for request `generation`, replacing any request still waiting."""
        with self._lock:
            self._newest = generation
            self._waiting = (generation, list(stages))
            self._lock.notify()

    def is_stale(self, generation: int) -> bool:
        return generation != self._newest or self._closing

    def close(self, timeout_s: float = 5.0) -> None:
        with self._lock:
            self._closing = True
            self._waiting = None
            self._lock.notify()
        self._thread.join(timeout_s)

    def _serve(self) -> None:
        while True:
            with self._lock:
                while self._waiting is None and not self._closing:
                    self._lock.wait()
                if self._closing:
                    return
                generation, stages = self._waiting
                self._waiting = None
            for k, stage in enumerate(stages):
                if self.is_stale(generation):
                    break
                try:
                    result = stage(lambda: self.is_stale(generation))
                except Exception as err:  # noqa: BLE001 - reported by the receiver; the window stays up
                    result = err
                if result is None:        # it stopped: a newer request is waiting
                    self.stopped_stages += 1
                    break
                self.finished_stages += 1
                if not self.is_stale(generation):
                    try:
                        self.done.emit(generation, result, k == len(stages) - 1)
                    except RuntimeError:   # the receiver is gone (the window closed)
                        return
