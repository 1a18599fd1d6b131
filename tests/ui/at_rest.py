"""Waiting for the window to come to rest: a condition to wait for, not a fixed sleep."""
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

# A redraw still to come waits on a short single-shot timer: a resize or zoom settling (150 ms), a throttled
# plot, a staged view, a debounced edit (300 ms at most). The single-shot timers of a second or more are the
# autosave and the memory trim, which change nothing on screen.
REDRAW_WAIT_MS = 1000


def redraws_pending(*owners) -> list[QTimer]:
    """The short single-shot timers of these objects (and their children) that have yet to fire."""
    return [timer for owner in owners for timer in owner.findChildren(QTimer)
            if timer.isActive() and timer.isSingleShot() and timer.interval() < REDRAW_WAIT_MS]


def settle(qtbot, window, timeout: int = 10000) -> None:
    """Process events until no redraw of the window or of its controller is still to come."""
    def at_rest() -> bool:
        QApplication.processEvents()   # what is posted now (a resize, a queued signal) starts its timers first
        return not redraws_pending(window, window.controller)

    qtbot.waitUntil(at_rest, timeout=timeout)
