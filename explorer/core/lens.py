"""The Jacobian lens: near a point p, a field F maps a small circle almost onto the ellipse J·circle.

The inputs are the circle p + r·w(t), w(t) = (cos t, sin t). Their true image F(p + r·w(t)) is a
curved loop; their image under the linear map, F(p) + r·J·w(t), is an ellipse centred at F(p)
whose semi-axes are r·s₁ and r·s₂ (J's singular values) along the left singular vectors u₁, u₂
(for F: R² → R³ it is an ellipse in a plane of R³). For F twice differentiable at p the two
points of the same t differ by O(r²), so `gap / r` → 0 like O(r): seen closely enough, F is J.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from explorer.core.expression import ERRORS
from explorer.core.fields import FieldAnalysis, FieldCalculus

SAMPLES = 96  # points around the circle (the curves are closed: one more point repeats the first)


@dataclass(frozen=True)
class Lens:
    """A circle of inputs around p and its two images; `analysis` holds J, det J, singular values, eigenvalues."""

    analysis: FieldAnalysis
    radius: float
    angles: np.ndarray        # (k + 1,) from 0 to 2π, both ends included
    circle: np.ndarray        # (k + 1, 2) p + r·(cos t, sin t)
    image: np.ndarray         # (k + 1, m) F(circle): the true image
    linear_image: np.ndarray  # (k + 1, m) F(p) + J·(circle − p): the ellipse

    @property
    def center(self) -> np.ndarray:
        """p, the point the lens looks at."""
        return self.analysis.point

    @property
    def value(self) -> np.ndarray:
        """F(p), the ellipse's centre."""
        return self.analysis.value

    @property
    def semi_axes(self) -> np.ndarray:
        """The ellipse's semi-axes, longest first: r·s₁, r·s₂."""
        return self.radius * self.analysis.singular_values

    @property
    def axis_directions(self) -> np.ndarray:
        """(m, 2) unit columns u₁, u₂: the directions of `semi_axes` in the image."""
        return self.analysis.left_vectors

    @property
    def gap(self) -> float:
        """The largest distance between the true and the linear image of the same input point."""
        with np.errstate(**ERRORS):
            return float(np.max(np.linalg.norm(self.image - self.linear_image, axis=1)))

    @property
    def relative_gap(self) -> float:
        """gap / r: goes to 0 like O(r) as the circle shrinks."""
        return self.gap / self.radius


def jacobian_lens(calculus: FieldCalculus, point, radius: float, samples: int = SAMPLES) -> Lens:
    """The lens of radius `radius` around `point` for a field of x and y (R² → Rᵐ)."""
    if calculus.dimension != 2:
        raise ValueError("the lens draws a circle in the plane: it needs a field of x and y")
    radius = float(radius)
    if not (math.isfinite(radius) and radius > 0):
        raise ValueError(f"the lens's radius must be a positive number, not {radius:g}")
    if int(samples) < 3:
        raise ValueError("the lens needs at least 3 points around its circle")
    analysis = calculus.analyze(point)
    angles = np.linspace(0.0, 2 * np.pi, int(samples) + 1)
    angles[-1] = 0.0  # the closing point is the first one exactly
    offsets = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    angles[-1] = 2 * np.pi
    circle = analysis.point + offsets
    with np.errstate(**ERRORS):
        image = calculus.values_at(circle)
        linear_image = analysis.value + offsets @ analysis.jacobian.T
    return Lens(analysis, radius, angles, circle, image, linear_image)
