"""The picture an export writes: the formula and the colour legend, the lecture note when asked, the caption,
then the 3D view and/or the contour map (or the loss plot or the slice alone), at an exact size, with text
scaled to the frame (a 1920×1080 frame reads like presentation mode). Rendered off screen: the stage is
never shown on the desktop."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget
import pyqtgraph as pg

from explorer.session import Session
from explorer.ui.views.map.basins_overlay import BasinsOverlay, basins_work
from explorer.ui.views.map.contour_view import ContourView
from explorer.ui.control.controller import Controller
from explorer.ui.panels.display_bar import Legend
from explorer.ui.kinds.fit_parts import SliceNote, held_point_on_map
from explorer.ui.kinds.parts import parts_of
from explorer.ui.views.plots.loss_plot import LossPlot
from explorer.ui.views.plots.lr_plot import LrPlot
from explorer.ui.lecture.labels import (FORMULA_SCALE, NOTE_SCALE, SCALE, Caption, FormulaLabel, NoteLabel,
                                        caption_font, header_row, normal_font, scaled_font)
from explorer.ui.views.plots.stability_view import StabilityPanel
from explorer.ui.views.surface.surface_view import SurfaceView

SETTLE_PASSES = 3
LANDSCAPE_VIEWS = ("3d", "contour", "both")   # the views that show the landscape's colours
MAP_NAMES = {"map": "contour"}                  # the command line's name for the contour map
STABILITY_SHARE = 0.25    # of the frame's width, for the stability map beside the views (preset 22)
BOTTOM_SHARE = 0.26   # of the frame's height, for the loss plot and the slice along the step
FIT_BOTTOM_SHARE = 0.38   # a fit's: the loss plot and the fit view, the data being half the story
FIT_VIEW_STRETCH = 2      # the fit view is twice as wide as the loss plot beside it
LR_SHARE = 0.34           # of the loss column's height, for the lr plot (as in the window) while a run has a schedule
FULL_HD = 1080
MIN_TEXT_SCALE = 0.5


def text_scale(size: tuple[int, int]) -> float:
    """Presentation mode's scale at 1080 pixels high, in proportion below and above."""
    return max(MIN_TEXT_SCALE, SCALE * size[1] / FULL_HD)


