"""Which level lines to draw: round values, spread so that the lines neither crowd into bands nor leave
the interesting part of the map empty.

Equal steps of 1, 2 or 5 × 10^k are the default, so "the closer the lines, the steeper" holds.
Where equal steps would leave most of the map below the first line (f spans decades, as
Rosenbrock's does) the levels are log-spaced from the minimum instead: min + {1, 2, 5} × 10^k.
Around a minimum (or maximum) inside the map, where f is flat, the band next to it gets
sub-levels at 0.5, 0.2 and 0.1 of its width, so the rings around it are evenly spread.
"""
from __future__ import annotations

import math

import numpy as np

MANTISSAS = (1.0, 2.0, 5.0)
LOG_WHEN_BELOW_FIRST = 1 / 3   # equal steps are abandoned when this much of the map lies below the first
SUBDIVISIONS = (0.5, 0.2, 0.1)
MIN_POINTS_INSIDE = 4          # a log level enclosing fewer grid points than this would be a dot


def nice_step(raw: float) -> float:
    """The 1-2-5 × 10^k number nearest to `raw` on a log scale."""
    e = math.floor(math.log10(raw))
    candidates = [m * 10.0 ** k for k in (e - 1, e, e + 1) for m in MANTISSAS]
    return min(candidates, key=lambda s: abs(math.log10(s / raw)))


def roundest(low: float, high: float) -> float:
    """The roundest number in [low, high]: a multiple of the largest 1-2-5 × 10^k step that has one there."""
    if not high > low:
        return float(low)
    step = 10.0 ** (math.floor(math.log10(high - low)) + 1)
    while True:
        for s in (step, step / 2, step / 5):       # 10^k, then 5 × 10^(k-1), then 2 × 10^(k-1)
            first, last = math.ceil(low / s), math.floor(high / s)
            if first <= last:
                k = min(max(round(0.5 * (low + high) / s), first), last)   # the multiple nearest the middle
                return float(round(k * s, 1 - math.floor(math.log10(s))))  # 0.30000000000000004 -> 0.3
        step /= 10.0


def _equal_steps(lo: float, hi: float, count: int) -> np.ndarray:
    step = nice_step((hi - lo) / count)
    k = np.arange(math.floor(lo / step) + 1, math.ceil(hi / step))
    return np.round(k * step, 1 - math.floor(math.log10(step)))   # 3 * 0.1 -> 0.3, not 0.30000000000000004


def _log_steps(lo: float, hi: float, count: int, values: np.ndarray) -> np.ndarray:
    """lo + {1, 2, 5} × 10^k, rounded, from just below hi downwards while a level still encloses points."""
    span = hi - lo
    e = math.floor(math.log10(span))
    # min + d needs no more than two significant digits: d stays above a fifth of min's magnitude
    smallest = 0.2 * 10.0 ** math.floor(math.log10(abs(lo))) if lo != 0 else 0.0
    offsets = [m * 10.0 ** k for k in range(e, e - 16, -1) for m in reversed(MANTISSAS)]
    offsets = [d for d in offsets if smallest * (1 - 1e-9) <= d < span][:count]
    levels = np.unique([roundest(lo + 0.75 * d, lo + 1.35 * d) for d in offsets])  # windows of 1, 2, 5 do not overlap
    # points below each level, in one pass over the values
    below = np.cumsum(np.bincount(np.searchsorted(levels, values, side="right"), minlength=levels.size + 1))
    return levels[below[:-1] >= MIN_POINTS_INSIDE]


def _inside(z: np.ndarray, flat_index: int) -> bool:
    """Whether a grid point lies inside the map: off its edge, with every neighbour defined."""
    i, j = np.unravel_index(flat_index, z.shape)
    if i in (0, z.shape[0] - 1) or j in (0, z.shape[1] - 1):
        return False
    return bool(np.all(np.isfinite(z[i - 1:i + 2, j - 1:j + 2])))


def _subdivide(levels: np.ndarray, lo: float, hi: float, z: np.ndarray, low_end: bool) -> np.ndarray:
    """Sub-levels in the band next to the minimum (if low_end) and the maximum, when inside the map."""
    if levels.size == 0:
        return np.empty(0)
    extra = []
    finite = np.where(np.isfinite(z), z, np.nan)
    if low_end and _inside(z, int(np.nanargmin(finite))):
        width = levels[0] - lo
        extra += [roundest(lo + 0.8 * f * width, lo + 1.2 * f * width) for f in SUBDIVISIONS]
    if _inside(z, int(np.nanargmax(finite))):
        width = hi - levels[-1]
        extra += [roundest(hi - 1.2 * f * width, hi - 0.8 * f * width) for f in SUBDIVISIONS]
    return np.array(extra)


def contour_levels(z: np.ndarray, log: bool = False, count: int = 10, subdivide: bool = True) -> np.ndarray:
    """About `count` round level values strictly inside the finite range of z, ascending.

    log: space them as min + {1, 2, 5} × 10^k (also chosen on its own when equal steps would leave
    more than a third of the map below the first level). subdivide: add sub-levels around a flat
    extremum inside the map (see the module docstring).
    """
    levels, minor = levels_and_sub_levels(z, log, count)
    return levels if subdivide else levels[~minor]


