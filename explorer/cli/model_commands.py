"""The model branches of `run` and `inspect` (--model), and what `sweep` shares with them.

    landscape-explorer run --dataset moons --rows 200 --noise 0.2 --model mlp:8:tanh --test-fraction 0.3 \\
        --method adam --lr 0.05 --steps 300 --json
    landscape-explorer inspect --dataset moons --model mlp:8:tanh --params trained.json

The data: --dataset NAME (with --rows, --noise, --data-seed) or --data FILE.csv, --target COL (default: the
last column) and --features A,B (default: every other column); --standardise alone rescales every feature
with the training rows' mean and standard deviation. The model: linear | logistic | softmax |
mlp:W1[,W2...][:tanh|relu|sigmoid|linear] with --l2, --l1 and --init-seed; --test-fraction F and --split-seed S
hold rows out, and every step is judged on both parts.
"""
from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from explorer.cli import model_curvature
from explorer.cli.arguments import UsageError, number, whole_number
from explorer.cli.limits import MAX_STEPS
from explorer.cli.method_options import gradient_tolerance, method_names, training
from explorer.cli import sharpness_option
from explorer.cli import sensitivity_command
from explorer.cli.output import json_text
from explorer.cli.tables import header
from explorer.core.batches import MAX_SEED
from explorer.core.data import DataError
from explorer.core.data import MAX_FILE_BYTES
from explorer.core.reading import ReadError, read_regular
from explorer.core.model_fit import ModelProblem
from explorer.core.model_training import DEFAULTS, problem_of, start_of
from explorer.core.network import ModelError
from explorer.core.trajectory import race

MAX_PENALTY = 1e6
_NOT_WITH_MODEL = ("loss", "residual", "train", "expression")


def add_options(parser) -> None:
    """--model, --l2, --l1, --init-seed, --test-fraction and --split-seed, in a group of their own."""
    group = parser.add_argument_group(
        "models", "a model trained on data (--dataset NAME or --data FILE.csv) instead of a typed loss")
    group.add_argument("--model", metavar="SPEC", help="linear, logistic, softmax or mlp:W1[,W2...][:ACT] with "
                                                       "ACT tanh (default), relu, sigmoid or linear, e.g. mlp:16,16:relu")
    group.add_argument("--l2", metavar="L", help="add L·Σw² over the weights (not the biases) to the loss")
    group.add_argument("--l1", metavar="L", help="add L·Σ|w| over the weights (not the biases) to the loss")
    group.add_argument("--init-seed", metavar="S", help="the seed of the weights' initialisation (default 0)")
    group.add_argument("--test-fraction", metavar="F", help="hold this share of the rows out as a test set "
                                                            "(0 to 0.9, default 0)")
    group.add_argument("--split-seed", metavar="S", help="the seed of the train/test split (default 0)")


def is_model(args) -> bool:
    """True when the command trains a model (--model given); checks nothing else of it goes in the way."""
    if getattr(args, "model", None) is None:
        for name in ("l2", "l1", "init_seed", "test_fraction", "split_seed"):
            if getattr(args, name, None) is not None:
                raise UsageError(f"--{name.replace('_', '-')} goes with --model SPEC")
        return False
    for name in _NOT_WITH_MODEL:
        if getattr(args, name, None) is not None:
            what = "EXPR" if name == "expression" else f"--{name}"
            raise UsageError(f"give either --model SPEC or {what}, not both (a model's loss follows from its target)")
    return True


