"""The 3D view: the surface coloured by curvature or height, the runs' paths, and local overlays."""
from __future__ import annotations

import numpy as np
import pyqtgraph.opengl as gl
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from explorer.ui.item_pool import match_runs
from explorer.ui.palette import CLASS_COLOURS, HeightScale, class_rgba, height_rgba

HALF = 5.0      # the domain is drawn as the square [-HALF, HALF]²
HEIGHT = 5.0    # full height of the surface at vertical scale 1
CLIP = 1000.0   # display coordinates are clipped to ±CLIP
LIFT = 0.04     # paths float this much above the surface so they are never hidden in it


class SurfaceView(gl.GLViewWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setBackgroundColor(QColor("#f7f7f7"))
        self.setFocusPolicy(Qt.ClickFocus)  # a click takes focus from the editor, so shortcuts reach the window
        self.setMinimumSize(320, 240)
        self.setCameraPosition(distance=23, elevation=30, azimuth=-60)
        self.opts["center"] = self._vec(0, 0, HEIGHT * 0.3)
        self.scale: HeightScale | None = None
        self.shown_map = None  # the CurvatureMap on screen
        self.surface = gl.GLSurfacePlotItem(shader="shaded", smooth=False, computeNormals=True)
        self.surface.setVisible(False)  # an empty mesh cannot be drawn: shown once it has data
        self.addItem(self.surface)
        self._axes()
        self.paths: list[tuple[gl.GLLinePlotItem, gl.GLScatterPlotItem]] = []
        self.gradient = gl.GLLinePlotItem(width=4, antialias=True, color=(0.85, 0.1, 0.1, 1))
        self.eigen = [gl.GLLinePlotItem(width=4, antialias=True) for _ in range(2)]
        self.patch = gl.GLSurfacePlotItem(shader=None, smooth=True, glOptions="translucent")
        for item in (self.gradient, *self.eigen, self.patch):
            item.setVisible(False)
            self.addItem(item)
        controller.surfaceChanged.connect(self.draw_surface)
        controller.displayChanged.connect(self.redraw)
        controller.runsChanged.connect(self.draw_runs)
        controller.stepped.connect(self.draw_runs)
        controller.selectionChanged.connect(self.draw_runs)

    @staticmethod
    def _vec(x, y, z):
        from pyqtgraph import Vector
        return Vector(x, y, z)

    def _axes(self):
        grid = gl.GLGridItem(color=(0, 0, 0, 60))
        grid.setSize(2 * HALF, 2 * HALF)
        grid.setSpacing(HALF / 5, HALF / 5)
        self.addItem(grid)
        font = QFont("Sans", 16, QFont.Bold)
        for end, label in (((HALF + 0.8, -HALF, 0), "x"), ((-HALF, HALF + 0.8, 0), "y"), ((-HALF, -HALF, HEIGHT + 0.6), "f")):
            start = np.array([-HALF, -HALF, 0.0])
            line = gl.GLLinePlotItem(pos=np.array([start, end]), color=(0.1, 0.1, 0.1, 1), width=2, antialias=True)
            self.addItem(line)
            self.addItem(gl.GLTextItem(pos=np.array(end), text=label, color=QColor("#111111"), font=font))

    def camera(self):
        from explorer.core.scene import Camera
        o = self.opts
        return Camera(float(o["distance"]), float(o["elevation"]), float(o["azimuth"]),
                      (float(o["center"].x()), float(o["center"].y()), float(o["center"].z())))

    def set_camera(self, camera) -> None:
        if camera is not None:
            self.opts["center"] = self._vec(*camera.center)
            self.setCameraPosition(distance=camera.distance, elevation=camera.elevation, azimuth=camera.azimuth)

    # ---------------------------------------------------------------- coordinates
    def to_display(self, x, y, z) -> np.ndarray:
        c = self.controller
        (x0, x1), (y0, y1) = c.x_range, c.y_range
        dx = (np.asarray(x, float) - 0.5 * (x0 + x1)) * (2 * HALF / (x1 - x0))
        dy = (np.asarray(y, float) - 0.5 * (y0 + y1)) * (2 * HALF / (y1 - y0))
        dz = HEIGHT * c.vertical_scale * self.scale(z) if self.scale else np.zeros_like(dx)
        # a diverging run can leave the domain by 1e50: keep what GL gets within float32 and view
        return np.clip(np.stack(np.broadcast_arrays(dx, dy, dz), axis=-1), -CLIP, CLIP)

    # ---------------------------------------------------------------- drawing
    def redraw(self):
        if self.controller.cmap is not None:
            self.draw_surface(self.controller.cmap)

    def draw_surface(self, cmap):
        c = self.controller
        self.scale = HeightScale(cmap.z, c.log_scale)
        height = self.scale(cmap.z)
        if c.colouring == "height":
            colours = height_rgba(height)
        else:
            colours = class_rgba(cmap.classes)
        colours[~np.isfinite(height)] = (*(v / 255 for v in CLASS_COLOURS[-1][1]), 1.0)
        pts = self.to_display(cmap.x[:, None], cmap.y[None, :], np.nan_to_num(cmap.z, nan=self.scale.zmin,
                                                                             posinf=self.scale.zmax,
                                                                             neginf=self.scale.zmin))
        self.surface.setData(x=pts[:, 0, 0], y=pts[0, :, 1], z=pts[..., 2], colors=colours.reshape(-1, 4))
        self.surface.setVisible(True)
        self.shown_map = cmap
        self.draw_runs()

    def draw_runs(self, *_):
        c = self.controller
        match_runs(self.paths, len(c.runs), self._path_items, self.addItem, self.removeItem)
        if self.scale is None:
            return
        for run, config, (line, dot) in zip(c.runs, c.configs, self.paths):
            states = run.states[:run.position + 1]
            path = np.array([s.point for s in states])
            pts = self.to_display(path[:, 0], path[:, 1], np.array([s.value for s in states]))
            pts[:, 2] += LIFT
            colour = QColor(config.colour).getRgbF()
            line.setData(pos=pts, color=colour)
            dot.setData(pos=pts[-1:], color=np.array([colour]), size=18 if run is c.selected_run() else 13)
        self.draw_overlays()

    @staticmethod
    def _path_items():
        dot = gl.GLScatterPlotItem(size=16, pxMode=True)
        dot.setGLOptions("translucent")
        return gl.GLLinePlotItem(width=4, antialias=True, mode="line_strip"), dot

    def draw_overlays(self):
        c = self.controller
        a = c.analysis() if self.scale is not None else None
        show = a is not None and np.isfinite(a.value) and np.all(np.isfinite(a.hessian))
        radius = 0.12 * min(c.x_range[1] - c.x_range[0], c.y_range[1] - c.y_range[0])
        if show:
            p, f, g, h = a.point, a.value, a.gradient, a.hessian

            def model(d, quadratic=True):   # f + g·d (+ ½ dᵀHd): the local Taylor models
                q = f + d @ g
                return q + 0.5 * np.einsum("...i,ij,...j->...", d, h, d) if quadratic else q

            t = np.linspace(0, 1, 12)[:, None]
            norm = np.linalg.norm(g)
            if norm > 0:
                d = t * radius * g / norm
                pts = self.to_display(p[0] + d[:, 0], p[1] + d[:, 1], model(d, quadratic=False))
                pts[:, 2] += LIFT
                self.gradient.setData(pos=pts)
            s = np.linspace(-1, 1, 21)[:, None]
            for item, lam, v in zip(self.eigen, a.eigenvalues, a.eigenvectors.T):
                d = s * radius * v
                pts = self.to_display(p[0] + d[:, 0], p[1] + d[:, 1], model(d))
                pts[:, 2] += LIFT
                code = 1 if lam > 0 else 2 if lam < 0 else 0
                item.setData(pos=pts, color=(*(v / 255 for v in CLASS_COLOURS[code][1]), 1.0))
            u = np.linspace(-radius, radius, 15)
            D = np.stack(np.meshgrid(u, u, indexing="ij"), axis=-1)
            pts = self.to_display(p[0] + D[..., 0], p[1] + D[..., 1], model(D))
            self.patch.setData(x=pts[:, 0, 0], y=pts[0, :, 1], z=pts[..., 2] + LIFT,
                               colors=np.tile([0.55, 0.2, 0.75, 0.45], (D.shape[0] * D.shape[1], 1)))
        self.gradient.setVisible(show and c.overlays["gradient"] and np.linalg.norm(a.gradient) > 0)
        for item in self.eigen:
            item.setVisible(show and c.overlays["eigenvectors"])
        self.patch.setVisible(show and c.overlays["quadratic_model"])

    def teardown(self):
        """Remove GL items explicitly: left to interpreter shutdown they can crash it."""
        for item in list(self.items):
            self.removeItem(item)
