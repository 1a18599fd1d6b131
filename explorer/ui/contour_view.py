"""The contour map: curvature (or height) colours underneath, level lines on top, runs' paths; click sets the start."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsItem

from explorer.ui.item_pool import match_runs
from explorer.ui.palette import HeightScale, class_rgba, height_rgba, level_lines

LINE_RGB = np.array([0.12, 0.12, 0.12])


def contour_image(cmap, colouring: str, log: bool) -> np.ndarray:
    """(nx, ny, 4) ubyte: class or height colours, washed towards white, with dark level lines."""
    height = HeightScale(cmap.z, log)(cmap.z)
    rgba = height_rgba(height) if colouring == "height" else class_rgba(cmap.classes)
    rgb = 0.35 + 0.65 * rgba[..., :3] if colouring != "height" else rgba[..., :3]
    rgb[level_lines(height)] = LINE_RGB
    return (np.concatenate([rgb, np.ones(rgb.shape[:-1] + (1,))], axis=-1) * 255).astype(np.ubyte)


class ContourView(pg.PlotWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent, background="#f7f7f7")
        self.controller = controller
        self.setFocusPolicy(Qt.ClickFocus)
        self.setMinimumSize(280, 240)
        self.setAspectLocked(False)
        font = QFont("Sans", 12)
        for side in ("left", "bottom"):
            axis = self.getAxis(side)
            axis.setTickFont(font)
            axis.setPen("#222222")
            axis.setTextPen("#222222")
        self.setLabel("bottom", "x", **{"font-size": "14pt", "color": "#222222"})
        self.setLabel("left", "y", **{"font-size": "14pt", "color": "#222222"})
        for side in ("left", "bottom"):
            # cached as pixmaps: the axes and the image change only with the surface, not with a step
            self.getAxis(side).setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.addItem(self.image)
        self.start_marker = pg.ScatterPlotItem(size=16, symbol="+", pen=pg.mkPen("#000000", width=3))
        self.addItem(self.start_marker)
        self.setToolTip("Click: the selected run starts there · Shift+click: every run starts there")
        self.paths: list[tuple[pg.PlotDataItem, pg.ScatterPlotItem]] = []
        self.scene().sigMouseClicked.connect(self._clicked)
        controller.surfaceChanged.connect(self.draw_surface)
        controller.displayChanged.connect(self.redraw)
        controller.runsChanged.connect(self.draw_runs)
        controller.stepped.connect(self.draw_runs)
        controller.selectionChanged.connect(self.draw_runs)

    def redraw(self):
        if self.controller.cmap is not None:
            self.draw_surface(self.controller.cmap)

    def draw_surface(self, cmap):
        c = self.controller
        self.image.setImage(contour_image(cmap, c.colouring, c.log_scale), autoLevels=False)
        x0, x1, y0, y1 = cmap.x[0], cmap.x[-1], cmap.y[0], cmap.y[-1]
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self.draw_runs()

    def draw_runs(self, *_):
        c = self.controller
        match_runs(self.paths, len(c.runs), lambda: (pg.PlotDataItem(), pg.ScatterPlotItem()), self.addItem,
                   self.removeItem)
        for run, config, (line, dot) in zip(c.runs, c.configs, self.paths):
            path = np.array([s.point for s in run.states[:run.position + 1]])
            line.setData(path[:, 0], path[:, 1], pen=pg.mkPen(config.colour, width=3))
            selected = run is c.selected_run()
            dot.setData([path[-1, 0]], [path[-1, 1]], size=18 if selected else 13, brush=pg.mkBrush(config.colour),
                        pen=pg.mkPen("#ffffff", width=2))
        starts = np.array([config.start for config in c.configs] or [c.setup.default_start])
        self.start_marker.setData(starts[:, 0], starts[:, 1])

    def _clicked(self, event):
        if event.button() != Qt.LeftButton or event.double():
            return
        pos = self.getPlotItem().vb.mapSceneToView(event.scenePos())
        c = self.controller
        if not (c.x_range[0] <= pos.x() <= c.x_range[1] and c.y_range[0] <= pos.y() <= c.y_range[1]):
            return
        where = f"({pos.x():.4g}, {pos.y():.4g})"
        if event.modifiers() & Qt.ShiftModifier or not c.runs:
            if c.set_start(pos.x(), pos.y()):
                c.message.emit(f"Every run starts at {where}")
        elif c.set_run_start(c.selected, pos.x(), pos.y()):
            c.message.emit(f"{c.configs[c.selected].method} starts at {where} (Shift+click: every run)")
