"""What each kind of problem contributes to the window, through one interface the window installs.

A kind's parts: its pane in the bottom row beside the loss plot (a surface's slice along the step, a
field's Jacobian lens, a fit's data view; an export draws the same pane), its menu, its line of help,
the typeset head of presentation mode's formula, and what presentation mode scales. The window holds
them in `window.parts[kind name]` and shows the pane of the kind on show. Adding a kind means adding
its object in explorer.session.kinds and its parts here.
"""
from __future__ import annotations

from typing import Protocol

from explorer.core.typeset import equation
from explorer.ui.views.plots.slice_view import SliceView
from explorer.ui.kinds.field_parts import FieldParts
from explorer.ui.kinds.fit_parts import FitParts


class KindParts(Protocol):
    """The parts of one kind of problem (one object per kind, made by the window)."""

    kind: str          # the name of its kind (explorer.session.kinds)
    help: str          # its line in Help → Keyboard and mouse ('' for none)
    pane_class: type   # its pane's view; an export makes one of its own: pane_class(controller)
    wants_room: bool   # its pane is half the story: the bottom row gets a larger share of the height
    pane: object       # the window's pane, in the bottom row

    @staticmethod
    def formula_head(controller) -> str:
        """The typeset equation presentation mode shows (without the parameters' values)."""

    def add_menu(self, window) -> None:
        """Its menu in the menu bar (none for some kinds)."""

    def show(self, on: bool) -> None:
        """The problem became this kind (`on`) or another: its pane comes or goes."""

    def set_text_scale(self, scale: float) -> None:
        """Presentation mode's larger type (1.0: the window's)."""


class SurfaceParts:
    """A surface's: f along the selected run's step, in the bottom row."""

    kind, help, pane_class, wants_room = "surface", "", SliceView, False

    def __init__(self, window):
        self.pane = SliceView(window.controller)

    @staticmethod
    def formula_head(controller) -> str:
        return equation(controller.text).html

    def add_menu(self, window) -> None:
        pass

    def show(self, on: bool) -> None:
        self.pane.setVisible(on)

    def set_text_scale(self, scale: float) -> None:
        self.pane.set_text_scale(scale)


KIND_PARTS: dict[str, type] = {parts.kind: parts for parts in (SurfaceParts, FieldParts, FitParts)}


def install_parts(window) -> dict[str, KindParts]:
    """Every kind's parts, their panes added to `window.bottom` (the kind on show decides which is seen)."""
    parts = {name: make(window) for name, make in KIND_PARTS.items()}
    for each in parts.values():
        window.bottom.addWidget(each.pane)
    return parts


def parts_of(controller) -> type:
    """The parts' class of the kind on show (what an export or presentation mode asks without a window)."""
    return KIND_PARTS[controller.kind.name]
