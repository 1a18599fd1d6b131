"""Fields F: Rⁿ → Rᵐ: value, Jacobian, singular values, det J; at points and on grids; gradient fields.

Every derivative comes from autograd. Conventions:

- J[i, j] = ∂Fᵢ/∂xⱼ: a row per component, a column per variable. On a grid (F = (u, v) of x, y):
  jxx = ∂u/∂x, jxy = ∂u/∂y, jyx = ∂v/∂x, jyy = ∂v/∂y, det = jxx·jyy − jxy·jyx.
- J = U diag(s) Vᵀ with s descending: J vₖ = sₖ uₖ (`right_vectors`, `left_vectors` are columns).
- A square J also has a determinant, a trace and eigenvalues: complex, sorted by real then imaginary part.
- A field is anything with `variables`, `parameters`, `size` (m) and `bind(params)` returning
  F(*variables) -> tuple of m components: a typed `FieldExpression` or the `GradientField` ∇f of a surface.

Gradient fields. ∇f's Jacobian is f's Hessian, so it is symmetric; on a simply connected domain where
F is smooth the converse holds too. `is_gradient_field` checks that symmetry at every grid point:
evidence on that grid, not a proof. The vortex (−y, x)/(x² + y²) passes it, yet it is a gradient
field only on domains that do not wind around the origin.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import autograd.numpy as anp
import numpy as np
from autograd.builtins import tuple as ag_tuple
from autograd.core import make_vjp
from autograd.tracer import getval

from explorer.core.calculus import as_point
from explorer.core.expression import ERRORS, Expression, parse
from explorer.core.field_expression import FieldExpression, parse_field

BLOCK_POINTS = 32768       # points per row block of a grid (as calculus.BLOCK_POINTS)
SYMMETRY_TOLERANCE = 1e-8  # |∂u/∂y − ∂v/∂x| <= this × the largest |Jᵢⱼ| at the point counts as symmetric


def _tied(out, inputs):
    # out + 0·x + 0·y: the same numbers, always on the tape and of the inputs' shape (a constant
    # component would otherwise be a scalar, and autograd would warn that it ignores its input)
    for a in inputs:
        out = out + 0.0 * a
    return out


class GradientField:
    """∇f of a surface f as a field: components ∂f/∂x, ∂f/∂y (, ∂f/∂z), each from autograd.

    `text` is f's text; `component_names` label the components.
    """

    def __init__(self, expression: Expression | str, variables: Sequence[str] = ("x", "y")):
        if isinstance(expression, str):
            expression = parse(expression, variables)
        self.expression = expression
        self.text = expression.text
        self.variables = expression.variables
        self.parameters = expression.parameters
        self.size = len(self.variables)
        self.component_names = tuple(f"∂f/∂{v}" for v in self.variables)

    @property
    def warnings(self) -> list[str]:
        return self.expression.warnings

    def bind(self, params: Mapping[str, float] | None = None):
        """F(*variables) -> (∂f/∂x, ∂f/∂y, ...), elementwise on arrays and itself differentiable."""
        fn = self.expression.bind(params)

        def F(*args):
            with np.errstate(**ERRORS):
                vjp, z = make_vjp(lambda xs: _tied(fn(*xs), xs), ag_tuple(args))
                parts = vjp(np.ones(np.shape(getval(z))))
                return tuple(_tied(parts[i], args) for i in range(len(args)))

        return F


@dataclass(frozen=True)
class FieldAnalysis:
    """What the inspector shows of F at one point (shapes: n variables, m components, k = min(m, n))."""

    point: np.ndarray            # (n,)
    value: np.ndarray            # (m,) F(point)
    jacobian: np.ndarray         # (m, n) J[i, j] = ∂Fᵢ/∂xⱼ
    singular_values: np.ndarray  # (k,) descending
    left_vectors: np.ndarray     # (m, k) columns uₖ: directions of the image ellipse's axes
    right_vectors: np.ndarray    # (n, k) columns vₖ, with J vₖ = sₖ uₖ
    determinant: float | None    # None unless J is square
    trace: float | None
    eigenvalues: np.ndarray | None   # (n,) complex, sorted by real then imaginary part; square J only
    eigenvectors: np.ndarray | None  # (n, n) complex columns, matching

    @property
    def square(self) -> bool:
        return self.jacobian.shape[0] == self.jacobian.shape[1]

    @property
    def defined(self) -> bool:
        """The value and every entry of J are finite."""
        return bool(np.all(np.isfinite(self.value)) and np.all(np.isfinite(self.jacobian)))

    @property
    def condition_number(self) -> float:
        """s_max / s_min: inf when J is singular, nan when undefined."""
        s = self.singular_values
        if not np.all(np.isfinite(s)):
            return float("nan")
        return float(s[0] / s[-1]) if s[-1] > 0 else float("inf")


def analyze_jacobian(point, value, jacobian) -> FieldAnalysis:
    """Singular values and vectors, and for a square J its determinant, trace and eigen-pairs.

    Where F or J is not finite these are all nan; so is J's row of a component that is not finite (its
    derivatives mean nothing there: autograd gives log(x)'s 1/x at x < 0 too); J's other rows are kept.
    """
    J = np.array(jacobian, dtype=float)
    J[~np.isfinite(np.asarray(value, dtype=float)).reshape(-1)] = np.nan
    m, n = J.shape
    k = min(m, n)
    defined = bool(np.all(np.isfinite(J)) and np.all(np.isfinite(value)))
    with np.errstate(**ERRORS):
        if defined:
            U, s, Vt = np.linalg.svd(J)
            U, V = U[:, :k], Vt[:k].T
        else:  # F undefined, or an SVD of inf or nan: nothing derived from J means anything
            U, s, V = np.full((m, k), np.nan), np.full(k, np.nan), np.full((n, k), np.nan)
        determinant = trace = eigenvalues = eigenvectors = None
        if m == n:
            determinant, trace = (float(np.linalg.det(J)), float(np.trace(J))) if defined else (np.nan, np.nan)
            if defined:
                lam, vectors = np.linalg.eig(J)
                order = np.lexsort((lam.imag, lam.real))
                eigenvalues, eigenvectors = lam[order].astype(complex), vectors[:, order].astype(complex)
            else:
                eigenvalues = np.full(n, complex(np.nan, np.nan))
                eigenvectors = np.full((n, n), complex(np.nan, np.nan))
    return FieldAnalysis(np.asarray(point, dtype=float), np.asarray(value, dtype=float), J, s, U, V,
                         determinant, trace, eigenvalues, eigenvectors)


@dataclass(frozen=True)
class JacobianMap:
    """F = (u, v) and its Jacobian on an 'ij' grid: u[i, j] = u(x[i], y[j]); det is nan where F is not finite."""

    x: np.ndarray
    y: np.ndarray
    u: np.ndarray
    v: np.ndarray
    jxx: np.ndarray  # ∂u/∂x
    jxy: np.ndarray  # ∂u/∂y
    jyx: np.ndarray  # ∂v/∂x
    jyy: np.ndarray  # ∂v/∂y
    det: np.ndarray

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class FieldCalculus:
    """Value and Jacobian of a field at points (any n, m) and, for R² → R², over whole grids."""

    def __init__(self, field: FieldExpression | GradientField | str, params: Mapping[str, float] | None = None,
                 variables: Sequence[str] | None = None):
        if isinstance(field, str):
            field = parse_field(field, variables or ("x", "y"))
        self.field = field
        self.variables = tuple(field.variables)
        self.dimension, self.size = len(self.variables), field.size
        self._F = field.bind(params)
        n = self.dimension

        def F_vector(p):
            components = self._F(*(p[i] for i in range(n)))
            return anp.stack([_tied(c, (p[0],)) for c in components])

        self._F_vector = F_vector

    def _point(self, point) -> np.ndarray:
        return as_point(point, self.variables)

    def value(self, point) -> np.ndarray:
        """F(point), shape (m,)."""
        with np.errstate(**ERRORS):
            return np.asarray(getval(self._F_vector(self._point(point))), dtype=float)

    def value_and_jacobian(self, point) -> tuple[np.ndarray, np.ndarray]:
        """F(point) and J (m × n): one forward pass and a reverse pass per component."""
        with np.errstate(**ERRORS):
            vjp, value = make_vjp(self._F_vector, self._point(point))
            rows = [vjp(e) for e in np.eye(self.size)]
        return np.asarray(value, dtype=float), np.asarray(rows, dtype=float).reshape(self.size, self.dimension)

    def jacobian(self, point) -> np.ndarray:
        return self.value_and_jacobian(point)[1]

    def analyze(self, point) -> FieldAnalysis:
        p = self._point(point)
        return analyze_jacobian(p, *self.value_and_jacobian(p))

    def values_at(self, points) -> np.ndarray:
        """F at many points at once: (k, n) points -> (k, m) values, plain numpy (no derivatives)."""
        P = np.asarray(points, dtype=float).reshape(-1, self.dimension)
        with np.errstate(**ERRORS):
            components = self._F(*(P[:, i] for i in range(self.dimension)))
            return np.stack([np.broadcast_to(np.asarray(getval(c), dtype=float), P.shape[:1])
                             for c in components], axis=1)

    def grid_values(self, x, y) -> np.ndarray:
        """(m, nx, ny) component values on the 'ij' grid of x and y (arrows need no Jacobian)."""
        self._require_plane()
        X, Y = np.meshgrid(np.asarray(x, float), np.asarray(y, float), indexing="ij")
        return self.values_at(np.stack([X.ravel(), Y.ravel()], axis=1)).T.reshape((self.size,) + X.shape)

    def jacobian_map(self, x, y, block_points: int = BLOCK_POINTS) -> JacobianMap:
        """u, v, the four Jacobian entries and det J on the grid, in row blocks (R² → R² only)."""
        self._require_plane(square=True)
        x, y = np.asarray(x, float).reshape(-1), np.asarray(y, float).reshape(-1)
        shape = (x.size, y.size)
        keys = ("u", "v", "jxx", "jxy", "jyx", "jyy")
        out = {k: np.empty(shape) for k in keys + ("det",)}
        rows = max(1, block_points // max(1, y.size))
        with np.errstate(**ERRORS):
            for i0 in range(0, x.size, rows):
                i1 = min(x.size, i0 + rows)
                X = np.broadcast_to(x[i0:i1, None], (i1 - i0, y.size))
                Y = np.broadcast_to(y[None, :], (i1 - i0, y.size))
                block = self._block(X, Y)
                for key, values in zip(keys, block):
                    out[key][i0:i1] = values
                u, v, jxx, jxy, jyx, jyy = block
                out["det"][i0:i1] = np.where(np.isfinite(u) & np.isfinite(v), jxx * jyy - jxy * jyx, np.nan)
        return JacobianMap(x, y, **out)

    def _block(self, X: np.ndarray, Y: np.ndarray):
        """u, v, ∂u/∂x, ∂u/∂y, ∂v/∂x, ∂v/∂y on one block: one traced forward pass, two reverse passes.

        The input is the tuple (X, Y), not a stacked array: indexing a stack costs np.add.at in reverse.
        """
        F = self._F

        def uv(XY):
            u, v = F(XY[0], XY[1])
            return ag_tuple((_tied(u, XY), _tied(v, XY)))

        ones, zeros = np.ones(X.shape), np.zeros(X.shape)
        vjp, (u, v) = make_vjp(uv, (X, Y))
        jxx, jxy = vjp((ones, zeros))
        jyx, jyy = vjp((zeros, ones))
        return u, v, jxx, jxy, jyx, jyy

    def _require_plane(self, square: bool = False) -> None:
        if self.dimension != 2 or (square and self.size != 2):
            want = "R² → R², (u, v) of x and y" if square else "a field of x and y"
            raise ValueError(f"a grid needs {want}; this field is {mapping_text(self.dimension, self.size)}")


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def mapping_text(n: int, m: int) -> str:
    """'R² → R³' for a field of n variables with m components."""
    return f"R{str(n).translate(_SUPERSCRIPTS)} → R{str(m).translate(_SUPERSCRIPTS)}"


def gradient_field(expression: Expression | str, variables: Sequence[str] = ("x", "y")) -> GradientField:
    """The field ∇f of a surface f (its Jacobian is f's Hessian)."""
    return GradientField(expression, variables)


def hessian_gap(jacobian, hessian) -> float:
    """max |Jᵢⱼ − Hᵢⱼ| between a field's Jacobian and f's Hessian: zero when the field is ∇f (J of ∇f is H)."""
    with np.errstate(**ERRORS):
        return float(np.max(np.abs(np.asarray(hessian, dtype=float) - np.asarray(jacobian, dtype=float))))


def asymmetry(jmap: JacobianMap) -> np.ndarray:
    """|∂u/∂y − ∂v/∂x| over the largest |Jᵢⱼ|, per point: 0 where J = 0, nan where F or J is not finite."""
    with np.errstate(**ERRORS):
        scale = np.max(np.abs(np.stack([jmap.jxx, jmap.jxy, jmap.jyx, jmap.jyy])), axis=0)
        gap = np.abs(jmap.jxy - jmap.jyx)
        out = np.zeros(np.shape(gap))
        nonzero = scale > 0
        out[nonzero] = gap[nonzero] / scale[nonzero]
        out[~(np.isfinite(scale) & np.isfinite(jmap.u) & np.isfinite(jmap.v))] = np.nan
    return out


def is_gradient_field(jmap: JacobianMap, tolerance: float = SYMMETRY_TOLERANCE) -> bool:
    """J is symmetric within `tolerance` (relative, see `asymmetry`) at every grid point where it is finite.

    False when no point of the grid has a finite Jacobian. Evidence, not proof (module docstring).
    """
    a = asymmetry(jmap)
    finite = np.isfinite(a)
    return bool(finite.any() and np.all(a[finite] <= tolerance))
