"""Sweeps: one setting over several values and seeds, each run to its end in a pool of processes.

A job is a picklable top-level function `job(value, seed) -> dict` (one training run's final metrics). Workers
start from a fresh interpreter ('forkserver' where the system has it, else 'spawn'; never 'fork'), so a window's
Qt is neither copied nor imported into them: they import only the job's module and what it needs (so a job
lives in core or session, never in a module that imports Qt).
"""
from __future__ import annotations

import math
import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from numbers import Real
from typing import Callable, Sequence

SWEEPABLE = ("l2", "l1", "lr", "steps", "batch", "method", "model", "test-fraction")
START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
LOST = "its worker process stopped before the run finished"   # killed, or out of memory
POLL_S = 0.05       # how often a waiting sweep looks at its cancel event (a click on Cancel is felt at once)


class SweepError(ValueError):
    """A sweep's setting or values are wrong; one line, and `.part` names the option at fault."""

    def __init__(self, message: str, part: str):
        super().__init__(message)
        self.part = part


class SweepResults(list):
    """The results that finished, in (value, seed) order; `.cancelled`: the sweep stopped before all had run;
    `.total`: how many runs were asked for."""

    def __init__(self, results=(), cancelled: bool = False, total: int = 0):
        super().__init__(results)
        self.cancelled, self.total = cancelled, total


def parse_values(name: str, texts: Sequence[str]) -> list:
    """The values of `--vary NAME V1 V2 ...`: numbers ≥ 0 for l2, l1, test-fraction (below 1); lr > 0; whole
    numbers ≥ 1 for steps and batch; method and model names as typed (the run checks them)."""
    if name not in SWEEPABLE:
        raise SweepError(f"--vary: '{name}' cannot be swept; choose one of {', '.join(SWEEPABLE)}", "vary")
    if not texts:
        raise SweepError(f"--vary {name}: give at least one value", "vary")
    return [_value(name, text) for text in texts]


def _value(name: str, text: str):
    if name in ("method", "model"):
        return text.strip()
    whole = name in ("steps", "batch")
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        raise SweepError(f"--vary {name}: '{text}' is not a {'whole number' if whole else 'number'}", "vary")
    low_ok = value >= 1 if whole else (value > 0 if name == "lr" else value >= 0)
    if not (math.isfinite(value) and low_ok and (name != "test-fraction" or value < 1)):
        need = {"steps": "at least 1", "batch": "at least 1", "lr": "positive",
                "test-fraction": "at least 0 and below 1"}.get(name, "zero or positive")
        raise SweepError(f"--vary {name}: {text} must be {need}", "vary")
    return value


def sweep(job: Callable[[object, int], dict], values: Sequence, seeds: Sequence[int], workers: int | None = None,
          progress: Callable[[int, int], None] | None = None, cancel=None) -> SweepResults:
    """Run job(value, seed) for every value × seed, `workers` at a time (default: every core; 1: here, no pool).

    progress(done, total) is called in the caller's thread, first with 0. Setting `cancel` (a threading.Event)
    stops handing out work and abandons the runs under way in workers (their processes are stopped; with one
    worker the run under way here ends first); the finished ones come back with `.cancelled` set. A job that
    raises gives its (value, seed) {"error": "one line"}."""
    tasks = [(value, seed) for value in values for seed in seeds]
    workers = (os.cpu_count() or 1) if workers is None else int(workers)
    if workers < 1:
        raise SweepError(f"workers must be at least 1, not {workers}", "workers")
    finished: dict[int, dict] = {}

    def report() -> None:
        if progress is not None:
            progress(len(finished), len(tasks))

    stopped = (lambda: False) if cancel is None else cancel.is_set
    report()
    if min(workers, len(tasks)) <= 1:
        cancelled = _run_here(job, tasks, finished, report, stopped)
    else:
        cancelled = _run_in_pool(job, tasks, min(workers, len(tasks)), finished, report, stopped)
    return SweepResults([finished[i] for i in sorted(finished)], cancelled, len(tasks))


def _run_here(job, tasks, finished, report, stopped) -> bool:
    for i, (value, seed) in enumerate(tasks):
        if stopped():
            return True
        finished[i] = _result(value, seed, run_one(job, value, seed))
        report()
    return False


