"""Plane geometry for drawing paths on the surface: clip to the domain, drape on the drawn mesh.

Pure numpy on points the runs already hold and the grid the controller already computed; nothing
here evaluates f or a derivative.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SAMPLES_PER_CELL = 1.0   # a path is sampled about once per grid cell so it follows the mesh
MAX_SAMPLES = 24         # per step: a long jump is still drawn with a bounded cost
EPS = 1e-12


@dataclass
class ClippedPath:
    """The parts of a path inside a box, and where it crossed the box's edge."""

    segments: np.ndarray                 # (m, 2, 2) visible pieces, in the path's order
    steps: np.ndarray                    # (m,) the step each piece ends (segment i -> i+1 is step i+1)
    exits: list[tuple[int, np.ndarray]] = field(default_factory=list)    # (step, boundary point)
    returns: list[int] = field(default_factory=list)                     # steps that came back inside
    start_inside: bool = True
    end_inside: bool = True

    @property
    def first_exit(self) -> int | None:
        return self.exits[0][0] if self.exits else None


def inside(points, x_range, y_range) -> np.ndarray:
    p = np.asarray(points, float).reshape(-1, 2)
    (x0, x1), (y0, y1) = x_range, y_range
    tol = 1e-9 * max(x1 - x0, y1 - y0)
    return (p[:, 0] >= x0 - tol) & (p[:, 0] <= x1 + tol) & (p[:, 1] >= y0 - tol) & (p[:, 1] <= y1 + tol)


def clip_path(points, x_range, y_range) -> ClippedPath:
    """Liang–Barsky on every segment at once: the part of P→Q inside is P + t(Q − P), t ∈ [t_in, t_out].

    Steps that start or end inside are kept, cut at the edge; steps outside at both ends are dropped.
    """
    p = np.asarray(points, float).reshape(-1, 2)
    flags = inside(p, x_range, y_range)
    if len(p) < 2:
        return ClippedPath(np.zeros((0, 2, 2)), np.zeros(0, int), start_inside=bool(flags[:1].all()),
                           end_inside=bool(flags[-1:].all()))
    a, b = p[:-1], p[1:]
    d = b - a
    t_in, t_out = np.zeros(len(a)), np.ones(len(a))
    with np.errstate(divide="ignore", invalid="ignore"):
        for axis, (lo, hi) in enumerate((x_range, y_range)):
            moving = np.abs(d[:, axis]) > EPS
            t1 = np.where(moving, (lo - a[:, axis]) / d[:, axis], -np.inf)
            t2 = np.where(moving, (hi - a[:, axis]) / d[:, axis], np.inf)
            still_out = ~moving & ((a[:, axis] < lo) | (a[:, axis] > hi))
            t_in = np.maximum(t_in, np.where(still_out, np.inf, np.minimum(t1, t2)))
            t_out = np.minimum(t_out, np.where(still_out, -np.inf, np.maximum(t1, t2)))
    # a step from outside to outside is not drawn even where its chord crosses the box: after a
    # path has left, only its way back in is news (a diverging path would otherwise cross and recross)
    visible = (t_in <= t_out) & (flags[:-1] | flags[1:])
    segments = np.stack([a + t_in[:, None] * d, a + t_out[:, None] * d], axis=1)[visible]
    steps = np.arange(1, len(p))[visible]
    leaving = np.flatnonzero(flags[:-1] & ~flags[1:])
    exits = [(int(i) + 1, a[i] + t_out[i] * d[i]) for i in leaving]
    returns = [int(i) + 1 for i in np.flatnonzero(~flags[:-1] & flags[1:])]
    return ClippedPath(segments, steps, exits, returns, bool(flags[0]), bool(flags[-1]))


