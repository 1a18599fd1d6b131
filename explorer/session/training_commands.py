"""The session's commands for how a run trains: mini-batches and their seed, the learning-rate schedule, and a
fit given as residuals (for Gauss–Newton and Levenberg–Marquardt).

A mixin of `Session` (explorer.session.model): every command goes through `Session._apply`, so it is
named and undoable. `runs_that_apply` keeps a setup's runs consistent with its kind of problem: without
data there are no mini-batches, and without residuals no Gauss–Newton or Levenberg–Marquardt runs.
"""
from __future__ import annotations

from dataclasses import replace

from explorer.core.batches import MAX_SEED, whole
from explorer.core.methods import ALL_METHODS, LEAST_SQUARES, no_batches, no_schedule
from explorer.core.run_spec import MAX_BATCH
from explorer.core.schedules import CONSTANT, Schedule
from explorer.session.errors import FitCommandError, SessionError
from explorer.session.model_reading import method_refusal
from explorer.core.document import Setup


def runs_that_apply(setup: Setup) -> Setup:
    """`setup` without what its problem cannot have: mini-batches without data, least-squares runs without
    residuals."""
    fit = setup.fit
    residual = fit is not None and fit.residual
    runs = tuple(r if fit is not None or r.batch is None else replace(r, batch=None, seed=0)
                 for r in setup.runs if residual or r.method not in LEAST_SQUARES)
    return setup if runs == setup.runs else replace(setup, runs=runs)


class TrainingCommands:
    def set_run_batch(self, index: int, batch: int | None, seed: int | None = None) -> None:
        """Run `index` steps with mini-batches of `batch` rows (None: every row) shuffled by `seed`
        (None: keep its seed). The full batch has no shuffling: its seed is 0 (what a scene keeps)."""
        self._check_index(index)
        run = self.setup.runs[index]
        seed = run.seed if seed is None else seed
        if batch is not None:
            if self.setup.fit is None:
                raise SessionError("mini-batches need data: they are for fits of data")
            if no_batches(run.method):
                raise SessionError(no_batches(run.method))
            if whole(batch, 1, MAX_BATCH) is None:
                raise SessionError(f"a batch is a whole number of rows from 1 to {MAX_BATCH:,}, not {batch!r}")
            batch = int(batch)
        if whole(seed, 0, MAX_SEED) is None:
            raise SessionError(f"the seed is a whole number from 0 to {MAX_SEED:,}, not {seed!r}")
        seed = 0 if batch is None else int(seed)
        if (batch, seed) != (run.batch, run.seed):
            what = "full batch" if batch is None else f"batch {batch}, seed {int(seed)}"
            self._apply(f"Set {run.method} to {what}", self.setup.with_run(index, batch=batch, seed=int(seed)))

    def set_run_schedule(self, index: int, schedule: Schedule | None) -> None:
        """Run `index` takes the learning rates of `schedule` (None: constant)."""
        self._check_index(index)
        run = self.setup.runs[index]
        schedule = CONSTANT if schedule is None else schedule
        if schedule != CONSTANT and no_schedule(run.method):
            raise SessionError(no_schedule(run.method))
        if schedule != run.schedule:
            self._apply(f"Set {run.method}'s schedule to {schedule.describe()}",
                        self.setup.with_run(index, schedule=schedule))

    def set_fit_residual(self, residual: bool, text: str | None = None) -> None:
        """Give the fit as residuals r (the loss is r², the mean over the rows) or as a per-row loss, with
        its new text (default: the same text read the other way). Leaving residuals drops Gauss–Newton and
        Levenberg–Marquardt runs (undoable)."""
        spec = self.fit_spec
        text = self.setup.text if text is None else text.strip()
        if (bool(residual), text) == (spec.residual, self.setup.text):
            return
        name = "Give the fit as residuals" if residual else "Give the fit as a loss"
        self._apply_fit(name, replace(spec, residual=bool(residual)), text)

    def _check_method_here(self, method: str, setup: Setup) -> None:
        """Least-squares methods only on a fit given as residuals."""
        if method not in ALL_METHODS:
            raise SessionError(f"unknown method '{method}' (choose from {', '.join(ALL_METHODS)})")
        refusal = setup.fit is not None and setup.fit.network is not None and method_refusal(method,
                                                                                            setup.fit.dimension)
        if refusal:
            raise SessionError(refusal)
        if method in LEAST_SQUARES and setup.fit is None:
            raise SessionError(f"{method} is for least squares: a fit of data given as residuals")
        if method in LEAST_SQUARES and not setup.fit.residual:
            raise FitCommandError("loss", f"{method} needs a fit given as residuals: tick 'residual' and type the "
                                          "residual of one row, e.g. a*exp(b*X) - Y")
