"""The colours of a model's data and of what it predicts: one hue per class (Okabe–Ito, colour-blind safe),
dark for the rows, a pale tint of the same hue for the region the model gives that class; a binary model's
probability on a diverging scale, white at 0.5, the two classes' tints at 0 and 1."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from explorer.core.colours import rgb

# class k's rows (past eight the hues repeat; the key names each)
CLASS_HUES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D1F", "#555555")
TINT = 0.62          # how far a region's tint is mixed towards white


def class_hue(k: int) -> str:
    return CLASS_HUES[int(k) % len(CLASS_HUES)]


def class_tint(k: int) -> np.ndarray:
    """The RGB (0–255 floats) of class k's region: its hue mixed towards white."""
    return np.array(rgb(class_hue(k)), float) * (1 - TINT) + 255.0 * TINT


def probability_rgba(p: np.ndarray) -> np.ndarray:
    """P(y = 1) → RGBA ubyte: class 0's tint at 0, white at 0.5, class 1's tint at 1 (linear in between)."""
    p = np.clip(np.nan_to_num(np.asarray(p, float), nan=0.5), 0.0, 1.0)[..., None]
    white = np.full(3, 255.0)
    low = white + (class_tint(0) - white) * np.clip(1 - 2 * p, 0, 1)
    high = white + (class_tint(1) - white) * np.clip(2 * p - 1, 0, 1)
    colour = np.where(p < 0.5, low, high)
    return _with_alpha(colour)


def classes_rgba(classes: np.ndarray) -> np.ndarray:
    """Predicted class indices → RGBA ubyte: each class's tint."""
    k = np.asarray(classes, int)
    table = np.array([class_tint(i) for i in range(len(CLASS_HUES))])
    return _with_alpha(table[k % len(CLASS_HUES)])


def prediction_rgba(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """A regression's prediction → RGBA ubyte on viridis, lightened so the rows stay readable over it."""
    span = high - low if high > low else 1.0
    level = np.clip((np.nan_to_num(np.asarray(values, float), nan=low) - low) / span, 0, 1)
    colour = pg.colormap.get("viridis").map(level.ravel(), mode="float")[:, :3].reshape(*level.shape, 3) * 255.0
    return _with_alpha(colour * (1 - TINT) + 255.0 * TINT)


def value_colours(values: np.ndarray, low: float, high: float) -> list[str]:
    """Each row's target on viridis (dark, unlightened): the rows over a regression's map."""
    span = high - low if high > low else 1.0
    level = np.clip((np.asarray(values, float) - low) / span, 0, 1)
    rgb_ = pg.colormap.get("viridis").map(level, mode="byte")
    return ["#%02x%02x%02x" % tuple(int(c) for c in row[:3]) for row in rgb_]


def _with_alpha(colour: np.ndarray) -> np.ndarray:
    out = np.empty(colour.shape[:-1] + (4,), np.ubyte)
    out[..., :3] = np.round(np.clip(colour, 0, 255))
    out[..., 3] = 255
    return out