def subdivide(segments: np.ndarray, cell: float, owners: bool = False):
    """(m, 2, 2) segments -> (k, 2, 2) shorter ones, about one grid `cell` long (at most MAX_SAMPLES each);
    with `owners`, also the index of the segment each piece comes from."""
    if len(segments) == 0:
        return (segments, np.zeros(0, int)) if owners else segments
    a, b = segments[:, 0], segments[:, 1]
    length = np.linalg.norm(b - a, axis=1)
    count = np.clip(np.ceil(length * SAMPLES_PER_CELL / max(cell, EPS)), 1, MAX_SAMPLES).astype(int)
    owner = np.repeat(np.arange(len(a)), count)
    first = np.repeat(np.cumsum(count) - count, count)
    k = np.arange(owner.size) - first
    t0, t1 = k / count[owner], (k + 1) / count[owner]
    d = (b - a)[owner]
    pieces = np.stack([a[owner] + t0[:, None] * d, a[owner] + t1[:, None] * d], axis=1)
    return (pieces, owner) if owners else pieces


def mesh_height(points, xs: np.ndarray, ys: np.ndarray, heights: np.ndarray) -> np.ndarray:
    """Heights of (x, y) points on the triangulated grid exactly as GLSurfacePlotItem draws it.

    Each cell (i, j) is split along the diagonal (i, j+1)–(i+1, j): below it the plane through
    (i, j), (i+1, j), (i, j+1); above it the plane through (i+1, j+1), (i+1, j), (i, j+1).
    """
    p = np.asarray(points, float)
    shape = p.shape[:-1]
    p = p.reshape(-1, 2)
    n, m = heights.shape
    dx, dy = (xs[-1] - xs[0]) / (n - 1), (ys[-1] - ys[0]) / (m - 1)
    fu, fv = (p[:, 0] - xs[0]) / dx, (p[:, 1] - ys[0]) / dy
    i, j = np.clip(np.floor(fu).astype(int), 0, n - 2), np.clip(np.floor(fv).astype(int), 0, m - 2)
    u, v = np.clip(fu - i, 0, 1), np.clip(fv - j, 0, 1)
    z00, z10, z01, z11 = heights[i, j], heights[i + 1, j], heights[i, j + 1], heights[i + 1, j + 1]
    lower = z00 + u * (z10 - z00) + v * (z01 - z00)
    upper = z11 + (1 - u) * (z01 - z11) + (1 - v) * (z10 - z11)
    return np.where(u + v <= 1, lower, upper).reshape(shape)


