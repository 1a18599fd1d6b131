"""Each method's state as geometry in the plane of its point (issue 27's optimizer x-ray): arrows, ellipses and
circles in the map's own units, so a step is drawn as the step it is.

`method_drawing` turns one state (what `Optimizer.method_state` reports, the gradient there, the Hessian from
autograd where the picture needs the true curvature) into a `MethodDrawing`; the views only draw it. Every mark
has a `role` the views colour by: "gradient" (what ∇f contributes), "memory" (what the method carried in:
velocity, m̂, the previous direction), "method" (the method's own step, scaling or approximation) and "true"
(the exact quadratic model from the true Hessian)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ELLIPSE_POINTS = 121
MOMENTUM_METHODS = ("momentum", "nesterov")
SCALING_METHODS = ("adagrad", "rmsprop", "adam")
QUASI_NEWTON_METHODS = ("bfgs", "l-bfgs")
MODEL_METHODS = ("newton", "damped-newton", "trust-region")
DRAWN_METHODS = MOMENTUM_METHODS + SCALING_METHODS + QUASI_NEWTON_METHODS + ("cg",) + MODEL_METHODS


@dataclass(frozen=True)
class Arrow:
    start: np.ndarray
    vector: np.ndarray
    name: str
    role: str

    @property
    def end(self) -> np.ndarray:
        return self.start + self.vector


@dataclass(frozen=True)
class Curve:
    points: np.ndarray   # (m, 2); NaN rows separate pieces
    name: str
    role: str


@dataclass(frozen=True)
class Mark:
    point: np.ndarray
    name: str
    role: str


@dataclass(frozen=True)
class MethodDrawing:
    """What the map draws for one state, and the same in numbers for the inspector ((label, text) rows)."""

    method: str
    point: np.ndarray
    arrows: tuple[Arrow, ...] = ()
    curves: tuple[Curve, ...] = ()
    marks: tuple[Mark, ...] = ()
    numbers: tuple[tuple[str, str], ...] = ()


def _vector(v) -> str:
    return "(" + ", ".join(f"{x:.4g}" for x in np.asarray(v, float).ravel()) + ")"


def is_positive_definite(matrix) -> bool:
    m = np.asarray(matrix, float)
    return bool(np.all(np.isfinite(m)) and np.linalg.eigvalsh(0.5 * (m + m.T))[0] > 0)


def ellipse_points(matrix, centre, level: float = 1.0, count: int = ELLIPSE_POINTS) -> np.ndarray:
    """The closed curve {c + u : uᵀ A u = level} of a 2×2 positive definite A, as (count, 2) points."""
    lam, vectors = np.linalg.eigh(0.5 * (np.asarray(matrix, float) + np.asarray(matrix, float).T))
    t = np.linspace(0.0, 2.0 * np.pi, count)
    # u = Σᵢ √(level/λᵢ) (cos t, sin t)ᵢ vᵢ: along each eigenvector, uᵀAu = level
    unit = np.column_stack([np.cos(t), np.sin(t)]) * np.sqrt(level / lam)
    return np.asarray(centre, float) + unit @ vectors.T


def scaling_ellipse(semi_axes, centre, count: int = ELLIPSE_POINTS) -> np.ndarray:
    """The image of the unit circle under diag(semi_axes): where a per-coordinate scaling sends unit gradients."""
    t = np.linspace(0.0, 2.0 * np.pi, count)
    return np.asarray(centre, float) + np.column_stack([np.cos(t), np.sin(t)]) * np.asarray(semi_axes, float)


def level_ellipse_through(hessian, point, gradient) -> tuple[np.ndarray, np.ndarray] | None:
    """The level ellipse of the model f + gᵀu + ½uᵀHu through `point` and its centre x − H⁻¹g (None unless H is
    positive definite): {c + u : uᵀHu = (x − c)ᵀH(x − c)}."""
    if not is_positive_definite(hessian):
        return None
    x = np.asarray(point, float)
    centre = x - np.linalg.solve(hessian, gradient)
    level = float((x - centre) @ hessian @ (x - centre))
    if not level > 0:
        return None
    return ellipse_points(hessian, centre, level), centre


def conjugate_diameter(hessian, centre, level: float, direction) -> np.ndarray:
    """The diameter of {c + u : uᵀHu = level} along `direction`: its two ends c ± t·d, t = √(level / dᵀHd)."""
    d = np.asarray(direction, float)
    t = np.sqrt(level / float(d @ hessian @ d))
    return np.array([centre - t * d, centre + t * d])


def relative_hessian_error(inverse_hessian, hessian) -> float:
    """‖B − H‖_F / ‖H‖_F with B the quasi-Newton Hessian approximation (the inverse of the inverse it keeps)."""
    b = np.linalg.inv(np.asarray(inverse_hessian, float))
    return float(np.linalg.norm(b - hessian) / np.linalg.norm(hessian))


def momentum_drawing(method, point, velocity, beta, lr, gradient) -> MethodDrawing:
    """v ← βv − η∇f, x ← x + v: the velocity part βv, then the gradient part −η∇f from its tip (for Nesterov
    ∇f is taken there), and their sum, the step."""
    x, v, g = (np.asarray(a, float) for a in (point, velocity, gradient))
    carried, pushed = beta * v, -lr * g
    arrows = (Arrow(x, carried, "velocity part βv", "memory"),
              Arrow(x + carried, pushed, "gradient part −η∇f" + (" (at x + βv)" if method == "nesterov" else ""),
                    "gradient"),
              Arrow(x, carried + pushed, "the step βv − η∇f", "method"))
    return MethodDrawing(method, x, arrows, numbers=(("βv", _vector(carried)), ("−η∇f", _vector(pushed)),
                                                    ("step", _vector(carried + pushed))))


def scaled_moments(method, state: dict, settings: dict, gradient, iteration: int) -> tuple[np.ndarray, np.ndarray]:
    """(m̂, v̂) the next step divides by, updated with this gradient: the method's own recurrence
    (Adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², bias-corrected with t + 1; RMSProp: v ← ρv + (1−ρ)g², m̂ = g;
    AdaGrad: v ← v + g², m̂ = g)."""
    g = np.asarray(gradient, float)
    if method == "adam":
        b1, b2, t = settings["beta1"], settings["beta2"], iteration + 1
        m = b1 * state["m"] + (1 - b1) * g
        v = b2 * state["v"] + (1 - b2) * g * g
        return m / (1 - b1**t), v / (1 - b2**t)
    if method == "rmsprop":
        return g, settings["decay"] * state["v"] + (1 - settings["decay"]) * g * g
    return g, state["sum_sq"] + g * g   # adagrad


def scaling_drawing(method, point, state: dict, settings: dict, lr, gradient, iteration: int) -> MethodDrawing:
    """The per-coordinate scaling η/(√v̂ + ε) as the ellipse it turns unit gradients into (axes along x and y),
    gradient descent's step −η∇f beside the method's scaled step −η m̂/(√v̂ + ε), and Adam's −η m̂."""
    x, g = np.asarray(point, float), np.asarray(gradient, float)
    m_hat, v_hat = scaled_moments(method, state, settings, g, iteration)
    axes = lr / (np.sqrt(v_hat) + settings["eps"])
    step = -axes * m_hat
    # the key's words, not m̂ and v̂: a combining hat sets badly in many fonts
    arrows = [Arrow(x, -lr * g, "gradient descent's step −η∇f", "gradient"),
              Arrow(x, step, f"{method}'s step: each coordinate × η/(√v+ε)", "method")]
    if method == "adam":
        arrows.insert(1, Arrow(x, -lr * m_hat, "−η × the mean gradient m (bias-corrected)", "memory"))
    v_name = {"adam": "mean g², bias-corrected", "rmsprop": "running mean of g²"}.get(method, "sum of g²")
    curve = Curve(scaling_ellipse(axes, x), "η/(√v+ε) per coordinate: where a unit gradient goes", "method")
    numbers = [("v", f"{_vector(v_hat)}  ({v_name})"), ("η/(√v+ε)", _vector(axes)), ("step", _vector(step))]
    if method == "adam":
        numbers.insert(0, ("m", f"{_vector(m_hat)}  (mean g, bias-corrected)"))
    return MethodDrawing(method, x, tuple(arrows), (curve,), numbers=tuple(numbers))


