"""Where to put the 3D view's camera so a box fills the pane: pure geometry, no GL.

pyqtgraph's camera looks at `center` from `distance` along the direction given by elevation and
azimuth, with a horizontal field of view `fov`. For a fixed direction, fitting points into the
pane is a small linear programme in (lateral shift of the centre, distance), solved in closed form.
"""
from __future__ import annotations

import numpy as np


def view_rotation(elevation: float, azimuth: float) -> np.ndarray:
    """The 3×3 rotation pyqtgraph's viewMatrix applies (world offset from the centre -> camera axes)."""
    e, a = np.radians(elevation - 90.0), np.radians(-(azimuth + 90.0))
    rx = np.array([[1, 0, 0], [0, np.cos(e), -np.sin(e)], [0, np.sin(e), np.cos(e)]])
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    return rx @ rz


def box_corners(lo, hi) -> np.ndarray:
    """The 8 corners of the axis-aligned box [lo, hi]."""
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    idx = np.array([[i, j, k] for i in (0, 1) for j in (0, 1) for k in (0, 1)])
    return np.where(idx == 0, lo, hi)


def frame_points(points, elevation: float, azimuth: float, fov: float, width: float, height: float,
                 margins: tuple[float, float, float, float] = (0, 0, 0, 0)) -> tuple[np.ndarray, float]:
    """(center, distance) that show every point inside the pane less `margins` (left, right, top, bottom
    pixels), as large as it can be.

    A point q in camera axes (q_z towards the camera) lands at x = (q_x − s_x) / ((D − q_z)·tan(fov/2))
    in normalised device coordinates. Keeping every x within [lo, hi] bounds the distance D from
    below, linearly; the smallest D, and the lateral shift s of the centre that places the points
    in the middle of the free band, are the answer (the same for y, with the pane's aspect).
    """
    pts = np.asarray(points, float).reshape(-1, 3)
    mid = 0.5 * (pts.min(axis=0) + pts.max(axis=0))
    rot = view_rotation(elevation, azimuth)
    q = (pts - mid) @ rot.T
    width, height = max(width, 1.0), max(height, 1.0)
    tan_x = np.tan(np.radians(fov) / 2)
    left, right, top, bottom = margins
    bands = []   # per screen axis: (a, b) with x·tan in [b, a]
    for tan, size, low_px, high_px in ((tan_x, width, left, right), (tan_x * height / width, height, bottom, top)):
        lo, hi = -1 + 2 * low_px / size, 1 - 2 * high_px / size
        if hi - lo < 0.05:             # margins wider than the pane: keep a sliver
            lo, hi = 0.5 * (lo + hi) - 0.025, 0.5 * (lo + hi) + 0.025
        bands.append((hi * tan, lo * tan))
    depth = q[:, 2]
    need = [(np.max(q[:, i] + a * depth) - np.min(q[:, i] + b * depth)) / (a - b) for i, (a, b) in enumerate(bands)]
    distance = max(max(need), float(np.max(depth)) * 1.05, 1e-6)   # never inside the box
    shift = np.zeros(3)
    for i, (a, b) in enumerate(bands):
        low = np.max(q[:, i] + a * depth) - a * distance    # any shift in [low, high] fits
        high = np.min(q[:, i] + b * depth) - b * distance
        shift[i] = _centred(q[:, i], distance - depth, a, b, low, high)
    center = mid + rot.T @ shift   # back to world axes
    return center, float(distance)


def _centred(q, depth, a, b, low, high, steps=60) -> float:
    """The shift in [low, high] that leaves as much free room on both sides (perspective makes this
    differ from the middle of the interval): bisection on the difference, which grows with the shift."""
    for _ in range(steps):
        s = 0.5 * (low + high)
        x = (q - s) / depth
        if a - x.max() < x.min() - b:    # less room on the high side: shift further
            low = s
        else:
            high = s
    return 0.5 * (low + high)


def screen_extent(points, center, distance: float, elevation: float, azimuth: float, fov: float,
                  width: float, height: float) -> tuple[float, float]:
    """The fraction of the pane's width and height that `points` span from this camera."""
    q = (np.asarray(points, float).reshape(-1, 3) - np.asarray(center, float)) @ view_rotation(elevation, azimuth).T
    tan_x = np.tan(np.radians(fov) / 2)
    tan_y = tan_x * max(height, 1.0) / max(width, 1.0)
    depth = distance - q[:, 2]
    return float(np.ptp(q[:, 0] / (depth * tan_x)) / 2), float(np.ptp(q[:, 1] / (depth * tan_y)) / 2)


def fitting_elevation(points, elevations, azimuth: float, fov: float, width: float, height: float,
                      margins=(0, 0, 0, 0)) -> float:
    """Of `elevations`, the one whose framed view covers most of the pane (the first of equals).

    A box seen from low down is wide and flat: in a tall pane it fills the width and leaves most
    of the height empty. Looking more steeply down makes its outline taller, so the surface can
    fill a tall pane as well as a wide one.
    """
    best, best_area = elevations[0], -1.0
    for elevation in elevations:
        center, distance = frame_points(points, elevation, azimuth, fov, width, height, margins)
        w, h = screen_extent(points, center, distance, elevation, azimuth, fov, width, height)
        if w * h > best_area * 1.02:     # a clear gain only: keep the lower, more familiar view otherwise
            best, best_area = elevation, w * h
    return float(best)