def as_strip(pieces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(k, 2, 2) pieces -> one polyline (n, 2) and the opacity of each vertex (n,).

    Pieces that join end to start become one line; between pieces that do not (where a path left
    the box and came back) the line goes on with two fully transparent vertices, so one GL line
    strip draws every piece without a bridge anyone can see.
    """
    if len(pieces) == 0:
        return np.zeros((0, 2)), np.zeros(0)
    breaks = np.flatnonzero(np.any(np.abs(pieces[1:, 0] - pieces[:-1, 1]) > EPS, axis=1)) + 1
    points, alpha = [], []
    for k, run in enumerate(np.split(pieces, breaks)):
        line = np.concatenate([run[:1, 0], run[:, 1]])
        if k:
            points.append(np.stack([points[-1][-1], line[0]]))
            alpha.append(np.zeros(2))
        points.append(line)
        alpha.append(np.ones(len(line)))
    return np.concatenate(points), np.concatenate(alpha)


class DrapedPath:
    """A run's path as the 3D view draws it — cut to the domain, sampled about once a grid cell, laid on the
    mesh as one strip (`as_strip`) — kept in arrays that grow by doubling. `show(path)` works only on the
    steps it has not seen, and a shorter path (Back) is a prefix of what it has: a frame's cost does not
    grow with the run's history. The same numbers as cutting and draping the whole shown path each time.

    `drape((k, 2)) -> (k, 3)` lays plane points on the mesh; `source` is the run's History (a new one
    means a new run: build a new DrapedPath)."""

    def __init__(self, source, domain, cell: float, drape):
        self.source, self.domain, self.cell, self.drape = source, domain, cell, drape
        self.count = 0                          # path points taken in
        self.size = 0                           # strip vertices
        self._pos = np.empty((64, 3), np.float32)
        self._alpha = np.empty(64, np.float32)
        self._step = np.empty(64, np.int64)     # the step each vertex belongs to (non-decreasing)
        self._end = None                        # the strip's last plane point
        self.exits: list[tuple[int, np.ndarray]] = []
        self.returns: list[int] = []
        self.start_inside = True
        self._flags = np.zeros(0, bool)         # inside the domain, per path point taken in (grows by doubling)

    def show(self, path) -> tuple[np.ndarray, np.ndarray, ClippedPath]:
        """(vertices (n, 3), their opacity (n,), the clipping facts) of `path` (k, 2), a prefix of the run's."""
        path = np.asarray(path, float).reshape(-1, 2)
        k = len(path)
        if k > self.count:
            self._take(path)
        n = int(np.searchsorted(self._step[:self.size], k - 1, side="right")) if k else 0
        exits = [(s, p) for s, p in self.exits if s <= k - 1]
        clipped = ClippedPath(np.zeros((0, 2, 2)), np.zeros(0, int), exits, [s for s in self.returns if s <= k - 1],
                              self.start_inside if k else True, bool(self._flags[k - 1]) if k else True)
        return self._pos[:n], self._alpha[:n], clipped

    def _take(self, path) -> None:
        start = max(0, self.count - 1)          # the last point taken in begins the first new step
        new = path[start:]
        flags = inside(new, *self.domain)
        self._grow_flags(len(path))
        self._flags[start:len(path)] = flags
        if self.count == 0:
            self.start_inside = bool(flags[0])
        clipped = clip_path(new, *self.domain)
        self.exits += [(step + start, p) for step, p in clipped.exits]
        self.returns += [step + start for step in clipped.returns]
        pieces, owner = subdivide(clipped.segments, self.cell, owners=True)
        self.count = len(path)
        if not len(pieces):
            return
        steps = clipped.steps[owner] + start
        # a strip per run of joined pieces; a gap (the path left and came back) is bridged by two clear vertices
        breaks = np.flatnonzero(np.any(np.abs(pieces[1:, 0] - pieces[:-1, 1]) > EPS, axis=1)) + 1
        points, alpha, vertex_steps = [], [], []
        for first, run in zip(np.concatenate([[0], breaks]), np.split(pieces, breaks)):
            step = steps[first:first + len(run)]
            joined = self._end is not None and not np.any(np.abs(run[0, 0] - self._end) > EPS)
            if self._end is not None and not joined:
                points.append(np.stack([self._end, run[0, 0]]))
                alpha.append(np.zeros(2))
                vertex_steps.append(np.full(2, step[0]))
            line = run[:, 1] if joined else np.concatenate([run[:1, 0], run[:, 1]])
            points.append(line)
            alpha.append(np.ones(len(line)))
            vertex_steps.append(step if joined else np.concatenate([step[:1], step]))
            self._end = run[-1, 1]
        self._append(np.concatenate(points), np.concatenate(alpha), np.concatenate(vertex_steps))

    def _append(self, points, alpha, steps) -> None:
        m = len(points)
        while self.size + m > len(self._pos):
            self._pos = np.concatenate([self._pos, np.empty_like(self._pos)])
            self._alpha = np.concatenate([self._alpha, np.empty_like(self._alpha)])
            self._step = np.concatenate([self._step, np.empty_like(self._step)])
        self._pos[self.size:self.size + m] = self.drape(points)
        self._alpha[self.size:self.size + m] = alpha
        self._step[self.size:self.size + m] = steps
        self.size += m

    def _grow_flags(self, k: int) -> None:
        if k > len(self._flags):
            grown = np.zeros(max(k, 2 * len(self._flags), 64), bool)
            grown[:len(self._flags)] = self._flags
            self._flags = grown
