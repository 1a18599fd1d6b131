"""`landscape-explorer sweep`: one setting of a model's training over several values (and seeds), each run to
its end in parallel processes, judged by its final train and test metrics.

    landscape-explorer sweep --dataset moons --rows 60 --model mlp:64,64 --test-fraction 0.5 --method adam \\
        --lr 0.01 --steps 300 --vary l2 0 0.001 0.01 0.1 --seeds 0,1,2 --out l2.png

Each seed sets the initialisation and the mini-batches' shuffle; the data and the split stay the same, so
every run is judged on the same test rows.
"""
from __future__ import annotations

import sys
from typing import Any

from explorer.cli import fit_commands, model_commands
from explorer.cli.arguments import UsageError, whole_number
from explorer.cli.limits import MAX_STEPS
from explorer.cli.method_options import gradient_tolerance, method_names, training
from explorer.cli.output import json_text
from explorer.cli.run import add_method_options
from explorer.core.batches import MAX_SEED
from explorer.core.model_training import SweepJob, with_setting
from explorer.core.sweep import SWEEPABLE, SweepError, parse_values
from explorer.core.network import ModelError, parse_model

MAX_VALUES, MAX_SEEDS = 50, 20


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("sweep", help="train a model over several values of one setting and seeds; final "
                                            "train and test metrics",
                              description="Train a --model over several values of one setting (--vary NAME V1 V2 ...) "
                                          "and seeds (--seeds), in parallel processes; print each run's final "
                                          "train and test metrics, the mean and spread per value, and draw them "
                                          "with --out FILE.png.")
    p.add_argument("--vary", nargs="+", required=True, metavar="NAME V",
                   help=f"the setting and its values, e.g. --vary l2 0 0.01 0.1 (NAME: {', '.join(SWEEPABLE)}; "
                        "model values are specs like mlp:8 mlp:8,8)")
    p.add_argument("--seeds", metavar="S1,S2,...", help="seeds of the initialisation and the mini-batches "
                                                        "(default 0)")
    p.add_argument("--workers", metavar="N", help="processes to run at once (default: one per core)")
    p.add_argument("--out", metavar="FILE.png", help="draw the final metrics against the value")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_method_options(p)
    fit_commands.add_options(p)
    model_commands.add_options(p)
    p.set_defaults(run=run, expression=None, start=None, param=None)


def values_of(name: str, texts: list[str]) -> list[Any]:
    """--vary's values, each checked as the setting `name` takes it."""
    try:
        values = parse_values(name, texts)
    except SweepError as err:
        raise UsageError(str(err)) from None
    if len(values) > MAX_VALUES:
        raise UsageError(f"--vary: at most {MAX_VALUES} values; got {len(values)}")
    if name == "method":
        return method_names(",".join(values), residual=False)
    if name == "model":
        for text in values:
            try:
                parse_model(text)
            except ModelError as err:
                raise UsageError(f"--vary model: {err}") from None
    if name == "test-fraction" and max(values) > 0.9:
        raise UsageError(f"--vary test-fraction: at most 0.9 of the rows can be held out; got {max(values):g}")
    return values


def seeds_of(text: str | None) -> list[int]:
    if text is None:
        return [0]
    seeds = [whole_number(t, "--seeds", 0, MAX_SEED) for t in text.split(",")]
    if len(seeds) > MAX_SEEDS or len(set(seeds)) != len(seeds):
        raise UsageError(f"--seeds: at most {MAX_SEEDS} different seeds; got '{text.strip()}'")
    return seeds


def run(args) -> int:
    from explorer.core.sweep import summarise, sweep   # the pool starts only here

    name, values = args.vary[0].strip(), values_of(args.vary[0].strip(), args.vary[1:])
    seeds = seeds_of(args.seeds)
    if args.model is None:
        raise UsageError("sweep trains a model: give --model SPEC (e.g. mlp:8) and --dataset NAME or --data FILE.csv")
    model_commands.is_model(args)
    config = model_commands.config_from(args)
    method = method_names(args.method, residual=False)
    if len(method) != 1:
        raise UsageError("--method: a sweep trains one method at a time (vary it with --vary method gd adam)")
    (method_name, settings), = training(method, args, data=True)
    extra = {k: settings.pop(k) for k in ("batch", "seed", "schedule") if k in settings}
    if "schedule" in extra:
        raise UsageError("--schedule: a sweep runs at a constant learning rate")
    config.update(method=method_name, settings=settings, steps=whole_number(args.steps, "--steps", 0, MAX_STEPS),
                  batch=extra.get("batch"), tolerance=gradient_tolerance(args))
    for value in values:   # every value's problem is built once here, so a bad one is one line before any work
        model_commands.problem_from(with_setting(config, name, value, seeds[0]))
    workers = None if args.workers is None else whole_number(args.workers, "--workers", 1, 64)
    total = len(values) * len(seeds)

    def progress(done, total_):
        if not args.json and sys.stderr.isatty():
            print(f"\r{done}/{total_} runs", end="", file=sys.stderr, flush=True)

    results = sweep(SweepJob(config, name), values, seeds, workers=workers, progress=progress)
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    failed = [r for r in results if "error" in r]
    if failed and len(failed) == total:
        raise UsageError(f"every run failed; the first: {failed[0]['error']}")
    metric = _metric_name(results)
    if args.out is not None:
        from explorer.cli.sweep_picture import save
        save(results, name, metric, args.out.strip())
    if args.json:
        print(json_text({"vary": name, "values": values, "seeds": seeds, "metric": metric, "results": results}))
        return 0
    print(_table(results, name, metric, summarise))
    return 0


def _metric_name(results) -> str:
    """The headline metric of the task: accuracy for classes, R² for regression."""
    for r in results:
        if "train" in r:
            return "accuracy" if "accuracy" in r["train"] else "r2"
    return "accuracy"


def _table(results, name: str, metric: str, summarise) -> str:
    lines = [f"{name:>14}  {'seed':>5}  {'loss':>10}  {'train ' + metric:>14}  {'test ' + metric:>13}  status"]
    for r in results:
        if "error" in r:
            lines.append(f"{str(r['value']):>14}  {r['seed']:>5}  failed: {r['error']}")
            continue
        test = r.get("test", {}).get(metric)
        lines.append(f"{str(r['value']):>14}  {r['seed']:>5}  {r['loss']:>10.4g}  {r['train'][metric]:>14.4g}  "
                     f"{'-' if test is None else format(test, '.4g'):>13}  {r['status']}")
    for part in ("train", "test"):
        summary = summarise(results, (part, metric))
        if summary:
            lines.append(f"\n{part} {metric} per value (mean, min to max over seeds):")
            for row in (r for r in summary if r["mean"] is not None):
                lines.append(f"  {str(row['value']):>14}  {row['mean']:.4g}  ({row['min']:.4g} to {row['max']:.4g})")
    return "\n".join(lines)
