"""Presentation mode: full screen, large type, the formula, the legend, the lecture note and a caption
with every run's outcome; side panels hidden; a clicker (PageDown/PageUp) steps, Ctrl+PageDown/Up
moves to the next/previous lecture preset."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from explorer.ui.lecture.labels import (FORMULA_SCALE, NOTE_SCALE, SCALE, caption_font, keep_normal_font,
                                        scaled_font)
from explorer.ui.lecture.presentation_layout import PresentationLayout


def relayout(window) -> None:
    """The formula and legend row and the sliders laid out again for the larger type, which their layouts
    do not see when the window's size stays the same."""
    for row in (window.display_bar.parentWidget(), window.parameter_bar, window.run_bar):
        row.layout().invalidate()
        row.layout().setGeometry(row.contentsRect())


class Presentation:
    """Switches a MainWindow in and out of presentation mode (F11; Esc leaves)."""

    def __init__(self, window):
        self.window = window
        self.active = False
        self.note_shown = True
        self._font = None
        self._hidden = []        # the side panels this mode hid (and shows again)
        self._splits = None      # the views' and the loss plot's heights before
        self.layout = PresentationLayout(window)
        # a preset or an edit that makes the fit a network's or not: its row below the views changes with it
        window.controller.fitChanged.connect(lambda: self.active and self.layout.show_loss_column())
        window.run_bar.sweep.changed.connect(lambda _: self.arrange())   # a small screen shows a sweep's row

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self, full_screen: bool = True) -> None:
        """Large type, the story on screen; `full_screen=False` keeps the window's size (the gallery)."""
        w = self.window
        if self.active:
            return
        self.active = True
        app = QApplication.instance()
        self._font = QFont(app.font())
        keep_normal_font(self._font)
        big = scaled_font(self._font, SCALE)
        app.setFont(big)
        self._hidden = [panel for panel in w.side_panels() if not panel.isHidden()]
        for panel in self._hidden:
            panel.setVisible(False)
        w.update_right_column()   # the stability map stays while it has something to show
        w.menuBar().setVisible(False)
        w.statusBar().setVisible(False)   # the audience's screen: messages are the lecturer's
        w.display_bar.show_controls(False)   # the legend stays
        self._splits = w.centre.sizes()
        w.loss.controls.setVisible(False)
        w.parameter_bar.offer(True)   # the sliders a note says to drag ('drag k up')
        w.caption.setFont(caption_font(big, 1.0))
        w.formula.setFont(scaled_font(big, FORMULA_SCALE))
        w.note.setFont(scaled_font(big, NOTE_SCALE, italic=True))
        for widget in (w.caption, w.formula):
            widget.setVisible(True)
            widget.refresh()
        self.arrange()
        w.contour.set_text_scale(SCALE)
        w.loss.set_text_scale(SCALE)
        w.lr_plot.set_text_scale(SCALE)
        w.stability.set_text_scale(SCALE)   # it stays beside the views while f is a quadratic
        w.basins.set_text_scale(SCALE)
        for parts in w.parts.values():   # each kind's pane (and a fit's slice note over the map)
            parts.set_text_scale(SCALE)
        QTimer.singleShot(0, w, lambda: relayout(w))   # every text is larger: laid out again at the same size
        if full_screen:
            w.showFullScreen()
        w.setFocus()  # keyboard-only control from here

    def arrange(self) -> None:
        """The panes for the window's present size (a full-screen window gets its size after entering)."""
        if self.active:
            self.layout.arrange(self.note_shown)

    def leave(self) -> None:
        w = self.window
        if not self.active:
            return
        self.active = False
        QApplication.instance().setFont(self._font)
        keep_normal_font(None)
        for panel in self._hidden:
            panel.setVisible(True)
        w.update_right_column()
        w.menuBar().setVisible(True)
        w.statusBar().setVisible(True)
        if self._splits:
            w.centre.setSizes(self._splits)
        w.display_bar.show_controls(True)
        w.loss.controls.setVisible(True)
        w.parameter_bar.offer(False)
        w.run_bar.offer(False)
        self.layout.restore()
        for widget in (w.caption, w.formula, w.note):
            widget.setVisible(False)
        w.contour.set_text_scale(1.0)
        w.loss.set_text_scale(1.0)
        w.lr_plot.set_text_scale(1.0)
        w.stability.set_text_scale(1.0)
        w.basins.set_text_scale(1.0)
        for parts in w.parts.values():
            parts.set_text_scale(1.0)
        if w.isFullScreen():
            w.showNormal()

    def swap_stability(self) -> None:
        """V: the stability map in the 3D view's place and back, where the screen has no room for both."""
        if self.active and self.layout.stability_offered():
            self.layout.swapped = not self.layout.swapped
            self.arrange()

    def toggle_note(self) -> None:
        """N: the lecture note on or off (remembered for the next presentation)."""
        if self.active:   # what is on screen changes, even where the note was held back for room
            self.note_shown = self.layout.note_asked = not self.window.note.isVisible()
            self.arrange()
            return
        self.note_shown = not self.note_shown
        if self.window.note.has_note():
            self.window.controller.message.emit("The lecture note will be " + ("shown" if self.note_shown else
                                                                               "hidden") + " in presentation mode")


# ---------------------------------------------------------------- lecture presets without the side panel
def lecture_index(window) -> int | None:
    """Which lecture preset is on show (by its title), or None."""
    titles = [scene.title for scene in window.editor.lectures.values()]
    title = window.controller.setup.title
    return titles.index(title) if title and title in titles else None


def show_lecture(window, index: int) -> None:
    scenes = list(window.editor.lectures.values())
    if not scenes:
        return
    index = max(0, min(index, len(scenes) - 1))
    scene = scenes[index]
    window.scenes.show_scene(scene, f"Load {scene.title}")
    window.controller.message.emit(f"Lecture {index + 1} of {len(scenes)}: {scene.title}")


def step_lecture(window, delta: int) -> None:
    """Ctrl+PageDown / Ctrl+PageUp: the next / previous lecture preset (the first / last from another scene)."""
    scenes = list(window.editor.lectures.values())
    current = lecture_index(window)
    if current is None:
        show_lecture(window, 0 if delta > 0 else len(scenes) - 1)
    elif 0 <= current + delta < len(scenes):
        show_lecture(window, current + delta)
    else:
        window.controller.message.emit("That was the " + ("last" if delta > 0 else "first") + " lecture preset")


def add_lecture_menu(window) -> QMenu:
    """The Lectures menu: every lecture preset, next and previous, and Ctrl+L to pop it up in full screen."""
    menu = window.menuBar().addMenu("&Lectures")
    for text, key, delta in (("&Next lecture preset", "Ctrl+PgDown", 1), ("&Previous lecture preset", "Ctrl+PgUp", -1)):
        action = QAction(text, window, shortcut=QKeySequence(key))
        action.triggered.connect(lambda _=False, d=delta: step_lecture(window, d))
        menu.addAction(action)
    menu.addSeparator()
    for index, scene in enumerate(window.editor.lectures.values()):
        action = QAction(f"{index + 1}. {scene.title}", window)
        action.setToolTip(scene.note)
        action.triggered.connect(lambda _=False, i=index: show_lecture(window, i))
        menu.addAction(action)
    # the menu bar is hidden in full screen: Ctrl+L pops the same menu up over the views
    choose = QAction("Choose a lecture preset", window, shortcut=QKeySequence("Ctrl+L"))
    choose.triggered.connect(lambda: menu.exec(window.mapToGlobal(QPoint(window.width() // 3, window.height() // 4))))
    window.addAction(choose)
    return menu
