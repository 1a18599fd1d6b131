"""The controller's training reader (`controller.training`): how runs train (mini-batches and seeds,
learning-rate schedules, a fit given as residuals). Each is a session command; a refusal becomes a message
(or, for the fit form, `fitFailed`). Also the inspector's reading of a residual fit: the Gauss–Newton matrix
beside the loss's Hessian (every number from the core)."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from explorer.core.least_squares import dropped_term
from explorer.core.methods import LEAST_SQUARES
from explorer.session.errors import FitCommandError, SessionError


class GaussNewtonReading(NamedTuple):
    """At one θ of a fit given as residuals r over n rows, L = (1/n) Σ rᵢ²:
    hessian = ∇²L = (2/n)(JᵀJ + Σ rᵢ∇²rᵢ), matrix = (2/n)·JᵀJ (what Gauss–Newton uses),
    dropped = hessian − matrix = (2/n)·Σ rᵢ∇²rᵢ, relative = ‖dropped‖ / ‖hessian‖ (Frobenius);
    eigenvalues: of `matrix`, ascending (never negative: JᵀJ is positive semi-definite)."""

    matrix: np.ndarray
    hessian: np.ndarray
    dropped: np.ndarray
    relative: float
    eigenvalues: np.ndarray


class TrainingReader:
    """Reads the session through `controller` (its `fit` reader for the analysis at the run's point)."""

    def __init__(self, controller):
        self._controller = controller

    session = property(lambda self: self._controller.session)

    def set_run_batch(self, index: int, batch: int | None, seed: int | None = None) -> bool:
        """Run `index` on mini-batches of `batch` rows (None: every row), shuffled by `seed` (None: kept)."""
        return self._controller.command(self.session.set_run_batch, index, batch, seed)

    def set_run_schedule(self, index: int, schedule) -> bool:
        """Run `index` takes the rates of `schedule` (an explorer.core.schedules.Schedule; None: constant)."""
        return self._controller.command(self.session.set_run_schedule, index, schedule)

    def set_fit_residual(self, residual: bool, text: str | None = None) -> bool:
        """The fit given as residuals r (loss r²) or as a per-row loss; a refusal goes to `fitFailed`."""
        c = self._controller
        before = [r.method for r in self.session.setup.runs]
        try:
            self.session.set_fit_residual(residual, text)
        except FitCommandError as err:
            c.fitFailed.emit(err.field, str(err))
            return False
        except SessionError as err:
            c.message.emit(str(err))
            return False
        except Exception as err:  # noqa: BLE001 - nothing typed may take the window down
            c.report_failure("give the fit that way", err)
            return False
        c.fitFailed.emit("", "")
        gone = sorted({m for m in before if m in LEAST_SQUARES} - {r.method for r in self.session.setup.runs})
        if gone:
            c.message.emit(f"{' and '.join(gone)} need a fit given as residuals: removed "
                              f"(Ctrl+Z brings {'it' if len(gone) == 1 else 'them'} back)")
        return True

    def gauss_newton_reading(self, analysis=None) -> GaussNewtonReading | None:
        """(2/n)·JᵀJ beside the loss's Hessian at the selected run's point, for a fit given as residuals (None
        otherwise, or where they are not finite). `analysis`: the fit's PointAnalysis there, if already had."""
        run, problem = self.session.selected_run(), self.session.problem
        if run is None or problem is None or not problem.is_residual:
            return None
        analysis = self._controller.fit.analysis() if analysis is None else analysis
        if analysis is None:
            return None
        try:
            matrix = problem.gauss_newton_matrix(run.current.point)
        except (ValueError, ArithmeticError):
            return None
        hessian = np.asarray(analysis.hessian, dtype=float)
        if matrix.shape != hessian.shape or not (np.all(np.isfinite(matrix)) and np.all(np.isfinite(hessian))):
            return None
        dropped, relative = dropped_term(hessian, matrix)
        return GaussNewtonReading(matrix, hessian, dropped, relative, np.linalg.eigvalsh(matrix))
