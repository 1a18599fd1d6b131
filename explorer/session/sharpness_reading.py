"""What the session reads of sharpness along a network fit's run: λmax of the full-batch training loss's
Hessian per step (core.sharpness), cached per (run, step), and the method's stability bound per step.

A mixin of `Session` (through explorer.session.model_commands). Nothing here computes on a repaint:
`sharpness_series` returns what is in the cache; `sharpness_work` hands out a function that fills the
missing steps in order (warm-started from the step before) and may run off the window's thread, sharing
nothing with the session but the cache it writes one entry at a time. Runs of up to EVERY_STEP_UP_TO steps
get every step, longer ones a stride (`sharpness_stride`), which the view states.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Callable

import numpy as np

from explorer.core.sharpness import bound_of_step, sharpness_of_step, stride_of, why_no_bound

EVERY_STEP_UP_TO = 500


class _Cache:
    """One run's λmax per step, the last eigenvector (a warm start) and the products spent (counted work)."""

    def __init__(self):
        self.values: dict[int, float] = {}
        self.vectors: dict[int, np.ndarray] = {}
        self.products = 0


@dataclass(frozen=True)
class SharpnessSeries:
    """What the sharpness view draws of one run: λmax at the steps estimated so far, the bound per step (empty,
    with `why` saying so, for methods without one), the training loss of every computed state, the stride, the
    steps still to estimate and the step on show."""

    steps: np.ndarray
    values: np.ndarray
    bound_steps: np.ndarray
    bounds: np.ndarray
    why: str
    losses: np.ndarray          # the objective (penalty included) at states 0, 1, …
    stride: int
    missing: int
    shown: int
    method: str
    settings: dict
    batched: bool = False       # the run's steps follow mini-batch gradients


class SharpnessReadings:
    def _sharpness_run(self, run_index: int | None):
        problem = self.model_problem
        index = self.selected if run_index is None else run_index
        if problem is None or not 0 <= index < len(self.runs):
            return None, None
        return problem, self.runs[index]

    def sharpness_stride(self, run_index: int | None = None) -> int:
        """Steps between two sharpness estimates of the run: 1 up to EVERY_STEP_UP_TO steps, then more."""
        _, run = self._sharpness_run(run_index)
        return 1 if run is None else stride_of(run.max_steps, EVERY_STEP_UP_TO)

    def sharpness_steps(self, run_index: int | None = None) -> list[int]:
        """The run's computed steps that get an estimate: 0, stride, 2·stride, … and its last state if it ended."""
        _, run = self._sharpness_run(run_index)
        if run is None:
            return []
        last, stride = len(run.states) - 1, self.sharpness_stride(run_index)
        steps = list(range(0, last + 1, stride))
        if run.finished and steps[-1] != last:
            steps.append(last)
        return steps

    def sharpness_series(self, run_index: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(steps, λmax) of the run (default the selected one) computed so far, ascending; empty without a
        network or a run. Nothing is computed here (sharpness_work does)."""
        _, run = self._sharpness_run(run_index)
        if run is None:
            return np.empty(0, int), np.empty(0)
        values = _caches.get(run)
        steps = [t for t in self.sharpness_steps(run_index) if values is not None and t in values.values]
        return np.array(steps, dtype=int), np.array([values.values[t] for t in steps], dtype=float)

    def sharpness_missing(self, run_index: int | None = None) -> list[int]:
        """The steps still without an estimate."""
        _, run = self._sharpness_run(run_index)
        cache = _caches.get(run) if run is not None else None
        return [t for t in self.sharpness_steps(run_index) if cache is None or t not in cache.values]

    def sharpness_products(self, run_index: int | None = None) -> int:
        """Hessian-vector products spent on the run's estimates so far (what the work cost)."""
        _, run = self._sharpness_run(run_index)
        cache = _caches.get(run) if run is not None else None
        return 0 if cache is None else cache.products

    def sharpness_bound(self, run_index: int | None = None) -> tuple[np.ndarray, np.ndarray, str]:
        """(steps, bound at each, why none): the run's stability bound at its estimated steps (2/lr for gd, at a
        schedule's rate of that step), or empty arrays and one line saying why there is none."""
        _, run = self._sharpness_run(run_index)
        if run is None:
            return np.empty(0, int), np.empty(0), ""
        why = why_no_bound(run.method)
        if why:
            return np.empty(0, int), np.empty(0), why
        steps = self.sharpness_steps(run_index) or [0]
        return np.array(steps, dtype=int), np.array([bound_of_step(run, t) for t in steps], dtype=float), ""

    def sharpness_reading(self, run_index: int | None = None) -> SharpnessSeries | None:
        """All the view draws of the run (default the selected one), from the cache; None without a network or
        a run."""
        _, run = self._sharpness_run(run_index)
        if run is None:
            return None
        steps, values = self.sharpness_series(run_index)
        bound_steps, bounds, why = self.sharpness_bound(run_index)
        losses = np.array([s.value for s in run.states], dtype=float)
        return SharpnessSeries(steps, values, bound_steps, bounds, why, losses, self.sharpness_stride(run_index),
                               len(self.sharpness_missing(run_index)), int(run.position), run.method,
                               dict(run.optimizer.settings()), bool(run.batched))

    def sharpness_work(self, run_index: int | None = None) -> Callable[[Callable[[], bool]], int] | None:
        """None when every computed step of the run has its estimate (or there is no network); else
        work(keep_going) -> the number of steps it estimated: λmax at each missing step in order, warm-started
        from the nearest earlier estimate's vector, stopping early once keep_going() is False. It holds the
        problem (immutable), copies of the states' θ and the run's cache, nothing else of the session."""
        problem, run = self._sharpness_run(run_index)
        missing = self.sharpness_missing(run_index) if run is not None else []
        if not missing:
            return None
        points = {t: np.array(run.states[t].point, dtype=float) for t in missing}
        cache = _caches.setdefault(run, _Cache())
        stride = self.sharpness_stride(run_index)

        def work(keep_going: Callable[[], bool] = lambda: True) -> int:
            done = 0
            for t in missing:
                if t in cache.values:
                    continue
                if not keep_going():
                    break
                earlier = [s for s in cache.vectors if s < t]
                start = cache.vectors[max(earlier)] if earlier else None
                value, vector, products = sharpness_of_step(problem, points[t], start, t // stride)
                cache.products += products
                if np.all(np.isfinite(vector)):
                    cache.vectors = {t: vector}   # one warm start kept: the latest
                cache.values[t] = value           # last: a reader sees a step only once it is whole
                done += 1
            return done

        return work


_caches: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()   # run -> _Cache
