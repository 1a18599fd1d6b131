"""Basins of attraction: from every start of a grid, where a method ends — and what it found there.

    bmap = basins("(x^2+y-11)^2+(x+y^2-7)^2", "gd", x, y, settings={"lr": 0.01})
    bmap.label[i, j]     # the end reached from the start (x[i], y[j]); -1: none (see below)
    bmap.ends[k], bmap.kinds[k]

Rows and columns follow `calculus.CurvatureMap` and the grid command's npz: label[i, j] belongs
to (x[i], y[j]). Every start is walked by `basins_methods.walk` (all at once, the program's own
update rules and stop rules). A start that converged (|∇f| <= tolerance) is classified at its
end point as `trajectory.Run` does: by the Hessian's class there, and "still falling" when the
quadratic model's stationary point is more than FLAT_DISTANCE away. Converged ends of one kind
that lie within `merge_distance` of each other (chained cell by cell) are one end, shown by its
member with the smallest |∇f|. Label -1: diverged, step limit, singular Hessian, failed line
search, undefined start or still falling (`outcome` says which).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from explorer.core.basins_methods import (CONVERGED, METHODS as VECTORISED, OUTCOMES, STILL_FALLING,
                                          ArrayCalculus, symmetric_eigen, walk)
from explorer.core.calculus import CONCAVE, CONVEX, DEGENERATE, SADDLE, UNDEFINED, ZERO_TOLERANCE, grid_classes
from explorer.core.expression import ERRORS, Expression, parse
from explorer.core.objective import Objective
from explorer.core.methods import make_optimizer
from explorer.core.trajectory import FLAT_DISTANCE, NEARBY

KINDS = ("minimum", "saddle", "maximum", "degenerate")
MINIMUM, SADDLE_END, MAXIMUM, DEGENERATE_END = range(4)
_KIND_OF_CLASS = {CONVEX: MINIMUM, SADDLE: SADDLE_END, CONCAVE: MAXIMUM}
METHODS = tuple(VECTORISED)


@dataclass(frozen=True)
class BasinMap:
    """Where each start of an x × y grid ends: labels into `ends`, and why the others stopped."""

    x: np.ndarray            # (nx,)
    y: np.ndarray            # (ny,)
    label: np.ndarray        # (nx, ny) int64: index into ends, -1 for no end
    ends: np.ndarray         # (K, 2) the end points found, minima first, then saddles, maxima, degenerate
    kinds: tuple[str, ...]   # (K,) from KINDS
    end_values: np.ndarray   # (K,) f at the ends
    counts: np.ndarray       # (K,) starts that ended there
    outcome: np.ndarray      # (nx, ny) int8: index into basins_methods.OUTCOMES
    steps: np.ndarray        # (nx, ny) steps each start took
    final: np.ndarray        # (nx, ny, 2) where each start stopped
    method: str = ""
    settings: dict[str, float] = field(default_factory=dict)

    def arrays(self) -> dict[str, np.ndarray]:
        """What the basins command saves: x, y, label, ends, kinds (strings), and the rest."""
        return {"x": self.x, "y": self.y, "label": self.label, "ends": self.ends.reshape(-1, 2),
                "kinds": np.array(self.kinds, dtype="<U10"), "end_values": self.end_values,
                "counts": self.counts, "outcome": self.outcome, "outcomes": np.array(OUTCOMES),
                "steps": self.steps, "final": self.final}

    def unfinished(self) -> dict[str, int]:
        """How many starts have label -1, by reason (only reasons that occur)."""
        codes, n = np.unique(self.outcome[self.label < 0], return_counts=True)
        return {OUTCOMES[c]: int(k) for c, k in zip(codes, n)}


def basins(expression: Expression | str, method: str, x, y, *, params: Mapping[str, float] | None = None,
           settings: Mapping[str, float] | None = None, max_steps: int = 300, tolerance: float = 1e-6,
           bound: float = 1e8, merge_distance: float | None = None, progress=None, schedule=None) -> BasinMap:
    """The basin map of `method` (with `settings` by optimizers.py's names) from the starts x × y.

    progress(done, total): see `basins_methods.walk`; returning False raises basins_methods.Cancelled.
    schedule: a learning-rate schedule (core.schedules) of a first-order method, as the run has it.

    merge_distance: ends closer than this are one (default: 1% of the grid's diagonal, at most
    FLAT_DISTANCE). ValueError for a method without a vectorised form or a bad setting.
    """
    if isinstance(expression, str):
        expression = parse(expression, ("x", "y"))
    if method not in VECTORISED:
        raise ValueError(f"basins: '{method}' has no vectorised form here (choose from {', '.join(METHODS)})")
    full = make_optimizer(method, Objective(expression, params), schedule=schedule, **dict(settings or {})).settings()
    x, y = (np.asarray(a, dtype=float).reshape(-1) for a in (x, y))
    if x.size == 0 or y.size == 0 or not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("basins: the start axes must be non-empty and finite")
    if merge_distance is None:
        diagonal = float(np.hypot(np.ptp(x), np.ptp(y)))
        merge_distance = min(FLAT_DISTANCE, 0.01 * diagonal) if diagonal > 0 else FLAT_DISTANCE
    if not merge_distance > 0:
        raise ValueError("basins: merge_distance must be positive")

    calculus = ArrayCalculus(expression, params)
    X, Y = np.meshgrid(x, y, indexing="ij")
    w = walk(calculus, method, full, np.c_[X.ravel(), Y.ravel()], int(max_steps), float(tolerance), float(bound),
             progress=progress, schedule=schedule)
    outcome = w.outcome.copy()
    label = np.full(outcome.shape, -1, dtype=np.int64)
    converged = np.nonzero(outcome == CONVERGED)[0]
    kinds, flat, values, norms = classify_ends(calculus, w.final[converged], float(tolerance))
    outcome[converged[flat]] = STILL_FALLING
    ended = converged[~flat]
    groups, ends, end_kinds, end_values = group_ends(w.final[ended], kinds[~flat], values[~flat], norms[~flat],
                                                     merge_distance)
    label[ended] = groups
    shape = (x.size, y.size)
    return BasinMap(x, y, label.reshape(shape), ends, tuple(KINDS[k] for k in end_kinds), end_values,
                    np.bincount(groups, minlength=len(ends)).astype(np.int64), outcome.reshape(shape),
                    w.steps.reshape(shape), w.final.reshape(shape + (2,)), method, full)


def classify_ends(calculus: ArrayCalculus, points, tolerance: float = 1e-6
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per converged end point: kind (index into KINDS), still falling?, f, |∇f| — Run's rules, vectorised
    (a class that does not hold where |∇f| may still be <= tolerance is degenerate, as in trajectory)."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(points) == 0:
        return np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0), np.zeros(0)
    z, gx, gy, hxx, hxy, hyx, hyy = calculus.derivatives(points[:, 0].copy(), points[:, 1].copy())
    with np.errstate(**ERRORS):
        s = 0.5 * hxy + 0.5 * hyx   # the symmetric part, as PointCalculus.analyze_derivatives takes it
        (lo, hi), v1, v2 = symmetric_eigen(hxx, s, hyy)
        classes = grid_classes(z, gx, gy, hxx, s, hyy, eigenvalues=np.stack([lo, hi], axis=-1))
        # trajectory.model_step: d = −Σ (vᵢ·∇f)/cᵢ vᵢ, cᵢ = sign(λᵢ)·max(|λᵢ|, 1e-9·max|λ|)
        top = np.maximum(np.abs(lo), np.abs(hi))
        c1, c2 = (np.where(lam < 0, -1.0, 1.0) * np.maximum(np.abs(lam), ZERO_TOLERANCE * top) for lam in (lo, hi))
        distance = np.hypot((v1[0] * gx + v1[1] * gy) / c1, (v2[0] * gx + v2[1] * gy) / c2)
        distance = np.where((gx == 0) & (gy == 0), 0.0, np.where(top == 0, np.inf, distance))
    kinds = np.array([_KIND_OF_CLASS.get(int(k), DEGENERATE_END) for k in classes], dtype=np.int64)
    flat = (classes != UNDEFINED) & ~(distance <= FLAT_DISTANCE)
    kinds[_class_changes_nearby(calculus, points, classes, lo, hi, v1, v2, np.hypot(gx, gy), tolerance)] = DEGENERATE_END
    return kinds, flat, np.asarray(z, float), np.hypot(gx, gy)


def _class_changes_nearby(calculus, points, classes, lo, hi, v1, v2, norms, tolerance) -> np.ndarray:
    """trajectory's rule, vectorised: at x ± NEARBY·(tolerance + |∇f|)/|λ|min along the flattest eigenvector,
    is the class another (not degenerate)? Only minima, saddles and maxima are asked."""
    changed = np.zeros(len(points), dtype=bool)
    asked = np.nonzero(np.isin(classes, list(_KIND_OF_CLASS)))[0]
    if asked.size == 0:
        return changed
    weak_lo = np.abs(lo[asked]) <= np.abs(hi[asked])
    weakest = np.where(weak_lo, np.abs(lo[asked]), np.abs(hi[asked]))
    direction = np.where(weak_lo, np.asarray(v1)[:, asked], np.asarray(v2)[:, asked]).T
    reach = (NEARBY * (tolerance + norms[asked]) / weakest)[:, None]
    for sign in (-1.0, 1.0):
        q = points[asked] + sign * reach * direction
        with np.errstate(**ERRORS):
            z, gx, gy, hxx, hxy, hyx, hyy = calculus.derivatives(q[:, 0].copy(), q[:, 1].copy())
            h = 0.5 * hxy + 0.5 * hyx
            (a, b), _, _ = symmetric_eigen(hxx, h, hyy)
            there = grid_classes(z, gx, gy, hxx, h, hyy, eigenvalues=np.stack([a, b], axis=-1))
        changed[asked] |= (there != classes[asked]) & (there != DEGENERATE)
    return changed


def group_ends(points, kinds, values, norms, radius: float):
    """Ends of one kind within `radius` (chained) are one: (group per point, ends, kinds, values).

    Groups are ordered by kind (KINDS order), then x, then y; each is shown by its member with
    the smallest |∇f|.
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    ids = np.full(len(points), -1, dtype=np.int64)
    count = 0
    for kind in np.unique(kinds):
        members = np.nonzero(kinds == kind)[0]
        part = _components(points[members], radius)
        ids[members] = part + count
        count += int(part.max()) + 1
    best = np.zeros(count, dtype=np.int64)
    order = np.lexsort((norms, ids))               # within each group, the smallest |∇f| first
    first = np.r_[True, ids[order][1:] != ids[order][:-1]] if len(order) else np.zeros(0, bool)
    best[ids[order][first]] = order[first]
    ends, end_kinds = points[best], kinds[best]
    rank = np.lexsort((ends[:, 1], ends[:, 0], end_kinds))
    new_id = np.empty(count, dtype=np.int64)
    new_id[rank] = np.arange(count)
    return new_id[ids], ends[rank], end_kinds[rank], values[best][rank]


def _components(points: np.ndarray, radius: float) -> np.ndarray:
    """Connected groups of points whose cells of side `radius` touch (8 neighbours); ids 0..C-1."""
    scale = max(radius, 1e-12 * (1.0 + float(np.max(np.abs(points)))))   # cells stay countable in int64
    cells = np.floor(points / scale).astype(np.int64)
    unique, inverse = np.unique(cells, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    where = {cell: i for i, cell in enumerate(map(tuple, unique.tolist()))}
    parent = list(range(len(unique)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (cx, cy), i in where.items():
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                j = where.get((cx + dx, cy + dy))
                if j is not None:
                    parent[root(i)] = root(j)
    roots = np.array([root(i) for i in range(len(unique))])
    _, compact = np.unique(roots, return_inverse=True)
    return compact.reshape(-1)[inverse]
