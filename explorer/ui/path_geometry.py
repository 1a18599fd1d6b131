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


def subdivide(segments: np.ndarray, cell: float) -> np.ndarray:
    """(m, 2, 2) segments -> (k, 2, 2) shorter ones, about one grid `cell` long (at most MAX_SAMPLES each)."""
    if len(segments) == 0:
        return segments
    a, b = segments[:, 0], segments[:, 1]
    length = np.linalg.norm(b - a, axis=1)
    count = np.clip(np.ceil(length * SAMPLES_PER_CELL / max(cell, EPS)), 1, MAX_SAMPLES).astype(int)
    owner = np.repeat(np.arange(len(a)), count)
    first = np.repeat(np.cumsum(count) - count, count)
    k = np.arange(owner.size) - first
    t0, t1 = k / count[owner], (k + 1) / count[owner]
    d = (b - a)[owner]
    return np.stack([a[owner] + t0[:, None] * d, a[owner] + t1[:, None] * d], axis=1)


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