def config_from(args) -> dict[str, Any]:
    """The training configuration (core.model_training) the options describe, checked."""
    if args.data is not None and args.dataset is not None:
        raise UsageError("give either --data FILE.csv or --dataset NAME, not both")
    if args.data is None and args.dataset is None:
        raise UsageError("--model needs data: --dataset NAME (e.g. moons) or --data FILE.csv")
    if args.data is not None:
        for option in ("rows", "noise", "data_seed", "classes"):
            if getattr(args, option, None) is not None:
                raise UsageError(f"--{option.replace('_', '-')} goes with --dataset NAME (a file's rows are what "
                                 "they are)")
        try:
            data = {"csv": read_regular(args.data.strip(), MAX_FILE_BYTES, "a CSV file"),
                    "source": os.path.basename(args.data.strip())}
        except ReadError as err:
            raise UsageError(f"--data: {err}") from None
    else:
        seed = getattr(args, "data_seed", None)
        seed = seed if seed is not None else args.seed   # without --data-seed, --seed draws the data (as before)
        data = {"dataset": args.dataset.strip(), "seed": 0 if seed is None else whole_number(seed, "--data-seed", 0,
                                                                                              MAX_SEED)}
        if getattr(args, "rows", None) is not None:
            data["rows"] = whole_number(args.rows, "--rows", 2, 100_000)
        if getattr(args, "noise", None) is not None:
            data["noise"] = _at_least_zero(args.noise, "--noise", 1e3)
        if getattr(args, "classes", None) is not None:
            data["classes"] = whole_number(args.classes, "--classes", 2, 20)
    features = None if args.features is None else [c.strip() for c in args.features.split(",")]
    if features is not None and not all(features):
        raise UsageError(f"--features needs column names separated by commas, like X1,X2; got '{args.features}'")
    standardise = args.standardise
    if standardise not in (None, "", "*"):
        raise UsageError("--standardise with --model takes no columns: it rescales every feature with the "
                         "training rows' mean and standard deviation")
    config = {**DEFAULTS, "data": data, "model": args.model.strip(),
              "target": None if args.target is None else args.target.strip(), "features": features,
              "l2": _penalty(args.l2, "--l2"), "l1": _penalty(args.l1, "--l1"),
              "init_seed": _seed(args.init_seed, "--init-seed"),
              "test_fraction": 0.0 if args.test_fraction is None else number(args.test_fraction, "--test-fraction"),
              "split_seed": _seed(args.split_seed, "--split-seed"), "standardise": standardise is not None}
    return config


def problem_from(config: dict[str, Any]) -> ModelProblem:
    try:
        return problem_of(config)
    except ModelError as err:
        raise UsageError(f"--{getattr(err, 'part', None) or 'model'}: {err}") from None
    except DataError as err:
        raise UsageError(f"{_data_option(config, str(err))}: {err}") from None


def _data_option(config, message: str) -> str:
    if "test" in message or "split" in message:
        return "--test-fraction"
    if "column" in message or "target" in message:
        return "--target" if "predict" in message else "--features"
    return "--data" if "csv" in config["data"] else "--dataset"


def _penalty(text, option: str) -> float:
    return 0.0 if text is None else _at_least_zero(text, option, MAX_PENALTY)


def _at_least_zero(text, option: str, high: float) -> float:
    value = number(text, option)
    if not 0 <= value <= high:
        raise UsageError(f"{option} must be between 0 and {high:g}; got {value:g}")
    return value


def _seed(text, option: str) -> int:
    return 0 if text is None else whole_number(text, option, 0, MAX_SEED)


def described(problem: ModelProblem) -> dict[str, Any]:
    """What the JSON outputs say of the problem: model, task, data, columns, split and standardisation."""
    out = {"model": problem.network.spec.text, "task": problem.task, "dataset": problem.dataset.name,
           "rows": problem.dataset.rows, "target": problem.target, "features": list(problem.features),
           "parameter_count": problem.dimension,
           "parameter_shapes": {name: list(shape) for name, shape in problem.network.layout}}
    split = getattr(problem, "split", None)
    if split is not None:
        out["split"] = split.as_dict()
    if problem.standardisation is not None:
        out["standardise"] = problem.standardisation
    return out


def parameters(problem: ModelProblem, theta) -> dict[str, Any]:
    """θ as each parameter's nested lists, in the layout's order."""
    return {name: np.asarray(value).tolist() for name, value in problem.network.unflatten(np.asarray(theta)).items()}


