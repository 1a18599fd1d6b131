"""Where the main window opens: inside the available part of the screen it opens on (its frame included),
at the size it last had on a screen of that name and size (QSettings), or 1600×950 where that fits."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, QTimer
from PySide6.QtGui import QCursor, QGuiApplication

from explorer.ui.window.scene_actions import open_settings   # the settings' one guarded door (a pipe is not opened)

DEFAULT_SIZE = QSize(1600, 950)


def screen_key(screen) -> str:
    """The settings key of a screen: its name and its size (a projector and a laptop keep their own sizes)."""
    size = screen.size()
    return f"window/size {screen.name() or 'screen'} {size.width()}x{size.height()}"


def opening_screen():
    """The screen the person is at (the pointer's), or the primary one."""
    return QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()


def fitted(wanted: QSize, room: QRect, frame: QSize) -> QRect:
    """The window's inner geometry: `wanted`, made small enough that it and its `frame` fit `room`, centred."""
    size = QSize(max(1, min(wanted.width(), room.width() - frame.width())),
                 max(1, min(wanted.height(), room.height() - frame.height())))
    outer = QRect(QPoint(0, 0), size + frame)
    outer.moveCenter(room.center())
    outer.moveTopLeft(QPoint(max(room.left(), outer.left()), max(room.top(), outer.top())))
    return QRect(outer.topLeft(), size)


def frame_size(window) -> QSize:
    """What the window manager's frame adds to the window (nothing before the window is shown)."""
    return window.frameGeometry().size() - window.geometry().size()


def remembered_size(screen) -> QSize | None:
    settings = open_settings()
    value = None if settings is None else settings.value(screen_key(screen))
    return value if isinstance(value, QSize) and value.width() > 0 and value.height() > 0 else None


def open_on_screen(window, remembered: bool = True) -> None:
    """Size and place `window` inside its screen's available geometry; again once it is shown and its frame
    is known. `remembered`: the size last used on this screen, if any."""
    screen = opening_screen()
    if screen is None:
        window.resize(DEFAULT_SIZE)
        return
    room = screen.availableGeometry()
    wanted = (remembered and remembered_size(screen)) or DEFAULT_SIZE
    place = fitted(wanted, room, frame_size(window))
    window.resize(place.size())
    window.move(place.topLeft())
    if not window.isVisible():   # the frame is known once shown: keep the framed window inside the screen
        QTimer.singleShot(0, window, lambda: keep_inside(window, room))


def keep_inside(window, room: QRect) -> None:
    """Shrink and move a shown window whose frame reaches past `room`."""
    if window.isFullScreen() or window.isMaximized() or room.contains(window.frameGeometry()):
        return
    place = fitted(window.size(), room, frame_size(window))
    window.resize(place.size())
    window.move(place.topLeft())


def remember_size(window) -> None:
    """Keep the window's normal size for its screen (not a full-screen or maximised one)."""
    screen = window.screen()
    if screen is None:
        return
    size = window.normalGeometry().size() if window.isMaximized() or window.isFullScreen() else window.size()
    settings = open_settings()
    if settings is not None and size.isValid() and not size.isEmpty():
        settings.setValue(screen_key(screen), size)