def levels_and_sub_levels(z: np.ndarray, log: bool = False, count: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """contour_levels(z, log, count) and a mask of those that are sub-levels around an extremum."""
    z = np.asarray(z, dtype=float)
    finite = np.isfinite(z)
    values = z[finite] if not finite.all() else z.reshape(-1)
    if values.size == 0 or count < 1:
        return np.empty(0), np.empty(0, dtype=bool)
    lo, hi = float(values.min()), float(values.max())
    if not hi - lo > 1e-12 * max(abs(lo), abs(hi), 1e-300):
        return np.empty(0), np.empty(0, dtype=bool)
    if not log:
        log = np.count_nonzero(values < lo + (hi - lo) / count) > LOG_WHEN_BELOW_FIRST * values.size
    levels = _log_steps(lo, hi, count, values) if log else _equal_steps(lo, hi, count)
    levels = np.unique(levels[(levels > lo) & (levels < hi)])
    # log levels are already dense towards the minimum
    extra = _subdivide(levels, lo, hi, z, low_end=not log) if z.ndim == 2 else np.empty(0)
    extra = np.setdiff1d(extra[(extra > lo) & (extra < hi)], levels)
    both = np.concatenate([levels, extra])
    order = np.argsort(both)
    return both[order], np.arange(both.size)[order] >= levels.size


def iso_lines(x: np.ndarray, y: np.ndarray, z: np.ndarray, levels) -> list[np.ndarray]:
    """For each level, the level set of z[i, j] = f(x[i], y[j]) as (n, 2) vertices, pieces separated by NaN rows.

    contourpy's marching squares with linear interpolation along cell edges: the vertices lie on the
    level set of the interpolated surface, not on a staircase of grid cells. Cells with a value that
    is not finite are left out.
    """
    from contourpy import LineType, contour_generator

    z = np.asarray(z, dtype=float).T   # contourpy wants z[row = y, column = x]
    finite = np.isfinite(z)
    if not finite.any():
        return [np.empty((0, 2)) for _ in levels]
    if not finite.all():
        z = np.ma.masked_array(z, mask=~finite)
    generator = contour_generator(np.asarray(x, float), np.asarray(y, float), z, line_type=LineType.ChunkCombinedNan)
    lines = []
    for level in levels:
        chunk = generator.lines(float(level))[0][0]
        lines.append(np.empty((0, 2)) if chunk is None else np.asarray(chunk))
    return lines


def roundness(value: float) -> float:
    """The largest 1-2-5 × 10^k step that `value` is a multiple of (inf for 0): 40 -> 20, 30 -> 10, 0.05 -> 0.05."""
    if value == 0:
        return math.inf
    e = math.floor(math.log10(abs(value)))
    for k in range(e, e - 16, -1):
        for m in (5.0, 2.0, 1.0):
            s = m * 10.0 ** k
            q = value / s
            if abs(q - round(q)) < 1e-6 * max(1.0, abs(q)):
                return s
    return 0.0


def spaced_levels(x: np.ndarray, y: np.ndarray, z: np.ndarray, levels: np.ndarray,
                  min_width: float) -> tuple[np.ndarray, list[np.ndarray]]:
    """Drop levels until no band between neighbouring lines is thinner than `min_width` on average, and
    return the kept levels with their lines (as `iso_lines` gives them).

    A band's mean width is its area (grid cells between the two levels) over the mean length of
    its two lines; a band at either end is the region inside its one line, as wide as twice its area
    over that line's length. Of a band that is too thin, the less round
    level goes (30 before 40, 2 before 10), so the kept values stay the roundest ones.
    """
    levels = np.asarray(levels, dtype=float)
    lines = iso_lines(x, y, z, levels)
    if levels.size == 0:
        return levels, lines
    cell = abs((x[-1] - x[0]) / max(1, len(x) - 1) * (y[-1] - y[0]) / max(1, len(y) - 1))
    values = np.asarray(z, dtype=float)
    values = values[np.isfinite(values)]
    # area[k]: cells with levels[k-1] <= z < levels[k] (k = 0: below the first, k = n: above the last)
    area = list(np.bincount(np.searchsorted(levels, values, side="right"), minlength=levels.size + 1) * cell)
    length = [float(np.nansum(np.hypot(*np.diff(line, axis=0).T))) if len(line) > 1 else 0.0 for line in lines]
    keep = list(range(levels.size))

    def width(band: int) -> float:   # band b lies between keep[b-1] and keep[b]
        bounding = [length[keep[i]] for i in (band - 1, band) if 0 <= i < len(keep)]
        mean = sum(bounding) / len(bounding) if bounding else 0.0
        # an end band is the region inside its one line (a disc of radius r: area / length = r / 2)
        filled = 2.0 if len(bounding) == 1 else 1.0
        return filled * area[band] / mean if mean > 0 else math.inf

    while keep:
        widths = [width(b) for b in range(len(keep) + 1)]
        band = int(np.argmin(widths))
        if widths[band] >= min_width:
            break
        candidates = [i for i in (band - 1, band) if 0 <= i < len(keep)]
        drop = min(candidates, key=lambda i: (roundness(levels[keep[i]]), -abs(levels[keep[i]])))
        area[drop] += area.pop(drop + 1)   # the two bands either side of the dropped level become one
        keep.pop(drop)
    return levels[keep], [lines[i] for i in keep]
