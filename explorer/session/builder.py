"""What a setup implies: its parsed expression, its objective and its runs, each built once.

Three small caches keyed by everything that determines the thing built, so a change that does
not touch a run (another run added, the domain moved, an undo) gives back the very same `Run`
with the states it has already computed.
"""
from __future__ import annotations

from collections import OrderedDict

from explorer.core.expression import Expression, parse
from explorer.core.objective import Objective
from explorer.core.optimizers import make_optimizer
from explorer.core.trajectory import Run
from explorer.session.setup import RunSetup, Setup

KEPT_EXPRESSIONS = 16
KEPT_RUNS = 24   # enough for undo across a few edits; each run may hold thousands of states


def _lru(cache: OrderedDict, key, build, size: int):
    if key not in cache:
        cache[key] = build()
        while len(cache) > size:
            cache.popitem(last=False)
    cache.move_to_end(key)
    return cache[key]


class Builder:
    def __init__(self):
        self._expressions: OrderedDict[str, Expression] = OrderedDict()
        self._objectives: OrderedDict[tuple, Objective] = OrderedDict()
        self._runs: OrderedDict[tuple, Run] = OrderedDict()

    def expression(self, text: str) -> Expression:
        """The checked expression of `text` (ExpressionError if it does not parse)."""
        return _lru(self._expressions, text, lambda: parse(text, ("x", "y")), KEPT_EXPRESSIONS)

    def objective(self, setup: Setup) -> Objective:
        key = (setup.text, tuple(sorted(setup.parameter_values().items())))
        return _lru(self._objectives, key, lambda: Objective(self.expression(setup.text),
                                                              setup.parameter_values()), KEPT_EXPRESSIONS)

    def run(self, setup: Setup, r: RunSetup) -> Run:
        """The run `r` of `setup`; one that exists already keeps the states it has computed."""
        key = (setup.text, tuple(sorted(setup.parameter_values().items())), r.method,
               tuple(sorted(r.settings.items())), r.start, setup.max_steps)
        # never fewer than the setup's own runs: evicting a run the session still shows saves nothing
        return _lru(self._runs, key, lambda: Run(make_optimizer(r.method, self.objective(setup), **r.settings),
                                                 r.start, max_steps=setup.max_steps),
                    max(KEPT_RUNS, len(setup.runs)))

    def adopt(self, other: "Builder") -> None:
        """Take what `other` built (in a worker thread, say) that this builder does not have yet.

        Entries already here win: they may hold more computed states. The caches trim themselves
        at the next build.
        """
        for mine, theirs in ((self._expressions, other._expressions), (self._objectives, other._objectives),
                             (self._runs, other._runs)):
            for key, value in theirs.items():
                mine.setdefault(key, value)
