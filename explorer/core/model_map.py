"""A 2-D slice of a network's training loss: two of its parameters on a grid, the others held.

The slice f(a, b) = L(θ) with θ's other entries fixed is drawn like any surface: `ModelSliceCalculus`
is a SurfaceCalculus whose function of the grid arrays (A, B) evaluates the network for every grid
point at once, and autograd differentiates it over whole blocks (hxx, hxy, hyy: the 2×2 block of L's
Hessian that belongs to the two parameters, as core.fit_map says for typed fits).

Only what the two parameters change is computed per grid point. Layers before the first layer they
touch do not depend on them: their activations are computed once. In that layer only the columns the
two parameters feed change (at most two), so the next layer's input changes by a rank-≤2 update of
its pre-activations; only later layers are evaluated whole, per grid point. Two parameters of the
last layer (the default axes, core.model_scene.default_axes) cost one pass over the rows per grid
point; two of the first layer of a 2-64-64-1 network cost about 64 numbers per row per point.
Blocks hold about BLOCK_ELEMENTS numbers of the widest per-point array.

The map is thinned where it would cost more than MAP_WORK such numbers (grid points × the widest
per-point array): an even grid over the same window with fewer points per axis (never below
MIN_POINTS), so a map over a first layer of a big network arrives in seconds, coarser, rather than in
minutes. Measured here: ~0.4 µs per number for the map's value, gradient and 2×2 Hessian.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from explorer.core.calculus import CurvatureMap, SurfaceCalculus, blocked_values
from explorer.core.model_fit import ModelProblem

BLOCK_ELEMENTS = 2**20   # numbers of the widest per-point array in one block of grid points
MAP_WORK = 2**24         # numbers a whole curvature map may cost (module docstring): a few seconds
MIN_POINTS = 15          # points per axis of a thinned map


class BlockedSlice(SurfaceCalculus):
    """A network's loss over a plane of its parameters, evaluated in blocks of grid points: a subclass sets
    `_fn(A, B)` (the loss at every grid point at once) and `_per_point` (numbers of its widest array per point)."""

    _per_point = 1

    def drawn_points(self, n: int) -> int:
        """Points per axis of the curvature map asked at n × n (fewer where thinned)."""
        axis = np.linspace(0.0, 1.0, int(n))
        return int(thinned(axis, axis, self._per_point)[0].size)

    def block_points(self, ny: int) -> int:
        """Grid points per block: about BLOCK_ELEMENTS numbers, and at least two grid rows."""
        return max(2 * ny, BLOCK_ELEMENTS // max(1, self._per_point))

    def values(self, x, y) -> np.ndarray:
        """z[i, j] = L at (x[i], y[j]) in plain numpy, in blocks (no derivatives)."""
        return blocked_values(self._fn, x, y, self.block_points)

    def curvature_map(self, x, y, block_points: int | None = None, stop=None) -> CurvatureMap | None:
        """As SurfaceCalculus's, thinned where it would cost more than MAP_WORK (`stop()` asked between blocks;
        True abandons the map, None returned)."""
        x, y = thinned(np.asarray(x, float).reshape(-1), np.asarray(y, float).reshape(-1), self._per_point)
        return super().curvature_map(x, y, block_points or self.block_points(y.size), stop=stop)


class ModelSliceCalculus(BlockedSlice):
    """L of a network as a surface of two of its parameters (`first` on x, `second` on y)."""

    def __init__(self, problem: ModelProblem, first: int, second: int, at, rows=None):
        """`rows`: indices into the training rows (a mini-batch's landscape); None: every training row."""
        self.problem, self.expression = problem, None
        i, j = _index(problem, first), _index(problem, second)
        if i == j:
            raise ValueError(f"the slice needs two different parameters, not '{problem.trained[i]}' twice")
        self.names = (problem.trained[i], problem.trained[j])
        network = problem.network
        theta = problem.point(at).copy()
        X, self._y = problem.X_train, problem.y_train
        if rows is not None:
            rows = np.asarray(rows, dtype=np.intp).reshape(-1)
            X, self._y = X[rows], self._y[rows]
        layers = network._layers
        self._weights = [theta[ws:we].reshape(shape) for ws, we, shape, _, _ in layers]
        self._biases = [theta[bs:be] for _, _, _, bs, be in layers]
        self._axes = [_place(layers, i), _place(layers, j)]
        self._held = (theta[i], theta[j])
        self._first = min(k for k, *_ in self._axes)
        self._act, self._network = network._act, network
        a = X
        for k in range(self._first):   # the layers before the first one touched: once, for every point
            a = self._activate(a @ self._weights[k] + self._biases[k], k)
        self._prefix = a
        self._penalty0 = float(network.penalty(theta))
        widths = [w.shape[1] for w in self._weights]
        self._per_point = len(self._y) * max([2, widths[-1], *widths[self._first + 1:]])

        def mean_loss(A, B):
            return self._loss(A, B)

        self._fn = mean_loss

    def _activate(self, z, k):
        last = k == len(self._weights) - 1
        return z if last or self._act is None else self._act(z)

    def _loss(self, A, B):
        values = (A, B)
        base = self._prefix @ self._weights[self._first] + self._biases[self._first]   # (rows, fan-out)
        changed = {}   # column -> pre-activations (..., rows) of that column for every point
        for (k, kind, r, c), v, v0 in zip(self._axes, values, self._held):
            if k != self._first:
                continue
            column = changed.get(c, base[:, c])
            step = anp.expand_dims(v - v0, -1)
            changed[c] = column + step * (self._prefix[:, r] if kind == "W" else 1.0)
        last = len(self._weights) - 1
        if self._first == last:
            z = _with_columns(base, changed)
        else:
            a0 = self._activate(base, self._first)
            z = self._weights_on(a0, {c: self._activate(v, self._first) for c, v in changed.items()}, values)
            for k in range(self._first + 2, last + 1):
                a = self._activate(z, k - 1)
                z = anp.matmul(a, self._weights[k]) + self._biases[k]
                z = self._touch(z, a, k, values)
        loss = self._network._mean_loss(z, self._y)
        return loss + self._penalty(values)

    def _weights_on(self, a0, columns, values):
        """Layer first+1's pre-activations: the held ones, changed by the columns of its input that moved."""
        k = self._first + 1
        z = a0 @ self._weights[k] + self._biases[k]
        for c, a_c in columns.items():   # a rank-≤2 update: only these columns of the input moved
            z = z + anp.expand_dims(a_c - a0[:, c], -1) * self._weights[k][c]
        a_of = (lambda r: columns.get(r, a0[:, r]))
        return self._touch(z, a_of, k, values)

    def _touch(self, z, a, k, values):
        """z of layer k with that layer's axis parameters at the grid's values (`a`: its input, an array or a
        function of the column)."""
        for (layer, kind, r, c), v, v0 in zip(self._axes, values, self._held):
            if layer != k:
                continue
            column = (a(r) if callable(a) else a[..., r]) if kind == "W" else 1.0
            one_hot = np.eye(z.shape[-1])[c]
            z = z + anp.expand_dims(anp.expand_dims(v - v0, -1) * column, -1) * one_hot
        return z

    def _penalty(self, values):
        """The penalty at the grid's values: the held θ's, changed by the axis parameters that are weights."""
        out = self._penalty0
        for (k, kind, r, c), v, v0 in zip(self._axes, values, self._held):
            if kind == "W":
                out = out + self._network.l2 * (v * v - v0 * v0) + self._network.l1 * (anp.abs(v) - abs(v0))
        return out



def thinned(x: np.ndarray, y: np.ndarray, per_point: int) -> tuple[np.ndarray, np.ndarray]:
    """x and y, or even grids over the same ends with fewer points if x × y would cost more than MAP_WORK."""
    share = MAP_WORK / max(1, per_point * x.size * y.size)
    if share >= 1 or x.size < 2 or y.size < 2:
        return x, y
    scale = np.sqrt(share)
    return tuple(np.linspace(v[0], v[-1], max(MIN_POINTS, min(v.size, int(v.size * scale)))) for v in (x, y))


def model_slice_map(problem: ModelProblem, first: int, second: int, x, y, at) -> CurvatureMap:
    """The curvature map of L over x (values of parameter `first`) × y (of `second`), the others at `at`'s."""
    return ModelSliceCalculus(problem, first, second, at).curvature_map(x, y)


def _index(problem: ModelProblem, name) -> int:
    if isinstance(name, (int, np.integer)) and not isinstance(name, bool):
        if not 0 <= name < problem.dimension:
            raise ValueError(f"parameter number {name} does not exist (there are {problem.dimension:,})")
        return int(name)
    if name not in problem.trained:
        raise ValueError(f"'{name}' is not a parameter of {problem.spec.text}")
    return problem.trained.index(name)


def _place(layers, index: int) -> tuple[int, str, int, int]:
    """(layer, "W" or "b", row, column) of flat coordinate `index` (a bias's row is 0)."""
    for k, (ws, we, shape, bs, be) in enumerate(layers):
        if ws <= index < we:
            r, c = divmod(index - ws, shape[1])
            return k, "W", r, c
        if bs <= index < be:
            return k, "b", 0, index - bs
    raise ValueError(f"parameter number {index} does not exist")


def _with_columns(base, columns):
    """base (rows, m) with the given columns replaced by per-point arrays (..., rows): (..., rows, m)."""
    eye = np.eye(base.shape[-1])
    z = base
    for c, v in columns.items():
        z = z + anp.expand_dims(v - base[:, c], -1) * eye[c]
    return z

