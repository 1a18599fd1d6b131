"""A field's parts of the window (explorer.ui.kinds.parts): the Jacobian lens beside the loss plot, and
the Field menu.

Field menu: Show ∇f as a field (Ctrl+G) · Lens follows clicks (L; otherwise Ctrl+click puts it) ·
Shrink the lens ([) · Grow the lens (]). The lens pane shows itself only while the problem is a field.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence

from explorer.ui.views.plots.lens_view import LensView

LENS_FACTOR = math.sqrt(2)
LOSS_SHARE = 0.38   # of the bottom row's width, beside the lens
HELP = ("A field (u, v): arrows of F coloured by det J · Ctrl+click the map or drag the lens's centre: the Jacobian "
        "lens looks there · [ / ]: shrink / grow its circle · L: plain clicks move the lens · Ctrl+G: ∇f as a field.")


class FieldParts:
    """The Jacobian lens (`pane`) in the bottom row, shown only for a field; the Field menu."""

    kind, help, pane_class, wants_room = "field", HELP, LensView, False

    def __init__(self, window):
        self.window = window
        self.pane = LensView(window.controller)
        self.surface_log_text = window.loss.log.text()

    @staticmethod
    def formula_head(controller) -> str:
        """'F(x, y) = (u, v)', or 'F = ∇f, f(x, y) = …'."""
        from explorer.ui.text.field_text import field_equation_html
        return field_equation_html(controller.text, controller.field.gradient_field)

    def show(self, on: bool) -> None:
        window, lens = self.window, self.pane
        # |F| is never negative: a short name leaves the lens the room its two planes need
        window.loss.log.setText("log scale of |F|" if on else self.surface_log_text)
        lens.setVisible(on)
        if on:   # once the splitter has taken the change: the two planes need more room than a slice
            QTimer.singleShot(0, lens, self._share_the_row)   # cancelled with the lens, should the window go first

    def _share_the_row(self) -> None:
        row, lens = self.window.bottom, self.pane
        total = sum(row.sizes()) or 1240
        row.setSizes([round(LOSS_SHARE * total) if k == 0 else round((1 - LOSS_SHARE) * total)
                      if row.widget(k) is lens else 0 for k in range(row.count())])

    def set_text_scale(self, scale: float) -> None:
        self.pane.set_text_scale(scale)

    def add_menu(self, window) -> None:
        """The Field menu; its shortcuts work with the menu bar hidden (the window adds every menu's actions)."""
        c = window.controller
        menu = window.menuBar().addMenu("Fi&eld")
        self.gradient_action = gradient = QAction("Show ∇f as a &field", window, checkable=True,
                                                  shortcut=QKeySequence("Ctrl+G"))
        gradient.setToolTip("The field of f's gradient: its Jacobian is f's Hessian")
        gradient.triggered.connect(lambda on: c.field.set_gradient_field(on) or sync())
        self.lens_tool_action = tool = QAction("&Lens follows clicks", window, checkable=True,
                                               shortcut=QKeySequence(Qt.Key_L))
        tool.setToolTip("A plain click on the map moves the Jacobian lens (otherwise Ctrl+click does)")
        tool.toggled.connect(lambda on: setattr(window.contour, "lens_tool", on))
        actions = [gradient, tool]
        for text, key, factor in (("&Shrink the lens", Qt.Key_BracketLeft, 1 / LENS_FACTOR),
                                  ("&Grow the lens", Qt.Key_BracketRight, LENS_FACTOR)):
            action = QAction(text, window, shortcut=QKeySequence(key))
            action.triggered.connect(lambda _=False, f=factor: self.pane.scale_radius(f))
            actions.append(action)
        for action in actions:
            menu.addAction(action)

        def sync(*_):
            typed_field = c.kind.has_lens and not c.field.gradient_field   # '(u, v)': there is no f
            with QSignalBlocker(gradient):
                gradient.setChecked(c.field.gradient_field)
                gradient.setEnabled(bool(c.text) and not typed_field)

        c.expressionAccepted.connect(sync)
        sync()