def run(args) -> int:
    config = config_from(args)
    problem = problem_from(config)
    names = method_names(args.method, residual=False)
    if args.start is not None and args.start.strip() not in ("init", "random"):
        raise UsageError("--start with --model is 'init' (the default: the initialisation of --init-seed); "
                         "a model's parameters are given with --init-seed, not as numbers")
    steps = whole_number(args.steps, "--steps", 0, MAX_STEPS)
    methods = training(names, args, data=True)
    try:
        runs = race(problem.objective(), start_of(problem, config), methods, max_steps=steps,
                    tolerance=gradient_tolerance(args))
    except ValueError as err:
        raise UsageError(f"--method: {err}") from None
    for r in runs:
        r.run_to_end()
    found = sharpness_option.per_run(args, problem, runs) or [None] * len(runs)   # run --sharpness
    if args.json:
        dicts = [_run_dict(problem, r) for r in runs]
        for d, r, f in zip(dicts, runs, found):
            if f is not None:
                sharpness_option.add_to_json(d, r, f)
        print(json_text({**described(problem), "runs": dicts}))
    else:
        print(_description(problem) + "\n\n" + "\n\n".join(_run_table(problem, r, f) for r, f in zip(runs, found)))
    return 0


def _run_dict(problem: ModelProblem, r) -> dict[str, Any]:
    full = r.as_dict()
    out = {k: full[k] for k in ("method", "settings", "status", "summary", "reason", "evaluations") if k in full}
    for key in ("batch", "seed", "batch_losses", "schedule"):
        if key in full:
            out[key] = full[key]
    split = getattr(problem, "split", None)
    if split is not None:   # the same for every run: also at the top level
        out["split"] = split.as_dict()
    if problem.standardisation is not None:
        out["standardise"] = problem.standardisation
    out["initial_parameters"] = parameters(problem, r.states[0].point)
    out["parameters"] = parameters(problem, r.states[-1].point)
    # each state's record with ∇L there and the method's state it carries into the next step (Run.carried)
    out["steps"] = [{**problem.step_record(s.point, s.value, s.iteration), **r.carried(k)}
                    for k, s in enumerate(r.states)]
    return out


def _headline(task: str) -> tuple[str, str]:
    return {"binary": ("accuracy", "f1"), "classes": ("accuracy", "macro_f1")}.get(task, ("mse", "r2"))


