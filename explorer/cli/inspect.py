"""`landscape-explorer inspect`: value, gradient, Hessian, eigenvalues and class at one point."""
from __future__ import annotations

from explorer.cli import field_commands
from explorer.cli import fit_commands
from explorer.cli import model_commands
from explorer.cli import model_curvature
from explorer.cli import sensitivity_command
from explorer.cli.arguments import UsageError, add_params_option, number, parameters_for, point
from explorer.cli.output import analysis_fields, json_text
from explorer.cli.tables import point_table
from explorer.core.calculus import PointCalculus
from explorer.core.expression import parse
from explorer.core.named_point import MAX_VARIABLES, SURFACE_VARIABLES, PointError, variable_names


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("inspect", help="value, gradient, Hessian, eigenvalues and class at a point",
                              description="Value, gradient, Hessian, eigenvalues and curvature class at a point; "
                                          "for a fit given with --residual, also Gauss–Newton's (2/n)·JᵀJ and "
                                          "the Hessian's term it drops.")
    p.add_argument("expression", metavar="EXPR", nargs="?", help="for example \"x**2 + 2*x*y + 3*y**2\"")
    p.add_argument("--at", metavar="X,Y[,Z]", help="the point, e.g. --at 2,3 or --at 1,-2,4; with --vars one "
                                                   "number per variable")
    p.add_argument("--vars", metavar="NAMES", help=f"the variables of EXPR, 1 to {MAX_VARIABLES} names, e.g. "
                                                   "--vars x,y,z,w --at 1,-2,4,0 (default: x,y, and z when --at "
                                                   "gives three numbers); every other name is a parameter")
    add_params_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    fit_commands.add_options(p)
    model_commands.add_options(p)
    p.add_argument("--params", metavar="FILE.json", help="with --model: the parameters, an object name -> nested "
                                                        "lists as run --json's \"parameters\" gives them")
    model_curvature.add_options(p)
    sensitivity_command.add_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    if model_commands.is_model(args):   # --model over --dataset or --data, at --params FILE.json
        return model_commands.inspect(args)
    model_curvature.refuse_without_model(args)
    sensitivity_command.check(args)
    if args.params is not None:
        raise UsageError("--params FILE.json goes with --model SPEC (a model's parameters)")
    if args.at is None:
        raise UsageError("the following arguments are required: --at")
    if fit_commands.is_fit(args):  # --loss or --residual averaged over --data or --dataset
        if args.vars is not None:
            raise UsageError("--vars names the variables of EXPR; a fit's variables are its --train names")
        return fit_commands.inspect(args)
    if field_commands.is_field_text(args.expression):  # '(u, v)': a field
        if args.vars is not None:
            raise UsageError("--vars goes with a function EXPR; a field (u, v) is one of x and y")
        return field_commands.inspect_field(args)
    if args.vars is not None:
        variables, at = named_point(args.vars, args.at)
        expression = parse(args.expression.strip(), variables)
    else:
        at = point(args.at, "--at", sizes=(2, 3))
        variables = SURFACE_VARIABLES[:len(at)]
        expression = parse(args.expression.strip(), variables)
        if "z" in expression.parameters and len(at) == 2:
            raise UsageError("the expression uses z: give three coordinates, --at X,Y,Z (or name the variables "
                             "with --vars)")
    params = parameters_for(expression, args.param)
    result = PointCalculus(expression, params).analyze(at)
    if args.json:
        print(json_text(analysis_fields(variables, at, result)))
    else:
        print(point_table(expression.text, variables, at, result))
    return 0


def named_point(names: str, at: str) -> tuple[tuple[str, ...], list[float]]:
    """--vars and --at: the variables, checked, and one number per variable."""
    try:
        variables = variable_names(names)
    except PointError as err:
        raise UsageError(f"--vars: {err}") from None
    parts = at.strip().split(",")
    if len(parts) != len(variables) or any(not p.strip() for p in parts):
        example = ",".join(["1", "-2", "0.5", "0"][k % 4] for k in range(len(variables)))
        raise UsageError(f"--at needs {len(variables)} numbers, one per variable ({', '.join(variables)}), "
                         f"like {example}; got '{at.strip()}'")
    return variables, [number(p, "--at") for p in parts]
