"""Start the window: `landscape-explorer [SCENE-or-PRESET] [--expr EXPR] [--screenshot FILE]`."""
from __future__ import annotations

import argparse
import os
import sys

from explorer.core.preset_library import UnknownScene, scene_file
from explorer.core.scene import SceneError

SCREENSHOT_SETTLE_MS = 600
# Settings in ~/.config/landscape-explorer/landscape-explorer.conf, the autosave and the log in
# ~/.local/share/landscape-explorer/landscape-explorer/ (QStandardPaths.AppDataLocation); on Wayland
# the window is matched to packaging/linux/landscape-explorer.desktop by the desktop file name.
APP_NAME = ORGANISATION_NAME = DESKTOP_FILE_NAME = "landscape-explorer"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


class WindowArgumentError(ValueError):
    """Bad input for opening the window (a scene given twice, a screenshot that is no .png, no display)."""


def main(argv: list[str] | None = None) -> int:
    """The `landscape-explorer-gui` entry point (no console window on Windows): the window, on a scene file
    or a lecture preset if one is named; the sub-commands are the command line's (`landscape-explorer`)."""
    from explorer.allocator import keep_freed_memory
    keep_freed_memory()
    parser = argparse.ArgumentParser(prog="landscape-explorer-gui", allow_abbrev=False,
                                     description="Open the window, on a scene if one is named.")
    parser.add_argument("scene", nargs="?", metavar="SCENE-or-PRESET", help="a scene file or a lecture preset")
    add_window_options(parser)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return open_window(args, args.scene)
    except (WindowArgumentError, UnknownScene, SceneError) as err:
        print(f"landscape-explorer-gui: error: {err}", file=sys.stderr)
        return 2


def add_window_options(parser) -> None:
    """--expr, --screenshot and --scene: what the window opens on (`landscape-explorer` has them too)."""
    parser.add_argument("--expr", metavar="EXPR", help="open the window on this function")
    parser.add_argument("--screenshot", metavar="FILE.png", help="open the window, save a PNG of it, exit")
    parser.add_argument("--scene", dest="window_scene", metavar="FILE-or-PRESET",
                        help="open the window on a scene file or a lecture preset (`presets` lists them); "
                             "the same as giving it without --scene")


def open_window(args, scene: str | None, commands: tuple[str, ...] = ()) -> int:
    """Check the window's options (`scene`: a scene word given without --scene) and open the window.

    `commands`: the sub-commands the scene word could have been a mistyped one of."""
    if scene is not None and args.window_scene is not None:
        raise WindowArgumentError(f"give the scene once: '{scene}' or --scene {args.window_scene.strip()}")
    if scene is not None:
        scene = scene_file(scene, commands)
    elif args.window_scene is not None:
        scene = scene_file(args.window_scene)
    if scene is not None and args.expr:
        raise WindowArgumentError("give either a scene or --expr, not both")
    if args.screenshot and not args.screenshot.strip().lower().endswith(".png"):
        raise WindowArgumentError(f"--screenshot must name a .png file; got '{args.screenshot.strip()}'")
    problem = display_problem()
    if problem:
        raise WindowArgumentError(problem)
    return run_gui(args.expr.strip() if args.expr else None,
                   args.screenshot.strip() if args.screenshot else None, scene)


def display_problem() -> str | None:
    """Why no window can open here, or None. Checked before Qt loads, whose own message on a machine
    without a display ("xcb-cursor0 ... is needed") sends people after the wrong library."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform in ("win32", "darwin"):
        return None   # a platform chosen by hand (offscreen, vnc, ...), or one that always has a screen
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return ("no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set): start it from "
            "a desktop session, or put `xvfb-run -a` in front for a screenshot")


def name_application(app) -> None:
    """The names behind the settings and data folders, the desktop entry's name and the window icon."""
    app.setOrganizationName(ORGANISATION_NAME)
    app.setApplicationName(APP_NAME)
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setWindowIcon(application_icon())


