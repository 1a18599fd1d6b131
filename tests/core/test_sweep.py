"""Sweeps: every (value, seed) run once, in order, in several processes; errors kept; cancel; the summary."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from explorer.core.sweep import SWEEPABLE, SweepError, number_at, parse_values, summarise, sweep

ROOT = Path(__file__).resolve().parents[2]


# the jobs: top-level, so that a worker process can import them by name
def square(value, seed):
    return {"pid": os.getpid(), "test": {"accuracy": value * value + seed}}


def meet(folder, seed):
    """Check in, then wait until a second process has checked in too: two runs at once need two processes."""
    Path(folder, f"{os.getpid()}-{seed}").touch()
    for _ in range(6000):                     # a bound, so that a broken pool ends the test instead of hanging it
        if len({name.split("-")[0] for name in os.listdir(folder)}) >= 2:
            break
        time.sleep(0.01)
    return {"pid": os.getpid()}


def picky(value, seed):
    if value == "raise":
        raise RuntimeError(f"seed {seed} went wrong\nwith a second line nobody needs")
    if value == "not a dict":
        return [value, seed]
    if value == "unpicklable":
        return {"f": lambda: None}
    return {"value": "the job's own", "seed": -1, "ok": True}


def dies(value, seed):
    if value == "die":
        os._exit(3)                           # as a worker killed for its memory would
    return {"ok": value}


def log_start(folder, seed):
    """Leave a file per run begun, so that a test counts the runs handed out."""
    Path(folder, f"run-{seed}").touch()
    return {"seed_seen": seed}


def wait_for_go(folder, seed):
    """Say it has begun (with its process id), then wait for a 'go' file that the test never writes."""
    Path(folder, f"begun-{seed}-{os.getpid()}").touch()
    for _ in range(6000):
        if Path(folder, "go").exists():
            break
        time.sleep(0.01)
    return {"waited": True}


def gui_modules(value, seed):
    return {"gui": [m for m in sys.modules if m.split(".")[0] in ("PySide6", "pyqtgraph", "OpenGL")]}


@pytest.mark.parametrize("workers", [1, 2])
def test_every_value_and_seed_runs_once_in_value_then_seed_order(workers):
    calls = []
    results = sweep(square, [3, 1, 2], [10, 20], workers=workers, progress=lambda done, total: calls.append(done))
    assert [(r["value"], r["seed"]) for r in results] == [(3, 10), (3, 20), (1, 10), (1, 20), (2, 10), (2, 20)]
    assert [r["test"]["accuracy"] for r in results] == [19, 29, 11, 21, 14, 24]      # value² + seed
    assert calls == [0, 1, 2, 3, 4, 5, 6] and not results.cancelled and results.total == 6


def test_one_worker_runs_here_and_two_workers_use_two_other_processes(tmp_path):
    assert {r["pid"] for r in sweep(square, [1, 2], [0], workers=1)} == {os.getpid()}
    pids = {r["pid"] for r in sweep(meet, [str(tmp_path)], [0, 1], workers=2)}
    assert len(pids) == 2 and os.getpid() not in pids


def test_a_failing_run_is_one_line_in_its_place_and_the_others_go_on():
    results = sweep(picky, ["raise", "not a dict", "unpicklable", "fine"], [7], workers=2)
    assert [r["value"] for r in results] == ["raise", "not a dict", "unpicklable", "fine"]
    assert results[0]["error"] == "seed 7 went wrong"
    assert results[1]["error"] == "the job gave list, not a dict"
    assert "\n" not in results[2]["error"] and results[2]["error"]
    assert results[3] == {"value": "fine", "seed": 7, "ok": True}     # the sweep's value and seed, not the job's


def test_a_worker_that_dies_loses_its_runs_and_the_rest_go_to_a_fresh_pool():
    values = ["die", "a", "b", "c", "d", "e"]
    results = sweep(dies, values, [0], workers=2)
    assert [r["value"] for r in results] == values and not results.cancelled
    assert results[0]["error"] == "its worker process stopped before the run finished"
    # a run under way beside it may be lost with it; the runs handed out after it are not
    lost = [r["value"] for r in results if "error" in r]
    assert len(lost) <= 3 and [r["ok"] for r in results if "ok" in r] == [v for v in values if v not in lost]
    assert results[-1] == {"value": "e", "seed": 0, "ok": "e"}


def test_cancel_stops_handing_out_work_and_says_so(tmp_path):
    cancel = threading.Event()

    def progress(done, total):
        if done >= 2:
            cancel.set()

    results = sweep(log_start, [str(tmp_path)], list(range(12)), workers=2, progress=progress, cancel=cancel)
    assert results.cancelled and results.total == 12
    assert 2 <= len(results) < 12
    assert [r["seed"] for r in results] == sorted(r["seed"] for r in results)
    assert all(r["seed_seen"] == r["seed"] for r in results)
    # at most the two runs under way when Cancel came were begun beyond those that finished
    assert len(list(tmp_path.iterdir())) <= len(results) + 2


def test_cancel_from_another_thread_abandons_the_runs_under_way_and_stops_their_processes(tmp_path):
    cancel, results = threading.Event(), []
    worker = threading.Thread(target=lambda: results.append(
        sweep(wait_for_go, [str(tmp_path)], [0, 1, 2, 3], workers=2, cancel=cancel)))
    worker.start()
    for _ in range(6000):                      # until both workers have begun a run that waits for ever
        if len(list(tmp_path.glob("begun-*"))) == 2:
            break
        time.sleep(0.01)
    cancel.set()
    worker.join()
    (done,) = results
    assert done == [] and done.cancelled and done.total == 4
    begun = list(tmp_path.glob("begun-*"))
    assert sorted(p.name.split("-")[1] for p in begun) == ["0", "1"]         # the runs after them never began
    for name in begun:
        with pytest.raises(ProcessLookupError):                            # the two workers are gone
            os.kill(int(name.name.split("-")[2]), 0)


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_the_pool_works_with_either_start_method(monkeypatch, method):
    import explorer.core.sweep as sweep_module
    monkeypatch.setattr(sweep_module, "START_METHOD", method)
    results = sweep(square, [1, 2], [0, 1], workers=2)
    assert [r["test"]["accuracy"] for r in results] == [1, 2, 4, 5] and os.getpid() not in {r["pid"] for r in results}


def test_a_sweep_cancelled_before_it_starts_runs_nothing(tmp_path):
    cancel = threading.Event()
    cancel.set()
    for workers in (1, 2):
        results = sweep(log_start, [str(tmp_path)], [0, 1, 2], workers=workers, cancel=cancel)
        assert results == [] and results.cancelled
    assert list(tmp_path.iterdir()) == []


def test_no_values_or_no_seeds_is_an_empty_sweep_and_workers_must_be_positive():
    assert sweep(square, [], [0, 1]) == [] and sweep(square, [1], []) == []
    with pytest.raises(SweepError, match="workers must be at least 1"):
        sweep(square, [1], [0], workers=0)


def test_a_worker_never_loads_qt_even_when_the_window_has(tmp_path):
    script = ("import json, PySide6.QtCore\n"
              "from explorer.core.sweep import sweep\n"
              "from tests.core.test_sweep import gui_modules\n"
              "print(json.dumps(sweep(gui_modules, [0], [0, 1], workers=2)))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert [r["gui"] for r in results] == [[], []]


def test_summarise_by_hand():
    results = [{"value": 0.1, "seed": 0, "test": {"accuracy": 0.5}},
               {"value": 0.1, "seed": 1, "test": {"accuracy": 0.7}},
               {"value": 0.1, "seed": 2, "test": {"accuracy": 0.9}},
               {"value": 1.0, "seed": 0, "test": {"accuracy": 0.6}},
               {"value": 1.0, "seed": 1, "error": "diverged"},
               {"value": 1.0, "seed": 2, "test": {"accuracy": float("nan")}},
               {"value": 10.0, "seed": 0, "test": {}}]
    first, second, third = summarise(results, ("test", "accuracy"))
    # 0.5, 0.7, 0.9: mean 0.7, deviations ±0.2 and 0, std = √((0.04 + 0 + 0.04) / 3)
    assert first["value"] == 0.1 and first["count"] == 3 and first["missing"] == 0
    assert first["mean"] == pytest.approx(0.7) and first["min"] == 0.5 and first["max"] == 0.9
    assert first["std"] == pytest.approx((0.08 / 3) ** 0.5)
    assert second == {"value": 1.0, "count": 1, "missing": 2, "mean": 0.6, "min": 0.6, "max": 0.6, "std": 0.0}
    assert third == {"value": 10.0, "count": 0, "missing": 1, "mean": None, "min": None, "max": None, "std": None}


def test_number_at_finds_finite_numbers_only():
    result = {"train": {"accuracy": 1, "confusion": [[1, 0], [0, 1]], "ok": True, "loss": float("inf")}}
    assert number_at(result, ("train", "accuracy")) == 1.0
    assert number_at(result, ("train", "confusion")) is None and number_at(result, ("train", "ok")) is None
    assert number_at(result, ("train", "loss")) is None and number_at(result, ("test", "accuracy")) is None
    assert number_at({"mse": 2.5}, "mse") == 2.5


def test_sweep_values_are_read_as_their_setting_needs():
    assert parse_values("l2", ["0", "1e-3", "0.1"]) == [0.0, 0.001, 0.1]
    assert parse_values("steps", ["10", "200"]) == [10, 200]
    assert parse_values("model", ["mlp:4", "mlp:16,16:relu"]) == ["mlp:4", "mlp:16,16:relu"]
    assert set(SWEEPABLE) == {"l2", "l1", "lr", "steps", "batch", "method", "model", "test-fraction"}


@pytest.mark.parametrize("name, texts, words", [
    ("momentum", ["0.9"], "--vary: 'momentum' cannot be swept; choose one of l2, l1"),
    ("l2", [], "--vary l2: give at least one value"),
    ("l2", ["0.1", "-1"], "--vary l2: -1 must be zero or positive"),
    ("lr", ["0"], "--vary lr: 0 must be positive"),
    ("lr", ["fast"], "--vary lr: 'fast' is not a number"),
    ("steps", ["2.5"], "--vary steps: '2.5' is not a whole number"),
    ("batch", ["0"], "--vary batch: 0 must be at least 1"),
    ("test-fraction", ["1"], "--vary test-fraction: 1 must be at least 0 and below 1"),
    ("l1", ["nan"], "--vary l1: nan must be zero or positive"),
])
def test_bad_sweep_values_are_one_line_naming_the_setting(name, texts, words):
    with pytest.raises(SweepError) as caught:
        parse_values(name, texts)
    assert str(caught.value).startswith(words) and "\n" not in str(caught.value) and caught.value.part == "vary"


def test_the_sweep_engine_needs_no_qt():
    from tests.helpers import gui_modules_loaded_by
    assert gui_modules_loaded_by("import explorer.core.sweep") == []
