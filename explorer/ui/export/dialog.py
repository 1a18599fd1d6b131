"""Export from the window: a picture (Ctrl+E: PNG, or an SVG or PDF of one 2D pane) or the animation, of
the whole frame or one pane, with the lecture note if asked; a progress dialog that can cancel."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QLineEdit, QMessageBox, QProgressDialog, QSpinBox)

from explorer.core.files import error_line
from explorer.ui.export.checks import PLANE_VIEWS, ExportError, parse_size
from explorer.ui.export.render import Cancelled, export_scene

PICTURES = {"PNG picture of the scene now": ".png", "SVG of one pane now (vectors)": ".svg",
            "PDF of one pane now (vectors)": ".pdf"}
ANIMATIONS = {"animated GIF": ".gif", "MP4 video": ".mp4", "folder of PNG frames": "/"}
FORMATS = PICTURES | ANIMATIONS
FORMAT_NAMES = {".png": "PNG picture", ".svg": "SVG picture", ".pdf": "PDF picture", ".gif": "animated GIF",
                ".mp4": "MP4 video"}
# what the view list says -> export's name; an SVG or a PDF holds one 2D pane
VIEW_NAMES = {"all panes": "both", "3D view": "3d", "map": "map", "loss plot": "loss", "slice": "slice"}
MOST_DEFAULT_STEPS = 200   # at step 0 the dialog offers the scene's max steps, at most this many


def default_steps(controller) -> int:
    """The steps on the timeline; at step 0, the scene's max steps (at most 200): never 1 frame of nothing."""
    if controller.step_index > 0:
        return controller.step_index
    return max(1, min(controller.max_steps, MOST_DEFAULT_STEPS))


def settle_suffix(parent, out: str, suffix: str) -> str | None:
    """The name to write: as typed when it ends in the chosen format's suffix; with that suffix added when
    it has none (or one that names no format); else the person is asked: the chosen format's suffix, or
    the name as typed in its own format. None: cancelled."""
    path = Path(out)
    own = path.suffix.lower()
    if own == suffix:
        return out
    if own not in FORMAT_NAMES:
        return out + suffix
    box = QMessageBox(QMessageBox.Question, "Export",
                      f"The format chosen is {FORMAT_NAMES[suffix]}, but '{path.name}' ends in {own} "
                      f"({FORMAT_NAMES[own]}).",
                      parent=parent)
    use = box.addButton(f"Save as {path.with_suffix(suffix).name}", QMessageBox.AcceptRole)
    keep = box.addButton(f"Keep {path.name} ({FORMAT_NAMES[own]})", QMessageBox.AcceptRole)
    box.addButton(QMessageBox.Cancel)
    box.setDefaultButton(use)
    box.exec()
    if box.clickedButton() is use:
        return str(path.with_suffix(suffix))
    return out if box.clickedButton() is keep else None


class ExportDialog(QDialog):
    def __init__(self, parent, picture_only: bool = False):
        super().__init__(parent)
        self.setWindowTitle("Export picture" if picture_only else "Export animation")
        form = QFormLayout(self)
        self.format = QComboBox()
        self.format.addItems(list(PICTURES if picture_only else ANIMATIONS))
        self.view = QComboBox()
        self.format.currentTextChanged.connect(self.offer_views)
        self.offer_views()
        self.note = QCheckBox("the lecture note above the caption")
        has_note = bool(parent.controller.setup.note.strip())
        self.note.setEnabled(has_note)
        self.note.setToolTip("" if has_note else "This scene has no lecture note (Scene → Title and note)")
        self.size = QLineEdit("1280x720")
        self.size.setToolTip("WIDTHxHEIGHT in pixels")
        self.fps = QSpinBox()
        self.fps.setRange(1, 60)
        self.fps.setValue(10)
        self.steps = QSpinBox()
        self.steps.setRange(1, 10000)
        self.steps.setValue(default_steps(parent.controller))
        form.addRow("format", self.format)
        form.addRow("view", self.view)
        form.addRow("size", self.size)
        form.addRow("note", self.note)
        if not picture_only:
            form.addRow("frames per second", self.fps)
            form.addRow("steps", self.steps)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @property
    def suffix(self) -> str:
        return FORMATS[self.format.currentText()]

    @property
    def view_name(self) -> str:
        """The view as export names it: both, 3d, map, loss or slice."""
        return VIEW_NAMES[self.view.currentText()]

    def offer_views(self, *_) -> None:
        """Every view for a picture in pixels; the 2D panes alone for an SVG or a PDF (keeping the choice)."""
        vector = self.suffix in (".svg", ".pdf")
        names = [text for text, name in VIEW_NAMES.items() if not vector or name in PLANE_VIEWS]
        kept = self.view.currentText()
        self.view.clear()
        self.view.addItems(names)
        if kept in names:
            self.view.setCurrentText(kept)


def export_from_window(window, picture_only: bool) -> None:
    dialog = ExportDialog(window, picture_only)
    if not dialog.exec():
        return
    try:
        size = parse_size(dialog.size.text().strip())
    except ExportError as err:
        QMessageBox.warning(window, "Export", str(err))
        return
    suffix = dialog.suffix
    if suffix == "/":
        folder = QFileDialog.getExistingDirectory(window, "Export frames into an empty folder", str(Path.home()))
        if not folder:
            return
        out = folder.rstrip("/") + "/"
    else:
        out, _ = QFileDialog.getSaveFileName(window, "Export", str(Path.home() / f"landscape{suffix}"),
                                             f"*{suffix}")
        if not out:
            return
        out = settle_suffix(window, out, suffix)   # x.mp4 chosen with GIF: asked, never x.mp4.gif
        if out is None:
            return
    run_export(window, window.scenes.scene(), out, dialog.view_name, size, dialog.fps.value(),
               dialog.steps.value(), note=dialog.note.isChecked())


def run_export(window, scene, out, view, size, fps, steps, note: bool = False) -> bool:
    """Export with a cancellable progress dialog; returns True when the file was written."""
    progress = QProgressDialog("Rendering frames…", "Cancel", 0, steps + 1, window)
    progress.setWindowModality(Qt.WindowModal)
    progress.setMinimumDuration(0)

    def report(done, total):
        progress.setMaximum(total)
        progress.setValue(done)
        return not progress.wasCanceled()

    try:
        count = export_scene(scene, out, view, size, fps, steps, progress=report, note=note)
    except Cancelled:
        window.controller.message.emit("Export cancelled: nothing was written")
        return False
    except ExportError as err:
        QMessageBox.warning(window, "Export", str(err))
        return False
    except OSError as err:  # the temporary could not be made, the disk filled up, the encoder died
        QMessageBox.warning(window, "Export", error_line(err))
        return False
    finally:
        progress.close()
    window.controller.message.emit(f"Exported {count} frame{'s' if count != 1 else ''} to {out}")
    return True
