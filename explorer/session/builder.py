"""What a setup implies: its parsed expression, its objective (or field) and its runs, each built once.

Small caches keyed by everything that determines the thing built, so a change that does
not touch a run (another run added, the domain moved, an undo) gives back the very same `Run`
with the states it has already computed. A field problem (a typed '(u, v)' or a surface shown
as ∇f) has a `FieldCalculus` instead of an objective, and its runs are Newton–Raphson (`NewtonRun`).
A fit has its dataset (built or read once), a `FitProblem` and a `FitObjective` over its trained
parameters; its runs do not depend on the model, the axes or the held values.
"""
from __future__ import annotations

from collections import OrderedDict

from explorer.core.expression import Expression, parse
from explorer.core.field_expression import FieldExpression, is_field_text
from explorer.core.field_newton import NewtonRun
from explorer.core.field_scene import FIELD, field_of, plane_field
from explorer.core.fields import FieldCalculus
from explorer.core.fit import FitProblem
from explorer.core.fit_scene import DataSpec, build_dataset, build_fit, network_view
from explorer.core.model_fit import ModelProblem
from explorer.core.objective import Objective
from explorer.core.run_spec import optimizer_of
from explorer.core.trajectory import Run
from explorer.core.document import Setup
from explorer.core.run_spec import RunSpec

KEPT_EXPRESSIONS = 16
KEPT_RUNS = 24   # enough for undo across a few edits; each run may hold thousands of states


def _lru(cache: OrderedDict, key, build, size: int):
    if key not in cache:
        cache[key] = build()
        while len(cache) > size:
            cache.popitem(last=False)
    cache.move_to_end(key)
    return cache[key]


def _parameters(setup: Setup) -> tuple:
    return tuple(sorted(setup.parameter_values().items()))


class Builder:
    def __init__(self):
        self._expressions: OrderedDict[str, Expression | FieldExpression] = OrderedDict()
        self._objectives: OrderedDict[tuple, Objective] = OrderedDict()
        self._fields: OrderedDict[tuple, FieldCalculus] = OrderedDict()
        self._runs: OrderedDict[tuple, Run | NewtonRun] = OrderedDict()
        self._datasets: OrderedDict[DataSpec, object] = OrderedDict()
        self._problems: OrderedDict[tuple, FitProblem] = OrderedDict()

    def expression(self, text: str) -> Expression | FieldExpression:
        """The checked expression of `text`: a field for '(u, v)' (ExpressionError if it does not parse)."""
        def build():
            return plane_field(text) if is_field_text(text) else parse(text, ("x", "y"))
        return _lru(self._expressions, text, build, KEPT_EXPRESSIONS)

    def expression_of(self, setup: Setup) -> Expression | FieldExpression:
        """The checked expression of any setup: a fit's loss (FitSetupError if the fit cannot be built)."""
        if setup.fit is not None and setup.fit.network is not None:
            return self.problem(setup)   # a network has no typed loss: its problem stands for it
        return self.problem(setup).loss if setup.fit is not None else self.expression(setup.text)

    def dataset(self, spec: DataSpec):
        """The rows `spec` describes, generated or read once (FitSetupError on anything wrong)."""
        return _lru(self._datasets, spec, lambda: build_dataset(spec), 4)

    def problem(self, setup: Setup) -> FitProblem | ModelProblem:
        """The fit of a fit setup, model included (what the fit view draws); a network's ModelProblem."""
        fit = setup.fit
        key = (fit.problem_key(), fit.target, fit.features, fit.axes, fit.held is None or len(fit.held), setup.text,
               _parameters(setup))
        if fit.network is not None:   # one problem whatever the axes and held values (checked on each ask)
            problem = _lru(self._problems, ("network", fit.problem_key()),
                           lambda: build_fit(fit, setup.text, {}, self.dataset(fit.data)), KEPT_EXPRESSIONS)
            return network_view(fit, problem)
        return _lru(self._problems, key, lambda: build_fit(fit, setup.text, setup.parameter_values(),
                                                           self.dataset(fit.data)), KEPT_EXPRESSIONS)

    def objective(self, setup: Setup) -> Objective:
        if setup.fit is not None and setup.fit.network is not None:   # a network: its own objective
            fit = setup.fit
            key = ("network", fit.data, fit.network, fit.target, fit.features)
            return _lru(self._objectives, key, lambda: self.problem(setup).objective(), KEPT_EXPRESSIONS)
        if setup.fit is not None:   # the mean loss over θ: the model plays no part in it
            key = ("fit", setup.fit.data, setup.fit.trained, setup.fit.residual, setup.text, _parameters(setup))
            return _lru(self._objectives, key, lambda: FitProblem(self.dataset(setup.fit.data), setup.text,
                                                                   setup.fit.trained, setup.parameter_values(),
                                                                   residual=setup.fit.residual
                                                                   ).objective(), KEPT_EXPRESSIONS)
        key = (setup.text, _parameters(setup))
        return _lru(self._objectives, key, lambda: Objective(self.expression(setup.text),
                                                              setup.parameter_values()), KEPT_EXPRESSIONS)

    def calculus(self, setup: Setup) -> FieldCalculus:
        """The field of a field setup: the typed one, or ∇f of the surface."""
        key = (setup.text, _parameters(setup), setup.gradient_field)
        return _lru(self._fields, key, lambda: FieldCalculus(field_of(self.expression(setup.text),
                                                                      setup.gradient_field),
                                                             setup.parameter_values()), KEPT_EXPRESSIONS)

    def run(self, setup: Setup, r: RunSpec) -> Run | NewtonRun:
        """The run `r` of `setup`; one that exists already keeps the states it has computed."""
        field = setup.kind == FIELD
        key = (setup.text, _parameters(setup), setup.gradient_field, r.method,
               tuple(sorted(r.settings.items())), r.start, setup.max_steps, r.batch, r.seed, r.schedule,
               setup.fit and setup.fit.problem_key())

        def build():
            if field:
                return NewtonRun(self.calculus(setup), r.start, max_steps=setup.max_steps)
            return Run(optimizer_of(r, self.objective(setup)), r.start, max_steps=setup.max_steps)
        # never fewer than the setup's own runs: evicting a run the session still shows saves nothing
        return _lru(self._runs, key, build, max(KEPT_RUNS, len(setup.runs)))

    def adopt(self, other: "Builder") -> None:
        """Take what `other` built (in a worker thread, say) that this builder does not have yet.

        Entries already here win: they may hold more computed states. The caches trim themselves
        at the next build.
        """
        for mine, theirs in ((self._expressions, other._expressions), (self._objectives, other._objectives),
                             (self._fields, other._fields), (self._runs, other._runs),
                             (self._datasets, other._datasets), (self._problems, other._problems)):
            for key, value in theirs.items():
                mine.setdefault(key, value)
