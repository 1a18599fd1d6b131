"""Start the window: `landscape-explorer [--expr EXPR] [--screenshot FILE]`."""
from __future__ import annotations

import sys

SCREENSHOT_SETTLE_MS = 600


def share_gl_contexts() -> None:
    """Call before the QApplication exists. pyqtgraph compiles each GL shader once per class and
    reuses it in every view; without one shared context a second 3D view gets invalid programs."""
    from PySide6.QtCore import QCoreApplication, Qt
    QCoreApplication.setAttribute(Qt.AA_ShareOpenGLContexts)


def report_uncaught(window) -> None:
    """An exception that escapes a slot is logged and shown in the status bar; the window goes on."""
    import logging
    from pathlib import Path

    from PySide6.QtCore import QStandardPaths

    log = logging.getLogger("landscape_explorer")
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(folder / "landscape-explorer.log", encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
    except OSError:
        pass  # no log file: the messages still reach stderr

    def hook(kind, value, tb):
        log.error("uncaught", exc_info=(kind, value, tb))
        window.statusBar().showMessage(f"Something went wrong ({kind.__name__}: {value}); "
                                       "the last good state stays on screen", 10000)
    sys.excepthook = hook


def run_gui(expression: str | None = None, screenshot: str | None = None, scene: str | None = None,
            methods=("gd", "newton", "bfgs")) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    share_gl_contexts()

    import pyqtgraph as pg

    from explorer.ui.controller import DEFAULT_EXPRESSION
    from explorer.ui.main_window import MainWindow

    pg.setConfigOptions(antialias=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Landscape Explorer")
    app.setOrganizationName("Landscape Explorer")
    if scene is not None:
        from explorer.core.scene import load_scene
        load_scene(scene)  # a broken file: SceneError, reported by the command line before any window
    window = MainWindow()
    report_uncaught(window)
    c = window.controller
    if scene is not None:
        window.scenes.open_path(scene)
    elif expression is not None or not window.scenes.restore_autosave():
        text = expression if expression is not None else DEFAULT_EXPRESSION
        if not c.set_expression(text):
            print(f"landscape-explorer: error: {window.editor.error.text()}", file=sys.stderr)
            c.set_expression(DEFAULT_EXPRESSION)
        for m in methods:
            c.add_run(m, {"lr": 1e-3} if m in ("gd", "momentum", "nesterov") else {})
    c.session.forget_history()   # Undo goes back to what the person did, not to how the window set itself up
    window.editor.edit.setText(c.text)
    window.editor.edit.setCursorPosition(0)
    window.show()
    if screenshot:
        def shoot():
            c.wait_for_surface()
            for _ in range(12):
                c.step()
            app.processEvents()
            ok = window.grab().save(screenshot)
            if not ok:
                print(f"landscape-explorer: error: cannot write '{screenshot}'", file=sys.stderr)
            app.exit(0 if ok else 2)
        QTimer.singleShot(SCREENSHOT_SETTLE_MS, shoot)
    code = app.exec()
    window.close()
    # Tear the GL view down while Qt and PyOpenGL are both alive: left to interpreter
    # shutdown, their objects die in an unsafe order ("Fatal Python error: bool_dealloc").
    window.deleteLater()
    app.processEvents()
    return code
