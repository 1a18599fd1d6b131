"""A long path drawn at screen resolution: the points closer than a fraction of a pixel to the last one kept are
left out, so a run at step 10,000 that has crept a few pixels is drawn with a few points, not 10,000.

Greedy radial thinning: a point is kept when it is at least `tolerance` from the last point kept; the last
point of the path is always drawn. Every point left out is within `tolerance` of a kept point that the
drawn polyline passes through, so the picture differs from the full path by less than `tolerance`
(half a pixel). Points are taken in once, as the run grows; a shorter path (Back) is a prefix of the
points kept. Pure numpy and Python on points the run already holds.
"""
from __future__ import annotations

import numpy as np


class ThinnedPath:
    """One run's kept points for one `tolerance` (a new pixel size or a new run: make a new one)."""

    def __init__(self, source, tolerance: float):
        self.source, self.tolerance = source, float(tolerance)
        self.count = 0                                  # path points taken in
        self._kept = np.empty(64, np.int64)             # indices into the path, ascending
        self.size = 0
        self._last = None

    def show(self, path) -> np.ndarray:
        """The points of `path` (k, 2) — a prefix of the run's path — to draw."""
        path = np.asarray(path, float).reshape(-1, 2)
        k = len(path)
        if k > self.count:
            self._take(path)
        n = int(np.searchsorted(self._kept[:self.size], k - 1, side="right"))
        kept = self._kept[:n]
        if not n or kept[-1] != k - 1:
            kept = np.append(kept, k - 1) if k else kept
        return path[kept]

    def _take(self, path) -> None:
        squared = self.tolerance * self.tolerance
        last = self._last
        for i in range(self.count, len(path)):
            p = path[i]
            if last is None or not np.all(np.isfinite(p)) or (p[0] - last[0]) ** 2 + (p[1] - last[1]) ** 2 >= squared:
                if self.size == len(self._kept):
                    self._kept = np.concatenate([self._kept, np.empty_like(self._kept)])
                self._kept[self.size] = i
                self.size += 1
                last = p
        self._last, self.count = last, len(path)
