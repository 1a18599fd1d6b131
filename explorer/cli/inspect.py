"""`landscape-explorer inspect`: value, gradient, Hessian, eigenvalues and class at one point."""
from __future__ import annotations

from explorer.cli import field_commands
from explorer.cli import fit_commands
from explorer.cli.arguments import UsageError, add_params_option, parameters_for, point
from explorer.cli.output import analysis_fields, json_text
from explorer.cli.tables import point_table
from explorer.core.calculus import PointCalculus
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
        print(point_table(expression.text, variables, at, result))
    return 0
