"""Open a scene without freezing the window: read and check it in a worker thread.

The check (`scene.check_computable`: the function on a small grid, every run built and its first
step taken, `session.prepare`) can take seconds for 64 runs of a long expression. They run in a thread while the window keeps drawing; after PROGRESS_AFTER_MS a
progress dialog (window-modal) says which run is being checked and offers Cancel. Cancel returns
at once: the worker's result is thrown away. The session then takes the runs built here.
"""
from __future__ import annotations

import threading

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog

from explorer.core.scene import Scene, SceneCancelled, SceneError, load_scene
from explorer.session.builder import Builder
from explorer.session.prepare import prepare_scene

PROGRESS_AFTER_MS = 250


class _Relay(QObject):
    """Carries the worker's news to the window's thread (queued: emitted from the worker)."""

    total = Signal(int)
    checked = Signal(int)
    done = Signal()


def load_checked(window, path, title: str = "Opening scene") -> tuple[Scene, Builder]:
    """Read and check the scene at `path`, and build its runs: (scene, builder for `Session.load_scene`).

    SceneError if it is broken, SceneCancelled if the person cancelled.

    Returns once the worker has finished or the person pressed Cancel; meanwhile the window's
    events are served (a nested event loop), so it repaints and its timers run.
    """
    return _run(window, lambda: load_scene(path, check=False), title)


def check_in_background(window, scene: Scene, title: str = "Checking scene") -> tuple[Scene, Builder]:
    """Check an already-read scene the same way (for example the autosave)."""
    return _run(window, lambda: scene, title)


def _run(window, read, title: str) -> tuple[Scene, Builder]:
    relay = _Relay()
    cancel = threading.Event()
    outcome: dict[str, object] = {}
    count = [0]

    def tick() -> bool:
        try:
            relay.checked.emit(count[0])
        except RuntimeError:   # the window went away meanwhile
            pass
        count[0] += 1
        return cancel.is_set()

    def work() -> None:
        try:
            scene = read()
            relay.total.emit(len(scene.runs) + 1)   # the grid, then each run
            outcome["prepared"] = scene, prepare_scene(scene, tick)
        except SceneError as err:
            outcome["error"] = err
        except Exception as err:  # noqa: BLE001 - whatever it is, it is reported, not raised in a thread
            outcome["error"] = SceneError(f"cannot be opened ({type(err).__name__}: {err})")
        finally:
            try:
                relay.done.emit()
            except RuntimeError:   # the window went away meanwhile: nobody to tell
                pass

    loop = QEventLoop()
    dialog = QProgressDialog(f"{title}…", "Cancel", 0, 0, window)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(PROGRESS_AFTER_MS)
    dialog.reset()             # no automatic showing (its rules depend on setValue): shown by `later` below
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    alive = [True]   # news queued by the worker may arrive after the dialog is gone (Cancel)
    relay.total.connect(lambda n: alive[0] and dialog.setMaximum(n))
    relay.checked.connect(lambda i: alive[0] and dialog.setLabelText(_label(title, i, dialog.maximum())))
    relay.checked.connect(lambda i: alive[0] and dialog.setValue(min(i, dialog.maximum())))
    relay.done.connect(loop.quit)

    def cancelled() -> None:
        cancel.set()
        outcome.setdefault("error", SceneCancelled())
        loop.quit()

    dialog.canceled.connect(cancelled)     # the Cancel button, closing the dialog
    dialog.rejected.connect(cancelled)     # Esc
    worker = threading.Thread(target=work, name="scene check", daemon=True)
    worker.start()
    worker.join(0.02)          # most scenes are checked in a few ms: no event loop, no flicker
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
        raise SceneCancelled()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["prepared"]


def _label(title: str, i: int, total: int) -> str:
    if i == 0 or total <= 1:
        return f"{title}: checking the function…"
    return f"{title}: checking run {min(i, total - 1)} of {total - 1}…"
