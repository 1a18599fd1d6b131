"""`landscape-explorer grid --model ... --params FILE.json --directions KIND`: a network's loss over a plane.

    landscape-explorer grid --dataset moons --model mlp:8:tanh --params trained.json \\
        --directions random --span 1 -n 51 --seed 0 --out plane.npz

The plane through θ* (the --params) is L(θ* + a·d₁ + b·d₂) for a, b in [−span, span] (core.directions):
params:NAME1,NAME2 (two parameters' unit vectors), random (filter-normalised, --seed), hessian (the top two
eigenvectors at θ*) or pca (the two principal directions of a run trained from θ* with --method, --lr and
--steps; θ* is then that run's end). The .npz holds loss (N×N, loss[i, j] at (a[i], b[j])), a, b, d1, d2 and
centre (flat, in the order of parameter_names: each parameter's entries row-major). Here --seed seeds the
random directions only; the dataset's seed is --data-seed.
"""
from __future__ import annotations

import re
from argparse import Namespace

import numpy as np

from explorer.cli.arguments import UsageError, check_out_folder, number, whole_number
from explorer.cli.dataset_command import add_drawing_options
from explorer.cli.limits import MAX_N, MAX_STEPS
from explorer.cli.model_commands import config_from, is_model, problem_from, read_parameters
from explorer.core.batches import MAX_SEED
from explorer.core.datasets import GENERATORS
from explorer.core.directions import DirectionError, DirectionSliceCalculus, DirectionSpec, plane_directions
from explorer.core.files import AtomicWrite
from explorer.core.methods import FIRST_ORDER, make_optimizer
from explorer.core.trajectory import Run

KINDS_TEXT = "params:NAME1,NAME2, random, hessian or pca"


def add_options(parser) -> None:
    """The data (--data or --dataset, drawn with --rows, --noise, --data-seed; --target, --features, --standardise),
    --directions, --span, --seed, --params, and --method/--lr/--steps for pca."""
    data = parser.add_argument_group("the data a network is trained on")
    data.add_argument("--data", metavar="FILE.csv", help="a CSV file: a header row of column names, then rows of "
                                                         "numbers (, or ; separated)")
    data.add_argument("--dataset", metavar="NAME", help=f"a built-in dataset: {', '.join(GENERATORS)}")
    add_drawing_options(data)
    data.add_argument("--target", metavar="COL", help="the column the network predicts (default: Y, else the last)")
    data.add_argument("--features", metavar="COLUMNS", help="the columns it predicts from (default: every other)")
    data.add_argument("--standardise", nargs="?", const="*", metavar="", help="rescale every feature with the "
                                                                            "training rows' mean and standard deviation")
    group = parser.add_argument_group(
        "a network's loss along directions", "with --model over --dataset or --data: the loss on the plane "
                                             "θ* + a·d1 + b·d2 through the parameters of --params")
    group.add_argument("--directions", metavar="KIND", help=f"the plane's directions: {KINDS_TEXT}")
    group.add_argument("--span", metavar="A", help="a and b run over [-A, A] (default 1)")
    group.add_argument("--seed", metavar="S", help="the seed of the random directions (default 0)")
    group.add_argument("--params", metavar="FILE.json", help="θ*: an object name -> nested lists as run --json's "
                                                            "\"parameters\" gives them")
    group.add_argument("--method", metavar="NAME", help="pca: the first-order method the run is trained with "
                                                        "(default gd)")
    group.add_argument("--lr", metavar="V", help="pca: its learning rate (default 0.1)")
    group.add_argument("--steps", metavar="N", help="pca: its steps (default 100)")


def wanted(args) -> bool:
    """True when the command is a network's plane (--model or --directions given)."""
    if getattr(args, "directions", None) is None and getattr(args, "model", None) is None:
        for option in ("span", "seed", "params", "method", "lr", "steps", "data", "dataset", "rows", "noise",
                       "data_seed", "classes", "target", "features", "standardise"):
            if getattr(args, option, None) is not None:
                raise UsageError(f"--{option.replace('_', '-')} goes with --directions KIND (a network's loss along "
                                 "directions)")
        return is_model(args)   # False, or a model's option without --model refused
    return True


