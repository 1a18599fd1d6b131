"""A model from the library fitted to a dataset's rows: its training objective, held-out part and metrics.

    L(θ) = (1/n) Σ_{i ∈ train} ℓ(θ; xᵢ, yᵢ) + l2·Σw² + l1·Σ|w|      (core.network: ℓ, the penalty, θ's layout)

Only the training rows enter L (and its gradient); the test rows are for judging (`metrics`). With
`standardise` every feature is shifted and scaled by the mean and the population standard deviation
(ddof = 0) of its training rows, and the test rows by the same numbers, so nothing of the test part
leaks into training.

`ModelObjective` is what optimizers walk on. Mini-batches: a step's gradient is its batch's only;
the state's value is still the whole training loss (one forward pass, no derivative), and the
state's gradient slot holds the batch's gradient, since the full gradient is never computed
(`full_gradient_with_batches` is False): such a run stops at its step limit (or when it diverges),
never on |∇L|. The Hessian is formed (by autograd) only up to HESSIAN_LIMIT parameters; above it
Newton's methods are refused and a run's records and stop reasons say the Hessian was not computed;
`hessian_vector_product` gives H·v at any size without forming H (for spectra of large models).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Mapping, Sequence

import autograd.numpy as anp
import numpy as np
from autograd import grad
from autograd.core import make_vjp
from autograd.differential_operators import make_hvp

from explorer.core.calculus import PointCalculus
from explorer.core.data import Dataset
from explorer.core.expression import ERRORS
from explorer.core.metrics import metrics_for
from explorer.core.network import ModelError, ModelSpec, Network, parse_model, task_of
from explorer.core.objective import Objective
from explorer.core.split import Split

HESSIAN_LIMIT = 64          # parameters up to which a Hessian is formed (n² numbers; ModelCalculus.derivatives)
BLOCK_ELEMENTS = 2**21      # hidden activations per block of a many-θ evaluation (`values`, the Hessian's rows)


class ModelProblem:
    """A model `spec` predicting `target` from `features` of `dataset`, penalised by l2 and l1, trained on
    the split's training rows (every row without a split). Checked when built; immutable afterwards."""

    def __init__(self, dataset: Dataset, spec: ModelSpec | str, target: str, features: Sequence[str],
                 l2: float = 0.0, l1: float = 0.0, split: Split | None = None, standardise: bool = False):
        self.dataset = dataset
        self.spec = spec if isinstance(spec, ModelSpec) else parse_model(spec)
        self.target, self.features = self._columns(dataset, target, features)
        self.split, self.standardise = split, bool(standardise)
        X = np.column_stack([np.asarray(dataset.column(c), dtype=float) for c in self.features])
        y = np.asarray(dataset.column(self.target), dtype=float)
        if not np.all(np.isfinite(X)):
            raise ModelError("a feature column has values that are not finite numbers", "features")
        train = np.arange(dataset.rows) if split is None else np.asarray(split.train, dtype=int)
        test = np.arange(0) if split is None else np.asarray(split.test, dtype=int)
        if (train.size == 0 or train.size + test.size != dataset.rows
                or np.union1d(train, test).tolist() != list(range(dataset.rows))):
            raise ModelError(f"the split does not share the data's {dataset.rows} rows between train and test",
                             "split")
        self.task, outputs = task_of(self.spec, y)
        self.classes = outputs if self.task == "classes" else None
        self.standardisation = None
        if self.standardise:
            mean, std = X[train].mean(axis=0), X[train].std(axis=0)
            flat = [c for c, s in zip(self.features, std) if not s > 0]
            if flat:
                raise ModelError(f"'{flat[0]}' is constant on the training rows: it cannot be standardised",
                                 "standardise")
            X = (X - mean) / std
            self.standardisation = {"columns": list(self.features), "mean": mean.tolist(), "std": std.tolist()}
        if self.task != "regression":
            y = y.astype(int)
        self.X_train, self.y_train, self.X_test, self.y_test = X[train], y[train], X[test], y[test]
        self.network = Network(self.spec, len(self.features), self.task, outputs, l2, l1)
        self.dimension = self.network.size
        self.trained = self.network.labels

    @staticmethod
    def _columns(dataset: Dataset, target: str, features: Sequence[str]) -> tuple[str, tuple[str, ...]]:
        if target not in dataset.columns:
            raise ModelError(f"no column '{target}' for the target (columns: {', '.join(dataset.columns)})", "target")
        features = tuple(features)
        if not features:
            raise ModelError("a model needs at least one feature column", "features")
        for name in features:
            if name not in dataset.columns:
                raise ModelError(f"no column '{name}' for a feature (columns: {', '.join(dataset.columns)})",
                                 "features")
            if name == target:
                raise ModelError(f"'{name}' is the target: it cannot also be a feature", "features")
        if len(set(features)) != len(features):
            raise ModelError("a feature column is named twice", "features")
        return target, features

    # as FitProblem's, where the window reads a fit: no notes, no typed model to draw, not residuals
    warnings: tuple[str, ...] = ()
    model = None
    is_residual = False

    def values(self, points) -> np.ndarray:
        """L at many θ at once, (M, n) -> (M,) (ModelObjective.values)."""
        return ModelObjective(self).values(points)

    @property
    def l2(self) -> float:
        return self.network.l2

    @property
    def l1(self) -> float:
        return self.network.l1

    def with_penalties(self, l2: float | None = None, l1: float | None = None) -> "ModelProblem":
        """The same model and data with other penalties."""
        return ModelProblem(self.dataset, self.spec, self.target, self.features, self.l2 if l2 is None else l2,
                            self.l1 if l1 is None else l1, self.split, self.standardise)

    def with_params(self, params: Mapping[str, float]) -> "ModelProblem":
        """The same model with other values of its settings by name (l2, l1): what a slider changes."""
        unknown = sorted(set(params) - {"l2", "l1"})
        if unknown:
            raise ModelError(f"a model has no setting '{unknown[0]}' (it has l2, l1)", unknown[0])
        return self.with_penalties(params.get("l2"), params.get("l1"))

    def point(self, theta) -> np.ndarray:
        p = np.asarray(theta, dtype=float).reshape(-1)
        if p.shape != (self.dimension,):
            raise ValueError(f"expected {self.dimension} parameter values for {self.spec.text}, got {p.size}")
        return p

    def _part(self, rows: str) -> tuple[np.ndarray, np.ndarray]:
        if rows == "train":
            return self.X_train, self.y_train
        if rows == "test":
            if not len(self.y_test):
                raise ValueError("there is no test part (a test fraction of 0)")
            return self.X_test, self.y_test
        raise ValueError(f"rows are 'train' or 'test', not '{rows}'")

    def value(self, theta) -> float:
        """L(θ) on the training rows, penalty included."""
        with np.errstate(**ERRORS):
            return float(self.network.loss(self.point(theta), self.X_train, self.y_train))

    def data_loss(self, theta, rows: str = "train") -> float:
        """The mean loss without the penalty on the training or the test rows."""
        X, y = self._part(rows)
        with np.errstate(**ERRORS):
            return float(self.network.data_loss(self.point(theta), X, y))

    def metrics(self, theta) -> dict:
        """{"train": {...}, "test": {...}}: the data loss and the task's metrics (core.metrics) on each part;
        "test" is {} without a test part."""
        p = self.point(theta)
        out = {}
        for part in ("train", "test"):
            X, y = (self.X_train, self.y_train) if part == "train" else (self.X_test, self.y_test)
            if not len(y):
                out[part] = {}
                continue
            with np.errstate(**ERRORS):
                prediction = (self.network.probabilities(p, X) if self.task != "regression"
                              else self.network.predict(p, X))
                out[part] = {"loss": float(self.network.data_loss(p, X, y)),
                             **metrics_for(self.task, y, prediction, self.classes)}
        return out

    def step_record(self, theta, value: float, step: int) -> dict:
        """What a state reports (the command line's steps, the window's metrics): the objective `value` (penalty
        included), the data loss on the training rows and the metrics of both parts, from one pass over each."""
        metrics = self.metrics(theta)
        return {"step": int(step), "loss": float(value), "data_loss": metrics["train"]["loss"], **metrics}

    def initial(self, seed: int = 0) -> np.ndarray:
        """The network's documented start (core.network)."""
        return self.network.initial(seed)

    def objective(self) -> "ModelObjective":
        return ModelObjective(self)


