"""`landscape-explorer inspect`: value, gradient, Hessian, eigenvalues and class at one point."""
from __future__ import annotations

from explorer.cli import field_commands
from explorer.cli import fit_commands
from explorer.cli import model_commands
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
    p.add_argument("--at", metavar="X,Y[,Z]", help="the point, e.g. --at 2,3 or --at 1,-2,4")
    add_params_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    fit_commands.add_options(p)
    model_commands.add_options(p)
    p.add_argument("--params", metavar="FILE.json", help="with --model: the parameters, an object name -> nested "
                                                        "lists as run --json's \"parameters\" gives them")
    p.set_defaults(run=run)


def run(args) -> int:
    if model_commands.is_model(args):   # --model over --dataset or --data, at --params FILE.json
        return model_commands.inspect(args)
    if args.params is not None:
        raise UsageError("--params FILE.json goes with --model SPEC (a model's parameters)")
    if args.at is None:
        raise UsageError("the following arguments are required: --at")
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
