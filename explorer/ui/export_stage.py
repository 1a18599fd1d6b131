"""A window of its own for exports: caption plus 3D view and/or contour map at an exact size."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from explorer.session import Session
from explorer.ui.contour_view import ContourView
from explorer.ui.controller import Controller
from explorer.ui.presentation import Caption, caption_font
from explorer.ui.surface_view import SurfaceView

SETTLE_PASSES = 3


class ExportStage(QWidget):
    def __init__(self, scene, view: str, size: tuple[int, int], start_at_current: bool = False):
        super().__init__(None, Qt.Window)
        self.setWindowTitle("Landscape Explorer — export")
        start = scene.current_step if start_at_current else 0
        # the same session model as the window: a picture from the command line is the window's picture
        self.controller = c = Controller(self, Session.from_scene(replace(scene, current_step=start)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.caption = Caption(c)
        self.caption.setFont(caption_font(self.font(), size[1] / 720))
        layout.addWidget(self.caption)
        views = QHBoxLayout()
        self.surface = SurfaceView(c) if view in ("3d", "both") else None
        self.contour = ContourView(c) if view in ("contour", "both") else None
        for widget in (self.surface, self.contour):
            if widget is not None:
                widget.setMinimumSize(32, 32)
                views.addWidget(widget, 1)
        layout.addLayout(views, 1)
        self.setFixedSize(*size)
        c.wait_for_runs(600_000)
        if self.surface is not None:
            self.surface.set_camera(scene.camera)
        self.caption.setVisible(True)
        self.show()
        if not c.wait_for_surface(30000):
            raise RuntimeError("the surface was not computed in time")
        self.caption.refresh()
        self.settle()

    def step(self) -> bool:
        return self.controller.step()

    def settle(self) -> None:
        for _ in range(SETTLE_PASSES):
            QCoreApplication.processEvents()

    def grab_image(self):
        return self.grab().toImage()

    def close_stage(self) -> None:
        self.controller.shutdown()
        if self.surface is not None:
            self.surface.teardown()
        self.close()
        self.deleteLater()
        QCoreApplication.processEvents()
