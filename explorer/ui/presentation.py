"""Presentation mode: full screen, large type, side panels hidden, a caption a back row can read."""
from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel

from explorer.ui.run_text import stopped_here

SCALE = 1.6


def caption_font(base: QFont, scale: float) -> QFont:
    """Bold, `scale`× 1.4 the base size: a caption read from the back of the room."""
    font = QFont(base)
    font.setPointSizeF(max(8.0, base.pointSizeF() * 1.4 * scale))
    font.setBold(True)
    return font


def caption_text(controller) -> str:
    """One line per run: method, step and f, in the run's colour."""
    parts = []
    for config, run in zip(controller.configs, controller.runs):
        state = run.current
        stopped = f" · {run.summary}" if stopped_here(run) else ""
        parts.append(f"<span style='color:{config.colour}'>●</span> {run.method} · step {run.position} · "
                     f"f = {state.value:.6g}{stopped}")
    return "&nbsp;&nbsp;&nbsp;".join(parts) or "Add an optimizer to start"


class Caption(QLabel):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setStyleSheet("background: #ffffff; color: #111111; padding: 6px;")
        self.setWordWrap(True)
        for signal in (controller.stepped, controller.runsChanged, controller.expressionAccepted):
            signal.connect(self.refresh)
        self.setVisible(False)

    def refresh(self, *_):
        if self.isVisible():
            self.setText(caption_text(self.controller))


class Presentation:
    """Switches a MainWindow in and out of presentation mode (F11; Esc leaves)."""

    def __init__(self, window):
        self.window = window
        self.active = False
        self._font = None

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        w = self.window
        if self.active:
            return
        self.active = True
        app = QApplication.instance()
        self._font = QFont(app.font())
        big = QFont(self._font)
        big.setPointSizeF(self._font.pointSizeF() * SCALE)
        app.setFont(big)
        for panel in w.side_panels():
            panel.setVisible(False)
        w.menuBar().setVisible(False)
        w.caption.setFont(caption_font(big, 1.0))
        w.caption.setVisible(True)
        w.caption.refresh()
        w.showFullScreen()
        w.setFocus()  # keyboard-only control from here

    def leave(self) -> None:
        w = self.window
        if not self.active:
            return
        self.active = False
        QApplication.instance().setFont(self._font)
        for panel in w.side_panels():
            panel.setVisible(True)
        w.menuBar().setVisible(True)
        w.caption.setVisible(False)
        w.showNormal()
