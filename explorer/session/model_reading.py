"""What the session reads of a network's fit: metrics per state, the model's summary for the inspector, and
the decision grid behind the data (Qt-free; every number from the core).

A mixin of `Session` (explorer.session.model). Metrics of a state are two forward passes (train and test
rows), cached per run and state; the summary's extreme Hessian eigenvalues come from Lanczos on autograd
Hessian-vector products above HESSIAN_LIMIT parameters (core.spectrum), never forming H.
"""
from __future__ import annotations

import weakref

import numpy as np

from explorer.core.expression import ERRORS
from explorer.core.methods import BFGS_LIMIT
from explorer.core.model_fit import HESSIAN_LIMIT, ModelProblem, hessian_note
from explorer.core.spectrum import extreme_eigenvalues

DECISION_PAD = 0.1   # the decision grid's extent: the data's, padded by this share of its span on each side
HESSIAN_METHODS = ("newton", "damped-newton")


def method_refusal(method: str, dimension: int) -> str | None:
    """Why a network of `dimension` parameters cannot take `method`, in one line (None: it can)."""
    if method in HESSIAN_METHODS and dimension > HESSIAN_LIMIT:
        return f"{method} needs the Hessian: {hessian_note(dimension)}; choose a method of gradients only"
    if method == "bfgs" and dimension > BFGS_LIMIT:
        return (f"bfgs keeps an n×n matrix at every step: at most {BFGS_LIMIT:,} parameters, not {dimension:,} "
                "(cg and the first-order methods keep vectors only)")
    return None


class ModelReadings:
    @property
    def model_problem(self) -> ModelProblem | None:
        """The network's fit on show (None for a surface, a field or a typed fit)."""
        problem = self.problem if self.setup.fit is not None and self.setup.fit.network is not None else None
        return problem if isinstance(problem, ModelProblem) else None

    def run_metrics(self, run_index: int | None = None) -> list[dict]:
        """Per computed state of run `run_index` (default the selected one): {"step", "loss" (the objective,
        penalty included), "data_loss", "train": {...}, "test": {...}} (core.model_fit.ModelProblem.metrics);
        [] without a network or a run."""
        problem = self.model_problem
        index = self.selected if run_index is None else run_index
        if problem is None or not 0 <= index < len(self.runs):
            return []
        run = self.runs[index]
        cache = _metrics_cache.setdefault(run, {})
        out = []
        for t in range(len(run.states)):
            if t not in cache:
                cache[t] = problem.step_record(run.states[t].point, run.states[t].value, t)
            out.append(cache[t])
        return out

    def step_metrics(self) -> dict | None:
        """The metrics of the selected run's state on show (None without a network or a run)."""
        problem, run = self.model_problem, self.selected_run()
        if problem is None or run is None:
            return None
        cache = _metrics_cache.setdefault(run, {})
        t = run.position
        if t not in cache:
            cache[t] = problem.step_record(run.states[t].point, run.states[t].value, t)
        return cache[t]

    def model_summary(self) -> dict | None:
        """For the inspector, at the selected run's state on show (else the start of new runs):
        {"parameters": n, "norms": {W1: ‖W1‖, b1: ...} (Frobenius), "gradient_norm": ‖∇L‖,
        "hessian_extremes": (λmin, λmax) — exact up to HESSIAN_LIMIT parameters, Lanczos on Hessian-vector
        products above —, "hessian_exact": bool}.
        None without a network."""
        work = self.model_summary_work()
        return work() if work is not None else self.cached_model_summary()

    def model_summary_work(self):
        """None when the summary of the state on show is at hand (or there is no network); else a function
        that computes and keeps it. The function shares nothing with the session (its own objective over the
        immutable problem, a copy of θ), so it may run off the window's thread."""
        problem, theta, key = self._summary_point()
        if problem is None or self.cached_model_summary() is not None:
            return None

        def work() -> dict:
            value = summary_of(problem, theta)
            _summaries["last"] = (key, value)   # one assignment: a reader sees the old pair or the new
            return value

        return work

    def cached_model_summary(self) -> dict | None:
        """The summary of the state on show if it has been computed, else None (nothing is computed here)."""
        problem, _, key = self._summary_point()
        last = _summaries.get("last")
        return last[1] if problem is not None and last is not None and last[0] == key else None

    def _summary_point(self):
        problem = self.model_problem
        if problem is None:
            return None, None, None
        run = self.selected_run()
        theta = np.array(run.current.point if run is not None else self.setup.default_start, dtype=float)
        return problem, theta, (id(problem), theta.tobytes())

    def decision_held(self) -> dict[str, float]:
        """Where the decision region holds the features after the first two: each at its training rows' mean (in
        its own units); {} with one or two features."""
        problem = self.model_problem
        if problem is None or len(problem.features) <= 2:
            return {}
        return _training_means(problem, problem.features[2:])

    def decision_grid(self, n: int = 120):
        """(xs, ys, values, kind) over the two features' plane at the state on show: kind "probability" (a binary
        target's P(y=1)), "class" (K classes: the most probable) or "prediction" (regression); values[i, j] at
        (xs[i], ys[j]), in the features' own units (standardised inside when the fit standardises). The extent
        is the data's, padded by DECISION_PAD. With one feature: (xs, None, values, kind), a curve. With more than
        two, the plane of the first two, the others held at `decision_held()`. None without a network."""
        problem = self.model_problem
        if problem is None:
            return None
        run = self.selected_run()
        theta = np.asarray(run.current.point if run is not None else self.setup.default_start, dtype=float)
        columns = [np.asarray(problem.dataset.column(c), dtype=float) for c in problem.features[:2]]
        axes = [_padded(c, n) for c in columns]
        if len(axes) == 1:
            X = axes[0][:, None]
        else:
            A, B = np.meshgrid(axes[0], axes[1], indexing="ij")
            held = [np.full(A.size, v) for v in self.decision_held().values()]
            X = np.column_stack([A.ravel(), B.ravel(), *held])
        values, kind = model_outputs(problem, theta, X)
        if len(axes) == 1:
            return axes[0], None, values, kind
        return axes[0], axes[1], values.reshape(len(axes[0]), len(axes[1])), kind


