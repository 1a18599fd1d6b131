"""The data-fitting branches of `inspect` and `run`: --loss EXPR over --data FILE.csv or --dataset NAME.

    landscape-explorer run --data line.csv --loss "(w*X + b - Y)^2" --train w,b --method gd --start 0,0

The objective is the mean of the per-row loss over the rows; --at / --start take one value per
trained parameter, in --train's order; --param gives every other free name of the loss a value.
Output is that of a surface (same JSON shape) with "variables" naming the trained parameters.
The command modules import this one; it imports them only inside functions.
"""
from __future__ import annotations

from explorer.cli.arguments import UsageError, assignments, number, warn, whole_number
from explorer.cli.output import json_text
from explorer.core.data import DataError, Dataset, read_csv, standardise
from explorer.core.datasets import GENERATORS, generate
from explorer.core.expression import parse
from explorer.core.fit import FitError, FitObjective, FitProblem, trained_names
from explorer.core.optimizers import METHODS
from explorer.core.syntax_hints import ExpressionError
from explorer.core.trajectory import race

MAX_SEED = 2**32 - 1
_FIT_ONLY = ("data", "dataset", "seed", "train", "standardise")


def add_options(parser) -> None:
    """--data, --dataset, --seed, --loss, --train and --standardise, in a group of their own."""
    names = "; ".join(f"{g.name}: {g.description}" for g in GENERATORS.values())
    group = parser.add_argument_group("fitting data", "EXPR is then left out; --at or --start take one value per "
                                                         "trained parameter, in --train's order")
    group.add_argument("--data", metavar="FILE.csv",
                       help="a CSV file: a header row of column names, then rows of numbers (, or ; separated)")
    group.add_argument("--dataset", metavar="NAME", help=f"a built-in dataset: {names}")
    group.add_argument("--seed", metavar="S", help="the seed of --dataset (default 0)")
    group.add_argument("--loss", metavar="EXPR",
                       help="the per-row loss, averaged over the rows, e.g. \"(w*X + b - Y)^2\"")
    group.add_argument("--train", metavar="NAMES", help="the parameters to fit, e.g. w,b")
    group.add_argument("--standardise", metavar="COLUMNS",
                       help="rescale these columns to mean 0 and standard deviation 1 first, e.g. X1,X2")


def is_fit(args) -> bool:
    """True when the command fits data (--loss given). Otherwise checks that EXPR is there and that no
    option of fitting came without --loss."""
    if args.loss is None:
        given = next((name for name in _FIT_ONLY if getattr(args, name, None) is not None), None)
        if given:
            raise UsageError(f"--{given} goes with --loss EXPR (the per-row loss to average over the data)")
        if args.expression is None:
            raise UsageError("give the function EXPR, e.g. \"x^2 + y^2\" (or fit data: --loss EXPR --train NAMES "
                             "with --data FILE.csv or --dataset NAME)")
        return False
    if args.expression is not None:
        raise UsageError(f"give either EXPR ('{args.expression.strip()}') or --loss, not both")
    return True


def dataset_from(args) -> Dataset:
    if args.data is not None and args.dataset is not None:
        raise UsageError("give either --data FILE.csv or --dataset NAME, not both")
    try:
        if args.data is not None:
            if args.seed is not None:
                raise UsageError("--seed goes with --dataset (a file's rows are what they are)")
            dataset = read_csv(args.data.strip())
        elif args.dataset is not None:
            seed = 0 if args.seed is None else whole_number(args.seed, "--seed", 0, MAX_SEED)
            dataset = generate(args.dataset.strip(), seed)
        else:
            raise UsageError(f"--loss needs data: --data FILE.csv or --dataset NAME ({', '.join(GENERATORS)})")
        if args.standardise is not None:
            columns = [c.strip() for c in args.standardise.split(",")]
            dataset = standardise(dataset, columns)[0]
    except DataError as err:
        option = "--data" if args.data is not None else "--dataset"
        raise UsageError(f"{option}: {err}") from None
    return dataset


