"""Sharpness along the selected run, filled in by a worker thread while the window goes on.

`SharpnessWorker.reading(ready)` returns what the session has cached (explorer.session.sharpness_reading) and,
when steps are missing, starts one worker that estimates them in order; `ready()` is called on the window's
thread as the estimates come in (about every NEWS_S) and when it is done. The worker stops at its next step
once another run or problem is asked for, or `stop()` is called (the view was hidden); what it estimated stays
in the cache. An export calls `finish()` before each frame, so its pictures do not depend on the machine's speed.
"""
from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Signal

NEWS_S = 0.25   # the view is told of new estimates at most this often


class _Relay(QObject):
    news = Signal()
    done = Signal()


class SharpnessWorker:
    def __init__(self, reader):
        self._reader = reader
        self._wanted = None    # the run whose estimates the view wants now
        self._busy = None      # the run a worker is estimating
        self._ready = None
        self._thread = None

    def reading(self, ready):
        """The selected run's SharpnessSeries (None without a network or a run); missing steps are estimated in
        a worker, and `ready()` is called as they come."""
        session = self._reader.session
        if self._reader.problem is None:
            return None
        run = session.selected_run()
        self._wanted, self._ready = run, ready
        work = session.sharpness_work()
        if work is not None and self._busy is None:
            self._start(run, work)
        return session.sharpness_reading()

    def stop(self) -> None:
        """No more estimates wanted (a worker stops at its next step)."""
        self._wanted = None

    @property
    def busy(self) -> bool:
        return self._busy is not None

    def _start(self, run, work) -> None:
        relay = _Relay()
        relay.news.connect(self._news)
        relay.done.connect(self._done)
        last = [time.monotonic()]

        def keep_going() -> bool:
            if time.monotonic() - last[0] > NEWS_S:
                last[0] = time.monotonic()
                _tell(relay.news)
            return self._wanted is run

        def go() -> None:
            try:
                work(keep_going)
            finally:
                _tell(relay.done)

        self._busy, self._relay = run, relay   # the relay lives until the worker is done
        self._thread = threading.Thread(target=go, name="sharpness along a run", daemon=True)
        self._thread.start()

    def finish(self) -> None:
        """Every estimate up to the step on show, now (an export's frame waits for them, as a person would): the
        worker's, then what is still missing, here. Nothing unless the sharpness view is the one on show."""
        if self._reader.problem is None or self._reader.view != "sharpness":
            return
        if self._thread is not None:
            self._thread.join()
        work = self._reader.session.sharpness_work()
        if work is not None:
            work()

    def _news(self) -> None:
        if self._ready is not None and self._wanted is not None:
            self._ready()

    def _done(self) -> None:
        self._busy = None
        if self._ready is not None and self._wanted is not None:
            self._ready()   # the view asks again: a worker for what is still missing (another run's) starts then


def _tell(signal) -> None:
    try:
        signal.emit()
    except RuntimeError:   # the window went away meanwhile
        pass