def _training_means(problem: ModelProblem, names) -> dict[str, float]:
    rows = np.arange(problem.dataset.rows) if problem.split is None else np.asarray(problem.split.train, dtype=int)
    return {c: float(np.mean(np.asarray(problem.dataset.column(c), dtype=float)[rows])) for c in names}


def model_outputs(problem: ModelProblem, theta, X) -> tuple[np.ndarray, str]:
    """The network's output at feature rows X (in the data's units): P(y=1), the class, or the prediction."""
    if problem.standardisation is not None:
        X = (X - np.asarray(problem.standardisation["mean"])) / np.asarray(problem.standardisation["std"])
    network = problem.network
    with np.errstate(**ERRORS):
        if problem.task == "binary":
            return network.probabilities(theta, X), "probability"
        if problem.task == "classes":
            return network.predict(theta, X).astype(float), "class"
        return network.predict(theta, X), "prediction"


def _padded(column: np.ndarray, n: int) -> np.ndarray:
    low, high = float(np.min(column)), float(np.max(column))
    pad = DECISION_PAD * (high - low) if high > low else 1.0
    return np.linspace(low - pad, high + pad, int(n))


_metrics_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()   # run -> {state index: metrics}
_summaries: dict = {}   # the last summary: the inspector asks again at every repaint


def summary_of(problem: ModelProblem, theta: np.ndarray) -> dict:
    """model_summary's numbers at θ, from an objective of its own."""
    objective = problem.objective()
    network = problem.network
    with np.errstate(**ERRORS):
        _, gradient = objective.value_and_gradient(theta)
        norms = {name: float(np.linalg.norm(a)) for name, a in network.unflatten(theta).items()}
        exact = problem.dimension <= HESSIAN_LIMIT
        if exact:
            eigenvalues = np.linalg.eigvalsh(objective.derivatives(theta)[2])
            extremes = (float(eigenvalues[0]), float(eigenvalues[-1]))
        else:
            extremes = extreme_eigenvalues(lambda v: objective.hessian_vector_product(theta, v), problem.dimension)
    return {"parameters": problem.dimension, "norms": norms, "gradient_norm": float(np.linalg.norm(gradient)),
            "hessian_extremes": extremes, "hessian_exact": exact}
