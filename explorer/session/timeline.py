"""One timeline for every run of a session: the step counter k, moved by Step, Back, a jump or a reset.

Run r shows state min(k, last(r)). States are computed only when k passes the end of what has been
computed, at most a budget at a time (the rest is `advance`'s, a slice at a time). Moving along the
timeline is not undoable. Qt-free; `Timeline` is a part of `explorer.session.model.Session`.
"""
from __future__ import annotations

import math

import numpy as np

from explorer.core.expression import ERRORS

STEP_BUDGET = 50   # states computed at once by a Step; the rest is left to `advance`
DRAG_BUDGET = 500  # states computed at once for a run whose setting or start is being dragged (a path on show)
TIMELINE = "timeline"   # what subscribers are told changed when k moves (with the session's other change names)


class Timeline:
    """Step, Back, jump and catch-up over `self.runs`, up to `self.setup.max_steps`; tells `self._notify`."""

    def end_step(self) -> int:
        """The last step worth showing: where the last run stops, or max steps while one is running."""
        if self.runs and all(r.finished for r in self.runs):
            return max(len(r.states) - 1 for r in self.runs)
        return self.setup.max_steps

    def can_step_forward(self) -> bool:
        return bool(self.runs) and self.step < self.end_step()

    def step_forward(self) -> bool:
        """k -> k + 1 (False, and nothing changes, when every run has stopped before k + 1)."""
        if not self.can_step_forward():
            return False
        self._move_to(self.step + 1, STEP_BUDGET)
        return True

    @property
    def shown_step(self) -> int:
        """The step on show: k, or where the last run stopped if k is past every run's end."""
        return min(self.step, self.end_step())

    def step_back(self) -> bool:
        """k -> k - 1, from the step on show (so Back undoes exactly the Steps that moved something)."""
        if self.shown_step == 0:
            return False
        self.step = self.shown_step - 1
        self._place()
        self._notify({TIMELINE})
        return True

    def jump(self, k: int, budget: int | None = STEP_BUDGET) -> None:
        """Move the timeline to step k (Home, End, the step slider); states past `budget` come from `advance`."""
        k = max(0, min(int(k), self.setup.max_steps))
        if k != self.step:
            self._move_to(k, budget)

    def _move_to(self, k: int, budget: int | None) -> None:
        """k becomes `k` only if the states it needs (up to `budget`) could be computed."""
        kept = self.step
        self.step = k
        try:
            self.advance(budget)
        except Exception:
            self.step = kept
            self._place()
            raise
        self._notify({TIMELINE})

    def reset(self) -> None:
        self.jump(0)

    def pending(self) -> bool:
        """Are some states up to k still to be computed?"""
        return any(len(r.states) - 1 < self.step and not r.finished for r in self.runs)

    def advance(self, budget: int | None, order=None) -> bool:
        """Compute at most `budget` new states (None: all) towards step k, the runs in `order` first (default:
        as listed); True when every run is there."""
        left = math.inf if budget is None else budget
        with np.errstate(**ERRORS):   # inf and nan are outcomes a run reports, not warnings
            for run in self.runs if order is None else order:
                run.position = len(run.states) - 1
                while left > 0 and len(run.states) - 1 < self.step and run.step_forward():
                    left -= 1
        self._place()
        return not self.pending()

    def progress(self) -> tuple[int, int]:
        """(states computed, states needed) up to step k, for a progress bar."""
        have = sum(min(len(r.states) - 1, self.step) for r in self.runs)
        need = sum(len(r.states) - 1 if r.finished else self.step for r in self.runs)
        return have, max(need, have)

    def _place(self) -> None:
        for run in self.runs:
            run.position = min(self.step, len(run.states) - 1)
