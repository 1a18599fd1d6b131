"""The function an optimizer walks on: autograd derivatives at points, cached and counted."""
from __future__ import annotations

import warnings
from collections import OrderedDict
from typing import Mapping

import numpy as np
from autograd import elementwise_grad

from explorer.core.calculus import PointAnalysis, PointCalculus
from explorer.core.expression import ERRORS, Expression


class Objective:
    """f(x, y) with its value, gradient and Hessian; remembers the last few points' derivatives.

    Runs that race from one start and the per-step explanations ask for the same point's
    Hessian more than once: the cache makes that one autograd evaluation.
    """

    CACHE_SIZE = 16
    value_name = "f"   # how stop reasons name what is minimised (a fit's: L)
    full_gradient_with_batches = True   # a mini-batched state still holds ∇f over every row (optimizer_base)

    def __init__(self, expression: Expression | str, params: Mapping[str, float] | None = None):
        self.calculus = PointCalculus(expression, params)
        self.expression = self.calculus.expression
        self._cache: OrderedDict[bytes, tuple[float, np.ndarray, np.ndarray]] = OrderedDict()
        self.evaluations = {"value": 0, "gradient": 0, "hessian": 0}
        self._elementwise = self.expression.bind(params)

    def values(self, points) -> np.ndarray:
        """f at many points at once, (M, n) -> (M,): plain numpy, no derivatives (for drawing; not counted)."""
        p = np.asarray(points, dtype=float).reshape(-1, self.calculus.dimension)
        with np.errstate(**ERRORS):
            out = self._elementwise(*p.T)
        return np.broadcast_to(np.asarray(out, dtype=float), (len(p),)).copy()

    def value(self, x) -> float:
        self.evaluations["value"] += 1
        return self.calculus.value(x)

    def value_and_gradient(self, x) -> tuple[float, np.ndarray]:
        hit = self._cache.get(np.asarray(x, dtype=float).tobytes())
        if hit is not None:
            return hit[0], hit[1].copy()
        self.evaluations["gradient"] += 1
        return self.calculus.value_and_gradient(x)

    def gradient(self, x) -> np.ndarray:
        return self.value_and_gradient(x)[1]

    def derivatives(self, x) -> tuple[float, np.ndarray, np.ndarray]:
        """Value, gradient and Hessian from one autograd tape (cached by point)."""
        key = np.asarray(x, dtype=float).tobytes()
        hit = self._cache.get(key)
        if hit is None:
            self.evaluations["hessian"] += 1
            hit = self.calculus.derivatives(x)
            self._cache[key] = hit
            if len(self._cache) > self.CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return hit[0], hit[1].copy(), hit[2].copy()

    def along(self, x, d):
        """φ(α) = f(x + α·d) for an array of α at once, differentiable by autograd (curvature along a step)."""
        x, d = np.asarray(x, dtype=float), np.asarray(d, dtype=float)
        return lambda alpha: self._elementwise(*(x[i] + alpha * d[i] for i in range(len(x))))

    def curvature_along(self, x, d) -> float:
        """dᵀH(x)d = φ''(0) for φ(α) = f(x + α·d): autograd's second derivative along d (a Hessian-vector
        product's worth of work, no Hessian formed)."""
        x, d = np.asarray(x, dtype=float), np.asarray(d, dtype=float)
        if hasattr(self, "hessian_vector_product"):
            return float(d @ self.hessian_vector_product(x, d))
        phi = self.along(x, d)
        with np.errstate(**ERRORS), warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Output seems independent of input")   # f linear along d: φ'' = 0
            second = elementwise_grad(elementwise_grad(lambda a: phi(a) + 0.0 * a))(np.zeros(1))
        return float(np.asarray(second, dtype=float).reshape(-1)[0])

    def hessian_note(self) -> str | None:
        """Why no Hessian is formed here (a model with many parameters), or None: it is."""
        return None

    def analyze(self, x) -> PointAnalysis:
        return self.calculus.analyze_derivatives(np.asarray(x, dtype=float), *self.derivatives(x))
