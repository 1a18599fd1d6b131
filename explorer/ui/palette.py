"""Colours that mean something: curvature classes (Okabe–Ito, colour-blind safe) and heights (run colours: explorer.session)."""
from __future__ import annotations

import numpy as np

# class code -> (label, RGB)
CLASS_COLOURS = {
    1: ("convex", (0, 114, 178)),        # blue
    2: ("concave", (213, 94, 0)),        # vermillion
    3: ("saddle", (240, 228, 66)),       # yellow
    0: ("degenerate", (160, 160, 160)),  # grey
    -1: ("undefined", (60, 60, 60)),     # dark grey
}

_LOOKUP = np.zeros((5, 4))
for _code, (_, _rgb) in CLASS_COLOURS.items():
    _LOOKUP[_code + 1] = (*(c / 255 for c in _rgb), 1.0)

# viridis, sampled: enough stops for a smooth ramp
_VIRIDIS = np.array([(68, 1, 84), (72, 40, 120), (62, 73, 137), (49, 104, 142), (38, 130, 142), (31, 158, 137),
                     (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37)]) / 255


def class_rgba(classes: np.ndarray) -> np.ndarray:
    """(…) int codes -> (…, 4) float RGBA."""
    return _LOOKUP[np.clip(classes.astype(int), -1, 3) + 1]


def height_rgba(level: np.ndarray) -> np.ndarray:
    """Values in [0, 1] (nan allowed) -> viridis RGBA."""
    t = np.clip(np.nan_to_num(level, nan=0.0), 0, 1) * (len(_VIRIDIS) - 1)
    i = np.minimum(t.astype(int), len(_VIRIDIS) - 2)
    f = (t - i)[..., None]
    rgb = _VIRIDIS[i] * (1 - f) + _VIRIDIS[i + 1] * f
    return np.concatenate([rgb, np.ones(rgb.shape[:-1] + (1,))], axis=-1)


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


def level_lines(height: np.ndarray, count: int = 14) -> np.ndarray:
    """Boolean mask of grid cells where the band floor(count·h) changes: contour lines, vectorised."""
    band = np.floor(np.nan_to_num(height, nan=-1.0) * count)
    mask = np.zeros(height.shape, dtype=bool)
    mask[:-1, :] |= band[:-1, :] != band[1:, :]
    mask[:, :-1] |= band[:, :-1] != band[:, 1:]
    return mask