def run(args) -> int:
    if not is_model(args):
        raise UsageError("--directions needs a network: --model SPEC with --dataset NAME or --data FILE.csv")
    if args.directions is None:
        raise UsageError(f"a network's grid needs --directions KIND ({KINDS_TEXT})")
    if args.x is not None or args.y is not None:
        raise UsageError("--x and --y go with EXPR; a plane of directions runs over --span")
    if args.params is None:
        raise UsageError("--directions needs --params FILE.json: the point θ* the plane goes through")
    out = args.out.strip()
    if not out.endswith(".npz"):
        raise UsageError(f"--out must name a .npz file; got '{out}'")
    check_out_folder(out)
    problem = problem_from(config_from(Namespace(**{**vars(args), "seed": None})))   # --seed: the directions'
    theta = read_parameters(args.params.strip(), problem)
    spec = _spec(args.directions, args, problem)
    span = spec.span
    n = whole_number(args.n, "-n", 2, MAX_N)
    trajectories = ()
    if spec.kind == "pca":
        trajectories = (_trained_path(problem, theta, args),)
        theta = trajectories[0][-1]
    elif args.method is not None or args.lr is not None or args.steps is not None:
        raise UsageError("--method, --lr and --steps train the run whose path gives pca's directions: "
                         "they go with --directions pca")
    try:
        d1, d2 = plane_directions(problem, spec, theta, trajectories)
    except DirectionError as err:
        raise UsageError(f"--directions: {err}") from None
    a = b = np.linspace(-span, span, n)
    with AtomicWrite(out) as w:
        loss = DirectionSliceCalculus(problem, theta, d1, d2).values(a, b)
        with open(w.path, "wb") as fh:
            np.savez(fh, loss=loss, a=a, b=b, d1=d1, d2=d2, centre=theta,
                     parameter_names=np.array(problem.trained), directions=np.array(spec.label()))
    return 0


def _spec(text: str, args, problem) -> DirectionSpec:
    kind, _, rest = text.strip().partition(":")
    span = 1.0 if args.span is None else number(args.span, "--span")
    if not (np.isfinite(span) and span > 0):
        raise UsageError(f"--span must be a number > 0; got {args.span}")
    seed = 0 if args.seed is None else whole_number(args.seed, "--seed", 0, MAX_SEED)
    if kind == "params":
        names = tuple(n.strip() for n in re.split(r",(?![^\[]*\])", rest))   # not the commas of W1[0,1]
        if len(names) != 2 or not all(names):
            raise UsageError(f"--directions params needs two parameter names, like params:W1[0,0],b1[0]; got "
                             f"'{text.strip()}'")
        unknown = [n for n in names if n not in problem.trained]
        if unknown:
            raise UsageError(f"--directions: '{unknown[0]}' is not a parameter of {problem.spec.text} (they are "
                             f"{problem.trained[0]}, ..., {problem.trained[-1]})")
        if names[0] == names[1]:
            raise UsageError(f"--directions params needs two different parameters, not '{names[0]}' twice")
        return DirectionSpec("params", seed, span, axes=names)
    if kind not in ("random", "hessian", "pca") or rest:
        raise UsageError(f"--directions is {KINDS_TEXT}; got '{text.strip()}'")
    return DirectionSpec(kind, seed, span)


def _trained_path(problem, theta, args) -> np.ndarray:
    """The path of a run from θ* (pca's directions): --method (first-order), --lr, --steps."""
    method = (args.method or "gd").strip()
    if method not in FIRST_ORDER:
        raise UsageError(f"--method for pca is a first-order method ({', '.join(FIRST_ORDER)}); got '{method}'")
    lr = 0.1 if args.lr is None else number(args.lr, "--lr")
    if not (np.isfinite(lr) and lr > 0):
        raise UsageError(f"--lr must be a number > 0; got {args.lr}")
    steps = 100 if args.steps is None else whole_number(args.steps, "--steps", 2, MAX_STEPS)
    run = Run(make_optimizer(method, problem.objective(), lr=lr), theta, max_steps=steps, tolerance=0.0)
    run.run_to_end()
    return np.asarray(run.path, dtype=float)
