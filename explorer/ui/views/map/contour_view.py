"""The contour map: curvature (or height) colours underneath, level lines on top, runs' paths and the local
overlays at the selected point; click sets the start.

x and y share one scale by default (the domain letter-boxed in the pane, so a level set of x² + 10y²
is an ellipse with axis ratio √10); `set_true_scale(False)` stretches the domain to fill the pane.
Wheel: zoom · drag: pan · right-click → View All: the whole domain again. Beyond the domain nothing
was computed: that is hatched, and the domain has a border.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QAction, QBrush, QColor, QFont
from PySide6.QtWidgets import QGraphicsItem

from explorer.core.arrow_scale import map_scale
from explorer.ui.views.map.batch_overlay import BatchLines
from explorer.ui.views.map.colour_bar import colour_bars, map_rgba, place_colour_bar
from explorer.ui.control.field_control import is_field_picture
from explorer.ui.views.map.field_map import FieldMapLayer
from explorer.ui.views.drawing.field_palette import MAGNITUDE_NAMES, field_rgba_ubyte, magnitude_scale
from explorer.ui.views.drawing.axis_numbers import NumberAxis
from explorer.ui.views.drawing.item_pool import match_runs
from explorer.ui.views.map.level_lines import LevelLines
from explorer.ui.views.map.map_overlays import MapOverlays
from explorer.ui.views.map.method_state_overlay import MethodStateOverlay
from explorer.ui.views.map.start_handle import StartHandle
from explorer.ui.views.drawing.path_thinning import ThinnedPath
from explorer.ui.views.drawing.palette import (DOMAIN_BORDER, OUTSIDE_BACKGROUND, OUTSIDE_HATCH, HeightScale, casing,
                                               run_styles)

THIN_PX = 0.5          # a path's points closer than this many pixels to the last one drawn are left out
FAR = 1e4              # path vertices are kept within FAR domain sizes of its centre: Qt cannot draw 1e300
DOMAIN_PADDING = 0.02
RESIZE_SETTLE_MS = 150
TICK_PT, AXIS_NAME_PT = 12, 14
ARROW = 0.15           # the longer eigen axis' half: this much of the smaller side shown
ARROW_PX = 50          # but at least this many pixels long
LENS_HANDLE_PX = 12    # a click this close to the lens's centre is on its handle


class ContourView(pg.PlotWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent, background=OUTSIDE_BACKGROUND,
                         axisItems={side: NumberAxis(side) for side in ("left", "bottom")})   # −1, not -1
        self.controller = controller
        self.setFocusPolicy(Qt.ClickFocus)
        self.setMinimumSize(280, 240)
        self.true_scale = True
        self.setAspectLocked(True, ratio=1)
        plot = self.getPlotItem()
        plot.vb.setBackgroundColor(QBrush(QColor(OUTSIDE_HATCH), Qt.BDiagPattern))   # nothing computed here
        self.text_scale = 1.0
        self.tick_font = QFont("Sans", TICK_PT)
        for side in ("left", "bottom"):
            axis = self.getAxis(side)
            axis.setTickFont(self.tick_font)
            axis.setPen("#222222")
            axis.setTextPen("#222222")
            axis.enableAutoSIPrefix(False)
            # cached as pixmaps: the axes and the image change only with the surface, not with a step
            axis.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self._name_axes()
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.image.setZValue(-100)
        self.addItem(self.image)
        self.border = pg.PlotCurveItem(pen=pg.mkPen(DOMAIN_BORDER, width=1.5))
        self.border.setZValue(-1)
        self.addItem(self.border)
        self.levels = LevelLines(self)
        self.overlays = MapOverlays(self)
        self.method_state = MethodStateOverlay(self)   # the selected run's method state (issue 27's x-ray)
        self._method_state = None
        self.batch = BatchLines(self)   # a mini-batched run's: its batch's level lines and the key
        self._batch_gradient = None
        # the colour bar of heights goes where the letter-box leaves room: beside the map or under it
        self.colour_bars = colour_bars(self.tick_font)
        self.colour_bar = self.colour_bars["vertical"]
        self.height_scale: HeightScale | None = None
        self.start_marker = pg.ScatterPlotItem(size=16, symbol="+", pen=pg.mkPen("#000000", width=3))
        self.start_marker.setZValue(30)
        self.addItem(self.start_marker, ignoreBounds=True)
        self.start_handle = StartHandle(self, controller)   # the selected run's start, dragged
        self.paths: list[tuple[pg.PlotCurveItem, pg.ScatterPlotItem]] = []
        self._thin: list[ThinnedPath] = []   # each run's points worth drawing at this pixel size
        self._runs_hidden = False   # the paths of the last scene, hidden while a big one opens
        self._domain = None
        self._analysis = None
        self.setToolTip("Click: the selected run starts there · Shift+click: every run starts there\n"
                        "A field: Ctrl+click (or drag the lens's centre) puts the Jacobian lens there\n"
                        "Wheel: zoom · drag: pan · right-click: View All (the whole domain), true scale, labels")
        self.field = FieldMapLayer(self, lambda x, y: controller.field.set_lens(x, y), controller.seal)
        self.lens_tool = False   # when on, a plain click puts the lens there (View → Lens follows clicks)
        self.true_scale_action = QAction("Contour map at &true scale", self, checkable=True, checked=True)
        self.true_scale_action.setToolTip("One scale for x and y (the domain letter-boxed); off: fill the pane")
        self.true_scale_action.toggled.connect(self.set_true_scale)
        self.labels_action = QAction("&Label level lines", self, checkable=True, checked=True)
        self.labels_action.toggled.connect(self.set_labels)
        menu = plot.vb.menu
        menu.addSeparator()
        menu.addAction(self.true_scale_action)
        menu.addAction(self.labels_action)
        self.batch_action = QAction("Level lines of this step's &batch", self, checkable=True, checked=True)
        self.batch_action.setToolTip("A mini-batched run: the loss of the batch its next step uses, dashed")
        self.batch_action.toggled.connect(self.set_batch_lines)
        menu.addAction(self.batch_action)
        self._settle = QTimer(self, singleShot=True, interval=RESIZE_SETTLE_MS)
        self._settle.timeout.connect(self._view_changed)
        self.scene().sigMouseClicked.connect(self._clicked)
        plot.vb.sigRangeChanged.connect(self._range_changed)
        controller.surfaceChanged.connect(self.draw_surface)
        controller.displayChanged.connect(self.redraw)
        controller.pathsChanged.connect(self.draw_runs)   # runs, timeline or selection: one redraw
        controller.lensChanged.connect(self.draw_lens)

    # ---------------------------------------------------------------- scale and range
    def set_true_scale(self, on: bool) -> None:
        """One scale for x and y (default), or the domain stretched to fill the pane."""
        self.true_scale = bool(on)
        if self.true_scale_action.isChecked() != self.true_scale:
            self.true_scale_action.setChecked(self.true_scale)   # toggles back into here once
            return
        self.setAspectLocked(self.true_scale, ratio=1)
        self.show_domain()

    def set_labels(self, on: bool) -> None:
        """Write the values of a few level lines on them, or not."""
        self.levels.labelled = bool(on)
        if self.labels_action.isChecked() != self.levels.labelled:
            self.labels_action.setChecked(self.levels.labelled)
            return
        self.levels.place_labels(self.pixel_size())

    def set_batch_lines(self, on: bool) -> None:
        """Draw the shown step's batch-loss level lines (a mini-batched run), or not."""
        self.batch.wanted = bool(on)
        self.draw_batch()

    def set_text_scale(self, scale: float) -> None:
        """Every text on the map (ticks, axis names, level values, λ, colour bar) `scale`× its normal size:
        for presentation mode and big exports."""
        self.text_scale = float(scale)
        self.tick_font = QFont("Sans")
        self.tick_font.setPointSizeF(TICK_PT * self.text_scale)
        for axis in (self.getAxis("left"), self.getAxis("bottom"), *(bar.axis for bar in self.colour_bars.values())):
            axis.setTickFont(self.tick_font)
        self._name_axes()
        self.levels.set_text_scale(self.text_scale)
        self.overlays.set_text_scale(self.text_scale)
        self.method_state.set_text_scale(self.text_scale)
        self.batch.set_text_scale(self.text_scale)
        self.field.set_text_scale(self.text_scale)
        self.field.place_labels(self.pixel_size())
        self.levels.place_labels(self.pixel_size())
        self._update_colour_bar()

    def _name_axes(self) -> None:
        style = {"font-size": f"{AXIS_NAME_PT * self.text_scale:.3g}pt", "color": "#222222"}
        x_name, y_name = self.controller.axis_names   # a fit's: two parameters
        self.setLabel("bottom", x_name, **style)
        self.setLabel("left", y_name, **style)

    def show_domain(self) -> None:
        """Zoom and pan back to the whole domain."""
        (x0, x1), (y0, y1) = self.controller.x_range, self.controller.y_range
        self.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=DOMAIN_PADDING)

    def pixel_size(self) -> float | None:
        """Data units a screen pixel spans (the larger of x and y), or None before the map is laid out."""
        vb = self.getPlotItem().vb
        if vb.width() < 20 or vb.height() < 20:
            return None
        size = max(vb.viewPixelSize())
        return size if np.isfinite(size) and size > 0 else None

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if hasattr(self, "_settle"):   # PlotWidget resizes itself while it is being built
            self._settle.start()

    def settle_now(self) -> None:
        """Labels and lines placed now if a zoom or resize is waiting for the timer (an export's frame must
        not depend on how long the layout took); nothing to do otherwise."""
        if self._settle.isActive():
            self._settle.stop()
            self._view_changed()

    def _range_changed(self, *_):
        self.draw_overlays()
        self._settle.start()   # labels and lines follow the scale once a zoom or resize settles

    def _view_changed(self):
        pixel = self.pixel_size()
        if not self.levels.fit(pixel):
            self.levels.place_labels(pixel)
        else:
            self.draw_batch()   # the batch's lines are drawn at the map's levels
        self.field.place_labels(pixel)
        self._update_colour_bar()
        if pixel is not None and any(kept.tolerance != THIN_PX * pixel for kept in self._thin):
            self.draw_runs()   # paths thinned for another pixel size: thin them again for this one

    # ---------------------------------------------------------------- drawing
    def redraw(self):
        if self.controller.cmap is not None:
            self.draw_surface(self.controller.cmap)

    def draw_surface(self, cmap):
        c = self.controller
        if is_field_picture(cmap):
            self.height_scale = magnitude_scale(cmap, c.colouring) if c.colouring in MAGNITUDE_NAMES else None
            self.image.setImage(field_rgba_ubyte(cmap, c.colouring), autoLevels=False)
            self._clear_levels()
            self.field.draw(cmap, c.colouring, self.pixel_size())
        else:
            self.field.hide()
            self.height_scale = scale = HeightScale(cmap.z, c.log_scale)
            self.image.setImage(map_rgba(cmap, c.colouring, scale), autoLevels=False)
        x0, x1, y0, y1 = cmap.x[0], cmap.x[-1], cmap.y[0], cmap.y[-1]
        # pixel centres on the grid points: half a cell beyond the domain on every side
        hx, hy = (x1 - x0) / max(1, cmap.x.size - 1), (y1 - y0) / max(1, cmap.y.size - 1)
        self.image.setRect(QRectF(x0 - hx / 2, y0 - hy / 2, x1 - x0 + hx, y1 - y0 + hy))
        self.border.setData([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0])
        domain = (tuple(c.x_range), tuple(c.y_range))
        if domain != self._domain:   # a new domain: show all of it; a new function keeps the zoom
            self._domain = domain
            self.show_domain()
        if not is_field_picture(cmap):
            self.levels.set_surface(cmap, c.log_scale, cased=c.colouring == "height", pixel=self.pixel_size())
        if (self.getAxis("bottom").labelText, self.getAxis("left").labelText) != c.axis_names:
            self._name_axes()   # a fit's axes are two of its parameters
        self._update_colour_bar()
        self.draw_runs()
        self.draw_lens()

    def _clear_levels(self) -> None:
        """A field has no level lines of f: none are drawn or labelled."""
        lv = self.levels
        lv.cmap = None
        for item in (lv.casing, lv.major, lv.minor):
            item.setData([], [])
        while lv.labels:
            self.removeItem(lv.labels.pop())
        lv.shown = lv.shown_major = np.empty(0)

    def draw_lens(self, *_):
        """The Jacobian lens's circle on the map, while a field is on show."""
        c = self.controller
        self.field.draw_lens(c.field.lens_spec, is_field_picture(c.cmap) and c.kind.has_lens)

    @property
    def shown_levels(self) -> np.ndarray:
        return self.levels.shown

    def _update_colour_bar(self) -> None:
        place_colour_bar(self)

    def draw_runs(self, *_):
        c = self.controller
        if c.staging.later(self.draw_runs, self._hide_runs):
            return   # a big scene opening: its runs are drawn on a turn of their own
        match_runs(self.paths, len(c.runs), self._path_items, lambda item: self.addItem(item, ignoreBounds=True),
                   self.removeItem)
        if self._runs_hidden:
            self._show_runs(True)
        (x0, x1), (y0, y1) = c.x_range, c.y_range
        centre, far = np.array([(x0 + x1) / 2, (y0 + y1) / 2]), FAR * max(x1 - x0, y1 - y0)
        styles = run_styles([config.colour for config in c.configs])
        pixel = self.pixel_size()
        thinned = []
        for i, (run, config, style, (line, dot)) in enumerate(zip(c.runs, c.configs, styles, self.paths)):
            path = c.plane(run.shown_path())   # a view into the run's arrays; a fit's: its axis parameters
            if pixel is not None:   # the points half a pixel apart or more: what the screen can show
                kept = self._thin[i] if i < len(self._thin) else None
                if kept is None or kept.source is not run.states or kept.tolerance != THIN_PX * pixel:
                    kept = ThinnedPath(run.states, THIN_PX * pixel)
                thinned.append(kept)
                path = kept.show(path)
            path = np.clip(np.nan_to_num(path, nan=np.inf), centre - far, centre + far)
            # cased: readable on every class colour
            line.setData(path[:, 0], path[:, 1], pen=pg.mkPen(config.colour, width=3, style=style.dash),
                         shadowPen=pg.mkPen(casing(config.colour), width=6))
            end = path[-1]
            inside = x0 <= end[0] <= x1 and y0 <= end[1] <= y1
            # a point that left the domain waits, hollow, on its edge
            where = np.clip(end, (x0, y0), (x1, y1))
            dot.setData([where[0]], [where[1]], size=18 if run is c.selected_run() else 13, symbol=style.symbol,
                        brush=pg.mkBrush(config.colour if inside else "#ffffff"),
                        pen=pg.mkPen(casing(config.colour) if inside else config.colour, width=2 if inside else 3))
        self._thin = thinned
        starts = c.plane(np.array([config.start for config in c.configs] or [c.setup.default_start]))
        self.start_marker.setData(starts[:, 0], starts[:, 1])
        chosen = c.runs and 0 <= c.selected < len(c.configs)
        self.start_handle.place(starts[c.selected] if chosen else None,
                                c.configs[c.selected].colour if chosen else None)
        if self.field.picture is not None:   # 'u = 0' and 'v = 0' keep off the starts and the points on show
            ends = [c.plane(np.array([run.current.point])) for run in c.runs]   # where they are drawn
            avoid = np.vstack([starts, *ends])
            if not np.array_equal(avoid, self.field.avoid):
                self.field.place_labels(self.pixel_size(), avoid)
        self._analysis = c.lessons.analysis() if c.cmap is not None and any(c.overlays.values()) else None
        modelled = self._analysis is not None and c.overlays.get("quadratic_model")
        self._geometry = c.lessons.newton_geometry() if modelled else None
        batched = self._analysis is not None and c.overlays.get("gradient")
        xray = c.cmap is not None and c.kind.minimises and c.overlays.get("method_state")
        self._method_state = c.lessons.method_state() if xray else None
        self._batch_gradient = c.batch.gradient_on_map() if batched else None
        self.draw_overlays()
        self.draw_batch()

    def draw_batch(self) -> None:
        """A mini-batched run's batch: its loss's level lines (one grid a shown step, kept) and the key."""
        c = self.controller
        fit = c.kind.has_rows and c.cmap is not None and not is_field_picture(c.cmap)
        grid = c.batch.grid() if fit and self.batch.wanted else None
        self.batch.draw(grid, self.levels.shown_major, cased=c.colouring == "height")
        rows = c.batch.shown_batch() if fit else None
        run = c.selected_run()
        a, scale = self._analysis, self.arrow_scale()
        arrows = None
        if a is not None and c.overlays.get("gradient") and scale > 0:   # the key states the arrows' scale
            batch = self._batch_gradient
            arrows = (c.kind.value_name, scale, float(np.linalg.norm(a.gradient)),
                      None if batch is None else float(np.linalg.norm(batch)))
        self.batch.show_key(arrows, None if rows is None else len(rows),
                            c.fit.problem.dataset.rows if rows is not None else None,
                            c.plane(run.current.point) if run is not None and (rows is not None or arrows) else None)

    def arrow_scale(self) -> float:
        """Data units per unit of gradient of the −∇f arrows on this map (`explorer.core.arrow_scale`)."""
        return map_scale(self.controller.cmap)

    def draw_overlays(self, *_):
        """The overlays at the selected point, sized to the part of the domain on show (so also after a zoom)."""
        c = self.controller
        shown = self.getPlotItem().vb.viewRect()
        domain = QRectF(c.x_range[0], c.y_range[0], c.x_range[1] - c.x_range[0], c.y_range[1] - c.y_range[0])
        visible = shown.intersected(domain) if shown.intersects(domain) else domain
        sides = sorted((visible.width(), visible.height()))
        pixel = self.pixel_size()
        length = max(ARROW * sides[0], ARROW_PX * pixel if pixel else 0.0)
        run = c.selected_run()
        self.overlays.draw(self._analysis, c.overlays, min(length, 2 * ARROW * sides[1]), (c.x_range, c.y_range),
                           self.levels.shown, shown, pixel, getattr(self, "_geometry", None),
                           run.method if run is not None else None, self._batch_gradient, self.arrow_scale())
        self.method_state.draw(self._method_state, shown, pixel)

    def _hide_runs(self) -> None:
        self._show_runs(False)

    def _show_runs(self, shown: bool) -> None:
        """Every run's path and point on show, or hidden until the runs are drawn again (StagedDrawing)."""
        self._runs_hidden = not shown
        for line, dot in self.paths:
            line.setVisible(shown)
            dot.setVisible(shown)

    @staticmethod
    def _path_items():
        line, dot = pg.PlotCurveItem(antialias=True), pg.ScatterPlotItem()
        line.setZValue(20)
        dot.setZValue(21)
        return line, dot

    def _clicked(self, event):
        if event.button() != Qt.LeftButton or event.double():
            return
        pos = self.getPlotItem().vb.mapSceneToView(event.scenePos())
        c = self.controller
        if not (c.x_range[0] <= pos.x() <= c.x_range[1] and c.y_range[0] <= pos.y() <= c.y_range[1]):
            return
        where = f"({pos.x():.4g}, {pos.y():.4g})"
        if self.field.target.isVisible() and not event.modifiers() & Qt.ControlModifier:
            handle = self.getPlotItem().vb.mapViewToScene(QPointF(*c.field.lens_spec.point))
            if (handle - event.scenePos()).manhattanLength() < LENS_HANDLE_PX:
                return   # a click on the lens's centre (its drag handle) moves no start
        if self.start_handle.near(event.scenePos()) and not event.modifiers():
            return   # a click on the start's handle (it is dragged) moves no start
        if c.kind.has_lens and (event.modifiers() & Qt.ControlModifier or self.lens_tool):
            if c.field.set_lens(pos.x(), pos.y()):
                c.seal()   # one click, one undo step
                c.message.emit(f"The lens looks at {where}")
        elif event.modifiers() & Qt.ShiftModifier or not c.runs:
            if c.set_start(pos.x(), pos.y()):
                c.message.emit(f"Every run starts at {where}")
        elif c.set_run_start(c.selected, pos.x(), pos.y()):
            c.message.emit(f"{c.configs[c.selected].method} starts at {where} (Shift+click: every run)")
