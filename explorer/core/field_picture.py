"""What the views draw of a field F = (u, v) on a grid: orientation, area scaling, stretch, |F|, zero curves.

Computed once per grid (in the window's worker thread) from a `JacobianMap`; the views only colour
and draw these arrays. Per grid point, with J = [[a, b], [c, d]]:

- orientation: the sign of det J — 1 kept (det J > 0), 2 reversed (det J < 0), 0 singular
  (|det J| <= SINGULAR_TOLERANCE·σ₁², i.e. σ₂/σ₁ below it, or J = 0), -1 undefined (F or J not finite).
- area: |det J| = σ₁σ₂, how much F scales small areas.
- stretch: σ₁, the larger singular value: the most F stretches a small step, in closed form
  σ₁ = (√((a + d)² + (c − b)²) + √((a − d)² + (b + c)²))/2 (no cancellation when σ₁ ≈ σ₂).
- the zero curves u = 0 and v = 0 (their crossings are the roots of F) and det J = 0 (where F folds).
- whether F is a gradient field on this grid (`fields.is_gradient_field`: J symmetric everywhere).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.expression import ERRORS
from explorer.core.fields import SYMMETRY_TOLERANCE, FieldCalculus, JacobianMap, asymmetry
from explorer.core.levels import iso_lines

KEPT, REVERSED, SINGULAR, UNDEFINED = 1, 2, 0, -1
SINGULAR_TOLERANCE = 1e-9      # relative, as the curvature classes' zero tolerance
COLOURINGS = ("orientation", "area", "stretch")
HEIGHTS = ("norm", "u", "v")   # what the 3D view raises: |F| or one component
HEIGHT_NAMES = {"norm": "|F|", "u": "u", "v": "v"}
ARROWS = 21                    # arrows along the longer side of the domain


def largest_singular_value(jxx, jxy, jyx, jyy) -> np.ndarray:
    """σ₁ of [[jxx, jxy], [jyx, jyy]] elementwise (closed form for 2 × 2)."""
    with np.errstate(**ERRORS):
        return 0.5 * (np.hypot(jxx + jyy, jyx - jxy) + np.hypot(jxx - jyy, jxy + jyx))


def orientation_codes(det: np.ndarray, stretch: np.ndarray) -> np.ndarray:
    """KEPT, REVERSED, SINGULAR or UNDEFINED per point (rules in the module docstring)."""
    codes = np.full(np.shape(det), UNDEFINED, dtype=np.int8)
    finite = np.isfinite(det) & np.isfinite(stretch)
    with np.errstate(**ERRORS):
        singular = finite & (np.abs(det) <= SINGULAR_TOLERANCE * stretch**2)
    codes[finite & (det > 0)] = KEPT
    codes[finite & (det < 0)] = REVERSED
    codes[singular] = SINGULAR
    return codes


@dataclass(frozen=True)
class Arrows:
    """Arrows of F on a coarse grid inside the domain: tails, vectors scaled to the cell, and the |F| scale."""

    tails: np.ndarray      # (k, 2)
    vectors: np.ndarray    # (k, 2) in x, y units: at most `cell` long
    cell: float            # the spacing of the arrow grid
    reference: float       # |F| drawn one cell long; longer F is drawn that long too (capped)
    capped: int            # how many arrows were capped


@dataclass(frozen=True)
class FieldPicture:
    """A field's grid and everything the map and the 3D view draw of it."""

    jmap: JacobianMap
    norm: np.ndarray           # |F|
    stretch: np.ndarray        # σ₁
    orientation: np.ndarray    # codes
    zero_u: np.ndarray         # the curve u = 0: (n, 2) vertices, pieces separated by NaN rows
    zero_v: np.ndarray
    fold: np.ndarray           # det J = 0
    gradient_field: bool       # J symmetric within SYMMETRY_TOLERANCE at every finite grid point
    largest_asymmetry: float   # max |∂u/∂y − ∂v/∂x| / max|Jᵢⱼ| over the grid (nan if none is finite)
    arrows: Arrows | None = None

    @property
    def x(self) -> np.ndarray:
        return self.jmap.x

    @property
    def y(self) -> np.ndarray:
        return self.jmap.y

    @property
    def area(self) -> np.ndarray:
        """|det J|."""
        return np.abs(self.jmap.det)

    def height(self, which: str) -> np.ndarray:
        """What the 3D view raises: |F| ('norm'), u or v."""
        if which not in HEIGHTS:
            raise ValueError(f"the 3D view shows one of {', '.join(HEIGHTS)}, not '{which}'")
        return {"norm": self.norm, "u": self.jmap.u, "v": self.jmap.v}[which]

    def magnitude(self, colouring: str) -> np.ndarray:
        """The values a sequential colouring shows: |det J| ('area') or σ₁ ('stretch')."""
        return self.area if colouring == "area" else self.stretch

    def fraction(self, code: int) -> float:
        """The share of grid points with orientation `code`."""
        return float(np.mean(self.orientation == code))


