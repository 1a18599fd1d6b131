"""The field part of a scene: a scene whose expression is a field '(u, v)', or a surface f shown as ∇f.

Such a scene keeps format version 1 and adds, only when it is a field, the keys

    "gradient_field": true              (the field is ∇f of the surface in "expression"; written only when true)
    "field_height": "norm" | "u" | "v"  (what the 3D view raises: |F| or one component)
    "lens": {"point": [x, y], "radius": r} or null   (the Jacobian lens)

and its "colouring" is one of orientation, area, stretch. Its runs are Newton–Raphson for F = 0
(method newton, no settings). A surface scene is written exactly as before.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from explorer.core.field_expression import FieldExpression, is_field_text, parse_field
from explorer.core.field_newton import NewtonRun
from explorer.core.field_picture import COLOURINGS as FIELD_COLOURINGS
from explorer.core.field_picture import HEIGHTS
from explorer.core import scene_checks as h
from explorer.core.fields import FieldCalculus, GradientField, mapping_text
from explorer.core.syntax_hints import ExpressionError

__all__ = ["SURFACE", "FIELD", "FIELD_METHOD", "FIELD_KEYS", "FIELD_COLOURINGS", "LensSpec", "kind_of_text",
           "plane_field", "field_of", "method_refusal", "read_field_keys", "field_keys", "check_field_runs",
           "field_calculus", "try_field", "newton_run"]

SURFACE, FIELD = "surface", "field"
FIELD_METHOD = "newton"
FIELD_KEYS = ("gradient_field", "field_height", "lens")


@dataclass(frozen=True)
class LensSpec:
    """Where the Jacobian lens looks and the radius of its circle of inputs."""

    point: tuple[float, float]
    radius: float


def kind_of_text(text: str, gradient_field: bool = False) -> str:
    """'field' for '(u, v)' or a surface shown as ∇f, else 'surface'."""
    return FIELD if gradient_field or is_field_text(text) else SURFACE


def plane_field(text: str) -> FieldExpression:
    """A typed field of x and y with two components (ExpressionError with one line)."""
    field = parse_field(text, ("x", "y"))
    if field.size != 2:
        raise ExpressionError(f"the window draws fields of two components, (u, v); this one has {field.size} "
                         f"({mapping_text(2, field.size)}): `landscape-explorer inspect` shows its Jacobian")
    return field


def field_of(expression, gradient_field: bool):
    """The field a problem holds: the typed FieldExpression, or ∇f of the surface `expression`."""
    return GradientField(expression) if gradient_field else expression


def method_refusal(method: str) -> str:
    """Why `method` cannot run on a field, in one line."""
    return (f"a field F = (u, v) is solved for F = 0 with newton (Newton–Raphson) only; "
            f"{method} minimises a function f(x, y)")


def read_field_keys(data: dict, expression: str) -> dict[str, Any]:
    """The Scene arguments of the field keys in `data`: {} for a surface (SceneError on anything wrong)."""
    gradient = h._flag(data.get("gradient_field", False), "gradient_field")
    if gradient and is_field_text(expression):
        raise h.SceneError("'gradient_field' shows ∇f of a function f(x, y); the expression is already a field")
    if kind_of_text(expression, gradient) == SURFACE:
        for key in FIELD_KEYS:
            if key in data:
                raise h.SceneError(f"'{key}' belongs to a field scene; this expression is a function f(x, y)")
        return {}
    height = h._text(data.get("field_height", "norm"), "field_height")
    if height not in HEIGHTS:
        raise h.SceneError(f"'field_height' must be one of {', '.join(HEIGHTS)}, not {h._show(height)}")
    lens = data.get("lens")
    if lens is not None:
        lens = h._object(lens, "lens")
        h._check_keys(lens, ("point", "radius"), (), "lens")
        lens = LensSpec(h._point(lens["point"], "lens.point", 2), h._positive(lens["radius"], "lens.radius"))
    return {"gradient_field": gradient, "field_height": height, "lens": lens}


def field_keys(scene) -> dict[str, Any]:
    """The field keys to write for `scene` (none for a surface)."""
    if kind_of_text(scene.text, scene.gradient_field) == SURFACE:
        return {}
    out = {"gradient_field": True} if scene.gradient_field else {}
    lens = None if scene.lens is None else {"point": list(scene.lens.point), "radius": scene.lens.radius}
    return out | {"field_height": scene.field_height, "lens": lens}


def check_field_runs(runs, where: Callable[[int], str], error) -> None:
    """Newton–Raphson only, without settings; `error(message)` makes the exception."""
    for i, spec in enumerate(runs):
        if spec.method != FIELD_METHOD:
            raise error(f"{where(i)}.method: {method_refusal(spec.method)}")
        if spec.settings:
            raise error(f"{where(i)}.settings: Newton–Raphson on a field has no settings")


def field_calculus(scene, parse_surface) -> FieldCalculus:
    """The FieldCalculus of a field scene; `parse_surface(text)` parses f for a gradient field."""
    expression = parse_surface(scene.text) if scene.gradient_field else plane_field(scene.text)
    return FieldCalculus(field_of(expression, scene.gradient_field), scene.parameter_values())


def try_field(scene, parse_surface, check_grid: int) -> FieldCalculus:
    """The scene's field, its Jacobian tried on a check_grid × check_grid grid over the domain."""
    calculus = field_calculus(scene, parse_surface)
    calculus.jacobian_map(np.linspace(*scene.x_range, check_grid), np.linspace(*scene.y_range, check_grid))
    return calculus


def newton_run(calculus: FieldCalculus, spec, max_steps: int) -> NewtonRun:
    return NewtonRun(calculus, spec.start, max_steps=max_steps)
