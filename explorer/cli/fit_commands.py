"""The data-fitting branches of `inspect` and `run`: --loss EXPR (or --residual EXPR) over --data FILE.csv
or --dataset NAME.

    landscape-explorer run --data line.csv --loss "(w*X + b - Y)^2" --train w,b --method gd --start 0,0
    landscape-explorer run --dataset growth --residual "a*exp(b*X) - Y" --train a,b --method gauss-newton --start 1,0.1
    landscape-explorer run --data hours.csv --target Score --features Hours --loss "(w*Hours + b - Score)^2" ...

The objective is the mean of the per-row loss over the rows (with --residual r, the mean of r²); --at /
--start take one value per trained parameter, in --train's order; --param gives every other free name
a value; --target and --features name the column predicted and those it is predicted from, checked against
the data and the loss. Output is that of a surface (same JSON shape) with "variables" naming the trained parameters;
`inspect --residual` adds the Gauss–Newton matrix (2/n)·JᵀJ and what it drops from the Hessian.
"""
from __future__ import annotations

from explorer.cli.arguments import UsageError, assignments, number, warn, whole_number
from explorer.cli.dataset_command import DRAWING, add_drawing_options, data_seed, drawn
from explorer.cli.limits import MAX_STEPS
from explorer.cli.method_options import gradient_tolerance, method_names, training
from explorer.cli.output import analysis_fields, json_text
from explorer.cli.tables import matrix_lines, point_table, run_table
from explorer.core.batches import MAX_SEED
from explorer.core.data import DataError, Dataset, read_csv, standardise
from explorer.core.datasets import GENERATORS
from explorer.core.expression import parse
from explorer.core.fit import FitError, FitObjective, FitProblem, trained_names
from explorer.core.least_squares import dropped_term
from explorer.core.methods import LEAST_SQUARES
from explorer.core.random_start import random_start
from explorer.core.syntax_hints import ExpressionError
from explorer.core.trajectory import race

RANDOM_START = "random"
_FIT_ONLY = ("data", "dataset", "seed", "train", "standardise", "target", "features") + DRAWING


def add_options(parser) -> None:
    """--data, --dataset, --seed, --loss, --train and --standardise, in a group of their own."""
    names = "; ".join(f"{g.name}: {g.description}" for g in GENERATORS.values())
    group = parser.add_argument_group("fitting data", "EXPR is then left out; --at or --start take one value per "
                                                         "trained parameter, in --train's order")
    group.add_argument("--data", metavar="FILE.csv",
                       help="a CSV file: a header row of column names, then rows of numbers (, or ; separated)")
    group.add_argument("--dataset", metavar="NAME", help=f"a built-in dataset: {names}")
    group.add_argument("--seed", metavar="S", help="the seed of --dataset (default 0) unless --data-seed is given; "
                                                     "with --batch the same seed also shuffles the mini-batches "
                                                     "(with --data or --data-seed it seeds only them)")
    add_drawing_options(group)
    group.add_argument("--loss", metavar="EXPR",
                       help="the per-row loss, averaged over the rows, e.g. \"(w*X + b - Y)^2\"")
    group.add_argument("--residual", metavar="EXPR",
                       help="instead of --loss: the per-row residual r, e.g. \"a*exp(b*X) - Y\"; the loss is the "
                            f"mean of r² over the rows, and {' and '.join(LEAST_SQUARES)} can fit it")
    group.add_argument("--train", metavar="NAMES", help="the parameters to fit, e.g. w,b")
    group.add_argument("--standardise", metavar="COLUMNS", nargs="?", const="*",
                       help="rescale these columns to mean 0 and standard deviation 1 first, e.g. X1,X2 (with "
                            "--model: alone, every feature, with the training rows' mean and standard deviation)")
    group.add_argument("--target", metavar="COL", help="the column the fit predicts, e.g. Score (default: the one "
                                                       "the loss subtracts, when --features is given)")
    group.add_argument("--features", metavar="COLUMNS", help="the columns it predicts from, e.g. Hours; every other "
                                                             "column the loss uses must be the target")


def typed_option(args) -> str | None:
    """'--loss' or '--residual', whichever was given (None for neither; both is an error)."""
    if args.loss is not None and args.residual is not None:
        raise UsageError("give either --loss EXPR or --residual EXPR, not both (the loss of --residual r is the "
                         "mean of r²)")
    return "--residual" if args.residual is not None else "--loss" if args.loss is not None else None