class ExportStage(QWidget):
    """The frame: header, caption, then the pane or panes `view` names (3d, contour, both, loss, slice).

    What the window shows over its panes comes too: the basins on the map when the scene shows them, the
    stability map beside the views while f is a quadratic (view both), the lecture note when `note`."""

    def __init__(self, scene, view: str, size: tuple[int, int], start_at_current: bool = False,
                 note: bool = False):
        super().__init__(None, Qt.Window)
        self.setWindowTitle("Landscape Explorer — export")
        # drawn (OpenGL included) but never mapped: an audience does not see a second window appear
        self.setAttribute(Qt.WA_DontShowOnScreen, True)
        view = MAP_NAMES.get(view, view)
        self.scale = scale = text_scale(size)
        self.setFont(scaled_font(normal_font(), scale))
        start = scene.current_step if start_at_current else 0
        # the same session model as the window: a picture from the command line is the window's picture
        self.controller = c = Controller(self, Session.from_scene(replace(scene, current_step=start)))
        c.model.in_place = True   # a frame holds its readings (spectrum, lines, Jacobian), never "computing…"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.formula = FormulaLabel(c)
        self.formula.setFont(scaled_font(self.font(), FORMULA_SCALE))
        self.legend = None
        if view in LANDSCAPE_VIEWS:   # the colours of the map and the surface: no key to a loss or slice plot
            self.legend = Legend()
            self.legend.show_colouring(c.colouring)
            self.legend.setContentsMargins(0, 0, round(8 * scale), 0)
            layout.addWidget(header_row(self.formula, self.legend))
        else:
            layout.addWidget(self.formula)
        self.note = NoteLabel(c) if note else None
        if self.note is not None:
            self.note.setFont(scaled_font(self.font(), NOTE_SCALE, italic=True))
            layout.addWidget(self.note)
        self.caption = Caption(c)
        self.caption.setFont(caption_font(self.font(), 1.0))
        layout.addWidget(self.caption)
        body = QHBoxLayout()   # the panes, and beside them the stability map while it has something to say
        column = QVBoxLayout()
        body.addLayout(column, 1)
        layout.addLayout(body, 1)
        views = QHBoxLayout()
        self.surface = SurfaceView(c) if view in ("3d", "both") else None
        self.contour = ContourView(c) if view in ("contour", "both") else None
        if self.contour is not None:
            self.contour.set_text_scale(scale)
        for widget in (self.surface, self.contour):
            if widget is not None:
                widget.setMinimumSize(32, 32)
                views.addWidget(widget, 1)
        if self.surface is not None or self.contour is not None:
            column.addLayout(views, 1)
        # the story below the views, as in the window: f per iteration beside f along the step
        self.loss = self.slice = self.lr_plot = self.stability = self.basins = None
        if view == "both":
            roomy = parts_of(c).wants_room   # a fit's data view: half the story
            height = round(size[1] * (FIT_BOTTOM_SHARE if roomy else BOTTOM_SHARE))
            bottom = QHBoxLayout()
            bottom.addLayout(self._loss_column(height), 1)
            bottom.addWidget(self._slice_pane(height), FIT_VIEW_STRETCH if roomy else 1)
            column.addLayout(bottom, 0)
            if c.lessons.stability() is not None:   # f is a quadratic and the selected run is gd or momentum
                self.stability = StabilityPanel(c)
                self.stability.use_optimal.setVisible(False)   # a button to press is no part of a picture
                self.stability.set_text_scale(scale)
                self.stability.setFixedWidth(round(STABILITY_SHARE * size[0]))
                body.addWidget(self.stability)
        elif view == "loss":
            column.addLayout(self._loss_column(None), 1)
        elif view == "slice":
            column.addWidget(self._slice_pane(None), 1)
        self.setFixedSize(*size)
        c.wait_for_runs(600_000)
        c.model.sharpness.finish()   # the sharpness view's estimates up to the step on show
        if self.surface is not None:
            self.surface.set_camera(scene.camera)
        for label in (self.formula, self.caption, self.note):
            if label is not None:
                label.setVisible(True)
        self.show()
        if not c.wait_for_surface(30000):
            raise RuntimeError("the surface was not computed in time")
        self.caption.refresh()
        self.formula.refresh()
        self.show_slice_title()
        self.show_basins()
        for widget in (self.loss, self.slice, self.lr_plot, self.stability):
            if widget is not None:
                widget.refresh()
        self.settle()
        self.forget_layout_history()

    def _loss_column(self, height: int | None) -> QVBoxLayout:
        """The loss plot, and under it lr per step while a run takes a schedule; `height` fixed, or all there is."""
        c = self.controller
        self.loss = LossPlot(c)
        self.loss.controls.setVisible(False)
        column = QVBoxLayout()
        column.setSpacing(0)
        share = round(100 * LR_SHARE) if c.batch.any_schedule() else 0
        column.addWidget(self.loss, 100 - share)
        if share:
            self.lr_plot = LrPlot(c)
            self.lr_plot.set_text_scale(self.scale)
            column.addWidget(self.lr_plot, share)
        if height is not None:   # the views above take the rest
            lr_height = round(LR_SHARE * height) if share else 0
            self.loss.setFixedHeight(height - lr_height)
            if share:
                self.lr_plot.setFixedHeight(lr_height)
        self.loss.set_text_scale(self.scale)
        return column

    def _slice_pane(self, height: int | None) -> QWidget:
        """f along the step; a field's lens in its place (a field has no f to slice along a step), a fit's data."""
        c = self.controller
        self.slice = parts_of(c).pane_class(c)
        self.slice.set_text_scale(self.scale)
        if height is not None:
            self.slice.setFixedHeight(height)
        return self.slice

    def show_basins(self) -> None:
        """The basins on the map when the scene shows them (a run of a vectorised method selected, as the window)."""
        if self.contour is None or not self.controller.overlays.get("basins", False):
            return
        work = basins_work(self.controller)
        if work is not None:
            self.basins = BasinsOverlay(self.contour)
            self.basins.set_text_scale(self.scale)
            self.basins.show(work())

    def step(self) -> bool:
        moved = self.controller.step()
        if moved and self.controller.kind.has_rows:   # a slice that follows the run: this step's, not the last one's
            self.controller.wait_for_surface(30000)
            self.controller.model.sharpness.finish()
        self.show_slice_title()
        return moved

    def show_slice_title(self) -> None:
        """A fit's map says where the parameters off its axes are held (they move with the run)."""
        if self.contour is not None and self.controller.kind.has_rows:
            if not hasattr(self, "slice_note"):
                self.slice_note = SliceNote(self.contour)
            self.slice_note.show(self.controller.fit.slice_text(), held_point_on_map(self.controller))

    def settle(self) -> None:
        """Let layouts and deferred redraws finish: one scene gives the same frame however busy the machine."""
        for _ in range(SETTLE_PASSES):
            QCoreApplication.processEvents()
        if self.contour is not None:
            self.contour.settle_now()
            QCoreApplication.processEvents()

    def forget_layout_history(self) -> None:
        """pyqtgraph widens an axis for the widest tick text it has drawn and narrows it only by 10 px or more,
        so an axis's width remembers the sizes the layout passed through (which depend on how busy the
        machine was): start every axis from its reserved width and draw once, so the frame depends only on
        the scene."""
        for view in self.findChildren(pg.GraphicsView):
            for item in view.scene().items():
                if isinstance(item, pg.AxisItem):
                    item.textWidth, item.textHeight = item.style["tickTextWidth"], item.style["tickTextHeight"]
                    item._updateWidth() if item.orientation in ("left", "right") else item._updateHeight()
        if self.contour is not None:
            self.contour.show_domain()   # framed again at the pane's final size
        self.settle()
        self.grab_image()   # the axes measure their tick text as they paint; the layout follows
        self.settle()

    def grab_image(self):
        """The frame in 32-bit colour whatever the screen's depth (a 16-bit X server rounds grab()'s colours)."""
        image = QImage(self.size(), QImage.Format_RGB32)
        self.render(image)
        return image

    def close_stage(self) -> None:
        self.controller.shutdown()
        if self.surface is not None:
            self.surface.teardown()
        self.close()
        self.deleteLater()
        QCoreApplication.processEvents()