def quasi_newton_drawing(method, point, inverse_hessian, gradient, hessian) -> MethodDrawing:
    """The quadratic model with the approximation B = (H_k)⁻¹ beside the one with the true H: each one's level
    ellipse through the point (centred on its minimiser) and its full step −B⁻¹∇f."""
    x, g = np.asarray(point, float), np.asarray(gradient, float)
    inverse = np.asarray(inverse_hessian, float)
    approx = np.linalg.inv(inverse)
    step = -inverse @ g
    arrows, curves = [Arrow(x, step, "quasi-Newton step −B⁻¹∇f", "method")], []
    drawn = level_ellipse_through(approx, x, g)
    if drawn is not None:
        curves.append(Curve(drawn[0], "level ellipse of the model with B", "method"))
    numbers = [("B" if i == 0 else "", _vector(row)) for i, row in enumerate(approx)]   # a row a line
    true = level_ellipse_through(hessian, x, g)
    if true is not None:
        curves.append(Curve(true[0], "level ellipse of the model with the true H", "true"))
        arrows.append(Arrow(x, true[1] - x, "Newton step −H⁻¹∇f", "true"))
    if np.all(np.isfinite(hessian)) and np.linalg.norm(hessian) > 0:
        numbers.append(("‖B−H‖/‖H‖", f"{relative_hessian_error(inverse, hessian):.3g}"))
    return MethodDrawing(method, x, tuple(arrows), tuple(curves), numbers=tuple(numbers))


