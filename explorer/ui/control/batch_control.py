"""The controller's batch reader (`controller.batch`): readings of mini-batch noise and learning-rate schedules.

What the pictures of issue 15 draw, for the selected run at the step on show (state t):
    its batch          the rows of step t's batch, `run.optimizer.batches.batch(t)` (the step from state t)
    its batch gradient state t's `batch_gradient` on the map's two axes, beside L's own gradient
    its batch's loss   L_B over a modest grid of the map's slice, values only (core.fit_map.batch_slice_values),
                       computed once a shown step and kept, so playing never waits on it
    its rates          lr against step from its schedule (`Schedule.lrs`), and the rate of the step on show
Every number comes from the core; derivatives only from the states (autograd's).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.expression import ERRORS
from explorer.core.fit_map import batch_slice_values
from explorer.core.fit_scene import held_point
from explorer.session.kinds import is_optimizer_run

BATCH_GRID = 80          # points a side of the batch-loss grid: a modest one, so a step never stalls playing
BATCH_BUDGET = 2**20     # grid points × batch rows at most: a big batch gets a coarser grid (never under MIN_GRID)
MIN_GRID = 24
MAX_LR_STEPS = 100_000   # the lr plot's curve is computed for at most this many steps


@dataclass(frozen=True)
class BatchGrid:
    """The loss of one mini-batch over the map's slice: z[i, j] = L_B at (x[i], y[j])."""

    step: int            # t: the shown state's iteration, whose step uses this batch
    rows: np.ndarray     # the batch's 0-based row indices
    x: np.ndarray
    y: np.ndarray
    z: np.ndarray


@dataclass(frozen=True)
class LrCurve:
    """The selected run's learning rate for steps 0 … len(lrs) − 1, and the step on show."""

    steps: np.ndarray
    lrs: np.ndarray
    shown: int
    shown_lr: float
    schedule: str        # its description ('cosine (period 200, lr_min 0)', 'constant')


class BatchReader:
    """Reads the session; keeps the last batch grid and each run's lr curve (its caches)."""

    def __init__(self, controller):
        self._controller = controller
        self._batch_grid = None         # (key, BatchGrid)
        self._lr_curves = {}            # run index -> (optimizer, key, (steps, lrs))

    session = property(lambda self: self._controller.session)

    def batched_run(self):
        """The selected run if it follows mini-batches on a fit (None otherwise)."""
        run = self.session.selected_run()
        if run is None or not is_optimizer_run(run) or not run.batched or self.session.setup.fit is None:
            return None
        return run

    def shown_batch(self) -> np.ndarray | None:
        """The rows (0-based, ascending) of the batch the selected run's step from the shown state uses."""
        run = self.batched_run()
        return None if run is None else run.optimizer.batches.batch(run.current.iteration)

    def gradient_on_map(self) -> np.ndarray | None:
        """∇L_B of the shown step's batch on the map's two axes, at the point the map's −∇L arrow stands on:
        the state's own batch gradient when the slice follows the run (or shows every parameter), else
        the batch's gradient at the held point (from the core's autograd)."""
        run = self.batched_run()
        if run is None or self.session.directions is not None:   # a plane of directions: no batch arrow yet
            return None
        state, fit = run.current, self.session.setup.fit
        if fit.held is None or fit.dimension == 2:
            gradient = state.batch_gradient
        else:
            theta = held_point(fit, state.point)
            with np.errstate(**ERRORS):
                gradient = self.session.objective.batch_value_and_gradient(theta, self.shown_batch())[1]
        return None if gradient is None else np.asarray(gradient, float)[list(fit.axis_indices)]

    def grid(self, n: int = BATCH_GRID) -> BatchGrid | None:
        """The shown step's batch loss on an n×n grid of the domain (fewer points a side for a batch so big
        that n²·rows would pass BATCH_BUDGET), the other parameters where the map's slice holds them; None
        for a full-batch run. Kept until the batch, the slice or the domain changes."""
        run, problem = self.batched_run(), self.session.problem
        if run is None or problem is None or self.session.directions is not None:   # the axes' plane only
            return None
        rows, setup = self.shown_batch(), self.session.setup
        n = int(min(n, max(MIN_GRID, np.sqrt(BATCH_BUDGET / len(rows)))))
        held, axes = self.session.held_theta(), setup.fit.axis_indices
        key = (problem, axes, tuple(held), tuple(rows), tuple(setup.x_range), tuple(setup.y_range), n)
        kept = self._batch_grid
        if kept is not None and kept[0] == key:
            return kept[1]
        x, y = np.linspace(*setup.x_range, n), np.linspace(*setup.y_range, n)
        z = batch_slice_values(problem, *axes, held, rows, x, y)
        grid = BatchGrid(int(run.current.iteration), rows, x, y, z)
        self._batch_grid = key, grid
        return grid

    def lr_curve(self, index: int | None = None) -> LrCurve | None:
        """Run `index`'s (the selected run's by default) lr against step, 0 … its last step (or the step
        limit); None for a method without an lr. Kept per run until its optimizer or length changes."""
        runs = self.session.runs
        index = self.session.selected if index is None else index
        run = runs[index] if 0 <= index < len(runs) else None
        if run is None or not is_optimizer_run(run) or run.lr_of_step(0) is None:
            return None
        optimizer, shown = run.optimizer, int(run.current.iteration)
        end = len(run.states) - 1 if run.finished else run.max_steps
        count = min(max(end, shown, 1) + 1, MAX_LR_STEPS)
        key = (optimizer.lr, optimizer.schedule, count)
        kept = self._lr_curves
        made = kept.get(index)
        if made is None or made[0] is not optimizer or made[1] != key:   # a new run has a new optimizer
            made = kept[index] = optimizer, key, (np.arange(count), optimizer.schedule.lrs(optimizer.lr, count))
        steps, lrs = made[2]
        return LrCurve(steps, lrs, shown, float(run.lr_of_step(shown)), optimizer.schedule.describe())

    def any_schedule(self) -> bool:
        """Does some run take a learning-rate schedule (other than a constant lr)?"""
        return any(is_optimizer_run(r) and not r.optimizer.schedule.is_constant for r in self.session.runs)
