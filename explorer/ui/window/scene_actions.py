"""File menu: Open, Save, Save As, recent scenes, and the autosave that survives a crash."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from explorer.core.files import WriteError, refuse_special, remove_orphans
from explorer.core.scene import SceneCancelled, SceneError, load_scene, save_scene
from explorer.ui.control.scene_loader import check_in_background, load_checked
from explorer.ui.control.staged_drawing import STAGED_RUNS

RECENT_MAX = 8
AUTOSAVE_MS = 1500


def autosave_path() -> Path:
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation))
    return folder / "autosave.json"


def settings_path() -> Path:
    """Where Qt keeps the settings on Linux (~/.config/ORGANISATION/APPLICATION.conf), on every system."""
    from PySide6.QtCore import QCoreApplication
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.GenericConfigLocation))
    return folder / QCoreApplication.organizationName() / f"{QCoreApplication.applicationName()}.conf"


def open_settings() -> QSettings | None:
    """The settings, or None when their file is not a regular file: Qt would wait on a pipe for ever
    and replace it on saving, so it is neither read nor written."""
    path = settings_path()
    try:
        refuse_special(Path(os.path.realpath(path)), path)
    except WriteError:
        return None
    return QSettings(str(path), QSettings.IniFormat)


class SceneActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window, self.controller = window, window.controller
        self.path: Path | None = None
        self.opening: str | None = None   # the scene being read and checked (the window stays live meanwhile)
        menu = window.menuBar().addMenu("&File")
        for text, key, slot in (("&Open scene…", QKeySequence.Open, self.open),
                                ("&Save scene", QKeySequence.Save, self.save),
                                ("Save scene &as…", QKeySequence("Ctrl+Shift+S"), self.save_as)):
            action = QAction(text, window, shortcut=key)
            action.triggered.connect(lambda _=False, s=slot: s())
            menu.addAction(action)
        self.recent_menu = menu.addMenu("Open &recent")
        menu.addSeparator()
        self.file_menu = menu
        self._fill_recent()
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave)
        c = self.controller
        # a maximum delay, not a debounce: while runs play every step is a change, and a debounce
        # restarted by each of them would never save
        c.changed.connect(lambda: self._autosave.isActive() or self._autosave.start())
        # and each edit written through at once (no fsync: a kill -9 keeps it, the timer's save makes it durable)
        c.edited.connect(lambda: self.autosave(durable=False))
        c.metaChanged.connect(self._update_title)

    # ---------------------------------------------------------------- open
    def open(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Open scene", str(self._folder()), "Scenes (*.json)")
        if name:
            self.open_path(name)

    def open_path(self, path, remember: bool = True) -> bool:
        """Load a scene; a broken file is reported and the current scene stays as it was.

        The file is read and checked in a worker thread (`scene_loader`): the window keeps drawing
        and, if it takes a while, shows progress with Cancel.
        """
        if self.opening is not None:
            self.controller.message.emit(f"Still opening {self.opening}: wait for it or cancel it first")
            return False
        self.opening = Path(path).name
        try:
            scene, prepared = load_checked(self.window, path, f"Opening {self.opening}")
        except SceneCancelled:
            self.controller.message.emit(f"Opening {Path(path).name} cancelled: the scene on show is unchanged")
            return False
        except SceneError as err:
            self.controller.message.emit(str(err))
            QMessageBox.warning(self.window, "Cannot open scene", str(err))
            return False
        finally:
            self.opening = None
        self.show_scene(scene, prepared=prepared)
        if remember:
            self.path = Path(path)
            self._remember(self.path)
        self._update_title()
        return True

    def show_scene(self, scene, name: str = "Open scene", prepared=None) -> None:
        """Apply a checked scene as one undoable command; every control follows the session.

        `prepared`: the runs `scene_loader` built for it, so they are not built again. Many runs are
        drawn over a few turns of the event loop, so that the window is never held for long."""
        many = max(len(scene.runs), len(self.controller.runs)) >= STAGED_RUNS   # to draw, or to take away
        self.controller.load_scene(scene, name, prepared, staged=many)

    # ---------------------------------------------------------------- save
    def scene(self):
        return self.controller.session.scene(self.window.surface.camera())

    def save(self) -> bool:
        return self.save_path(self.path) if self.path else self.save_as()

    def save_as(self) -> bool:
        name, _ = QFileDialog.getSaveFileName(self.window, "Save scene", str(self._folder() / "scene.json"),
                                              "Scenes (*.json)")
        if not name:
            return False
        return self.save_path(name if name.endswith(".json") else name + ".json")

    def save_path(self, path) -> bool:
        try:
            save_scene(self.scene(), path)
        except SceneError as err:
            QMessageBox.warning(self.window, "Cannot save scene", str(err))
            return False
        self.path = Path(path)
        self._remember(self.path)
        self._update_title()
        self.controller.message.emit(f"Saved {self.path}")
        return True

    def autosave(self, durable: bool = True) -> None:
        if not self.controller.text:
            return
        try:
            path = autosave_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            save_scene(self.scene(), path, durable)
        except (SceneError, OSError):
            pass  # autosave is a safety net; a failure must not interrupt a lecture

    def restore_autosave(self) -> bool:
        path = autosave_path()
        remove_orphans(path.parent)   # temporaries of saves that were killed mid-way
        if not path.exists() or self.opening is not None:
            return False
        self.opening = "the autosaved scene"
        try:
            scene, prepared = check_in_background(self.window, load_scene(path, check=False),
                                                  "Restoring the last session")
        except SceneError:
            return False   # a broken or cancelled autosave: start afresh rather than stop the program
        finally:
            self.opening = None
        self.show_scene(scene, "Restore autosave", prepared)
        self.controller.session.forget_history()   # nothing before the restored scene to go back to
        return True

    # ---------------------------------------------------------------- recent files
    def _remember(self, path: Path) -> None:
        settings = open_settings()
        if settings is None:
            self.controller.message.emit(f"Recent scenes are not remembered: {settings_path()} is not a regular file")
            return
        recent = [p for p in (settings.value("recent", []) or []) if p != str(path)]
        settings.setValue("recent", [str(path)] + recent[:RECENT_MAX - 1])
        settings.sync()   # now, while the file is known to be regular (Qt replaces it by a rename)
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        settings = open_settings()
        recent = (settings.value("recent", []) if settings is not None else []) or []
        if isinstance(recent, str):
            recent = [recent]
        for p in recent:
            action = self.recent_menu.addAction(p)
            action.triggered.connect(lambda _=False, path=p: self.open_path(path))
        self.recent_menu.setEnabled(bool(recent))

    def _folder(self) -> Path:
        return self.path.parent if self.path else Path.home()

    def _update_title(self) -> None:
        name = self.path.name if self.path else "untitled"
        title = self.controller.setup.title
        self.window.setWindowTitle(f"{title or name} — Landscape Explorer")
