"""The map's colour bar of heights (or of a field's magnitude): beside the map or under it, where the
letter-box leaves room, with its ticks at the level values on a log scale."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

from explorer.core.levels import roundness
from explorer.ui.control.field_control import is_field_picture
from explorer.ui.views.drawing.field_palette import MAGNITUDE_NAMES
from explorer.ui.views.drawing.palette import CLASS_COLOURS, HeightScale, class_rgba_ubyte, height_colormap, height_rgba
from explorer.ui.views.map.level_lines import level_text

BAR_LABEL_PT = 12


def map_rgba(cmap, colouring: str, scale: HeightScale) -> np.ndarray:
    """(nx, ny, 4) ubyte: exactly the palette's class colours, or viridis heights; undefined in its class colour."""
    if colouring == "height":
        rgba = np.round(height_rgba(scale(cmap.z)) * 255).astype(np.ubyte)
        rgba[~np.isfinite(cmap.z)] = (*CLASS_COLOURS[-1][1], 255)
        return rgba
    return class_rgba_ubyte(cmap.classes)


def bar_ticks(levels: np.ndarray, scale: HeightScale, gap) -> list[tuple[float, str]]:
    """Colour-bar ticks at the level values, the roundest first; gap(text) is the fraction of the bar a
    label needs, so that none crowds another."""
    chosen: list[tuple[float, str, float]] = []
    for v in sorted(levels, key=lambda v: -roundness(v)):
        t, text = float(scale(v)), level_text(v)
        inside = np.isfinite(t) and 0.5 * gap(text) <= t <= 1 - 0.5 * gap(text)   # a label past an end is not drawn
        if inside and all(abs(t - u) >= 0.5 * (gap(text) + g) for u, _, g in chosen):
            chosen.append((t, text, gap(text)))
    return sorted((t, text) for t, text, _ in chosen)


def colour_bars(tick_font) -> dict:
    """The two colour bars of heights, hidden: 'vertical' (beside the map) and 'horizontal' (under it)."""
    bars = {}
    for orientation in ("vertical", "horizontal"):
        bar = pg.ColorBarItem(values=(0, 1), colorMap=height_colormap(), interactive=False, colorMapMenu=False,
                              width=18, orientation=orientation)
        bar.axis.setTickFont(tick_font)
        bar.axis.enableAutoSIPrefix(False)   # "f (x0.001)" reads as a different function
        bar.axis.setTextPen("#222222")
        bar.setVisible(False)
        bars[orientation] = bar
    return bars


def place_colour_bar(view) -> None:
    """Show the contour `view`'s colour bar where there is room, with its ticks and label (or hide it)."""
    field = is_field_picture(view.controller.cmap)
    magnitude = MAGNITUDE_NAMES.get(view.controller.colouring) if field else None
    show = (view.controller.colouring == "height" or magnitude is not None) and view.height_scale is not None
    (x0, x1), (y0, y1) = view.controller.x_range, view.controller.y_range
    # a pane taller than the domain has room under the map; a wider one beside it
    tall = view.true_scale and view.width() * (y1 - y0) < view.height() * (x1 - x0)
    wanted = view.colour_bars["horizontal" if tall else "vertical"]
    layout = view.getPlotItem().layout
    for bar in view.colour_bars.values():
        if bar.isVisible() and not (show and bar is wanted):
            layout.removeItem(bar)
            bar.setVisible(False)
    if not show:
        return
    if not wanted.isVisible():
        layout.addItem(wanted, *((4, 1) if wanted is view.colour_bars["horizontal"] else (2, 3)))
        wanted.setVisible(True)
    view.colour_bar = wanted
    metrics, vb = QFontMetrics(view.tick_font), view.getPlotItem().vb
    axis = wanted.axis
    if view.height_scale.log:   # values at the level lines, where log10(1 + f − min f) puts them
        wanted.setLevels((0.0, 1.0))
        if wanted is view.colour_bars["vertical"]:
            ticks = bar_ticks(view.levels.shown_major, view.height_scale,
                              lambda text: 1.3 * metrics.height() / max(vb.height(), 100))
        else:
            ticks = bar_ticks(view.levels.shown_major, view.height_scale,
                              lambda text: (metrics.horizontalAdvance(text) + 12) / max(vb.width(), 100))
        axis.setTicks([ticks, []])
    else:                 # a linear scale of f: the axis' own round ticks
        wanted.setLevels((view.height_scale.zmin, view.height_scale.zmax))
        axis.setTicks(None)
        ticks = [(0, level_text(v)) for v in (view.height_scale.zmin, view.height_scale.zmax)]
    label = magnitude or ("f (log scale)" if view.height_scale.log else "f")
    if wanted is view.colour_bars["vertical"]:
        # a fixed width that holds the longest value: AxisItem drops a label that does not fit
        longest = max((metrics.horizontalAdvance(t) for _, t in ticks), default=0)
        axis.setWidth(longest + 32)
        label = magnitude or ("f (log)" if view.height_scale.log else "f")
    axis.setLabel(label, **{"font-size": f"{BAR_LABEL_PT * view.text_scale:.3g}pt", "color": "#222222"})
