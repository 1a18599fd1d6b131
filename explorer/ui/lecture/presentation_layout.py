"""Presentation mode's layout, chosen by the room there is: on a large screen every pane; on a small one
(a 1024×768 projector) the views first, and what would be squeezed is offered instead: the lecture note
(N shows it) when it and the caption would take more than a fifth of the height, and the stability map
(V swaps it in for the 3D view), and the row of the selected run's settings while A sweeps one. There, a
network fit's row below the views is its model pane alone: the metrics and the sharpness views draw the loss
per step themselves."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QApplication

COMPACT_BELOW = QSize(1400, 900)   # a window narrower or lower than this presents the compact layout
TEXT_SHARE = 0.2       # of the height at most, for the note and the caption together (unless N asks for the note)
PANE_MIN = QSize(300, 200)   # no pane below the views is shown smaller (the slice's plot under its words)
LOSS_SHARE = 0.22      # of the centre's height, for the row below the views
RIGHT_SHARE = 0.2      # of the width at least, for the stability map beside the views on a large screen
SWAPPED_SHARE = 0.35   # of the width, for the stability map in the 3D view's place
FIT_SHARE = 0.36       # for the loss plot and a fit's data view (on a large screen)


def compact(size: QSize) -> bool:
    return size.width() < COMPACT_BELOW.width() or size.height() < COMPACT_BELOW.height()


def no_pane_squeezed(row, least: int) -> None:
    """A splitter's shown panes share its length equally where one of them has less than `least` (a pane
    shown again after another kind's pane had the row)."""
    shown = [k for k in range(row.count()) if not row.widget(k).isHidden()]
    sizes = row.sizes()
    total = sum(sizes)
    if shown and total >= least * len(shown) and any(sizes[k] < least for k in shown):
        row.setSizes([total // len(shown) if k in shown else 0 for k in range(row.count())])


class PresentationLayout:
    """Which panes presentation mode shows in `window` and how high the row below the views is."""

    def __init__(self, window):
        self.window = window
        self.note_asked = False    # N showed the note although it takes more than its share
        self.swapped = False       # V: the stability map in the 3D view's place (compact layout)

    def reset(self) -> None:
        self.note_asked = self.swapped = False

    def note_fits(self) -> bool:
        """The note and the caption, wrapped at the views' width, take at most TEXT_SHARE of the height."""
        w = self.window
        width = w.centre.width() or w.width()
        used = w.note.heightForWidth(width) + (w.caption.heightForWidth(width) if w.caption.isVisible() else 0)
        return used <= TEXT_SHARE * w.height()

    def stability_offered(self) -> bool:
        """The stability map has something to show but no room of its own: V swaps it in."""
        return compact(self.window.size()) and self.window.stability.relevant()

    def shows_stability(self) -> bool:
        return self.window.stability.relevant() and (not compact(self.window.size()) or self.swapped)

    def arrange(self, note_shown: bool) -> None:
        """Show and size the panes for the window's size (called on entering, on resizing and on N or V)."""
        w = self.window
        small = compact(w.size())
        w.right.setVisible(self.shows_stability())
        w.surface.setVisible(not (small and self.swapped and w.stability.relevant()))
        w.run_bar.offer(not small or w.run_bar.sweep.running)   # the settings' row: on a small screen, a sweep's
        # beside the views, or swapped in for the 3D view: as wide as it was, or a share of the width
        if w.right.isVisible() and sum(w.main.sizes()) > w.width() // 2:
            sizes = w.main.sizes()
            share = SWAPPED_SHARE if small else RIGHT_SHARE
            right = max(sizes[2], PANE_MIN.width(), round(share * w.width()))
            w.main.setSizes([sizes[0], sum(sizes) - sizes[0] - right, right])
        QApplication.sendPostedEvents(None, QEvent.LayoutRequest)   # the splitters take the column in or out,
        w.layout().activate()                                        # so the note is measured at its width
        w.note.setVisible(note_shown and w.note.has_note() and (not small or self.note_asked or self.note_fits()))
        self.show_loss_column()
        total = sum(w.centre.sizes()) or w.height()
        roomy = w.parts[w.controller.kind.name].wants_room and not small   # a fit's data: half the story
        bottom = max(round(total * (FIT_SHARE if roomy else LOSS_SHARE)), PANE_MIN.height())
        w.centre.setSizes([total - bottom, bottom])   # the views come first
        no_pane_squeezed(w.bottom, PANE_MIN.width())

    def show_loss_column(self) -> None:
        """The loss plot below the views, except beside a network's pane on a small screen: the pane (its region
        beside its metrics, which draw the loss too) takes the whole row there."""
        w = self.window
        w.loss_column.setVisible(not (compact(w.size()) and w.controller.model.problem is not None))

    def restore(self) -> None:
        """Outside presentation mode every pane is the window's to show."""
        self.window.surface.setVisible(True)
        self.window.loss_column.setVisible(True)
        self.reset()
