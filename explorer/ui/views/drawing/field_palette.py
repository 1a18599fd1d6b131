"""Colours of a field's pictures, each meaning one thing, the same on the map, in 3D and in the legend.

Orientation (the sign of det J) in pale tints of Okabe–Ito bluish green and reddish purple (colour-blind
safe, and not the curvature classes' blue and vermillion, which mean something else); |det J| and σ₁ on
a sequential ramp (viridis, low to high). The zero curves u = 0 and v = 0 differ in dash as well as in
hue; det J = 0 (the fold) is dotted.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from explorer.core.field_picture import KEPT, REVERSED, SINGULAR, UNDEFINED
from explorer.ui.views.drawing.palette import HeightScale, height_rgba

ORIENTATION_COLOURS = {
    KEPT: ("orientation kept (det J > 0)", (153, 216, 199)),       # Okabe–Ito bluish green, pale
    REVERSED: ("orientation reversed (det J < 0)", (235, 201, 220)),  # Okabe–Ito reddish purple, pale
    SINGULAR: ("singular (det J = 0)", (208, 208, 208)),
    UNDEFINED: ("undefined", (112, 112, 112)),                     # as the curvature map's
}
# (name, colour, dash, width): the curves drawn over the colours
ZERO_U = ("u = 0", "#1B3A8C", Qt.SolidLine, 2.6)
ZERO_V = ("v = 0", "#8C1B5A", Qt.DashLine, 2.6)
FOLD = ("det J = 0", "#111111", Qt.DotLine, 3.0)
ARROW_COLOUR = "#2a2a2a"
LENS_COLOUR = "#E66100"        # the lens's circle and its true image (dark orange: not newton's purple, not u = 0's blue)
LINEAR_COLOUR = "#111111"      # the linear image J·circle (dashed)
MAGNITUDE_NAMES = {"area": "|det J|", "stretch": "σ₁"}
COLOURING_TIPS = {
    "orientation": "Colour by the sign of det J: does F keep or reverse orientation near each point?",
    "area": "Colour by |det J|: how much F scales small areas near each point",
    "stretch": "Colour by σ₁, J's larger singular value: the most F stretches a small step",
}

_LOOKUP = np.zeros((4, 4), dtype=np.ubyte)
for _code, (_, _rgb) in ORIENTATION_COLOURS.items():
    _LOOKUP[_code + 1] = (*_rgb, 255)


def orientation_rgba_ubyte(codes: np.ndarray) -> np.ndarray:
    """(…) orientation codes -> (…, 4) ubyte RGBA, exactly ORIENTATION_COLOURS."""
    return _LOOKUP[np.clip(codes, -1, 2).astype(np.intp) + 1]


def magnitude_scale(picture, colouring: str) -> HeightScale:
    """The linear scale of |det J| or σ₁ over the grid (the colour bar shows the same)."""
    return HeightScale(picture.magnitude(colouring), log=False)


def field_rgba_ubyte(picture, colouring: str) -> np.ndarray:
    """(nx, ny, 4) ubyte: what the map draws for `colouring`; undefined points in the undefined grey."""
    if colouring == "orientation":
        return orientation_rgba_ubyte(picture.orientation)
    values = picture.magnitude(colouring)
    rgba = np.round(height_rgba(magnitude_scale(picture, colouring)(values)) * 255).astype(np.ubyte)
    rgba[~np.isfinite(values)] = (*ORIENTATION_COLOURS[UNDEFINED][1], 255)
    return rgba


def field_rgba(picture, colouring: str) -> np.ndarray:
    """(nx, ny, 4) float RGBA in [0, 1]: the same colours for the 3D view."""
    return field_rgba_ubyte(picture, colouring).astype(float) / 255
