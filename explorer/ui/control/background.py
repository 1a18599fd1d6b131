"""Long work off the window's thread, with progress and Cancel: opening a scene, basins of attraction.

`run_in_background(window, title, work)` runs `work(report)` in a worker thread while the window's
events are served (a nested event loop: it repaints, its timers run). After PROGRESS_AFTER_MS a
window-modal progress dialog shows what `report(done, total, label)` last said; Cancel (or Esc)
returns at once with `BackgroundCancelled`, and `report` answers False from then on so the worker
can stop early; its result is thrown away. Work that ends in a few milliseconds shows nothing.
"""
from __future__ import annotations

import threading
from typing import Callable

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog

PROGRESS_AFTER_MS = 250
QUICK_S = 0.02              # work done within this needs no event loop (and no flicker)

Report = Callable[..., bool]   # report(done, total, label="") -> False once the person has cancelled


class BackgroundCancelled(Exception):
    """The person pressed Cancel (or Esc) on the progress dialog."""


class _Relay(QObject):
    """Carries the worker's news to the window's thread (queued: emitted from the worker)."""

    progress = Signal(int, int, str)
    done = Signal()


def _tell(signal, *args) -> None:
    try:
        signal.emit(*args)
    except RuntimeError:   # the window went away meanwhile: nobody to tell
        pass


def run_in_background(window, title: str, work: Callable[[Report], object], label: str = "",
                      name: str = "background work"):
    """work(report)'s result; its exception raised here; BackgroundCancelled if the person cancelled."""
    relay, cancel, outcome = _Relay(), threading.Event(), {}

    def report(done: int, total: int, text: str = "") -> bool:
        _tell(relay.progress, int(done), int(total), text)
        return not cancel.is_set()

    def run() -> None:
        try:
            outcome["result"] = work(report)
        except BaseException as err:  # noqa: BLE001 - handed to the window's thread, never raised in this one
            outcome["error"] = err
        finally:
            _tell(relay.done)

    loop = QEventLoop()
    dialog = QProgressDialog(label or f"{title}…", "Cancel", 0, 0, window)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModal)
    dialog.reset()             # no automatic showing (its rules depend on setValue): shown by `later` below
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    alive = [True]             # news queued by the worker may arrive after the dialog is gone (Cancel)

    def progress(done: int, total: int, text: str) -> None:
        if alive[0]:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, max(total, 1)))
            if text:
                dialog.setLabelText(text)

    relay.progress.connect(progress)
    relay.done.connect(loop.quit)

    def cancelled() -> None:
        cancel.set()
        loop.quit()

    dialog.canceled.connect(cancelled)     # the Cancel button, closing the dialog
    dialog.rejected.connect(cancelled)     # Esc
    worker = threading.Thread(target=run, name=name, daemon=True)
    worker.start()
    worker.join(QUICK_S)
    if worker.is_alive():
        later = QTimer(dialog, singleShot=True, interval=PROGRESS_AFTER_MS)
        later.timeout.connect(dialog.show)
        later.start()
        loop.exec()
    alive[0] = False
    dialog.canceled.disconnect(cancelled)
    dialog.rejected.disconnect(cancelled)
    dialog.close()
    dialog.deleteLater()
    if cancel.is_set():
        raise BackgroundCancelled()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
