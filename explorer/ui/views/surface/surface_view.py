"""The 3D view: the surface coloured by curvature or height, the runs' paths, and local overlays.

Display coordinates keep x and y at one scale (the longer side of the domain spans 2·HALF) and map
f to [0, HEIGHT × vertical scale]. The camera frames that box with its tick numbers
(`frame_surface`, View → Frame surface). It re-frames by itself when the box changes (domain,
vertical scale) or the pane is resized, unless the person has zoomed or panned since the last
framing; orbiting is fine, the new framing keeps their direction. A scene's saved camera is applied
exactly and kept while the scene's box is on show (resizing the pane, as presentation mode does,
leaves it alone); a scene without a camera gets the default direction, framed.
"""
from __future__ import annotations

import numpy as np
from OpenGL import GL
import pyqtgraph.opengl as gl
from pyqtgraph import Vector
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF

from explorer.core.arrow_scale import map_scale
from explorer.core.field_picture import HEIGHT_NAMES
from explorer.core.models import linear_model, quadratic_model
from explorer.ui.control.field_control import is_field_picture
from explorer.ui.views.drawing.field_palette import field_rgba
from explorer.ui.views.surface.gl_axes import AxisFrame
from explorer.ui.views.surface.gl_framing import box_corners, fitting_elevation, frame_points
from explorer.ui.views.surface.gl_shading import SurfaceMesh
from explorer.core.ticks import format_tick, height_ticks, nice_ticks
from explorer.ui.views.drawing.item_pool import match_runs
from explorer.ui.views.drawing.palette import (CLASS_COLOURS, CLASS_LINE_COLOURS, GRADIENT_COLOUR, HeightScale, class_rgba,
                                 height_rgba)
from explorer.ui.views.surface.path_geometry import DrapedPath, mesh_height
from explorer.ui.text.run_text import legend_names
from explorer.ui.views.surface.surface_marks import CurrentPoint, FrameMarks

