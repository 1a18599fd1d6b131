"""`landscape-explorer inspect`: value, gradient, Hessian, eigenvalues and class at one point."""
from __future__ import annotations

import numpy as np

from explorer.cli import field_commands
from explorer.cli import fit_commands
from explorer.cli.arguments import UsageError, add_params_option, parameters_for, point
from explorer.cli.output import analysis_fields, json_text
from explorer.core.calculus import UNDEFINED, PointCalculus
from explorer.core.expression import parse

VARIABLES = ("x", "y", "z")


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("inspect", help="value, gradient, Hessian, eigenvalues and class at a point",
                              description="Value, gradient, Hessian, eigenvalues and curvature class at a point; "
                                          "for a fit given with --residual, also Gauss–Newton's (2/n)·JᵀJ and "
                                          "the Hessian's term it drops.")
    p.add_argument("expression", metavar="EXPR", nargs="?", help="for example \"x**2 + 2*x*y + 3*y**2\"")
    p.add_argument("--at", required=True, metavar="X,Y[,Z]", help="the point, e.g. --at 2,3 or --at 1,-2,4")
    add_params_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    fit_commands.add_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    if fit_commands.is_fit(args):  # --loss or --residual averaged over --data or --dataset
        return fit_commands.inspect(args)
    if field_commands.is_field_text(args.expression):  # '(u, v)': a field
        return field_commands.inspect_field(args)
    at = point(args.at, "--at", sizes=(2, 3))
    variables = VARIABLES[:len(at)]
    expression = parse(args.expression.strip(), variables)
    if "z" in expression.parameters and len(at) == 2:
        raise UsageError("the expression uses z: give three coordinates, --at X,Y,Z")
    params = parameters_for(expression, args.param)
    result = PointCalculus(expression, params).analyze(at)
    if args.json:
        print(json_text(analysis_fields(variables, at, result)))
    else:
        print(table(expression.text, variables, at, result))
    return 0


def fmt(v) -> str:
    return f"{float(v):.10g}"


def vector(v) -> str:
    return "(" + ", ".join(fmt(c) for c in v) + ")"


def matrix_lines(label: str, matrix) -> list[str]:
    """A matrix as rows of text, `label` in front of the first."""
    return [f"{label if i == 0 else '':<14}[{'  '.join(f'{fmt(c):>12}' for c in row)} ]"
            for i, row in enumerate(matrix)]


def table(text, variables, at, r) -> str:
    names = ", ".join(variables)
    lines = [f"f({names}) = {text}", f"at ({names}) = {vector(at)}", "",
             f"{'value':<14}{fmt(r.value)}"]
    # a derivative of an undefined f (or a Hessian of an undefined gradient) is nan throughout: say so in words
    if np.isnan(r.gradient).all():
        why = "f is not finite here" if not np.isfinite(r.value) else "not finite here"
        lines.append(f"{'gradient':<14}undefined ({why})")
    else:
        lines.append(f"{'gradient':<14}{vector(r.gradient)}")
    if np.isnan(r.hessian).all():
        lines.append(f"{'Hessian':<14}undefined")
    else:
        lines += matrix_lines("Hessian", r.hessian)
    if r.curvature == UNDEFINED:  # eigenvalues of a Hessian with inf or nan in it mean nothing
        lines.append(f"{'eigenvalues':<14}undefined (the value or a derivative is not finite)")
    else:
        lines.append(f"{'eigenvalues':<14}{', '.join(fmt(v) for v in r.eigenvalues)}")
        for v, vec in zip(r.eigenvalues, r.eigenvectors.T):
            lines.append(f"{'':<14}λ = {fmt(v)}: direction {vector(vec)}")
    lines.append(f"{'class':<14}{r.classification}")
    lines.append(f"{'condition':<14}{'undefined' if r.curvature == UNDEFINED else fmt(r.condition_number)}")
    return "\n".join(lines)
