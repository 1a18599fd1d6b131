"""A fit: a per-row loss averaged over a dataset's rows, as a function of named trained parameters.

    L(θ) = (1/n) Σᵢ ℓ(θ; rowᵢ)        e.g. ℓ = (w*X + b - Y)^2,  θ = (w, b)

The loss is parsed with the trained names and the column names as variables; every other free
name (`lam` in `... + lam*w^2`) is a parameter that needs a value (a slider, `--param lam=0.1`).
The data axis is the last one: trained parameters shaped (..., 1) broadcast against columns
shaped (rows,), and the mean is taken over that axis, so the loss of many parameter vectors is one
array expression. Every derivative comes from autograd.

The loss is evaluated as typed: log(1 + exp(z)) overflows to inf once z > 709, so a logistic loss typed
that way is finite only while |w·x + b| stays below ~700; softplus(z) and logsigmoid(z) never overflow.

A fit may instead be given as residuals (`residual=True`): the typed expression is the per-row
residual r (`a*exp(b*X) - Y`) and the loss is its square, ℓ = (r)^2, so L = (1/n) Σ rᵢ². Then
`residuals_and_jacobian` gives r over the rows and its Jacobian J (rows × trained), which
Gauss–Newton and Levenberg–Marquardt step with (core.least_squares), and `gauss_newton_matrix`
gives (2/n)·JᵀJ, the part of the loss's Hessian those methods keep.

Optionally a fit carries a model expression (`w*X + b`, `1/(1 + exp(-(w*X + b)))`), a target column
and feature columns: what the fit view draws (`fit_predictions`). The loss alone does not say what the
prediction is; unless chosen, the target is read from the loss and the features are the model's
columns (`fit_target`).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Mapping, Sequence

import autograd.numpy as anp
import numpy as np
from autograd.builtins import tuple as ag_tuple
from autograd.core import make_vjp
from autograd.tracer import getval

from explorer.core.calculus import PointCalculus, _tie
from explorer.core.data import Dataset
from explorer.core.expression import ERRORS, Expression, glued_name_hint, parse
from explorer.core.fit_names import FitError, parameter_number, slip, trained_names, used_names
from explorer.core.fit_target import ColumnChoiceError, checked_features, checked_target
from explorer.core.objective import Objective

BLOCK_ELEMENTS = 2**19   # numbers per block of a many-point evaluation (see fit_map)


class FitProblem:
    """A per-row loss over a dataset, the names trained, the other free names' values, and optionally
    a model, its target column and its feature columns (None: read from the loss and the model).
    Checked when built; immutable afterwards (`with_params` copies)."""

    def __init__(self, dataset: Dataset, loss: str | Expression, trained: str | Sequence[str],
                 params: Mapping[str, float] | None = None, model: str | Expression | None = None,
                 target: str | None = None, residual: bool = False, features: Sequence[str] | None = None):
        self.dataset = dataset
        self.is_residual = bool(residual)
        self.trained = trained_names(trained)
        self.dimension = len(self.trained)
        for name in self.trained:
            if name in dataset.columns:
                raise FitError(f"'{name}' is both a trained parameter and a column of the data: "
                               "give the parameter another name")
        self.variables = self.trained + dataset.columns
        self._used: dict[str, set[str]] = {}
        if self.is_residual:   # the typed text is r; the loss is its square
            self.residual = self._parse(loss)
            self.loss = self._parse(f"({self.residual.text})^2")
        else:
            self.residual = None
            self.loss = self._parse(loss)
        self.model = None if model is None else self._parse(model)
        self.chosen_features = self._chosen_features(features)
        self.chosen_target = target
        self.target = self._target(target)
        self.sliders = tuple(sorted(set(self.loss.parameters) | set(self.model.parameters if self.model else ())))
        given = dict(params or {})
        for name in self.sliders:
            if name not in given:
                raise FitError(f"'{name}' is neither a column of the data ({', '.join(dataset.columns)}), "
                               f"a trained parameter ({', '.join(self.trained)}) nor given a value",
                               name, self._slip(name))
        unused = [n for n in self.trained if n not in self._uses(self.loss)]
        if unused:
            raise FitError(f"the loss does not use the trained parameter '{unused[0]}'")
        # values for names the expressions do not use are ignored (a slider may outlive its use)
        self.params = {n: parameter_number(given[n], n) for n in self.sliders}
        self.loss_function = self.loss.bind(self.params)
        self.residual_function = self.residual.bind(self.params) if self.residual else None
        self.model_function = self.model.bind(self.params) if self.model else None
        self.column_arrays = tuple(np.asarray(dataset.column(c)) for c in dataset.columns)

    # ------------------------------------------------------------ checking

    def _parse(self, text: str | Expression) -> Expression:
        if isinstance(text, Expression):
            text = text.text
        return parse(text, self.variables)

    def _uses(self, expression: Expression) -> set[str]:
        uses = self._used.get(expression.text)
        if uses is None:
            uses = self._used[expression.text] = used_names(expression.text)
        return uses

    def _chosen_features(self, features: Sequence[str] | None) -> tuple[str, ...] | None:
        try:
            return checked_features(self.dataset, features, self._model_columns())
        except ColumnChoiceError as err:
            raise FitError(str(err), part=err.part) from None

    def _target(self, target: str | None) -> str | None:
        try:
            return checked_target(self.dataset, target, self.loss.text, self._uses(self.loss), self._model_columns(),
                                  self.chosen_features)
        except ColumnChoiceError as err:
            raise FitError(str(err), part=err.part) from None

    def _model_columns(self) -> set[str] | None:
        return None if self.model is None else self._uses(self.model) & set(self.dataset.columns)

    def _slip(self, name: str) -> str | None:
        return slip(name, self.dataset.columns, self.trained)

    @property
    def warnings(self) -> list[str]:
        """Notes on a loss that is legal but probably not meant."""
        out = []
        if not self._uses(self.loss) & set(self.dataset.columns):
            out.append("the loss uses no column of the data: every row gives the same value")
        elif self.target is not None and self.target not in self._uses(self.loss):
            out.append(f"the loss does not use the target column '{self.target}'")
        for name in self.trained:
            column = next((c for c in self.dataset.columns if c.lower() == name.lower()), None)
            if column:
                out.append(f"the trained parameter '{name}' and the column '{column}' differ only in case")
        for name in self.sliders:
            hint = glued_name_hint(name, self.variables)
            if hint:
                out.append(f"{name} is a parameter — did you mean {hint}?")
        return out

    @property
    def typed(self) -> Expression:
        """What the person typed: the residual of a least-squares fit, else the loss."""
        return self.residual if self.is_residual else self.loss

    def with_params(self, params: Mapping[str, float]) -> "FitProblem":
        """The same fit with other slider values."""
        return FitProblem(self.dataset, self.typed, self.trained, {**self.params, **params}, self.model,
                          self.chosen_target, self.is_residual, self.chosen_features)

    def with_dataset(self, dataset: Dataset) -> "FitProblem":
        """The same loss and model over other data (standardised, another seed, a loaded file)."""
        return FitProblem(dataset, self.typed, self.trained, self.params, self.model, self.chosen_target,
                          self.is_residual, self.chosen_features)

    # ------------------------------------------------------------ values

    @property
    def features(self) -> tuple[str, ...]:
        """The chosen feature columns, else the columns the model uses in the dataset's order (empty without
        a model)."""
        if self.chosen_features is not None:
            return self.chosen_features
        if self.model is None:
            return ()
        uses = self._uses(self.model)
        return tuple(c for c in self.dataset.columns if c in uses)

    def point(self, theta) -> np.ndarray:
        """θ as a float vector of the trained parameters' length (ValueError otherwise)."""
        p = np.asarray(theta, dtype=float).reshape(-1)
        if p.shape != (self.dimension,):
            raise ValueError(f"expected {self.dimension} values ({', '.join(self.trained)}), got {p.size}")
        return p

    def row_losses(self, theta) -> np.ndarray:
        """ℓ(θ; rowᵢ) for every row, shape (rows,)."""
        p = self.point(theta)
        values = self.loss_function(*p, *self.column_arrays)
        return np.broadcast_to(np.asarray(values, dtype=float), (self.dataset.rows,)).copy()

    def value(self, theta) -> float:
        """The mean loss L(θ)."""
        with np.errstate(**ERRORS):
            return float(np.mean(self.row_losses(theta)))

    def values(self, thetas) -> np.ndarray:
        """L at many parameter vectors at once: thetas (..., n) -> (...), plain numpy (no derivatives),
        data axis last, in blocks of about BLOCK_ELEMENTS numbers."""
        t = np.asarray(thetas, dtype=float)
        if t.shape[-1:] != (self.dimension,):
            raise ValueError(f"expected the last axis to hold {self.dimension} values ({', '.join(self.trained)})")
        flat = t.reshape(-1, self.dimension)
        out = np.empty(len(flat))
        step = max(1, BLOCK_ELEMENTS // self.dataset.rows)
        with np.errstate(**ERRORS):
            for i in range(0, len(flat), step):
                block = flat[i:i + step]
                rows = self.loss_function(*(block[:, k, None] for k in range(self.dimension)), *self.column_arrays)
                rows = np.broadcast_to(np.asarray(rows, float), (len(block), self.dataset.rows))
                out[i:i + step] = np.mean(rows, axis=-1)
        return out.reshape(t.shape[:-1])

    def residuals(self, theta) -> np.ndarray:
        """rᵢ(θ) for every row of a least-squares fit, shape (rows,)."""
        self._need_residual()
        p = self.point(theta)
        with np.errstate(**ERRORS):
            values = self.residual_function(*p, *self.column_arrays)
        return np.broadcast_to(np.asarray(values, dtype=float), (self.dataset.rows,)).copy()

    def residuals_and_jacobian(self, theta) -> tuple[np.ndarray, np.ndarray]:
        """r over the rows and J[i, k] = ∂rᵢ/∂θₖ, (rows,) and (rows, trained), from one reverse pass (`per_row`)."""
        self._need_residual()
        r, gradients = per_row(self.residual_function, self.point(theta), self.column_arrays, self.dataset.rows)
        return r.copy(), gradients.T.copy()

    def gauss_newton_matrix(self, theta) -> np.ndarray:
        """(2/n)·JᵀJ: the Hessian of L = (1/n) Σ rᵢ² without its Σ rᵢ∇²rᵢ term (module docstring)."""
        _, jac = self.residuals_and_jacobian(theta)
        with np.errstate(**ERRORS):
            return (2.0 / self.dataset.rows) * (jac.T @ jac)

    def _need_residual(self) -> None:
        if not self.is_residual:
            raise ValueError("this fit is given as a loss, not as residuals")

    def objective(self) -> "FitObjective":
        return FitObjective(self)


def per_row(fn, theta: np.ndarray, columns, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """fn(θ; rowᵢ) and ∇θ fn(θ; rowᵢ) for every row, (rows,) and (n, rows), from one reverse pass.

    Every row gets its own copy of θ (arrays of shape (rows,)), so the gradient of Σᵢ fnᵢ with respect to
    the copies is each row's own derivative: a row's value depends on its own copy only (the expression
    language has no sums across rows). No tie to the tape is needed: every trained name is used
    (FitProblem checks), so the values are always a (rows,) array on the tape."""
    stash = {}

    def total(thetas):
        stash["values"] = values = fn(*thetas, *columns)
        return anp.sum(values)

    with np.errstate(**ERRORS):
        vjp, _ = make_vjp(total, ag_tuple(tuple(np.full(rows, v) for v in theta)))
        gradients = vjp(np.float64(1.0))
    values = np.broadcast_to(np.asarray(getval(stash["values"]), dtype=float), (rows,))
    return values, np.array(gradients, dtype=float).reshape(len(theta), rows)


class FitCalculus(PointCalculus):
    """PointCalculus of the mean loss, a function of the trained parameters: value, gradient, n×n Hessian,
    eigen-pairs and class all come from PointCalculus; only the function differs."""

    def __init__(self, problem: FitProblem):
        self.problem = problem
        self.expression = problem.loss
        self.variables = problem.trained
        self.dimension = problem.dimension
        fn, columns, n = problem.loss_function, problem.column_arrays, problem.dimension

        def mean_loss(v):
            return _tie(anp.mean(fn(*(v[i] for i in range(n)), *columns)), v[0])

        self._f = mean_loss

    def batch_value_and_gradient(self, point, rows) -> tuple[float, np.ndarray]:
        """The mean loss over `rows` and its gradient: one forward and one reverse pass over those rows."""
        fn, n = self.problem.loss_function, self.dimension
        columns = tuple(c[rows] for c in self.problem.column_arrays)

        def batch_loss(v):
            return _tie(anp.mean(fn(*(v[i] for i in range(n)), *columns)), v[0])

        with np.errstate(**ERRORS):
            vjp, value = make_vjp(batch_loss, self._point(point))
            return float(value), np.asarray(vjp(np.float64(1.0)), dtype=float)

    def with_batch(self, point, rows) -> tuple[float, np.ndarray, float, np.ndarray]:
        """The full mean loss and gradient and those of the rows `rows`, from one pass: every row gets
        its own copy of θ, so the reverse pass gives each row's own gradient; the means follow."""
        losses, gradients = self.row_gradients(point)
        n, b = len(losses), len(rows)
        with np.errstate(**ERRORS):   # add.reduce: np.mean's own overhead is most of a step's bookkeeping
            return (float(np.add.reduce(losses)) / n, np.add.reduce(gradients, axis=1) / n,
                    float(np.add.reduce(losses[rows])) / b, np.add.reduce(gradients[:, rows], axis=1) / b)

    def row_gradients(self, point) -> tuple[np.ndarray, np.ndarray]:
        """ℓ(θ; rowᵢ) and ∇θ ℓ(θ; rowᵢ) for every row: (rows,) and (n, rows), one reverse pass.

        (`per_row`)."""
        problem = self.problem
        return per_row(problem.loss_function, self._point(point), problem.column_arrays, problem.dataset.rows)


class FitObjective(Objective):
    """What an optimizer walks on for a fit: an Objective (cache, evaluation counts) over θ in Rⁿ."""

    value_name = "L"   # its stop reasons say |∇L|, not |∇f|

    def __init__(self, problem: FitProblem):
        # not Objective.__init__: that builds a PointCalculus of an expression in its own variables
        self.problem = problem
        self.calculus = FitCalculus(problem)
        self.expression = problem.loss   # its variables are trained names and columns: see `variables`
        self._cache = OrderedDict()
        self.evaluations = {"value": 0, "gradient": 0, "hessian": 0}

    @property
    def variables(self) -> tuple[str, ...]:
        """The trained parameters: the coordinates of every point this objective takes."""
        return self.problem.trained

    @property
    def rows(self) -> int:
        """The rows of the data: what a full gradient costs (optimizers count rows)."""
        return self.problem.dataset.rows

    def batch_value_and_gradient(self, x, rows) -> tuple[float, np.ndarray]:
        """A mini-batch's mean loss and gradient at x (not cached: each step has its own batch)."""
        return self.calculus.batch_value_and_gradient(x, rows)

    def with_batch(self, x, rows) -> tuple[float, np.ndarray, float, np.ndarray]:
        """The full loss and gradient at x and a mini-batch's, from one reverse pass over the rows."""
        return self.calculus.with_batch(x, rows)

    def __getattr__(self, name):
        # residuals and their Jacobian exist only for a fit given as residuals (least_squares checks hasattr)
        if name in ("residuals", "residuals_and_jacobian") and self.__dict__["problem"].is_residual:
            return getattr(self.__dict__["problem"], name)
        raise AttributeError(name)

    def along(self, x, d):
        """φ(α) = L(x + α·d) for an array of α at once (rows on the last axis), differentiable by autograd."""
        x, d = np.asarray(x, dtype=float), np.asarray(d, dtype=float)
        fn, columns = self.problem.loss_function, self.problem.column_arrays
        return lambda alpha: anp.mean(fn(*(x[i] + alpha[..., None] * d[i] for i in range(len(x))), *columns),
                                      axis=-1)

    def values(self, points) -> np.ndarray:
        """L at many points at once, (M, n) -> (M,): plain numpy, no derivatives (for drawing; not counted)."""
        return self.problem.values(np.asarray(points, dtype=float).reshape(-1, self.problem.dimension))
