"""The lecture library of named functions: expression, domain, a start point and what to watch."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    expression: str
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    start: tuple[float, float]
    note: str


PRESETS: tuple[Preset, ...] = (
    Preset("Ill-conditioned bowl", "x^2 + 10*y^2", (-3, 3), (-3, 3), (-2.5, 1.5),
           "Condition number 10: gradient descent zig-zags across the valley; Newton lands in one step."),
    Preset("Rosenbrock", "(1 - x)^2 + 100*(y - x^2)^2", (-2, 2), (-1, 3), (-1.2, 1.0),
           "A curved, narrow valley: gradient descent crawls along it, Newton and BFGS do not."),
    Preset("Himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (-5, 5), (-5, 5), (0.0, 0.0),
           "Four minima: which one a method finds depends on where it starts."),
    Preset("Beale", "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2", (-4.5, 4.5), (-4.5, 4.5),
           (1.0, 1.0), "Flat plateaus and steep walls; the minimum is at (3, 0.5)."),
    Preset("Rastrigin", "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)", (-5.12, 5.12), (-5.12, 5.12),
           (2.2, -1.7), "A bowl covered in local minima that trap gradient descent."),
    Preset("Saddle", "x^2 - y^2", (-2, 2), (-2, 2), (1.0, 0.3),
           "Pure Newton walks onto the saddle point; damped Newton turns downhill."),
    Preset("Monkey saddle", "x^3 - 3*x*y^2", (-1.5, 1.5), (-1.5, 1.5), (0.8, 0.4),
           "Three valleys meet at a degenerate point: the Hessian is zero at the origin."),
    Preset("Six-hump camel", "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2", (-2, 2), (-1.2, 1.2),
           (-1.5, 0.9), "Six local minima, two of them global, with saddles between."),
    Preset("Sine bowl", "sin(x)*cos(y) + 0.1*(x^2 + y^2)", (-6, 6), (-6, 6), (3.5, 2.0),
           "Convex, concave and saddle regions side by side."),
)


def preset(name: str) -> Preset:
    for p in PRESETS:
        if p.name == name:
            return p
    raise KeyError(name)
