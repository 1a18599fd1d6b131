"""Value, gradient, Hessian, eigen-pairs and curvature class: at a point and on grids.

Every derivative comes from autograd. Build a calculator once per expression and reuse it:
autograd re-traces on every call, so the cost is per call, not per construction.

Curvature rule: an eigenvalue λ counts as zero when |λ| <= 1e-9 * max|λ| (relative to the largest,
so f and c*f, c > 0, always get the same class; an all-zero Hessian is degenerate). The class is
undefined (-1) when the value or any derivative is not finite (decided first), degenerate (0)
when an eigenvalue is zero, else convex (1, all > 0), concave (2, all < 0) or saddle (3, mixed).

On a map the Hessian's scale is also the map's: an eigenvalue with |λ| <= 1e-9 × the map's curvature
scale (the 99th percentile over its defined cells of max|λ|, so that a few cells beside a pole do not set
it) is zero too. Where a logistic loss saturates, autograd's σ − σ² cancels to rounding noise (eigenvalues
±1e-17 beside a map scale of 0.5): by the point's own scale alone that noise is a "saddle". Scaling f by
c > 0 scales both, so f and c·f still get the same classes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
from autograd.builtins import tuple as ag_tuple
from autograd.core import make_vjp
from autograd.tracer import getval

from explorer.core.expression import ERRORS, Expression, parse
from explorer.core.grid_recipe import forward_is_cheaper, jvp as _jvp

ZERO_TOLERANCE = 1e-9  # relative: |λ| <= ZERO_TOLERANCE * max|λ| counts as zero
MAP_SCALE_PERCENTILE = 99  # a map's curvature scale: this percentile of its cells' max|λ| (module docstring)

UNDEFINED, DEGENERATE, CONVEX, CONCAVE, SADDLE = -1, 0, 1, 2, 3
CLASS_NAMES = {UNDEFINED: "undefined", DEGENERATE: "degenerate", CONVEX: "convex",
               CONCAVE: "concave", SADDLE: "saddle"}


def _tie(out, inp):
    # out + 0·inp: exactly `out`, but always on the tape, so autograd neither warns
    # "Output seems independent of input" nor loses the shape of a constant result.
    return out + 0.0 * inp


def as_point(point, variables) -> np.ndarray:
    """`point` as floats, one coordinate per variable (ValueError naming them otherwise)."""
    p = np.asarray(point, dtype=float).reshape(-1)
    if p.shape != (len(variables),):
        raise ValueError(f"expected a point with {len(variables)} coordinates ({', '.join(variables)}), got {p.size}")
    return p


def curvature_class(eigenvalues: np.ndarray) -> int:
    """Class code of one point from its Hessian eigenvalues (rule in the module docstring)."""
    lam = np.asarray(eigenvalues, dtype=float)
    if not np.all(np.isfinite(lam)):
        return UNDEFINED
    tol = ZERO_TOLERANCE * float(np.max(np.abs(lam), initial=0.0))
    if np.any(np.abs(lam) <= tol):
        return DEGENERATE
    if np.all(lam > 0):
        return CONVEX
    if np.all(lam < 0):
        return CONCAVE
    return SADDLE


def _power_of_two_below(magnitude):
    """2^k <= magnitude < 2^(k+1): dividing by it is exact and brings entries near 1e308 below 2."""
    return np.ldexp(1.0, np.frexp(magnitude)[1] - 1)


@dataclass(frozen=True)
class PointAnalysis:
    point: np.ndarray
    value: float
    gradient: np.ndarray
    hessian: np.ndarray
    eigenvalues: np.ndarray   # ascending
    eigenvectors: np.ndarray  # columns, matching eigenvalues
    curvature: int

    @property
    def classification(self) -> str:
        return CLASS_NAMES[self.curvature]

    @property
    def condition_number(self) -> float:
        """|λ|max / |λ|min; inf when an eigenvalue is zero, nan when undefined."""
        if self.curvature == UNDEFINED:
            return float("nan")
        lam = np.abs(self.eigenvalues)
        return float(lam.max() / lam.min()) if lam.min() > 0 else float("inf")


class PointCalculus:
    """Derivatives of f at single points, for any number of variables."""

    def __init__(self, expression: Expression | str, params: Mapping[str, float] | None = None,
                 variables: Sequence[str] | None = None):
        if isinstance(expression, str):
            expression = parse(expression, variables or ("x", "y"))
        self.expression = expression
        self.variables = expression.variables
        self.dimension = len(self.variables)
        fn = expression.bind(params)
        n = self.dimension

        def f_vector(v):
            return _tie(fn(*(v[i] for i in range(n))), v[0])

        self._f = f_vector

    def _point(self, point) -> np.ndarray:
        return as_point(point, self.variables)

    def value(self, point) -> float:
        with np.errstate(**ERRORS):
            return float(self._f(self._point(point)))

    def value_and_gradient(self, point) -> tuple[float, np.ndarray]:
        """One forward and one reverse pass."""
        with np.errstate(**ERRORS):
            vjp, value = make_vjp(self._f, self._point(point))
            return float(value), np.asarray(vjp(np.float64(1.0)), dtype=float)

    def gradient(self, point) -> np.ndarray:
        return self.value_and_gradient(point)[1]

    def derivatives(self, point) -> tuple[float, np.ndarray, np.ndarray]:
        """Value, gradient and Hessian from one tape: reverse over reverse, a row per variable."""
        p = self._point(point)
        stash = {}

        def gradient_on_tape(v):
            vjp, value = make_vjp(self._f, v)
            stash["value"] = value
            return _tie(vjp(np.float64(1.0)), v)

        with np.errstate(**ERRORS):
            vjp2, g = make_vjp(gradient_on_tape, p)
            rows = [vjp2(e) for e in np.eye(self.dimension)]
        hessian = np.asarray(rows, dtype=float)
        return float(getval(stash["value"])), np.asarray(g, dtype=float), hessian

    def hessian(self, point) -> np.ndarray:
        return self.derivatives(point)[2]

    def analyze(self, point) -> PointAnalysis:
        p = self._point(point)
        return self.analyze_derivatives(p, *self.derivatives(p))

    def analyze_derivatives(self, p: np.ndarray, value: float, gradient: np.ndarray,
                            hessian: np.ndarray) -> PointAnalysis:
        """Eigen-pairs and class from derivatives already computed at p. Where f is not finite its
        derivatives mean nothing (autograd gives log(x)'s 1/x at x < 0 too): they are nan, as a
        Hessian is where the gradient is not finite; the class is then undefined."""
        if not np.isfinite(value):
            gradient = np.full(self.dimension, np.nan)
        if not np.all(np.isfinite(gradient)):
            hessian = np.full((self.dimension, self.dimension), np.nan)
        finite = np.isfinite(value) and np.all(np.isfinite(gradient)) and np.all(np.isfinite(hessian))
        if not finite:
            return PointAnalysis(p, value, gradient, hessian, np.full(self.dimension, np.nan),
                                 np.full((self.dimension, self.dimension), np.nan), UNDEFINED)
        with np.errstate(**ERRORS):
            # 0.5*H + 0.5*Hᵀ, not 0.5*(H + Hᵀ): the same number, but H + Hᵀ overflows near 1e308
            symmetric = 0.5 * hessian + 0.5 * hessian.T
            eigenvalues, eigenvectors = np.linalg.eigh(symmetric)
            curvature = curvature_class(eigenvalues)
            if curvature == UNDEFINED:  # a finite Hessian whose eigenvalues overflow: signs from a scaled copy
                scale = _power_of_two_below(np.max(np.abs(symmetric)))
                scaled, eigenvectors = np.linalg.eigh(symmetric / scale)
                curvature = curvature_class(scaled)
                eigenvalues = scaled * scale
        return PointAnalysis(p, value, gradient, hessian, eigenvalues, eigenvectors, curvature)


# ---------------------------------------------------------------- grids

BLOCK_POINTS = 32768  # points per row block: bounds memory; measured fastest of 8k-200k at N=400 (both recipes)


@dataclass(frozen=True)
class CurvatureMap:
    """A surface and its curvature on an 'ij' grid: z[i, j] = f(x[i], y[j])."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    gx: np.ndarray
    gy: np.ndarray
    hxx: np.ndarray
    hxy: np.ndarray
    hyy: np.ndarray
    eigenvalues: np.ndarray  # (nx, ny, 2), ascending
    classes: np.ndarray      # (nx, ny) int8 codes

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def grid_eigenvalues(hxx, hxy, hyy, out: np.ndarray | None = None) -> np.ndarray:
    """Ascending eigenvalues of [[hxx, hxy], [hxy, hyy]], elementwise: m ∓ sqrt(d² + hxy²)."""
    m = 0.5 * (hxx + hyy)
    d = 0.5 * (hxx - hyy)
    r = np.hypot(d, hxy)  # not sqrt(d² + hxy²): squares under- or overflow for tiny or huge f
    out = np.empty(np.shape(m) + (2,)) if out is None else out
    np.subtract(m, r, out=out[..., 0])
    np.add(m, r, out=out[..., 1])
    return out


def grid_classes(z, gx, gy, hxx, hxy, hyy, eigenvalues) -> np.ndarray:
    """Curvature codes of a grid, vectorised (same rule as `curvature_class`)."""
    lo, hi = eigenvalues[..., 0], eigenvalues[..., 1]
    # a non-finite hxx, hxy or hyy always makes an eigenvalue non-finite (inf - inf or ±inf)
    finite = np.isfinite(z) & np.isfinite(gx) & np.isfinite(gy) & np.isfinite(lo) & np.isfinite(hi)
    classes = _sign_classes(lo, hi)
    classes[~finite] = UNDEFINED
    if not finite.all():
        _classify_overflowed(classes, z, gx, gy, hxx, hxy, hyy)
    return classes


def _sign_classes(lo, hi) -> np.ndarray:
    """Codes from finite ascending eigenvalue pairs."""
    # relative tolerance, no absolute floor: scaling f by c > 0 scales tol with the eigenvalues
    tol = ZERO_TOLERANCE * np.maximum(np.abs(lo), np.abs(hi))
    classes = np.full(np.shape(lo), SADDLE, dtype=np.int8)
    classes[(lo > tol)] = CONVEX
    classes[(hi < -tol)] = CONCAVE
    classes[(np.abs(lo) <= tol) | (np.abs(hi) <= tol)] = DEGENERATE
    return classes


def map_curvature_scale(eigenvalues: np.ndarray, classes: np.ndarray) -> float:
    """The map's curvature scale: the 99th percentile of max|λ| over its defined cells (0 if none)."""
    defined = classes != UNDEFINED
    if not defined.any():
        return 0.0
    with np.errstate(over="ignore"):   # a cell past 1e308 is defined (scaled classes) but its λ is inf
        top = np.max(np.abs(eigenvalues[defined]), axis=-1)
    top = top[np.isfinite(top)]
    return float(np.percentile(top, MAP_SCALE_PERCENTILE)) if top.size else 0.0


def zero_at_map_scale(classes: np.ndarray, eigenvalues: np.ndarray) -> None:
    """Defined cells with an eigenvalue <= ZERO_TOLERANCE × the map's scale become degenerate (in place)."""
    tol = ZERO_TOLERANCE * map_curvature_scale(eigenvalues, classes)
    if tol > 0:
        flat = np.min(np.abs(eigenvalues), axis=-1) <= tol
        classes[flat & (classes != UNDEFINED)] = DEGENERATE


def _classify_overflowed(classes, z, gx, gy, hxx, hxy, hyy) -> None:
    """Undefined cells whose value and derivatives are all finite (eigenvalues past 1e308, or an
    overflow inside their formula) get their class from the Hessian scaled by a power of two."""
    undefined = np.nonzero(classes == UNDEFINED)
    parts = [np.broadcast_to(a, classes.shape)[undefined] for a in (z, gx, gy, hxx, hxy, hyy)]
    defined = np.logical_and.reduce([np.isfinite(a) for a in parts])
    if not defined.any():
        return
    h = [a[defined] for a in parts[3:]]
    scale = _power_of_two_below(np.maximum.reduce([np.abs(a) for a in h]))
    lam = grid_eigenvalues(*(a / scale for a in h))
    classes[tuple(i[defined] for i in undefined)] = _sign_classes(lam[:, 0], lam[:, 1])


class SurfaceCalculus:
    """f(x, y) evaluated and differentiated over whole grids by autograd, in row blocks: forward mode
    on a column of x and a row of y, or reverse mode on whole blocks, whichever `forward_is_cheaper`
    expects to be faster for f (the same numbers to rounding either way)."""

    def __init__(self, expression: Expression | str, params: Mapping[str, float] | None = None):
        if isinstance(expression, str):
            expression = parse(expression, ("x", "y"))
        if expression.variables != ("x", "y"):
            raise ValueError("a surface is a function of x and y")
        self.expression = expression
        self._fn = expression.bind(params)
        self._broadcast_block = None   # decided on the first map, by `forward_is_cheaper`

    # subclasses that set their own _fn keep the reverse-mode block on full arrays
    _broadcast_block: bool | None = False

    def values(self, x, y) -> np.ndarray:
        """z[i, j] = f(x[i], y[j]) in plain numpy (no derivatives)."""
        X, Y = np.meshgrid(np.asarray(x, float), np.asarray(y, float), indexing="ij")
        with np.errstate(**ERRORS):
            return np.broadcast_to(np.asarray(self._fn(X, Y), dtype=float), X.shape).copy()

    def curvature_map(self, x, y, block_points: int = BLOCK_POINTS, stop=None) -> CurvatureMap | None:
        """The map on the grid x × y, in row blocks; `stop()` is asked before each block and True
        abandons the map (returns None): a newer request has made it stale."""
        x, y = np.asarray(x, float).reshape(-1), np.asarray(y, float).reshape(-1)
        shape = (x.size, y.size)
        keys = ("z", "gx", "gy", "hxx", "hxy", "hyy", "eigenvalues", "classes")
        out = {k: np.empty(shape) for k in keys[:6]}
        out["eigenvalues"] = np.empty(shape + (2,))
        out["classes"] = np.empty(shape, dtype=np.int8)
        rows = max(1, block_points // max(1, y.size))
        with np.errstate(**ERRORS):
            for i0 in range(0, x.size, rows):
                if stop is not None and stop():
                    return None
                i1 = min(x.size, i0 + rows)
                # a column of x and a row of y: f broadcasts them to the block
                block = self._block(x[i0:i1, None], y[None, :])
                for key, values in zip(keys, block):
                    out[key][i0:i1] = values
                block = tuple(out[key][i0:i1] for key in keys[:6])
                # eigenvalues and classes per block, while the block is still in cache
                lam = out["eigenvalues"][i0:i1]
                grid_eigenvalues(*block[3:], out=lam)
                out["classes"][i0:i1] = grid_classes(*block, eigenvalues=lam)
        zero_at_map_scale(out["classes"], out["eigenvalues"])
        return CurvatureMap(x, y, **out)

    def _block(self, X: np.ndarray, Y: np.ndarray):
        """z, fx, fy, fxx, fxy, fyy on one block of points: X a column, Y a row (arrays that
        broadcast to the block's shape; the results may too)."""
        if self._broadcast_block is None:
            self._broadcast_block = forward_is_cheaper(self._fn)
        if self._broadcast_block:
            return self._forward_block(X, Y)
        # broadcast views, not copies: autograd returns full-shape derivatives for them
        shape = np.broadcast_shapes(X.shape, Y.shape)
        return self._reverse_block(np.broadcast_to(X, shape), np.broadcast_to(Y, shape))

    def _forward_block(self, X: np.ndarray, Y: np.ndarray):
        """Forward over forward mode on the column X and the row Y.

        Forward mode keeps every subexpression in its own shape: a term of x alone (cos(2πx),
        (1 - x)²) and its derivatives are computed once per row of the block, not once per point;
        reverse mode would sum such a column's adjoint over the row instead (a gradient of the
        sum, not per point). Three nested passes give (fx, fxx), (fx, fxy) and (fy, fyy).
        """
        fn, stash = self._fn, {}
        ones_x, ones_y = np.ones(X.shape), np.ones(Y.shape)

        def fx_given_x(X):
            z, fx = _jvp(lambda X: fn(X, Y), X, ones_x)
            stash["z"] = z
            return fx

        def fx_given_y(Y):
            return _jvp(lambda X: fn(X, Y), X, ones_x)[1]

        def fy_given_y(Y):
            return _jvp(lambda Y: fn(X, Y), Y, ones_y)[1]

        fx, fxx = _jvp(fx_given_x, X, ones_x)
        fxy = _jvp(fx_given_y, Y, ones_y)[1]
        fy, fyy = _jvp(fy_given_y, Y, ones_y)
        return getval(stash["z"]), fx, fy, fxx, fxy, fyy

    def _reverse_block(self, X: np.ndarray, Y: np.ndarray):
        """z, fx, fy, fxx, fxy, fyy on one block of points (X and Y of the block's shape).

        One traced forward pass of f and one traced reverse pass give (fx, fy) on a tape;
        two plain reverse passes of that tape give the Hessian rows (fxx, fxy) and (fyx, fyy).
        The input is the tuple (X, Y): a stacked array would be split by indexing, whose
        reverse pass (np.add.at) costs more than all the rest.
        """
        fn, stash = self._fn, {}

        def f(XY):
            return _tie(fn(XY[0], XY[1]), XY[0])

        def gradient_on_tape(XY):
            vjp, z = make_vjp(f, XY)
            stash["z"] = z
            gx, gy = vjp(ones)
            return ag_tuple((_tie(gx, XY[0]), _tie(gy, XY[1])))

        ones, zeros = np.ones(X.shape), np.zeros(X.shape)
        vjp2, (gx, gy) = make_vjp(gradient_on_tape, (X, Y))
        fxx, fxy = vjp2((ones, zeros))
        fyy = vjp2((zeros, ones))[1]
        z = np.broadcast_to(getval(stash["z"]), X.shape)
        return z, gx, gy, fxx, fxy, fyy


def blocked_values(fn, x, y, block_points) -> np.ndarray:
    """z[i, j] = fn(x[i], y[j]) for a slice's fn(A, B) of grid arrays, a block of about block_points(len(y))
    grid points at a time (plain numpy: no derivatives)."""
    x, y = np.asarray(x, float).reshape(-1), np.asarray(y, float).reshape(-1)
    z = np.empty((x.size, y.size))
    rows = max(1, block_points(y.size) // max(1, y.size))
    with np.errstate(**ERRORS):
        for i0 in range(0, x.size, rows):
            A, B = np.meshgrid(x[i0:i0 + rows], y, indexing="ij")
            z[i0:i0 + rows] = np.broadcast_to(fn(A, B), A.shape)
    return z