def cg_drawing(point, direction, previous, gradient, hessian) -> MethodDrawing:
    """The current direction dₖ and the previous dₖ₋₁ as diameters of the level ellipse through the point (on a
    quadratic they are conjugate: dₖᵀHdₖ₋₁ = 0, and dₖ runs through the centre), with dₖᵀHdₖ₋₁ in numbers."""
    x, d = np.asarray(point, float), np.asarray(direction, float)
    h = np.asarray(hessian, float)
    curvature = float(d @ h @ d)
    # where the model is least along dₖ: t = −gᵀd / dᵀHd (the exact line search on a quadratic)
    t = -float(np.asarray(gradient, float) @ d) / curvature if curvature > 0 else 1.0
    arrows = [Arrow(x, t * d, "tₖdₖ: to the model's least value along dₖ" if curvature > 0 else "direction dₖ",
                    "method")]
    numbers = [("dₖ", _vector(d))]
    curves = []
    drawn = level_ellipse_through(h, x, gradient)
    if drawn is not None:
        outline, centre = drawn
        level = float((x - centre) @ h @ (x - centre))
        curves.append(Curve(outline, "level ellipse through the point", "true"))
        curves.append(Curve(conjugate_diameter(h, centre, level, d), "diameter along dₖ", "method"))
        if previous is not None:
            curves.append(Curve(conjugate_diameter(h, centre, level, previous), "diameter along dₖ₋₁", "memory"))
    if previous is not None:
        p = np.asarray(previous, float)
        numbers += [("dₖ₋₁", _vector(p)), ("dₖᵀHdₖ₋₁", f"{float(d @ h @ p):.3g}")]
        scale = np.sqrt(abs(float(d @ h @ d) * float(p @ h @ p)))
        if scale > 0:
            numbers.append(("cos_H", f"{float(d @ h @ p) / scale:.3g}"))
    return MethodDrawing("cg", x, tuple(arrows), tuple(curves), numbers=tuple(numbers))


def model_drawing(method, point, gradient, hessian, state: dict, accepted) -> MethodDrawing:
    """Newton's model step −H⁻¹∇f (trust-region: its own step, inside the radius drawn as a circle) and the
    point the method accepted (its next state)."""
    x, g, h = np.asarray(point, float), np.asarray(gradient, float), np.asarray(hessian, float)
    arrows, curves, marks, numbers = [], [], [], []
    if "step" in state:   # the method's own step (a trust region's; None: not taken yet)
        model_step = None if state["step"] is None else np.asarray(state["step"], float)
    else:
        try:
            model_step = -np.linalg.solve(h, g)
        except np.linalg.LinAlgError:
            model_step = None
    if model_step is not None and np.all(np.isfinite(model_step)):
        arrows.append(Arrow(x, model_step, "the model's step", "true"))
        numbers.append(("model step", _vector(model_step)))
    if "radius" in state and state["radius"] is not None:
        r = float(state["radius"])
        t = np.linspace(0.0, 2.0 * np.pi, ELLIPSE_POINTS)
        curves.append(Curve(x + r * np.column_stack([np.cos(t), np.sin(t)]), "trust radius Δ", "method"))
        numbers.append(("Δ", f"{r:.4g}"))
    if accepted is not None:
        marks.append(Mark(np.asarray(accepted, float), "the point accepted", "method"))
        numbers.append(("accepted", _vector(accepted)))
    return MethodDrawing(method, x, tuple(arrows), tuple(curves), tuple(marks), tuple(numbers))
