"""The background catch-up of steps: the states the timeline needs, a short slice of them each turn of the
event loop (the window stays responsive), with progress in the status bar when it takes a while."""
from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, QTimer

from explorer.ui.control.guarded import guarded

CATCH_UP_SLICE_MS = 25     # states computed per event-loop turn while catching up (keeps the window responsive)
PROGRESS_AFTER_MS = 300    # a catch-up longer than this shows its progress in the status bar


class CatchUp(QObject):
    """Computes the controller's session's pending states; tells its `message`, `stepped` and `pathsChanged`."""

    def __init__(self, controller):
        super().__init__(controller)
        self._controller = controller
        self.message = controller.message
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.slice)
        self._clock = QElapsedTimer()

    def report_failure(self, what: str, err: BaseException) -> None:
        self._controller.report_failure(what, err)

    def start(self) -> None:
        """Begin catching up if some state up to the step is still to be computed."""
        if self._controller.session.pending() and not self._timer.isActive():
            self._clock.start()
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def wait(self, timeout_ms: int) -> bool:
        """Compute every state up to the current step (for tests and export)."""
        session, clock = self._controller.session, QElapsedTimer()
        clock.start()
        while session.pending() and clock.elapsed() < timeout_ms:
            self.slice()
        return not session.pending()

    @guarded("compute the steps")
    def slice(self) -> None:
        c, session = self._controller, self._controller.session
        self._timer.stop()   # started again below unless this slice finishes the work (or fails)
        clock = QElapsedTimer()
        clock.start()
        done = False
        while not done and clock.elapsed() < CATCH_UP_SLICE_MS:
            done = session.advance(10)
        if not done:
            self._timer.start()
        elif self._clock.isValid() and self._clock.elapsed() > PROGRESS_AFTER_MS:
            c.message.emit(f"Computed every run up to step {session.shown_step}")
        if not done and self._clock.elapsed() > PROGRESS_AFTER_MS:
            have, need = session.progress()
            c.message.emit(f"Computing steps… {have:,} of {need:,}")
        c.stepped.emit()
        c.pathsChanged.emit()