def _run_in_pool(job, tasks, workers, finished, report, stopped) -> bool:
    """At most `workers` runs handed out at a time, so that a cancel leaves nothing queued in the pool."""
    context = multiprocessing.get_context(START_METHOD)
    if START_METHOD == "forkserver":    # its first start decides: later workers fork with the job's module loaded
        module = getattr(job, "__module__", None)
        context.set_forkserver_preload(["__main__", __name__] + [module] * (module not in (None, "__main__")))
    waiting = list(range(len(tasks)))[::-1]
    executor, running = ProcessPoolExecutor(workers, mp_context=context), {}

    def finish(i: int, outcome: dict) -> None:
        finished[i] = _result(*tasks[i], outcome)
        report()

    def renew():
        """A dead worker breaks the whole pool: the runs under way in it are lost; the rest go to a fresh one."""
        for i in running.values():
            finish(i, {"error": LOST})
        running.clear()
        _stop(executor)
        return ProcessPoolExecutor(workers, mp_context=context)

    try:
        while True:
            while waiting and len(running) < workers and not stopped():
                try:
                    running[executor.submit(run_one, job, *tasks[waiting[-1]])] = waiting[-1]
                    waiting.pop()
                except BrokenProcessPool:
                    executor = renew()
            if not running and not waiting:
                return False
            if stopped():
                return True
            done, _ = wait(running, timeout=POLL_S, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                i = running.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    broken, outcome = True, {"error": LOST}
                except Exception as exc:    # the job's result could not come back (e.g. it cannot be pickled)
                    outcome = {"error": _one_line(exc)}
                finish(i, outcome)
            if broken:
                executor = renew()
    finally:
        _stop(executor, abandon=bool(running))


def _stop(executor: ProcessPoolExecutor, abandon: bool = True) -> None:
    """Shut the pool down; runs still under way are abandoned and their processes stopped."""
    if not abandon:
        executor.shutdown(wait=True)
        return
    processes = list((getattr(executor, "_processes", None) or {}).values())   # no public way before 3.14
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join()


def run_one(job, value, seed) -> dict:
    """job(value, seed), with an exception turned into {"error": "one line"} (in the worker, so that an
    exception that cannot be pickled still comes back)."""
    try:
        outcome = job(value, seed)
    except Exception as exc:    # one run failing is that run's result, not the sweep's end
        return {"error": _one_line(exc)}
    if not isinstance(outcome, dict):
        return {"error": f"the job gave {type(outcome).__name__}, not a dict"}
    return outcome


def _result(value, seed, outcome: dict) -> dict:
    return {"value": value, "seed": seed, **{k: v for k, v in outcome.items() if k not in ("value", "seed")}}


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def number_at(result: dict, key_path: Sequence[str] | str) -> float | None:
    """The finite number at `key_path` in one result (("test", "accuracy") -> result["test"]["accuracy"]);
    None where the run failed, the path is absent, or the value is not a finite number."""
    found = result
    for key in (key_path,) if isinstance(key_path, str) else key_path:
        if not isinstance(found, dict) or key not in found:
            return None
        found = found[key]
    if isinstance(found, bool) or not isinstance(found, Real) or not math.isfinite(found):
        return None
    return float(found)


def summarise(results: Sequence[dict], key_path: Sequence[str] | str) -> list[dict]:
    """Per value, in the order the values first appear: {"value", "count", "missing", "mean", "min", "max",
    "std"} of the number at `key_path` over the seeds that have one. std is the seeds' own spread (divided by
    their count, not count − 1), 0 for one seed; mean, min, max and std are None where no seed has a number.
    "missing" counts the runs without one (failed, undefined, or no such metric)."""
    groups: list[tuple[object, list]] = []
    for result in results:
        group = next((g for g in groups if g[0] == result["value"]), None)
        if group is None:
            groups.append(group := (result["value"], []))
        group[1].append(number_at(result, key_path))
    summary = []
    for value, found in groups:
        numbers = [n for n in found if n is not None]
        row = {"value": value, "count": len(numbers), "missing": len(found) - len(numbers),
               "mean": None, "min": None, "max": None, "std": None}
        if numbers:
            mean = math.fsum(numbers) / len(numbers)
            row.update(mean=mean, min=min(numbers), max=max(numbers),
                       std=math.sqrt(math.fsum((n - mean) ** 2 for n in numbers) / len(numbers)))
        summary.append(row)
    return summary
