"""A 2-D slice of a fit's mean loss: two trained parameters on a grid, the others held at given values.

The slice is a surface f(a, b) = L(θ) with θ's other entries fixed, so the views draw it like any
surface: `slice_map` returns the same `CurvatureMap` as `SurfaceCalculus.curvature_map` (x and y
are the two parameters' values; hxx, hxy, hyy the 2×2 block of L's Hessian that belongs to them,
and the classes are those of that block — the curvature of the slice, not of the whole of L).

Vectorised with the data axis last: a block of grid points is (r, ny) parameter values, expanded to
(r, ny, 1) against the columns (rows,), so each block is one (r, ny, rows) array expression whose
mean over the last axis autograd differentiates (SurfaceCalculus's recipe). Blocks hold about
BLOCK_ELEMENTS numbers: measured on 200×200 grids with 200 and 2,000 rows, 2^19 was fastest, and
it keeps the tape to some tens of MB. A block is never a single grid row: autograd then sums over
the size-1 axis too, which doubled the time.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from explorer.core.calculus import CurvatureMap, PointAnalysis, SurfaceCalculus, blocked_values, curvature_class
from explorer.core.expression import ERRORS
from explorer.core.fit import BLOCK_ELEMENTS, FitError, FitProblem


class SliceCalculus(SurfaceCalculus):
    """The mean loss as a surface of two trained parameters (`first` on x, `second` on y)."""

    def __init__(self, problem: FitProblem, first: str | int, second: str | int, at):
        self.problem = problem
        self.expression = problem.loss
        i, j = _index(problem, first), _index(problem, second)
        if i == j:
            raise FitError(f"the slice needs two different trained parameters, not '{problem.trained[i]}' twice")
        self.names = (problem.trained[i], problem.trained[j])
        held = problem.point(at)
        fn, columns = problem.loss_function, problem.column_arrays

        def mean_loss(A, B):
            args = [np.float64(v) for v in held]
            args[i], args[j] = A[..., None], B[..., None]   # the data axis is the last one
            return anp.mean(fn(*args, *columns), axis=-1)

        self._fn = mean_loss

    def block_points(self, ny: int) -> int:
        """Grid points per block: about BLOCK_ELEMENTS numbers, and at least two grid rows."""
        return max(2 * ny, BLOCK_ELEMENTS // self.problem.dataset.rows)

    def values(self, x, y) -> np.ndarray:
        """z[i, j] = L at (x[i], y[j]) in plain numpy, in blocks (no derivatives)."""
        return blocked_values(self._fn, x, y, self.block_points)

    def curvature_map(self, x, y, block_points: int | None = None, stop=None) -> CurvatureMap | None:
        """As SurfaceCalculus's (`stop()` asked between blocks; True abandons the map, None returned)."""
        y = np.asarray(y, float).reshape(-1)
        return super().curvature_map(x, y, block_points or self.block_points(y.size), stop=stop)


def slice_map(problem: FitProblem, first: str | int, second: str | int, x, y, at) -> CurvatureMap:
    """The curvature map of L over x (values of `first`) × y (values of `second`), the other trained
    parameters held at their entries of `at` (a full θ; its `first` and `second` entries are unused)."""
    return SliceCalculus(problem, first, second, at).curvature_map(x, y)


def _index(problem: FitProblem, name: str | int) -> int:
    if isinstance(name, (int, np.integer)) and not isinstance(name, bool):
        if not 0 <= name < problem.dimension:
            raise FitError(f"trained parameter number {name} does not exist (there are {problem.dimension})")
        return int(name)
    if name not in problem.trained:
        raise FitError(f"'{name}' is not a trained parameter (those are {', '.join(problem.trained)})")
    return problem.trained.index(name)


def block_analysis(analysis: PointAnalysis, first: int, second: int) -> PointAnalysis:
    """The slice's analysis from the whole one: the point, gradient and Hessian entries of two parameters,
    the eigen-pairs and class of that 2×2 block (what the map's overlays draw on the slice)."""
    k = [first, second]
    point, gradient = analysis.point[k], analysis.gradient[k]
    hessian = analysis.hessian[np.ix_(k, k)]
    finite = np.isfinite(analysis.value) and np.all(np.isfinite(gradient)) and np.all(np.isfinite(hessian))
    if not finite:
        return PointAnalysis(point, analysis.value, gradient, hessian, np.full(2, np.nan), np.full((2, 2), np.nan),
                             curvature_class(np.full(2, np.nan)))
    with np.errstate(**ERRORS):
        eigenvalues, eigenvectors = np.linalg.eigh(0.5 * hessian + 0.5 * hessian.T)
    return PointAnalysis(point, analysis.value, gradient, hessian, eigenvalues, eigenvectors,
                         curvature_class(eigenvalues))


def batch_slice_values(problem: FitProblem, first: str | int, second: str | int, at, rows, x, y) -> np.ndarray:
    """z[i, j] = the mean over the mini-batch `rows` (0-based row indices) of the per-row loss at
    first = x[i], second = y[j], the other trained parameters at their entries of `at`: the batch's own
    landscape on the map's slice. Plain numpy, values only (no derivatives), in blocks of about
    BLOCK_ELEMENTS numbers:  L_B(θ) = (1/|B|) Σ_{r ∈ B} ℓ(θ; row r). A network's: core.model_map (the penalty
    included, as its batch losses are)."""
    if getattr(problem, "network", None) is not None:
        from explorer.core.model_map import ModelSliceCalculus   # model_map builds on this module
        return ModelSliceCalculus(problem, first, second, at, rows).values(x, y)
    i, j = _index(problem, first), _index(problem, second)
    rows = np.asarray(rows, dtype=np.intp).reshape(-1)
    if rows.size == 0:
        raise FitError("a mini-batch holds at least one row")
    held = problem.point(at)
    columns = tuple(c[rows] for c in problem.column_arrays)
    x, y = np.asarray(x, float).reshape(-1), np.asarray(y, float).reshape(-1)
    z = np.empty((x.size, y.size))
    per_block = max(2 * y.size, BLOCK_ELEMENTS // rows.size)
    grid_rows = max(1, per_block // max(1, y.size))
    args = [np.float64(v) for v in held]
    with np.errstate(**ERRORS):
        for i0 in range(0, x.size, grid_rows):
            A, B = np.meshgrid(x[i0:i0 + grid_rows], y, indexing="ij")
            args[i], args[j] = A[..., None], B[..., None]   # the batch's rows on the last axis
            values = np.asarray(problem.loss_function(*args, *columns), float)
            z[i0:i0 + grid_rows] = np.mean(np.broadcast_to(values, A.shape + (rows.size,)), axis=-1)
    return z
