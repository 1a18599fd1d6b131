"""The 3D pane on a machine without OpenGL: a note saying why it is empty, with SurfaceView's small API."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel

from explorer.ui.views.surface.gl_check import opengl_status


class SurfacePlaceholder(QLabel):
    """Stands where the 3D view would be; every call the window makes of the 3D view is harmless here."""

    notesChanged = Signal(list)   # as SurfaceView's; never emitted

    def __init__(self, controller, reason: str, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.reason = reason
        self._camera = None       # a loaded scene's camera, given back unchanged when the scene is saved
        self.setObjectName("surfacePlaceholder")
        self.setAlignment(Qt.AlignCenter)
        self.setWordWrap(True)
        self.setMargin(24)
        self.setMinimumSize(220, 200)
        self.setStyleSheet("#surfacePlaceholder { background: #f7f7f7; color: #333333; }")
        self.setText(f"<p><b>No 3D view on this machine</b></p><p>{reason}.</p>"
                     "<p>The contour map, the runs, the inspector and export work as usual; "
                     "export draws the 2-D views.</p>")
        self.setToolTip("The 3D view needs OpenGL 2.0 or later. Virtual machines, remote desktops and "
                        "QT_QPA_PLATFORM=offscreen often have none.")

    def camera(self):
        return self._camera

    def set_camera(self, camera) -> None:
        self._camera = camera

    def frame_surface(self) -> None:
        pass

    def reset_camera(self) -> None:
        pass

    def left_view_notes(self) -> list[str]:
        return []

    def redraw(self) -> None:
        pass

    def teardown(self) -> None:
        pass


def surface_view(controller, parent=None):
    """The 3D view where OpenGL works, else a placeholder that says why there is none."""
    usable, found = opengl_status()
    if usable:
        from explorer.ui.views.surface.surface_view import SurfaceView
        return SurfaceView(controller, parent)
    return SurfacePlaceholder(controller, f"OpenGL is not available: {found}", parent)
