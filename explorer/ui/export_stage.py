"""The picture an export writes: the formula and the colour legend, the caption, then the 3D view and/or
the contour map, at an exact size, with text scaled to the frame (a 1920×1080 frame reads like
presentation mode). Rendered off screen: the stage is never shown on the desktop."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from explorer.session import Session
from explorer.ui.contour_view import ContourView
from explorer.ui.controller import Controller
from explorer.ui.display_bar import Legend
from explorer.ui.fit_view import FitView
from explorer.ui.fit_window import SliceNote, held_point_on_map
from explorer.ui.lens_view import LensView
from explorer.ui.loss_plot import LossPlot
from explorer.ui.lr_plot import LrPlot
from explorer.ui.slice_view import SliceView
from explorer.ui.presentation import (FORMULA_SCALE, SCALE, Caption, FormulaLabel, caption_font, header_row,
                                      normal_font, scaled_font)
from explorer.ui.surface_view import SurfaceView

SETTLE_PASSES = 3
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
    def __init__(self, scene, view: str, size: tuple[int, int], start_at_current: bool = False):
        super().__init__(None, Qt.Window)
        self.setWindowTitle("Landscape Explorer — export")
        # drawn (OpenGL included) but never mapped: an audience does not see a second window appear
        self.setAttribute(Qt.WA_DontShowOnScreen, True)
        scale = text_scale(size)
        self.setFont(scaled_font(normal_font(), scale))
        start = scene.current_step if start_at_current else 0
        # the same session model as the window: a picture from the command line is the window's picture
        self.controller = c = Controller(self, Session.from_scene(replace(scene, current_step=start)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.formula = FormulaLabel(c)
        self.formula.setFont(scaled_font(self.font(), FORMULA_SCALE))
        self.legend = Legend()
        self.legend.show_colouring(c.colouring)
        self.legend.setContentsMargins(0, 0, round(8 * scale), 0)
        layout.addWidget(header_row(self.formula, self.legend))
        self.caption = Caption(c)
        self.caption.setFont(caption_font(self.font(), 1.0))
        layout.addWidget(self.caption)
        views = QHBoxLayout()
        self.surface = SurfaceView(c) if view in ("3d", "both") else None
        self.contour = ContourView(c) if view in ("contour", "both") else None
        if self.contour is not None:
            self.contour.set_text_scale(scale)
        for widget in (self.surface, self.contour):
            if widget is not None:
                widget.setMinimumSize(32, 32)
                views.addWidget(widget, 1)
        layout.addLayout(views, 1)
        # the story below the views, as in the window: f per iteration beside f along the step
        self.loss = self.slice = self.lr_plot = None
        if view == "both":
            bottom = QHBoxLayout()
            # a field's lens takes the slice's place (a field has no f to slice along a step), a fit's data view
            self.loss = LossPlot(c)
            self.slice = LensView(c) if c.is_field else FitView(c) if c.is_fit else SliceView(c)
            self.loss.controls.setVisible(False)
            height = round(size[1] * (FIT_BOTTOM_SHARE if c.is_fit else BOTTOM_SHARE))
            column = QVBoxLayout()   # the loss plot, and under it lr per step while a run takes a schedule
            column.setSpacing(0)
            column.addWidget(self.loss)
            self.loss.setFixedHeight(height)
            if c.any_schedule():
                self.lr_plot = LrPlot(c)
                self.lr_plot.set_text_scale(scale)
                column.addWidget(self.lr_plot)
                self.lr_plot.setFixedHeight(round(LR_SHARE * height))
                self.loss.setFixedHeight(height - round(LR_SHARE * height))
            self.loss.set_text_scale(scale)
            bottom.addLayout(column, 1)
            self.slice.set_text_scale(scale)
            bottom.addWidget(self.slice, FIT_VIEW_STRETCH if c.is_fit else 1)
            layout.addLayout(bottom, 0)
            self.slice.setFixedHeight(height)
        self.setFixedSize(*size)
        c.wait_for_runs(600_000)
        if self.surface is not None:
            self.surface.set_camera(scene.camera)
        for label in (self.formula, self.caption):
            label.setVisible(True)
        self.show()
        if not c.wait_for_surface(30000):
            raise RuntimeError("the surface was not computed in time")
        self.caption.refresh()
        self.formula.refresh()
        self.show_slice_title()
        for widget in (self.loss, self.slice, self.lr_plot):
            if widget is not None:
                widget.refresh()
        self.settle()

    def step(self) -> bool:
        moved = self.controller.step()
        if moved and self.controller.is_fit:   # a slice that follows the run: this step's, not the last one's
            self.controller.wait_for_surface(30000)
        self.show_slice_title()
        return moved

    def show_slice_title(self) -> None:
        """A fit's map says where the parameters off its axes are held (they move with the run)."""
        if self.contour is not None and self.controller.is_fit:
            if not hasattr(self, "slice_note"):
                self.slice_note = SliceNote(self.contour)
            self.slice_note.show(self.controller.slice_text(), held_point_on_map(self.controller))

    def settle(self) -> None:
        for _ in range(SETTLE_PASSES):
            QCoreApplication.processEvents()

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