HALF = 5.0          # the longer side of the domain is drawn 2·HALF long
HEIGHT = 6.0        # full height of the surface at vertical scale 1
FLOOR = -0.12       # the floor grid, under the lowest point of the surface by more than its depth offset
CLIP = 1000.0       # display coordinates are clipped to ±CLIP
LIFT = 0.05         # paths and overlays float this much above the mesh, and the mesh is pushed back in depth
QUADRATIC_RGBA = (0.55, 0.2, 0.75, 0.45)   # the quadratic model's patch: translucent purple
TANGENT_RGBA = (0.1, 0.1, 0.1, 0.55)       # the tangent plane's: translucent dark grey, seen on every class colour
THROUGH_SURFACE = {GL.GL_DEPTH_TEST: False, GL.GL_BLEND: True, GL.GL_CULL_FACE: False,
                   "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA)}
SHORTEST_ARROW = 0.004   # a −∇f arrow shorter than this much of the domain's smaller side is not drawn
FOV = 40.0          # degrees across the pane: little perspective distortion, still a sense of depth
DEFAULT_DIRECTION = (38.0, -60.0)     # elevation, azimuth: high enough to see paths in valleys
STEEPEST_DEFAULT = 68.0                # a tall pane looks down more steeply (up to this) to fill its height
FRAME_MARGIN_EM = (3.0, 3.0, 1.6, 2.8)   # room for numbers and names (left, right, top, bottom), in label heights


def _rgba(code) -> tuple:
    return (*(v / 255 for v in CLASS_COLOURS[code][1]), 1.0)


class SurfaceView(gl.GLViewWidget):
    notesChanged = Signal(list)    # left_view_notes() changed

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setBackgroundColor(QColor("#f7f7f7"))
        self.setFocusPolicy(Qt.ClickFocus)  # a click takes focus from the editor, so shortcuts reach the window
        self.setMinimumSize(320, 240)
        self.opts["fov"] = FOV
        self.setCameraPosition(distance=30, elevation=DEFAULT_DIRECTION[0], azimuth=DEFAULT_DIRECTION[1])
        self.scale: HeightScale | None = None
        self.shown_map = None  # the CurvatureMap on screen
        self._map = (0.0, 0.0, 1.0)           # display = (x − xc)·s, (y − yc)·s
        self._box = (HALF, HALF, FLOOR, HEIGHT)
        self._mesh = None                     # (x, y, display heights) of the drawn surface
        self._drapes: list[DrapedPath] = []   # each run's path as drawn, grown step by step
        self._pinned = None         # the box of the scene whose camera is on show: kept while it is drawn
        self._reference = None      # the placement (distance, centre) set by the last framing or scene
        self._exact_center = None   # the centre a scene asked for, in full precision
        self._default_direction = self._direction()   # (elevation, azimuth) while it looks the default way
        self.surface = SurfaceMesh()
        self.surface.setVisible(False)  # an empty mesh cannot be drawn: shown once it has data
        self.addItem(self.surface)
        self.axes = AxisFrame(self)
        self.marks = FrameMarks(self)
        self.paths: list[tuple[gl.GLLinePlotItem, gl.GLScatterPlotItem]] = []
        self.gradient = gl.GLLinePlotItem(width=4, antialias=False, color=QColor(GRADIENT_COLOUR).getRgbF(),
                                          mode="lines", glOptions="translucent")
        self.eigen = [gl.GLLinePlotItem(width=4, antialias=False, mode="lines", glOptions="translucent")
                      for _ in range(2)]
        self.patch = gl.GLSurfacePlotItem(shader=None, smooth=True, glOptions="translucent")
        # the linear model: drawn through the surface (no depth test), since under a bowl it would be hidden
        self.tangent = gl.GLSurfacePlotItem(shader=None, smooth=True, glOptions=THROUGH_SURFACE)
        for item in (self.gradient, *self.eigen, self.patch, self.tangent):
            item.setVisible(False)
            self.addItem(item)
        controller.surfaceChanged.connect(self.draw_surface)
        controller.displayChanged.connect(self.redraw)
        controller.pathsChanged.connect(self.draw_runs)   # runs, timeline or selection: one redraw

    # ---------------------------------------------------------------- camera
    def camera(self):
        from explorer.core.scene import Camera
        o = self.opts
        center = (float(o["center"].x()), float(o["center"].y()), float(o["center"].z()))
        if self._exact_center is not None and np.array_equal(np.float32(self._exact_center), np.float32(center)):
            center = self._exact_center    # Qt keeps the centre in float32: give back what the scene said
        return Camera(float(o["distance"]), float(o["elevation"]), float(o["azimuth"]), center)

    def set_camera(self, camera) -> None:
        """A scene's camera, exactly as saved; None (a scene without one): the default view, framed."""
        if camera is None:
            self.reset_camera()
            return
        self.opts["center"] = Vector(*camera.center)
        self.setCameraPosition(distance=camera.distance, elevation=camera.elevation, azimuth=camera.azimuth)
        self._default_direction = None
        c = self.controller   # already holds the scene: its box is the one this camera was saved with
        self._pinned = self._box_of(c.x_range, c.y_range, c.vertical_scale)
        self._reference = self._placement()
        self._exact_center = tuple(float(v) for v in camera.center)

    def frame_surface(self) -> None:
        """Fit the surface's box and its numbers to the pane, keeping the direction (View → Frame surface).

        The default direction (not one the person turned to) also adapts its elevation to the pane's
        shape: steeper in a tall pane, so the surface fills its height as well as its width."""
        hx, hy, floor, top = self._box
        em = QFontMetricsF(self.axes.font(self.font(), self.width(), self.height())).height()
        corners, margins = box_corners((-hx, -hy, floor), (hx, hy, top)), tuple(m * em for m in FRAME_MARGIN_EM)
        if self._default_direction is not None and self._default_direction == self._direction():
            elevation = fitting_elevation(corners, np.arange(DEFAULT_DIRECTION[0], STEEPEST_DEFAULT + 0.1, 5.0),
                                          DEFAULT_DIRECTION[1], self.opts["fov"], self.width(), self.height(),
                                          margins)
            self.setCameraPosition(elevation=elevation)
            self._default_direction = self._direction()
        center, distance = frame_points(corners, self.opts["elevation"], self.opts["azimuth"], self.opts["fov"],
                                        self.width(), self.height(), margins)
        self.opts["center"] = Vector(*center)
        self.setCameraPosition(distance=distance)
        self._pinned, self._reference = None, self._placement()

    def reset_camera(self) -> None:
        """The default viewing direction, framed."""
        self.setCameraPosition(elevation=DEFAULT_DIRECTION[0], azimuth=DEFAULT_DIRECTION[1])
        self._default_direction = self._direction()
        self.frame_surface()

    def _direction(self) -> tuple[float, float]:
        return float(self.opts["elevation"]), float(self.opts["azimuth"])

    def _placement(self) -> tuple[float, float, float, float]:
        c = self.opts["center"]
        return float(self.opts["distance"]), float(c.x()), float(c.y()), float(c.z())

    @staticmethod
    def _box_of(x_range, y_range, vertical_scale) -> tuple[float, float, float, float]:
        """(hx, hy, floor, top): the display box of a domain at a vertical scale."""
        (x0, x1), (y0, y1) = x_range, y_range
        s = 2 * HALF / max(x1 - x0, y1 - y0)
        return 0.5 * (x1 - x0) * s, 0.5 * (y1 - y0) * s, FLOOR, HEIGHT * vertical_scale

    def _frame_if_following(self) -> None:
        """Re-frame unless the person zoomed or panned since, or a scene's camera shows its own box."""
        c = self.controller   # the box asked for now (the one drawn may be an older one, still in use)
        if self._pinned is not None and np.allclose(self._pinned, self._box_of(c.x_range, c.y_range,
                                                                               c.vertical_scale)):
            return
        self._pinned = None
        if self._reference is None or np.allclose(self._placement(), self._reference, rtol=1e-9, atol=1e-12):
            self.frame_surface()

    def resizeGL(self, w, h):
        super().resizeGL(w, h)
        self._frame_if_following()

    # ---------------------------------------------------------------- coordinates
    def to_display(self, x, y, z) -> np.ndarray:
        xc, yc, s = self._map
        dx = (np.asarray(x, float) - xc) * s
        dy = (np.asarray(y, float) - yc) * s
        dz = HEIGHT * self.controller.vertical_scale * self.scale(z) if self.scale else np.zeros_like(dx)
        # a diverging run can leave the domain by 1e50: keep what GL gets within float32 and view
        return np.clip(np.stack(np.broadcast_arrays(dx, dy, dz), axis=-1), -CLIP, CLIP)

    def _on_mesh(self, xy) -> np.ndarray:
        """(…, 2) points in the domain -> (…, 3) display points on the drawn mesh, lifted."""
        xs, ys, heights = self._mesh
        xc, yc, s = self._map
        xy = np.asarray(xy, float)
        z = mesh_height(xy, xs, ys, heights) + LIFT
        return np.concatenate([(xy[..., :1] - xc) * s, (xy[..., 1:] - yc) * s, z[..., None]], axis=-1)

    # ---------------------------------------------------------------- drawing
    def redraw(self):
        if self.controller.cmap is not None:
            self.draw_surface(self.controller.cmap)

    def draw_surface(self, cmap):
        c = self.controller
        (x0, x1), (y0, y1) = (cmap.x[0], cmap.x[-1]), (cmap.y[0], cmap.y[-1])   # the domain drawn
        s = 2 * HALF / max(x1 - x0, y1 - y0)
        self._map = (0.5 * (x0 + x1), 0.5 * (y0 + y1), s)
        self._box = self._box_of((x0, x1), (y0, y1), c.vertical_scale)
        top = self._box[3]
        field = is_field_picture(cmap)   # a field raises |F|, u or v, coloured as its map
        z = cmap.height(c.field.height) if field else cmap.z
        self.scale = HeightScale(z, c.log_scale)
        level = self.scale(z)
        if field:
            colours = field_rgba(cmap, c.colouring)
        else:
            colours = height_rgba(level) if c.colouring == "height" else class_rgba(cmap.classes)
        colours[~np.isfinite(level)] = _rgba(-1)
        self.axes.height_name = HEIGHT_NAMES[c.field.height] if field else c.kind.value_name
        self.axes.axis_names = c.axis_names
        heights = top * np.nan_to_num(level, nan=0.0, posinf=1.0, neginf=0.0).astype(np.float32)
        xd, yd = ((cmap.x - self._map[0]) * s).astype(np.float32), ((cmap.y - self._map[1]) * s).astype(np.float32)
        self.surface.set_surface(xd, yd, heights, colours.reshape(-1, 4))
        self.surface.setVisible(True)
        self._mesh = (cmap.x, cmap.y, heights.astype(float))
        self.shown_map = cmap
        self._set_ticks((x0, x1), (y0, y1))
        self._frame_if_following()
        self.draw_runs()

    def _set_ticks(self, x_range, y_range) -> None:
        xc, yc, s = self._map
        ticks = []
        for (lo, hi), centre in ((x_range, xc), (y_range, yc)):
            values, step = nice_ticks(lo, hi, 5)
            ticks.append([(float(v), (v - centre) * s, format_tick(v, step)) for v in values])
        f_values = height_ticks(self.scale.zmin, self.scale.zmax, self.scale)
        f_step = np.min(np.diff(f_values)) if len(f_values) > 1 else abs(f_values[0]) if f_values else 1.0
        top = self._box[3]
        f_ticks = [(v, top * float(self.scale(v)), format_tick(v, f_step if not self.scale.log else abs(v) or 1.0))
                   for v in f_values]
        self.axes.set_axes(self._box, *ticks, f_ticks)

    def draw_runs(self, *_):
        c = self.controller
        if c.staging.later(self.draw_runs, self._hide_runs):
            return   # a big scene opening: its runs are drawn on a turn of their own
        match_runs(self.paths, len(c.runs), self._path_items, self.addItem, self.removeItem)
        if self._mesh is None:
            return
        xs, ys = self._mesh[0], self._mesh[1]
        domain = ((xs[0], xs[-1]), (ys[0], ys[-1]))
        cell = min(xs[1] - xs[0], ys[1] - ys[0])
        notes, exits = [], []
        names = legend_names(c.configs)   # one name per run everywhere: the legend's, the caption's
        drapes = []
        for i, (run, config, (line, dot)) in enumerate(zip(c.runs, c.configs, self.paths)):
            path = c.plane(run.shown_path())   # a view into the run's arrays; a fit's: its axis parameters
            draped = self._draped_path(i, run, domain, cell)
            drapes.append(draped)
            vertices, alpha, clipped = draped.show(path)   # only the steps new since the last frame are worked on
            colour = QColor(config.colour).getRgbF()
            if len(vertices):
                colours = np.empty((len(vertices), 4), np.float32)
                colours[:] = colour
                colours[:, 3] *= alpha
                line.setData(pos=vertices, color=colours)
            line.setVisible(bool(len(vertices)))
            if clipped.end_inside:
                dot.setData(pos=self._on_mesh(path[-1:]), color=np.array([colour]),
                            size=18 if run is c.selected_run() else 13)
            dot.setVisible(clipped.end_inside)
            name = names[i]
            if not clipped.start_inside:
                notes.append(f"{name} starts outside the view")
            elif clipped.first_exit is not None:
                back = f", back at step {clipped.returns[-1]}" if clipped.end_inside and clipped.returns else ""
                notes.append(f"{name} left the view at step {clipped.first_exit}{back}")
            exits += [(self._on_mesh(p), config.colour, step) for step, p in clipped.exits]
        self._drapes = drapes
        if not np.allclose(domain, (c.x_range, c.y_range)):
            notes, exits = [], []   # the surface of another domain is still on show: no false "left the view"
        self.marks.exits = exits
        if notes != self.marks.notes:
            self.marks.notes = notes
            self.notesChanged.emit(list(notes))
        self.draw_overlays()

    def _draped_path(self, i: int, run, domain, cell) -> DrapedPath:
        """Run i's DrapedPath: kept while the run, the mesh and the map are the ones it was made for."""
        old = self._drapes[i] if i < len(self._drapes) else None
        key = (domain, cell, self._map)
        if old is not None and old.source is run.states and old.key == key and old.mesh is self._mesh:
            return old
        draped = DrapedPath(run.states, domain, cell, self._on_mesh)
        draped.key, draped.mesh = key, self._mesh
        return draped

    def left_view_notes(self) -> list[str]:
        """One line per run whose shown path has left the domain ('gd left the view at step 14')."""
        return list(self.marks.notes)

    def _hide_runs(self) -> None:
        for line, dot in self.paths:
            line.setVisible(False)
            dot.setVisible(False)
        self.marks.exits = []   # crosses where the hidden paths left the box
        self.update()

    @staticmethod
    def _path_items():
        dot = CurrentPoint(size=16, pxMode=True, glOptions="translucent")   # drawn whole where it is seen
        line = gl.GLLinePlotItem(width=4, antialias=False, mode="line_strip", glOptions="translucent")
        return line, dot

    def _clipped_line(self, item, pts) -> bool:
        """Give `item` the pieces of the polyline `pts` that lie in the box, laid on the mesh where
        they would pass under it (depth would hide them); False if nothing is left."""
        hx, hy, floor, top = self._box
        xc, yc, s = self._map
        ground = mesh_height(np.stack([pts[:, 0] / s + xc, pts[:, 1] / s + yc], axis=-1), *self._mesh) + LIFT
        pts = np.column_stack([pts[:, :2], np.maximum(pts[:, 2], ground)])
        ok = (np.abs(pts[:, 0]) <= hx * 1.0001) & (np.abs(pts[:, 1]) <= hy * 1.0001) & (pts[:, 2] <= top * 1.05)
        keep = ok[:-1] & ok[1:]
        if keep.any():
            item.setData(pos=np.stack([pts[:-1][keep], pts[1:][keep]], axis=1).reshape(-1, 3))
        return bool(keep.any())

    def draw_overlays(self):
        c = self.controller
        a = c.lessons.analysis() if self.scale is not None else None
        show = a is not None and np.isfinite(a.value) and np.all(np.isfinite(a.hessian))
        side = min(c.x_range[1] - c.x_range[0], c.y_range[1] - c.y_range[0])
        radius = 0.12 * side
        drawn = {"gradient": False, "eigen": [False, False]}
        if show:
            p, g = a.point, a.gradient
            linear, quadratic = linear_model(a), quadratic_model(a)   # the core's Taylor models

            def model(d, quadratic_term=True):
                return (quadratic if quadratic_term else linear)(d[..., 0], d[..., 1])

            t = np.linspace(0, 1, 12)[:, None]
            scale = map_scale(c.cmap)   # the map's: the arrow is s·(−∇f), its key states s
            if scale * np.linalg.norm(g) > SHORTEST_ARROW * side:   # −∇f, steepest descent, as on the map
                d = -t * scale * g
                pts = self.to_display(p[0] + d[:, 0], p[1] + d[:, 1], model(d, quadratic_term=False))
                pts[:, 2] += LIFT
                drawn["gradient"] = self._clipped_line(self.gradient, pts)
            s = np.linspace(-1, 1, 21)[:, None]
            for k, (item, lam, v) in enumerate(zip(self.eigen, a.eigenvalues, a.eigenvectors.T)):
                d = s * radius * v
                pts = self.to_display(p[0] + d[:, 0], p[1] + d[:, 1], model(d))
                pts[:, 2] += LIFT
                code = 1 if lam > 0 else 2 if lam < 0 else 0
                item.setData(color=QColor(CLASS_LINE_COLOURS[code]).getRgbF())   # dark: seen on the pale classes
                drawn["eigen"][k] = self._clipped_line(item, pts)
            u = np.linspace(-radius, radius, 15)
            D = np.stack(np.meshgrid(u, u, indexing="ij"), axis=-1)
            pts = self.to_display(p[0] + D[..., 0], p[1] + D[..., 1], model(D))
            self._set_patch(self.patch, pts, QUADRATIC_RGBA)
            # the tangent plane z = f(x₀) + ∇f·(x − x₀) on the same square: where it and the patch part is H's doing
            pts = self.to_display(p[0] + D[..., 0], p[1] + D[..., 1], model(D, quadratic_term=False))
            self._set_patch(self.tangent, pts, TANGENT_RGBA)
        self.gradient.setVisible(show and c.overlays["gradient"] and drawn["gradient"])
        for item, ok in zip(self.eigen, drawn["eigen"]):
            item.setVisible(show and c.overlays["eigenvectors"] and ok)
        self.patch.setVisible(show and c.overlays["quadratic_model"])
        self.tangent.setVisible(show and c.overlays["tangent_plane"])

    def _set_patch(self, item, pts, rgba) -> None:
        """A model's patch (quadratic or tangent plane), transparent where it leaves the box."""
        hx, hy, floor, top = self._box
        x, y, z = pts[:, 0, 0], pts[0, :, 1], pts[..., 2]
        colours = np.tile(rgba, (*z.shape, 1))
        out = (np.abs(x)[:, None] > hx) | (np.abs(y)[None, :] > hy) | (z < floor) | (z > top * 1.05)
        colours[out, 3] = 0.0
        item.setData(x=x, y=y, z=np.clip(z, floor, top * 1.05) + LIFT, colors=colours.reshape(-1, 4))

    # ---------------------------------------------------------------- numbers and marks over the frame
    def tick_labels(self) -> dict[str, list[tuple[float, str]]]:
        """The tick values and their texts on x, y and f, in the function's own units."""
        return self.axes.labels()

    def project(self, points, depth=False) -> np.ndarray:
        """(n, 3) display points -> (n, 2) widget pixels for the current camera (nan behind it);
        with `depth`, (n, 3) with the window depth in [0, 1] that the depth buffer holds."""
        region = self.getViewport()
        mvp = self.projectionMatrix(region, region) * self.viewMatrix()
        m = np.array(mvp.data(), dtype=float).reshape(4, 4).T
        p = np.column_stack([np.asarray(points, float).reshape(-1, 3), np.ones(len(points))]) @ m.T
        with np.errstate(divide="ignore", invalid="ignore"):
            ndc = p[:, :3] / p[:, 3:]
        px = np.column_stack([(ndc[:, 0] + 1) * 0.5 * region[2], (1 - ndc[:, 1]) * 0.5 * region[3],
                              (ndc[:, 2] + 1) * 0.5])
        px[p[:, 3] <= 0] = np.nan
        return px if depth else px[:, :2]

    def paintGL(self):
        self.frame = getattr(self, "frame", 0) + 1   # the current-point dots read the depth buffer once a frame
        super().paintGL()
        if self.surface.visible():
            self.marks.paint()

    def teardown(self):
        """Remove GL items explicitly: left to interpreter shutdown they can crash it."""
        for item in list(self.items):
            self.removeItem(item)