def is_fit(args) -> bool:
    """True when the command fits data (--loss or --residual given). Otherwise checks that EXPR is there
    and that no option of fitting came without them."""
    option = typed_option(args)
    if option is None:
        given = next((name for name in _FIT_ONLY if getattr(args, name, None) is not None), None)
        if given:
            raise UsageError(f"--{given.replace('_', '-')} goes with --loss EXPR or --residual EXPR (the per-row "
                             "loss, or residual, over the data)")
        if args.expression is None:
            raise UsageError("give the function EXPR, e.g. \"x^2 + y^2\" (or fit data: --loss EXPR --train NAMES "
                             "with --data FILE.csv or --dataset NAME)")
        return False
    if args.expression is not None:
        raise UsageError(f"give either EXPR ('{args.expression.strip()}') or {option}, not both")
    return True


def dataset_from(args) -> Dataset:
    if args.data is not None and args.dataset is not None:
        raise UsageError("give either --data FILE.csv or --dataset NAME, not both")
    try:
        if args.data is not None:
            if args.seed is not None and getattr(args, "batch", None) is None:
                if hasattr(args, "batch"):   # run: a seed may shuffle a file's mini-batches
                    raise UsageError("--seed with --data shuffles mini-batches: give --batch K too "
                                     "(a file's rows are what they are)")
                raise UsageError("--seed goes with --dataset (a file's rows are what they are)")
            drawing = next((name for name in DRAWING if getattr(args, name) is not None), None)
            if drawing:
                raise UsageError(f"--{drawing.replace('_', '-')} goes with --dataset NAME (a file's rows are what "
                                 "they are)")
            dataset = read_csv(args.data.strip())
        elif args.dataset is not None:
            seed = data_seed(args)
            if seed is None:   # --seed draws the dataset, as it always has
                seed = 0 if args.seed is None else whole_number(args.seed, "--seed", 0, MAX_SEED)
            elif args.seed is not None and getattr(args, "batch", None) is None:
                raise UsageError("--seed with --data-seed shuffles mini-batches: give --batch K too (--data-seed "
                                 "draws the dataset)")
            dataset = drawn(args.dataset, args, seed)
        else:
            raise UsageError(f"{typed_option(args)} needs data: --data FILE.csv or --dataset NAME "
                             f"({', '.join(GENERATORS)})")
        if args.standardise == "*":
            raise UsageError("--standardise needs the columns to rescale, e.g. --standardise X1,X2")
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
    option = typed_option(args)
    residual = option == "--residual"
    if args.train is None:
        raise UsageError(f"{option} needs --train NAMES: the parameters to fit, e.g. --train w,b")
    loss = (args.residual if residual else args.loss).strip()
    what = "residual" if residual else "loss"
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
                raise UsageError(f"--param {name}: the {what} has no parameter '{name}'")
        problem = FitProblem(dataset, loss, trained, params, target=_stripped(args.target), residual=residual,
                             features=_column_list(args.features))
    except ExpressionError as err:
        raise UsageError(f"{option}: {err}") from None
    except FitError as err:
        if err.part is not None:
            raise UsageError(f"--{err.part}: {err}") from None
        if err.name is not None and err.hint is None:
            raise UsageError(f"{option}: {err}; give it one with --param {err.name}=VALUE") from None
        raise UsageError(f"{option}: {err}") from None
    for line in problem.warnings:
        warn(line)
    return problem


def _stripped(text: str | None) -> str | None:
    return None if text is None else text.strip()


def _column_list(text: str | None) -> list[str] | None:
    """'Hours, Age' -> ['Hours', 'Age'] (None: not given)."""
    if text is None:
        return None
    columns = [c.strip() for c in text.split(",")]
    if not all(columns):
        raise UsageError(f"--features needs column names separated by commas, like Hours,Age; got '{text.strip()}'")
    return columns


def _choice(problem: FitProblem) -> dict:
    """The target and features, where they were chosen or read by them (for the JSON output)."""
    if problem.target is None:
        return {}
    return {"target": problem.target, "features": list(problem.features)}


