"""An export stage painted as vectors: an SVG (QtSvg's generator) or a one-page PDF (QtGui's writer).

Qt's painter draws the stage's widgets onto the file as it draws them on screen: level lines, curves,
marks and text stay paths and text, images (the curvature colours) are embedded. The page is the
frame's size at the screen's resolution, so the text is laid out exactly as in the PNG."""
from __future__ import annotations

import errno
import re
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPoint, QRect, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

POINTS_PER_INCH = 72
# a run of one point paints an empty path: Qt writes d="", which Qt's own SVG reader calls invalid
EMPTY_PATH = re.compile(r'<path[^>]*\sd=""\s*/>\n?')


def svg_device(stage, path: Path):
    from PySide6.QtSvg import QSvgGenerator
    device = QSvgGenerator()
    device.setFileName(str(path))
    device.setSize(QSize(stage.width(), stage.height()))
    device.setViewBox(QRect(0, 0, stage.width(), stage.height()))
    device.setResolution(stage.logicalDpiX())   # fonts in points come out at the size the stage laid them out
    device.setTitle(stage.windowTitle())
    return device


def pdf_device(stage, path: Path):
    device = QPdfWriter(str(path))
    dpi = stage.logicalDpiX()
    device.setResolution(dpi)
    inches = QSizeF(stage.width() / dpi, stage.height() / dpi)
    device.setPageLayout(QPageLayout(QPageSize(inches * POINTS_PER_INCH, QPageSize.Point), QPageLayout.Portrait,
                                     QMarginsF(0, 0, 0, 0)))
    device.setTitle(stage.windowTitle())
    device.setCreator("Landscape Explorer")
    return device


DEVICES = {"svg": svg_device, "pdf": pdf_device}


@contextmanager
def drawn_afresh(stage):
    """Every item of the stage's plots painted anew, not from its cache: a cached item (level lines, axes)
    would reach the file as a picture of itself in pixels. pyqtgraph's export mode likewise draws each
    marker of a scatter as its own shape, not from its atlas of pixmaps."""
    views = stage.findChildren(QGraphicsView)
    every = [item for view in views for item in view.scene().items()]
    cached = [(item, item.cacheMode()) for item in every if item.cacheMode() != QGraphicsItem.NoCache]
    exporting = [item for item in every if hasattr(item, "setExportMode")]
    backgrounds = [(view, view.cacheMode()) for view in views]
    for item, _ in cached:
        item.setCacheMode(QGraphicsItem.NoCache)
    for item in exporting:
        item.setExportMode(True, {"antialias": True})
    for view, _ in backgrounds:
        view.setCacheMode(QGraphicsView.CacheNone)
    try:
        yield
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)
        for item in exporting:
            item.setExportMode(False)
        for view, mode in backgrounds:
            view.setCacheMode(mode)


def write_vector(stage, path: Path, kind: str) -> None:
    """Paint `stage` into `path` (an SVG or a PDF); OSError when the file could not be written."""
    device = DEVICES[kind](stage, path)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError(errno.EIO, f"the {kind.upper()} could not be started", str(path))
    try:
        painter.setRenderHint(QPainter.Antialiasing)
        with drawn_afresh(stage):
            stage.render(painter, QPoint(0, 0))
    finally:
        painter.end()
    if path.stat().st_size == 0:
        raise OSError(errno.EIO, f"the {kind.upper()} came out empty", str(path))
    if kind == "svg":
        text = path.read_text(encoding="utf-8")
        path.write_text(EMPTY_PATH.sub("", text), encoding="utf-8")