def application_icon():
    """The program's icon at every size shipped in explorer/resources/icons (package data)."""
    from importlib.resources import files

    from PySide6.QtGui import QIcon, QPixmap

    icon = QIcon()
    folder = files("explorer.resources") / "icons"
    for size in ICON_SIZES:
        pixmap = QPixmap()
        if pixmap.loadFromData((folder / f"landscape-explorer-{size}.png").read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    return icon


def share_gl_contexts() -> None:
    """Call before the QApplication exists. pyqtgraph compiles each GL shader once per class and
    reuses it in every view; without one shared context a second 3D view gets invalid programs."""
    from PySide6.QtCore import QCoreApplication, Qt
    QCoreApplication.setAttribute(Qt.AA_ShareOpenGLContexts)


def report_uncaught(window) -> None:
    """An exception that escapes a slot is logged and shown in the status bar; the window goes on."""
    import logging
    import os
    from pathlib import Path

    from PySide6.QtCore import QStandardPaths

    from explorer.core.files import refuse_special

    log = logging.getLogger("landscape_explorer")
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "landscape-explorer.log"
        refuse_special(os.path.realpath(path), path)   # opening a pipe to append would wait for ever
        handler = logging.FileHandler(path, encoding="utf-8")
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

    from explorer.ui.control.controller import DEFAULT_EXPRESSION
    from explorer.ui.window.main_window import MainWindow

    pg.setConfigOptions(antialias=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    name_application(app)
    if scene is not None:
        from explorer.core.scene import load_scene
        # a broken file: SceneError, reported by the command line before any window; what it
        # describes is computed (checked) by the window in a worker thread, with progress and Cancel
        load_scene(scene, check=False)
    window = MainWindow()
    from explorer.ui.window.window_placement import open_on_screen
    open_on_screen(window, remembered=not screenshot)   # inside this screen, at the size it last had there
    report_uncaught(window)
    from explorer.ui.views.surface.surface_placeholder import SurfacePlaceholder
    if isinstance(window.surface, SurfacePlaceholder):   # say so where it was started from, too
        print(f"landscape-explorer: no 3D view: {window.surface.reason}", file=sys.stderr)
    c = window.controller
    window.show()   # first, so the window draws while a scene is being checked
    opened = scene is not None and window.scenes.open_path(scene)
    refused = []   # bad input: with --screenshot the program stops there (exit 2), no picture of something else
    c.expressionFailed.connect(refused.append)
    if scene is not None and not opened:
        refused.append(window.statusBar().currentMessage() or "the scene could not be opened")
        print(f"landscape-explorer: {refused[-1]}", file=sys.stderr)
    if not opened and (scene is not None or expression is not None or not window.scenes.restore_autosave()):
        text = expression if expression is not None else DEFAULT_EXPRESSION
        if not c.set_expression(text):
            said = refused[-1] if screenshot else window.editor.error.text()
            print(f"landscape-explorer: error: {said}", file=sys.stderr)
            c.set_expression(DEFAULT_EXPRESSION)
        for m in methods:
            c.add_run(m, {"lr": 1e-3} if m in ("gd", "momentum", "nesterov") else {})
    c.expressionFailed.disconnect(refused.append)
    c.session.forget_history()   # Undo goes back to what the person did, not to how the window set itself up
    window.editor.edit.setText(c.text)
    window.editor.edit.setCursorPosition(0)
    if screenshot and refused:
        QTimer.singleShot(0, lambda: app.exit(2))
    elif screenshot:
        def shoot():
            c.wait_for_surface()
            for _ in range(12):
                c.step()
            app.processEvents()
            from explorer.core.files import AtomicWrite, WriteError
            try:   # like every file the program writes: never onto a pipe or a device, nothing half-written
                with AtomicWrite(screenshot) as w:
                    ok = window.grab().save(str(w.path), "PNG")
                    if not ok:
                        raise WriteError(screenshot, "the picture could not be saved")
            except WriteError as err:
                ok = False
                print(f"landscape-explorer: error: {err}", file=sys.stderr)
            app.exit(0 if ok else 2)
        QTimer.singleShot(SCREENSHOT_SETTLE_MS, shoot)
    code = app.exec()
    window.close()
    # Tear the GL view down while Qt and PyOpenGL are both alive: left to interpreter
    # shutdown, their objects die in an unsafe order ("Fatal Python error: bool_dealloc").
    window.deleteLater()
    app.processEvents()
    return code