def field_picture(jmap: JacobianMap, arrows: Arrows | None = None) -> FieldPicture:
    """Everything the views draw of `jmap` (and `arrows`, if given)."""
    with np.errstate(**ERRORS):
        norm = np.hypot(jmap.u, jmap.v)
        stretch = largest_singular_value(jmap.jxx, jmap.jxy, jmap.jyx, jmap.jyy)
        stretch = np.where(np.isfinite(norm), stretch, np.nan)
        gap = asymmetry(jmap)
    finite = np.isfinite(gap)
    largest = float(np.max(gap[finite])) if finite.any() else float("nan")
    zero_u, zero_v, fold = (iso_lines(jmap.x, jmap.y, z, [0.0])[0] for z in (jmap.u, jmap.v, jmap.det))
    return FieldPicture(jmap, norm, stretch, orientation_codes(jmap.det, stretch), zero_u, zero_v, fold,
                        bool(finite.any() and largest <= SYMMETRY_TOLERANCE), largest, arrows)


def compute_field_picture(calculus: FieldCalculus, x, y) -> FieldPicture:
    """The Jacobian map of `calculus` on the grid of x and y, its arrows, and what the views draw of it."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    return field_picture(calculus.jacobian_map(x, y), field_arrows(calculus, (x[0], x[-1]), (y[0], y[-1])))


def field_arrows(calculus: FieldCalculus, x_range, y_range, count: int = ARROWS, share: float = 0.85) -> Arrows:
    """A square grid of arrows (`count` along the longer side), each share·cell·min(|F|/ref, 1) long along F.

    ref is the 90th percentile of |F| on that grid: the arrows keep their true proportions up to it and
    the few longest (at most a tenth) are drawn capped, so that one large value does not shrink the rest
    to dots.
    """
    (x0, x1), (y0, y1) = x_range, y_range
    cell = max(x1 - x0, y1 - y0) / count
    xs = x0 + cell * (0.5 + np.arange(max(1, int((x1 - x0) / cell))))
    ys = y0 + cell * (0.5 + np.arange(max(1, int((y1 - y0) / cell))))
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    tails = np.stack([X.ravel(), Y.ravel()], axis=1)
    with np.errstate(**ERRORS):
        F = calculus.values_at(tails)[:, :2]
        length = np.hypot(F[:, 0], F[:, 1])
    ok = np.isfinite(length)
    tails, F, length = tails[ok], F[ok], length[ok]
    positive = length[length > 0]
    reference = float(np.percentile(positive, 90)) if positive.size else 1.0
    with np.errstate(**ERRORS):
        scale = share * cell * np.minimum(length / reference, 1.0) / np.where(length > 0, length, 1.0)
    return Arrows(tails, F * scale[:, None], cell, reference, int(np.sum(length > reference * (1 + 1e-12))))