def parameter_point(text: str, option: str, problem: FitProblem) -> list[float]:
    """One number per trained parameter, in --train's order."""
    parts = text.strip().split(",")
    names = ", ".join(problem.trained)
    if len(parts) != problem.dimension or any(not p.strip() for p in parts):
        example = ",".join(["0"] * problem.dimension)
        raise UsageError(f"{option} needs {problem.dimension} numbers, one per trained parameter ({names}), "
                         f"like {example}; got '{text.strip()}'")
    return [number(p, option) for p in parts]


def check_start(args, fit: bool) -> None:
    """--start random draws a fit's trained parameters; --start-seed goes with it and nothing else."""
    random = args.start.strip() == RANDOM_START
    if args.start_seed is not None and not random:
        raise UsageError("--start-seed goes with --start random (it draws the random start)")
    if random and not fit:
        raise UsageError("--start random draws a fit's trained parameters (--loss or --residual over data); "
                         "give the start of f as numbers, e.g. --start -1.2,1")


def start_of(args, problem: FitProblem) -> tuple[list[float], int | None]:
    """--start: one number per trained parameter, or `random`: each ~ N(0, 1), drawn by --start-seed (default 0);
    with the seed of a random start (None for a typed one)."""
    if args.start.strip() != RANDOM_START:
        return parameter_point(args.start, "--start", problem), None
    seed = 0 if args.start_seed is None else whole_number(args.start_seed, "--start-seed", 0, MAX_SEED)
    return random_start(problem.dimension, seed).tolist(), seed


def inspect(args) -> int:
    problem = problem_from(args)
    at = parameter_point(args.at, "--at", problem)
    result = FitObjective(problem).analyze(at)
    names = list(problem.trained)
    out = {
        **analysis_fields(names, at, result),
        "condition_number": result.condition_number,
        "loss": problem.loss.text,
        "dataset": problem.dataset.name,
        "rows": problem.dataset.rows,
        **_choice(problem),
    }
    if problem.is_residual:
        # ∇²L = (2/n)·JᵀJ + (2/n)·Σ rᵢ∇²rᵢ: Gauss–Newton keeps the first term and drops the second
        gauss_newton = problem.gauss_newton_matrix(at)
        dropped, _ = dropped_term(result.hessian, gauss_newton)
        out.update(residual=problem.residual.text, gauss_newton_matrix=gauss_newton, dropped_term=dropped)
    if args.json:
        print(json_text(out))
        return 0
    text = point_table(_description(problem), names, at, result)
    if problem.is_residual:
        text += "\n" + "\n".join(matrix_lines("(2/n)·JᵀJ", gauss_newton) + matrix_lines("H − (2/n)·JᵀJ", dropped))
        text += ("\n\nGauss–Newton keeps (2/n)·JᵀJ of the Hessian and drops (2/n)·Σ rᵢ∇²rᵢ, which is zero "
                 "where every residual is linear in the parameters")
    print(text)
    return 0


def run(args) -> int:
    problem = problem_from(args)
    names = method_names(args.method, residual=problem.is_residual)
    start, start_seed = start_of(args, problem)
    steps = whole_number(args.steps, "--steps", 0, MAX_STEPS)
    tolerance = gradient_tolerance(args)
    methods = training(names, args, data=True)
    try:
        runs = race(FitObjective(problem), start, methods, max_steps=steps, tolerance=tolerance)
    except ValueError as err:
        raise UsageError(str(err)) from None
    for r in runs:
        r.run_to_end()
    if args.json:
        out = {"variables": list(problem.trained), "loss": problem.loss.text, "dataset": problem.dataset.name,
               "rows": problem.dataset.rows, **_choice(problem)}
        if problem.is_residual:
            out["residual"] = problem.residual.text
        if start_seed is not None:
            out["start"] = {"random": start, "seed": start_seed}
        print(json_text({**out, "runs": [r.as_dict() for r in runs]}))
    else:
        drawn = "" if start_seed is None else f"\nrandom start (each parameter ~ N(0, 1), seed {start_seed})"
        tables = "\n\n".join(run_table(r, problem.trained, "loss") for r in runs)
        print(_description(problem) + drawn + "\n\n" + tables)
    return 0


def _description(problem: FitProblem) -> str:
    """'mean over the 6 rows of hours.csv of (w*Hours + b - Score)^2, predicting Score from Hours'."""
    chosen = f", predicting {problem.target}" if problem.target else ""
    chosen += f" from {', '.join(problem.features)}" if problem.target and problem.features else ""
    return f"mean over the {problem.dataset.rows} rows of {problem.dataset.name} of {problem.loss.text}{chosen}"