class ModelCalculus(PointCalculus):
    """PointCalculus of L(θ): value, gradient, Hessian (autograd, reverse over reverse) and the class."""

    def __init__(self, problem: ModelProblem):
        self.problem = problem
        self.expression = None
        self.variables = problem.trained
        self.dimension = problem.dimension
        network, X, y = problem.network, problem.X_train, problem.y_train
        self._f = lambda theta: network.loss(theta, X, y)

    def _point(self, point) -> np.ndarray:
        return self.problem.point(point)

    def derivatives(self, point):
        """Value, gradient and Hessian by autograd: the Hessian is the Jacobian of the gradient, its rows in
        blocks (`block_jacobian`)."""
        if self.dimension > HESSIAN_LIMIT:
            raise HessianNotFormed(hessian_note(self.dimension))
        p = self._point(point)
        with np.errstate(**ERRORS):
            hessian = block_hessian(self.problem, self.problem.network.loss, p)
            vjp, value = make_vjp(self._f, p)
            return float(value), np.asarray(vjp(np.float64(1.0)), dtype=float), hessian


def block_rows(problem: ModelProblem) -> int:
    """Copies of θ per block of a batched evaluation: BLOCK_ELEMENTS hidden activations at most."""
    widest = max((*problem.spec.widths, problem.network.n_outputs))
    return max(1, BLOCK_ELEMENTS // (len(problem.y_train) * widest))


def block_jacobian(f, p: np.ndarray, outputs: int, step: int) -> np.ndarray:
    """The (outputs, n) Jacobian at p of f: Rⁿ → R^outputs, where f maps copies (M, n) to (M, outputs), by
    autograd, reverse passes over a batched forward: with copies Θᵢ = p, ∂/∂Θᵢ Σⱼ fⱼ(Θⱼ)·[j = i] = ∇fᵢ(p),
    so one pass gives a block of `step` rows (blocks bound memory), not one traversal of the tape per row."""
    p = np.asarray(p, dtype=float)
    out = np.empty((outputs, p.size))
    for start in range(0, outputs, step):
        rows = np.arange(start, min(outputs, start + step))
        pick = np.zeros((len(rows), outputs))
        pick[np.arange(len(rows)), rows] = 1.0
        out[rows] = grad(lambda copies: anp.sum(f(copies) * pick))(np.tile(p, (len(rows), 1)))
    return out


def block_hessian(problem: ModelProblem, loss, p: np.ndarray) -> np.ndarray:
    """The dense Hessian at p of loss(θ, X_train, y_train) (batched over θ's leading axes, as Network.loss):
    the Jacobian of the per-copy gradient, reverse over reverse (`block_jacobian`)."""
    X, y = problem.X_train, problem.y_train
    per_copy_gradient = grad(lambda copies: anp.sum(loss(copies, X, y)))
    return block_jacobian(per_copy_gradient, p, problem.dimension, block_rows(problem))


class HessianNotFormed(ValueError):
    """The model has more parameters than HESSIAN_LIMIT: its Hessian is not formed."""


def hessian_note(dimension: int) -> str | None:
    """Why the Hessian of a model with `dimension` parameters is not computed (None: it is)."""
    if dimension <= HESSIAN_LIMIT:
        return None
    return f"Hessian not computed ({dimension:,} parameters; it is formed up to {HESSIAN_LIMIT})"


class ModelObjective(Objective):
    """What an optimizer walks on for a model: L over θ in Rⁿ, cached and counted (core.objective)."""

    value_name = "L"
    full_gradient_with_batches = False   # a mini-batched state holds its batch's gradient (module docstring)

    def __init__(self, problem: ModelProblem):
        # not Objective.__init__: that builds a PointCalculus of an expression
        self.problem, self.network = problem, problem.network
        self.calculus = ModelCalculus(problem)
        self.expression = None
        self._cache = OrderedDict()
        self.evaluations = {"value": 0, "gradient": 0, "hessian": 0}
        self._loss = self.calculus._f

    @property
    def variables(self) -> tuple[str, ...]:
        return self.problem.trained

    @property
    def dimension(self) -> int:
        return self.problem.dimension

    @property
    def rows(self) -> int:
        """The training rows: what a full gradient costs; batches index them (0..rows−1)."""
        return len(self.problem.y_train)

    def hessian_note(self) -> str | None:
        return hessian_note(self.dimension)

    def value(self, x) -> float:
        self.evaluations["value"] += 1
        return self.problem.value(x)

    def value_and_gradient(self, x) -> tuple[float, np.ndarray]:
        """One forward and one reverse pass over the training rows."""
        p = self.problem.point(x)
        hit = self._cache.get(p.tobytes())
        if hit is not None:
            return hit[0], hit[1].copy()
        self.evaluations["gradient"] += 1
        with np.errstate(**ERRORS):
            vjp, value = make_vjp(self._loss, p)
            return float(value), np.asarray(vjp(np.float64(1.0)), dtype=float)

    def derivatives(self, x):
        """Value, gradient and Hessian (autograd) up to HESSIAN_LIMIT parameters; HessianNotFormed above."""
        if self.dimension > HESSIAN_LIMIT:
            raise HessianNotFormed(self.hessian_note())
        return super().derivatives(x)

    def hessian_vector_product(self, x, v) -> np.ndarray:
        """H(x)·v without forming H (any number of parameters): ∇(∇L·v), autograd reverse over reverse."""
        p, v = self.problem.point(x), np.asarray(v, dtype=float)
        gradient = grad(self._loss)
        with np.errstate(**ERRORS):
            return np.asarray(grad(lambda theta: anp.dot(gradient(theta), v))(p), dtype=float)

    def hvp_at(self, x):
        """v ↦ H(x)·v for many v at one point: the gradient's tape is recorded once, and each product is one
        reverse pass over it (autograd's make_hvp), about the cost of two gradients."""
        with np.errstate(**ERRORS):
            product, _ = make_hvp(self._loss)(self.problem.point(x))

        def hvp(v):
            with np.errstate(**ERRORS):
                return np.asarray(product(np.asarray(v, dtype=float)), dtype=float)

        return hvp

    def batch_value_and_gradient(self, x, rows) -> tuple[float, np.ndarray]:
        """The batch's mean loss (penalty included) and its gradient: passes over those rows only."""
        X, y, network = self.problem.X_train[rows], self.problem.y_train[rows], self.network
        with np.errstate(**ERRORS):
            vjp, value = make_vjp(lambda theta: network.loss(theta, X, y), self.problem.point(x))
            return float(value), np.asarray(vjp(np.float64(1.0)), dtype=float)

    def with_batch(self, x, rows) -> tuple[float, np.ndarray, float, np.ndarray]:
        """The whole training loss (a forward pass, no gradient) and the batch's loss and gradient; the
        gradient slot holds the batch's (module docstring)."""
        batch_loss, batch_gradient = self.batch_value_and_gradient(x, rows)
        return self.problem.value(x), batch_gradient, batch_loss, batch_gradient

    def along(self, x, d):
        """φ(α) = L(x + α·d) for an array of α at once, differentiable by autograd."""
        x, d = np.asarray(x, dtype=float), np.asarray(d, dtype=float)
        network, X, y = self.network, self.problem.X_train, self.problem.y_train
        return lambda alpha: network.loss(x + anp.expand_dims(alpha, -1) * d, X, y)

    def values(self, points) -> np.ndarray:
        """L at many θ at once, (M, n) -> (M,): plain numpy in blocks (for maps; not counted)."""
        p = np.asarray(points, dtype=float).reshape(-1, self.dimension)
        step = block_rows(self.problem)
        out = np.empty(len(p))
        network, X, y = self.network, self.problem.X_train, self.problem.y_train
        with np.errstate(**ERRORS):
            for i in range(0, len(p), step):
                out[i:i + step] = network.loss(p[i:i + step], X, y)
        return out
