"""The main window's field parts: the Jacobian lens beside the loss plot, and the Field menu.

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


def add_lens(window) -> LensView:
    """The Jacobian lens (`window.lens`) in the bottom row beside the loss plot, shown only for a field;
    the slice of f along a step (a surface's) gives it its place."""
    window.lens = lens = LensView(window.controller)
    window.bottom.addWidget(lens)
    sliced = getattr(window, "slice", None)

    surface_log_text = window.loss.log.text()

    def show_kind(*_):
        field = window.controller.is_field
        if field == lens.isVisibleTo(window) and window.isVisible():
            return
        # |F| is never negative: a short name leaves the lens the room its two planes need
        window.loss.log.setText("log scale of |F|" if field else surface_log_text)
        lens.setVisible(field)
        if sliced is not None:
            sliced.setVisible(not field)
        if field:   # once the splitter has taken the change: the two planes need more room than a slice
            QTimer.singleShot(0, lens, share_the_row)   # cancelled with the lens, should the window go first

    def share_the_row():
        row = window.bottom
        total = sum(row.sizes()) or 1240
        row.setSizes([round(LOSS_SHARE * total) if k == 0 else round((1 - LOSS_SHARE) * total)
                      if row.widget(k) is lens else 0 for k in range(row.count())])

    window.controller.expressionAccepted.connect(show_kind)
    show_kind()
    return lens


def add_field_menu(window):
    """The Field menu; its shortcuts work with the menu bar hidden (the window adds every menu's actions)."""
    c = window.controller
    menu = window.menuBar().addMenu("Fi&eld")
    window.gradient_action = gradient = QAction("Show ∇f as a &field", window, checkable=True,
                                                shortcut=QKeySequence("Ctrl+G"))
    gradient.setToolTip("The field of f's gradient: its Jacobian is f's Hessian")
    gradient.triggered.connect(lambda on: c.set_gradient_field(on) or sync())
    window.lens_tool_action = tool = QAction("&Lens follows clicks", window, checkable=True,
                                             shortcut=QKeySequence(Qt.Key_L))
    tool.setToolTip("A plain click on the map moves the Jacobian lens (otherwise Ctrl+click does)")
    tool.toggled.connect(lambda on: setattr(window.contour, "lens_tool", on))
    actions = [gradient, tool]
    for text, key, factor in (("&Shrink the lens", Qt.Key_BracketLeft, 1 / LENS_FACTOR),
                              ("&Grow the lens", Qt.Key_BracketRight, LENS_FACTOR)):
        action = QAction(text, window, shortcut=QKeySequence(key))
        action.triggered.connect(lambda _=False, f=factor: window.lens.scale_radius(f))
        actions.append(action)
    for action in actions:
        menu.addAction(action)

    def sync(*_):
        with QSignalBlocker(gradient):
            gradient.setChecked(c.gradient_field)
            gradient.setEnabled(bool(c.text) and (c.gradient_field or not c.is_field))

    c.expressionAccepted.connect(sync)
    sync()
    return menu