def problem_from(args) -> FitProblem:
    """The fit the options describe; every mistake a UsageError of one line."""
    dataset = dataset_from(args)
    if args.train is None:
        raise UsageError("--loss needs --train NAMES: the parameters to fit, e.g. --train w,b")
    loss = args.loss.strip()
    params = assignments(args.param, "--param")
    try:
        trained = trained_names(args.train)
    except FitError as err:
        raise UsageError(f"--train: {err}") from None
    clash = next((name for name in trained if name in dataset.columns), None)
    if clash:
        raise UsageError(f"--train: '{clash}' is a column of the data; give the parameter another name")
    try:
        free = parse(loss, trained + dataset.columns).parameters
        for name in params:
            if name in dataset.columns:
                raise UsageError(f"--param {name}: '{name}' is a column of the data, not a parameter")
            if name in trained:
                raise UsageError(f"--param {name}: '{name}' is trained (its start is given with --start or --at)")
            if name not in free:
                raise UsageError(f"--param {name}: the loss has no parameter '{name}'")
        problem = FitProblem(dataset, loss, trained, params)
    except ExpressionError as err:
        raise UsageError(f"--loss: {err}") from None
    except FitError as err:
        if err.name is not None and err.hint is None:
            raise UsageError(f"--loss: {err}; give it one with --param {err.name}=VALUE") from None
        raise UsageError(f"--loss: {err}") from None
    for line in problem.warnings:
        warn(line)
    return problem


def parameter_point(text: str, option: str, problem: FitProblem) -> list[float]:
    """One number per trained parameter, in --train's order."""
    parts = text.strip().split(",")
    names = ", ".join(problem.trained)
    if len(parts) != problem.dimension or any(not p.strip() for p in parts):
        example = ",".join(["0"] * problem.dimension)
        raise UsageError(f"{option} needs {problem.dimension} numbers, one per trained parameter ({names}), "
                         f"like {example}; got '{text.strip()}'")
    return [number(p, option) for p in parts]


def inspect(args) -> int:
    from explorer.cli.inspect import table
    problem = problem_from(args)
    at = parameter_point(args.at, "--at", problem)
    result = FitObjective(problem).analyze(at)
    names = list(problem.trained)
    if args.json:
        print(json_text({
            "variables": names,
            "point": at,
            "value": result.value,
            "gradient": result.gradient,
            "hessian": result.hessian,
            "eigenvalues": result.eigenvalues,
            "eigenvectors": result.eigenvectors.T,
            "classification": result.classification,
            "condition_number": result.condition_number,
            "loss": problem.loss.text,
            "dataset": problem.dataset.name,
            "rows": problem.dataset.rows,
        }))
    else:
        print(table(_description(problem), names, at, result))
    return 0


def run(args) -> int:
    from explorer.cli.run import MAX_STEPS, method_settings
    problem = problem_from(args)
    names = [n.strip() for n in args.method.split(",")]
    for n in names:
        if n not in METHODS:
            raise UsageError(f"--method: unknown method '{n}' (choose from {', '.join(METHODS)})")
    start = parameter_point(args.start, "--start", problem)
    steps = whole_number(args.steps, "--steps", 0, MAX_STEPS)
    tolerance = number(args.tolerance, "--tolerance")
    try:
        runs = race(FitObjective(problem), start, method_settings(names, args), max_steps=steps, tolerance=tolerance)
    except ValueError as err:
        raise UsageError(str(err)) from None
    for r in runs:
        r.run_to_end()
    if args.json:
        print(json_text({"variables": list(problem.trained), "runs": [r.as_dict() for r in runs]}))
    else:
        print(_description(problem) + "\n\n" + "\n\n".join(table(r, problem.trained) for r in runs))
    return 0


def _description(problem: FitProblem) -> str:
    return f"mean over the {problem.dataset.rows} rows of {problem.dataset.name} of {problem.loss.text}"


def table(r, names: tuple[str, ...]) -> str:
    """A run as text: one line per state, one column per trained parameter."""
    settings = ", ".join(f"{k}={v:g}" for k, v in r.optimizer.settings().items())
    lines = [f"{r.method} ({settings}): {r.summary}" + (f" — {r.reason}" if r.reason else ""),
             f"{'k':>5} " + " ".join(f"{n:>12}" for n in names) + f" {'loss':>13} {'|step|':>10} {'linear':>11} "
             f"{'quadratic':>11} {'actual':>11}  class"]
    for k, s in enumerate(r.states):
        row = f"{k:>5} " + " ".join(f"{v:>12.6g}" for v in s.point) + f" {s.value:>13.6g}"
        if k:
            rec = r.records[k - 1]
            row += (f" {rec.length:>10.4g} {rec.predicted_linear:>11.4g} {rec.predicted_quadratic:>11.4g} "
                    f"{rec.actual:>11.4g}  {rec.classification}" + ("  ↑ loss increased" if rec.uphill else ""))
        lines.append(row)
    return "\n".join(lines)
