"""What one step of a run did and what the local models predicted for it (`StepRecord`), and a run's records
computed when first read (`StepRecords`): the slice pane, the inspector and `run --json` read them."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import numpy as np


@dataclass(frozen=True)
class StepRecord:
    """What one step did and what the local models predicted for it."""

    index: int                 # 1 for the step from path[0] to path[1]
    start: np.ndarray
    end: np.ndarray
    vector: np.ndarray
    length: float
    predicted_linear: float
    predicted_quadratic: float
    actual: float
    eigenvalues: np.ndarray    # of the Hessian at `start`, ascending
    classification: str        # of `start`
    lr: float | None = None            # the learning rate the step took (methods with one)
    batch: np.ndarray | None = None    # the rows its gradient averaged (mini-batches; None: every row)
    epoch: int | None = None           # the epoch of that batch
    hessian: str | None = None         # why no Hessian was formed (then no eigenvalues, quadratic, class)

    @property
    def uphill(self) -> bool:
        """The step increased f (pure Newton heading for a maximum does)."""
        return self.actual < 0

    def as_dict(self) -> dict:
        out = {"step": self.index, "from": self.start.tolist(), "to": self.end.tolist(),
               "vector": self.vector.tolist(), "length": self.length,
               "predicted_linear": self.predicted_linear, "predicted_quadratic": self.predicted_quadratic,
               "actual": self.actual, "eigenvalues": self.eigenvalues.tolist(),
               "classification": self.classification, "uphill": self.uphill}
        if self.hessian is not None:
            for key in ("predicted_quadratic", "eigenvalues", "classification"):
                del out[key]
            out["hessian"] = self.hessian
        if self.lr is not None:
            out["lr"] = self.lr
        if self.batch is not None:
            out["batch"], out["epoch"] = self.batch.tolist(), self.epoch
        return out


class StepRecords(Sequence):
    """A run's StepRecords, each computed when first read (a Hessian each: only what is shown pays)."""

    def __init__(self, run):   # a core.trajectory.Run: its states, and _explain(old, new) for one record
        self._run = run
        self._made: dict[int, StepRecord] = {}

    def __len__(self) -> int:
        return len(self._run.states) - 1

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        n = len(self)
        k = i + n if i < 0 else i
        if not 0 <= k < n:
            raise IndexError("step record index out of range")
        record = self._made.get(k)
        if record is None:
            record = self._made[k] = self._run._explain(self._run.states[k], self._run.states[k + 1])
        return record