def _run_table(problem: ModelProblem, r, sharpness: dict | None = None) -> str:
    first, second = _headline(problem.task)
    test = bool(len(problem.y_test))
    head = f"{'step':>6}  {'loss':>10}  {'train ' + first:>14}  {'train ' + second:>12}"
    head += f"  {'test ' + first:>13}  {'test ' + second:>11}" if test else ""
    head += sharpness_option.table_header(sharpness)
    lines = [header(r), head]
    states = r.states
    shown = sorted(set(list(range(0, len(states), max(1, len(states) // 10))) + [len(states) - 1]))
    for i in shown:
        m = problem.metrics(states[i].point)
        row = f"{states[i].iteration:>6}  {states[i].value:>10.4g}  {m['train'][first]:>14.4g}  {m['train'][second]:>12.4g}"
        if test:
            row += f"  {m['test'][first]:>13.4g}  {m['test'][second]:>11.4g}"
        lines.append(row + sharpness_option.table_column(sharpness, states[i].iteration))
    lines.append(sharpness_option.table_note(sharpness, r))
    return "\n".join(line for line in lines if line)


def _description(problem: ModelProblem) -> str:
    split = (f"; {len(problem.y_train)} training rows, {len(problem.y_test)} test rows" if len(problem.y_test)
             else f"; all {len(problem.y_train)} rows train")
    return (f"{problem.network.spec.text} ({problem.dimension} parameters, {problem.task}) predicting "
            f"{problem.target} from {', '.join(problem.features)} of {problem.dataset.name}{split}")


def read_parameters(path: str, problem: ModelProblem) -> np.ndarray:
    """θ from a JSON file shaped like run --json's "parameters", holding such an object under that key, or the whole
    output of run --json for one run."""
    try:
        data = json.loads(read_regular(path, MAX_FILE_BYTES, "a parameters file"))
    except ReadError as err:
        raise UsageError(f"--params: {err}") from None
    except ValueError as err:
        raise UsageError(f"--params: {err}") from None
    runs = data.get("runs") if isinstance(data, dict) else None
    if isinstance(runs, list) and runs and all(isinstance(r, dict) for r in runs):   # what run --json printed
        if len(runs) != 1:
            raise UsageError(f"--params: {path} holds {len(runs)} runs; give one run's \"parameters\" object "
                             "(or the output of a run of one method)")
        data = runs[0]
    if isinstance(data, dict) and isinstance(data.get("parameters"), dict):
        data = data["parameters"]
    if not isinstance(data, dict):
        raise UsageError(f"--params: {path} must hold an object of parameters, name -> nested lists "
                         f"({', '.join(n for n, _ in problem.network.layout)})")
    values = {}
    for name, shape in problem.network.layout:
        if name not in data:
            raise UsageError(f"--params: {path} has no '{name}' (this model's parameters: "
                             f"{', '.join(n for n, _ in problem.network.layout)})")
        try:
            array = np.asarray(data[name], dtype=float)
        except (TypeError, ValueError):
            raise UsageError(f"--params: '{name}' must be numbers of shape {tuple(shape)}") from None
        if array.shape != tuple(shape):
            raise UsageError(f"--params: '{name}' has shape {array.shape}; this model's is {tuple(shape)}")
        if not np.all(np.isfinite(array)):
            raise UsageError(f"--params: '{name}' holds a value that is not a finite number")
        values[name] = array
    extra = sorted(set(data) - set(values))
    if extra:
        raise UsageError(f"--params: '{extra[0]}' is not a parameter of {problem.network.spec.text}")
    return problem.network.flatten(values)


def inspect(args) -> int:
    config = config_from(args)
    problem = problem_from(config)
    if args.params is None:
        raise UsageError("inspect --model needs --params FILE.json: the parameters, as run --json gives them")
    if args.at is not None:
        raise UsageError("--at goes with EXPR or --loss; a model's parameters come with --params FILE.json")
    theta = read_parameters(args.params.strip(), problem)
    loss, gradient = problem.objective().value_and_gradient(theta)
    record = problem.step_record(theta, loss, 0)
    del record["step"]
    out = {**described(problem), **record, "gradient": parameters(problem, gradient),
           "gradient_norm": float(np.linalg.norm(gradient)), **model_curvature.fields(args, problem, theta)}
    if getattr(args, "input_jacobian", False):
        out.update(sensitivity_command.fields(problem, theta))
    if args.json:
        print(json_text(out))
        return 0
    lines = [_description(problem), f"loss (penalty included) = {loss:.6g}",
             f"data loss on the training rows = {out['data_loss']:.6g}", f"|∇L| = {out['gradient_norm']:.4g}"]
    for name, g in problem.network.unflatten(gradient).items():
        lines.append(f"  |∂L/∂{name}| = {float(np.linalg.norm(g)):.4g}")
    for part in ("train", "test"):
        if out.get(part):
            lines.append(f"{part}: " + ", ".join(f"{k} {v:.4g}" for k, v in out[part].items() if k != "confusion"))
            if "confusion" in out[part]:
                lines.append(f"  confusion (rows true, columns predicted): {out[part]['confusion']}")
    if getattr(args, "input_jacobian", False):
        lines += sensitivity_command.lines(problem, out)
    print("\n".join(lines + model_curvature.lines(out)))
    return 0
