"""The field branches of `inspect`, `grid` and `run`: EXPR is a field '(u, v, ...)'.

inspect: value, Jacobian (rows = components, columns = variables), singular values (descending) and,
when J is square, determinant, trace and eigenvalues ([re, im] pairs in JSON).
grid: u, v, jxx = ∂u/∂x, jxy = ∂u/∂y, jyx = ∂v/∂x, jyy = ∂v/∂y and det on the grid (R² → R² only).
run: Newton–Raphson for F = 0 (--method newton only).
"""
from __future__ import annotations

import numpy as np

from explorer.cli.arguments import (UsageError, check_out_folder, grid_axes, parameters_for, point,
                                    tolerance as tolerance_of, whole_number)
from explorer.cli.limits import MAX_N, MAX_STEPS
from explorer.cli.output import json_text
from explorer.cli.tables import fmt, vector
from explorer.core.field_expression import FieldExpression, is_field_text, parse_field
from explorer.core.field_newton import ROOT_TOLERANCE, NewtonRun
from explorer.core.fields import FieldCalculus, mapping_text
from explorer.core.files import AtomicWrite

VARIABLES = ("x", "y", "z")
__all__ = ["is_field_text", "inspect_field", "grid_field", "run_field"]


def _field(args, coordinates: int, option: str | None = None) -> tuple[FieldExpression, dict[str, float]]:
    """The field of x, y (and z with three coordinates) and its --param values."""
    field = parse_field(args.expression.strip(), VARIABLES[:coordinates])
    if option and "z" in field.parameters and coordinates == 2:
        raise UsageError(f"the field uses z: give three coordinates, {option} X,Y,Z")
    return field, parameters_for(field, args.param)


# ---------------------------------------------------------------- inspect

def inspect_field(args) -> int:
    at = point(args.at, "--at", sizes=(2, 3))
    field, params = _field(args, len(at), "--at")
    a = FieldCalculus(field, params).analyze(at)
    if args.json:
        data = {"variables": list(field.variables), "point": at, "components": [c.text for c in field.components],
                "value": a.value, "jacobian": a.jacobian, "singular_values": a.singular_values}
        if a.square:
            data.update(determinant=a.determinant, trace=a.trace,
                        eigenvalues=[[z.real, z.imag] for z in a.eigenvalues])
        print(json_text(data))
    else:
        print(inspect_table(field, at, a))
    return 0


def complex_text(z: complex) -> str:
    """'1.5', '1.2 + 0.7i', '1.2 - 0.7i'; 'undefined' when not finite."""
    if not (np.isfinite(z.real) and np.isfinite(z.imag)):
        return "undefined"
    if z.imag == 0:
        return fmt(z.real)
    return f"{fmt(z.real)} {'-' if z.imag < 0 else '+'} {fmt(abs(z.imag))}i"


def inspect_table(field: FieldExpression, at, a) -> str:
    names = ", ".join(field.variables)
    lines = [f"F({names}) = {field.text.strip()}   ({mapping_text(field.dimension, field.size)})",
             f"at ({names}) = {vector(at)}", "",
             f"{'value':<18}{vector(a.value)}"]
    for i, row in enumerate(a.jacobian):
        label = "Jacobian" if i == 0 else ""
        lines.append(f"{label:<18}[{'  '.join(f'{fmt(c):>12}' for c in row)} ]")
    lines.append(f"{'singular values':<18}{', '.join(fmt(s) for s in a.singular_values)}")
    if a.square:
        lines.append(f"{'determinant':<18}{fmt(a.determinant)}")
        lines.append(f"{'trace':<18}{fmt(a.trace)}")
        lines.append(f"{'eigenvalues':<18}{', '.join(complex_text(z) for z in a.eigenvalues)}")
    return "\n".join(lines)


# ---------------------------------------------------------------- grid

def grid_field(args) -> int:
    x, y = grid_axes(args, MAX_N)
    out = args.out.strip()
    if not out.endswith(".npz"):
        raise UsageError(f"--out must name a .npz file; got '{out}'")
    check_out_folder(out)
    field, params = _field(args, 2)
    if field.size != 2:
        raise UsageError(f"grid needs a field R² → R², (u, v); this one has {field.size} components "
                         f"({mapping_text(2, field.size)})")
    with AtomicWrite(out) as w:
        jmap = FieldCalculus(field, params).jacobian_map(x, y)
        with open(w.path, "wb") as fh:
            np.savez(fh, expression=np.array(field.text), **jmap.arrays())
    return 0


# ---------------------------------------------------------------- run

def run_field(args) -> int:
    names = [n.strip() for n in args.method.split(",")]
    if names != ["newton"]:
        other = next((n for n in names if n != "newton"), names[0])
        raise UsageError(f"--method {other}: a field F = (u, v) is solved for F = 0 with --method newton "
                         "(Newton–Raphson); the other methods minimise a function f(x, y)")
    for option, given in (("--lr", args.lr), ("--momentum", args.momentum), ("--set", args.set)):
        if given:
            raise UsageError(f"{option}: Newton–Raphson on a field has no such setting")
    start = point(args.start, "--start", sizes=(2, 3))
    steps = whole_number(args.steps, "--steps", 0, MAX_STEPS)
    tolerance = ROOT_TOLERANCE if args.tolerance is None else tolerance_of(args.tolerance)
    field, params = _field(args, len(start), "--start")
    if field.size != field.dimension:
        raise UsageError(f"newton solves F = 0 with as many components as variables; this field is "
                         f"{mapping_text(field.dimension, field.size)}")
    r = NewtonRun(FieldCalculus(field, params), start, max_steps=steps, tolerance=tolerance)
    r.run_to_end()
    if args.json:
        print(json_text({"runs": [r.as_dict()]}))
    else:
        print(run_table(r, field.variables))
    return 0


def run_table(r: NewtonRun, variables) -> str:
    lines = [f"newton (Newton–Raphson for F = 0): {r.summary}" + (f" — {r.reason}" if r.reason else ""),
             f"{'k':>5} " + " ".join(f"{v:>12}" for v in variables) + f" {'|F|':>13} {'|step|':>10} {'det J':>11}"]
    for k, s in enumerate(r.states):
        length = f"{r.records[k - 1].length:>10.4g}" if k else f"{'':>10}"
        lines.append(f"{k:>5} " + " ".join(f"{c:>12.6g}" for c in s.point)
                     + f" {s.value:>13.6g} {length} {np.linalg.det(s.jacobian):>11.4g}")
    return "\n".join(lines)
