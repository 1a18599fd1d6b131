"""Colours that mean one thing, in every view and in the legend.

Curvature classes are pale tints of Okabe–Ito hues (colour-blind safe), pale so that level lines,
paths and overlays drawn over them stay readable; the map draws exactly these colours and the
legend shows exactly these colours. Heights use pyqtgraph's viridis. The tables themselves are plain
data in explorer.core.colours (the command line draws them too): runs are coloured by method; runs that
share a method differ in dash and marker (`run_styles`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from explorer.core.colours import CLASS_COLOURS  # noqa: F401 - the views take it from here
# text about a class drawn over the map (an eigenvalue's label): the same hues, dark
CLASS_LINE_COLOURS = {1: "#005A8F", 2: "#A8480A", 3: "#7A6A00", 0: "#505050", -1: "#303030"}

OUTSIDE_BACKGROUND = "#f7f7f7"   # beyond the computed domain: this, hatched with OUTSIDE_HATCH
OUTSIDE_HATCH = "#c4c4c4"
DOMAIN_BORDER = "#333333"
LEVEL_LINE = "#1e1e1e"
GRADIENT_COLOUR = "#B0002A"      # the −∇f arrow
MODEL_COLOUR = "#0060B0"         # level sets of the quadratic model (dark blue: no method's colour)
AXIS_COLOUR = "#3a3a3a"          # the Hessian's eigenvector axes

_LOOKUP = np.zeros((5, 4))
for _code, (_, _rgb) in CLASS_COLOURS.items():
    _LOOKUP[_code + 1] = (*(c / 255 for c in _rgb), 1.0)

_LOOKUP_UBYTE = np.round(_LOOKUP * 255).astype(np.ubyte)
_VIRIDIS = pg.colormap.get("viridis")


def class_rgba(classes: np.ndarray) -> np.ndarray:
    """(…) int codes -> (…, 4) float RGBA."""
    return _LOOKUP[np.clip(classes.astype(int), -1, 3) + 1]


def class_rgba_ubyte(classes: np.ndarray) -> np.ndarray:
    """(…) int codes -> (…, 4) ubyte RGBA, exactly the CLASS_COLOURS values."""
    return _LOOKUP_UBYTE[np.clip(classes, -1, 3).astype(np.intp) + 1]


def height_colormap() -> pg.ColorMap:
    """The colour map of heights (viridis), shared by the map, its colour bar and the 3D view."""
    return _VIRIDIS


def height_rgba(level: np.ndarray) -> np.ndarray:
    """Values in [0, 1] (nan allowed, drawn as the low end) -> viridis RGBA, float."""
    t = np.clip(np.nan_to_num(np.asarray(level, float), nan=0.0), 0, 1)
    return _VIRIDIS.map(t.reshape(-1), mode="float").reshape(t.shape + (4,))


def hex_colour(rgb) -> str:
    return "#%02x%02x%02x" % tuple(rgb)


class HeightScale:
    """Maps f to a display height in [0, 1] (linear, or log10(1 + f − fmin) for steep functions)."""

    def __init__(self, z: np.ndarray, log: bool):
        finite = z[np.isfinite(z)]
        self.log = log
        self.zmin = float(finite.min()) if finite.size else 0.0
        self.zmax = float(finite.max()) if finite.size else 1.0
        self._lo, self._hi = self._raw(self.zmin), self._raw(self.zmax)
        if not self._hi > self._lo:
            self._hi = self._lo + 1.0

    def _raw(self, z):
        return np.log10(1.0 + np.maximum(np.asarray(z, float) - self.zmin, 0.0)) if self.log else np.asarray(z, float)

    def __call__(self, z) -> np.ndarray:
        """Display height in [0, 1] for finite z inside the range; nan stays nan."""
        return (self._raw(z) - self._lo) / (self._hi - self._lo)


# ---------------------------------------------------------------- runs

@dataclass(frozen=True)
class RunStyle:
    """How a run is drawn besides its colour: the n-th run of one method (one colour) gets the n-th dash and marker."""

    dash: Qt.PenStyle
    symbol: str     # pyqtgraph symbol of its current point


_STYLES = (RunStyle(Qt.SolidLine, "o"), RunStyle(Qt.DashLine, "s"), RunStyle(Qt.DotLine, "t"),
           RunStyle(Qt.DashDotLine, "d"), RunStyle(Qt.DashDotDotLine, "p"), RunStyle(Qt.SolidLine, "star"))


def run_styles(colours) -> list[RunStyle]:
    """One style per run: solid and round for the first run of a colour, then dashed/square, dotted/triangle,
    dash-dotted/diamond, dash-dot-dotted/pentagon, solid/star (six runs of one method told apart)."""
    seen: dict[str, int] = {}
    styles = []
    for colour in colours:
        key = QColor(colour).name()
        n = seen.get(key, 0)
        seen[key] = n + 1
        styles.append(_STYLES[n % len(_STYLES)])
    return styles


def casing(colour) -> str:
    """The outline that keeps a line of `colour` readable on every class colour: white for dark, dark for light."""
    c = QColor(colour)
    luminance = 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF()
    return "#ffffff" if luminance < 0.5 else "#202020"


ERROR_COLOUR = "#b00020"                         # what is wrong in a form: its message and its box
ERROR_BORDER = f"border: 2px solid {ERROR_COLOUR};"


def error_label() -> QLabel:
    """The line under a form that says what is wrong (empty while nothing is)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
    return label
