"""The model library: linear, logistic, softmax and small networks (mlp), as losses of a flat θ.

A model is a stack of layers; layer k has weights Wk of shape (fan-in, fan-out) and biases bk:

    a₀ = X (rows × inputs),   a_k = act(a_{k−1} Wk + bk),   the last layer without act: z = the logits

`linear`, `logistic` and `softmax` are the network with no hidden layer; `mlp:16,16:relu` has two
hidden layers of 16 with relu. The target decides the output and the loss (`task_of`):
    binary      (0/1 target)        one logit, P(y=1) = σ(z),  mean BCE = mean(log(1 + eᶻ) − y·z)
    classes     (integers 0..K−1)   K logits, softmax,          mean CE  = mean(logsumexp(zᵢ) − z_{i,yᵢ})
    regression  (anything else)     one output,                 mean squared error = mean((z − y)²)
Both cross-entropies are computed from the logits (log-sum-exp with the row's max subtracted, and
numpy's logaddexp), so logits of ±1e4 give a finite loss and gradient. The penalty is
l2·Σw² + l1·Σ|w| over the weights of every Wk, never the biases. Every derivative comes from autograd,
also at the kinks: |w|'s derivative at w = 0 is 0, relu's (max(z, 0)) at z = 0 is ½.

The flat θ is the layout's arrays one after another, W1, b1, W2, b2, ..., each in numpy's row-major
order (θ[s:e].reshape(shape)): the command line's "parameters" JSON (name → nested lists of its
shape) and the window's labels W1[i,j] follow it.

Initialisation (`Network.initial(seed)`, numpy's default_rng(seed), reproducible from the seed):
linear, logistic and softmax start at zero (their losses are convex: zero is a fair start). An
mlp's weights are drawn layer by layer in layout order: He normal N(0, 2/fan-in) when its activation
is relu, Glorot uniform U(−a, a) with a = √(6/(fan-in + fan-out)) otherwise; biases start at zero.
"""
from __future__ import annotations

from dataclasses import dataclass

import autograd.numpy as anp
import numpy as np
from autograd.tracer import getval

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
KINDS = ("linear", "logistic", "softmax", "mlp")
TASKS = ("binary", "classes", "regression")
MAX_WIDTH = 1024
MAX_DEPTH = 8
MAX_CLASSES = 50   # an mlp reads integers 0..K−1 as classes only up to this K (else regression)


class ModelError(ValueError):
    """A model that cannot be built; one line, and `part` names the option at fault."""

    def __init__(self, message: str, part: str = "model"):
        super().__init__(message)
        self.part = part


@dataclass(frozen=True)
class ModelSpec:
    kind: str                      # one of KINDS
    widths: tuple[int, ...] = ()   # hidden widths (mlp only)
    activation: str = "tanh"       # one of ACTIVATIONS (mlp only)

    @property
    def text(self) -> str:
        """The canonical text: "linear", "softmax", "mlp:16,16:tanh"."""
        if self.kind != "mlp":
            return self.kind
        return f"mlp:{','.join(str(w) for w in self.widths)}:{self.activation}"


def parse_model(text: str) -> ModelSpec:
    """"linear", "logistic", "softmax", "mlp:4" (tanh) or "mlp:16,16:relu" as a ModelSpec."""
    parts = [p.strip() for p in str(text).strip().lower().split(":")]
    kind = parts[0]
    if kind not in KINDS:
        raise ModelError(f"unknown model '{text}' (choose from linear, logistic, softmax, mlp:W1[,W2...][:act])")
    if kind != "mlp":
        if len(parts) > 1:
            raise ModelError(f"'{kind}' takes no widths or activation: '{text}'")
        return ModelSpec(kind)
    if len(parts) < 2 or not parts[1]:
        raise ModelError(f"an mlp needs its hidden widths, e.g. mlp:16 or mlp:16,16:relu (got '{text}')")
    if len(parts) > 3:
        raise ModelError(f"a model is mlp:WIDTHS[:ACTIVATION], not '{text}'")
    widths = []
    for cell in parts[1].split(","):
        cell = cell.strip()
        if not cell.isdigit() or not 1 <= int(cell) <= MAX_WIDTH:
            raise ModelError(f"a hidden width is a whole number from 1 to {MAX_WIDTH}, not '{cell}' in '{text}'")
        widths.append(int(cell))
    if len(widths) > MAX_DEPTH:
        raise ModelError(f"at most {MAX_DEPTH} hidden layers, not {len(widths)} in '{text}'")
    activation = parts[2] if len(parts) == 3 else "tanh"
    if activation not in ACTIVATIONS:
        raise ModelError(f"unknown activation '{activation}' (choose from {', '.join(ACTIVATIONS)})")
    return ModelSpec("mlp", tuple(widths), activation)


def _integer_classes(y: np.ndarray) -> int | None:
    """K when y holds integers 0..K−1 only, else None."""
    if y.size == 0 or not np.all(y == np.round(y)) or y.min() < 0:
        return None
    return int(y.max()) + 1


def task_of(spec: ModelSpec, y) -> tuple[str, int]:
    """(task, number of outputs) for `spec` on the target `y` (module docstring). An mlp reads it from y:
    0/1 -> binary; integers 0..K−1 with K > 2 (at most MAX_CLASSES, every class present) -> classes;
    otherwise regression."""
    y = np.asarray(y, dtype=float).reshape(-1)
    if not np.all(np.isfinite(y)):
        raise ModelError("the target has values that are not finite numbers", "target")
    if spec.kind == "linear":
        return "regression", 1
    k = _integer_classes(y)
    if spec.kind == "logistic":
        if k is None or k > 2:
            raise ModelError("logistic regression needs a 0/1 target (use softmax for classes 0..K−1, "
                             "linear for numbers)", "target")
        return "binary", 1
    if spec.kind == "softmax":
        if k is None or k < 2:
            raise ModelError("softmax needs a target of whole numbers 0..K−1 with K >= 2 classes", "target")
        return "classes", k
    if k is not None and k <= 2 and set(np.unique(y)) <= {0.0, 1.0}:
        return "binary", 1
    if k is not None and 2 < k <= MAX_CLASSES and np.unique(y).size == k:
        return "classes", k
    return "regression", 1


TANH_FLAT = 40.0   # |z| from which tanh is held flat (module docstring: `_tanh`)


def _tanh(z):
    """tanh(z) with z clipped to ±TANH_FLAT: the same numbers (tanh(z) rounds to ±1 from |z| = 19.1 on, and its
    derivative 1/cosh²z < 1e-34 there), but autograd's second derivative, taken through cosh z (which overflows
    past |z| = 710), stays finite: without the clip a network's Hessian is nan once a pre-activation passes 710."""
    return anp.tanh(anp.clip(z, -TANH_FLAT, TANH_FLAT))


def sigmoid(z):
    return 0.5 * (_tanh(0.5 * z) + 1.0)   # σ(z) without exp overflow


_ACTIVATION_FUNCTIONS = {"tanh": _tanh, "relu": lambda z: anp.maximum(z, 0.0), "sigmoid": sigmoid,
                         "linear": None}
_KIND_TASKS = {"linear": ("regression",), "logistic": ("binary",), "softmax": ("classes",), "mlp": TASKS}


def _penalty_number(value, part: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ModelError(f"{part} must be a number, not '{value}'", part) from None
    if not (np.isfinite(number) and number >= 0):
        raise ModelError(f"{part} must be a finite number >= 0, not {value}", part)
    return number


class Network:
    """A model of `spec` on `n_inputs` features for `task` with `n_outputs` logits, and its penalties."""

    def __init__(self, spec: ModelSpec, n_inputs: int, task: str, n_outputs: int, l2: float = 0.0,
                 l1: float = 0.0):
        if parse_model(spec.text) != spec:   # a spec built by hand is checked as its text would be
            raise ModelError(f"not a model of the library: {spec}")
        tasks = _KIND_TASKS.get(spec.kind, ())
        if task not in tasks:
            raise ModelError(f"a {spec.kind} model cannot do {task} (it does {', '.join(tasks) or 'nothing'})")
        expected = n_outputs if task == "classes" else 1
        if n_inputs < 1 or n_outputs != expected or (task == "classes" and n_outputs < 2):
            raise ModelError(f"a {task} model on {n_inputs} inputs cannot have {n_outputs} outputs")
        self.spec, self.n_inputs, self.task, self.n_outputs = spec, int(n_inputs), task, int(n_outputs)
        self.l2, self.l1 = _penalty_number(l2, "l2"), _penalty_number(l1, "l1")
        sizes = (self.n_inputs, *spec.widths, self.n_outputs)
        self.layout: list[tuple[str, tuple[int, ...]]] = []
        self._layers = []   # per layer: (W start, W stop, W shape, b start, b stop)
        start = 0
        for k in range(1, len(sizes)):
            shape = (sizes[k - 1], sizes[k])
            self.layout += [(f"W{k}", shape), (f"b{k}", (sizes[k],))]
            w_stop = start + shape[0] * shape[1]
            self._layers.append((start, w_stop, shape, w_stop, w_stop + sizes[k]))
            start = w_stop + sizes[k]
        self.size = start
        self._weights = np.concatenate([np.arange(s, e) for s, e, *_ in self._layers])
        self._act = _ACTIVATION_FUNCTIONS[spec.activation]

    @property
    def labels(self) -> tuple[str, ...]:
        """One name per flat coordinate, in θ's order: "W1[0,0]", "W1[0,1]", ..., "b1[0]", ..."""
        out = []
        for name, shape in self.layout:
            out += [f"{name}[{','.join(str(i) for i in index)}]" for index in np.ndindex(*shape)]
        return tuple(out)

    def unflatten(self, theta) -> dict:
        """name -> array of its shape (slices of θ; autograd boxes stay on the tape)."""
        out, start = {}, 0
        for name, shape in self.layout:
            stop = start + int(np.prod(shape))
            out[name] = anp.reshape(theta[start:stop], shape)
            start = stop
        return out

    def as_lists(self, theta) -> dict[str, list]:
        """name -> nested lists of its shape: the command line's "parameters" JSON."""
        arrays = self.unflatten(np.asarray(theta, dtype=float))
        return {name: np.asarray(a, dtype=float).tolist() for name, a in arrays.items()}

    def flatten(self, arrays) -> np.ndarray:
        """The flat θ of name -> array (every name of the layout, each of its shape)."""
        parts = []
        for name, shape in self.layout:
            if name not in arrays:
                raise ModelError(f"the parameters have no '{name}'", "params")
            try:
                a = np.asarray(arrays[name], dtype=float)
            except (TypeError, ValueError):
                raise ModelError(f"'{name}' is not an array of numbers", "params") from None
            if not np.all(np.isfinite(a)):
                raise ModelError(f"'{name}' has values that are not finite numbers", "params")
            if a.shape != shape:
                raise ModelError(f"'{name}' has shape {list(a.shape)}, expected {list(shape)}", "params")
            parts.append(a.reshape(-1))
        extra = sorted(set(arrays) - {name for name, _ in self.layout})
        if extra:
            raise ModelError(f"the parameters have '{extra[0]}', which this model has not", "params")
        return np.concatenate(parts)

    def logits(self, theta, X):
        """z: (rows, n_outputs) for θ of shape (size,); for θ of shape (..., size), (..., rows, n_outputs)."""
        lead = anp.shape(theta)[:-1]
        a, last = X, len(self._layers) - 1
        for k, (ws, we, shape, bs, be) in enumerate(self._layers):
            if lead:
                w = anp.reshape(theta[..., ws:we], lead + shape)
                z = anp.matmul(a, w) + anp.expand_dims(theta[..., bs:be], -2)
            else:
                z = anp.dot(a, anp.reshape(theta[ws:we], shape)) + theta[bs:be]
            a = z if k == last or self._act is None else self._act(z)
        return a

    def _mean_loss(self, z, y):
        """The mean data loss over the rows axis (−2 of z) from the logits, stably (module docstring)."""
        if self.task == "binary":
            z = z[..., 0]
            return anp.mean(anp.logaddexp(0.0, z) - y * z, axis=-1)
        if self.task == "regression":
            r = z[..., 0] - y
            return anp.mean(r * r, axis=-1)
        m = np.max(getval(z), axis=-1, keepdims=True)   # a constant: logsumexp's value and gradient keep
        picked = anp.sum(z * _one_hot(y, self.n_outputs), axis=-1)
        lse = anp.log(anp.sum(anp.exp(z - m), axis=-1)) + m[..., 0]
        return anp.mean(lse - picked, axis=-1)

    def data_loss(self, theta, X, y):
        """The mean loss over the rows (a number; (...) for θ of shape (..., size)), differentiable."""
        return self._mean_loss(self.logits(theta, X), y)

    def penalty(self, theta):
        """l2·Σw² + l1·Σ|w| over every Wk's entries (not the biases)."""
        if not (self.l2 or self.l1):
            return 0.0
        w = theta[..., self._weights]
        out = 0.0
        if self.l2:
            out = out + self.l2 * anp.sum(w * w, axis=-1)
        if self.l1:
            out = out + self.l1 * anp.sum(anp.abs(w), axis=-1)
        return out

    def loss(self, theta, X, y):
        """data_loss + penalty: the objective trained."""
        return self.data_loss(theta, X, y) + self.penalty(theta)

    def probabilities(self, theta, X):
        """binary: P(y=1) (rows,); classes: softmax (rows, K); regression: None."""
        z = np.asarray(self.logits(np.asarray(theta, float), np.asarray(X, float)))
        if self.task == "binary":
            return np.asarray(sigmoid(z[:, 0]))
        if self.task == "classes":
            e = np.exp(z - z.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
        return None

    def predict(self, theta, X) -> np.ndarray:
        """binary: 0/1 (P >= 0.5); classes: the most probable class; regression: the output (rows,)."""
        z = np.asarray(self.logits(np.asarray(theta, float), np.asarray(X, float)))
        if self.task == "binary":
            return (z[:, 0] >= 0).astype(int)   # σ(z) >= 0.5 exactly when z >= 0
        if self.task == "classes":
            return np.argmax(z, axis=1)
        return z[:, 0]

    def initial(self, seed: int = 0) -> np.ndarray:
        """The documented start (module docstring): zeros, or Glorot uniform / He normal weights."""
        theta = np.zeros(self.size)
        if self.spec.kind != "mlp":
            return theta
        rng = np.random.default_rng(seed)
        for ws, we, (fan_in, fan_out), _, _ in self._layers:
            if self.spec.activation == "relu":
                theta[ws:we] = rng.normal(0.0, np.sqrt(2.0 / fan_in), fan_in * fan_out)
            else:
                a = np.sqrt(6.0 / (fan_in + fan_out))
                theta[ws:we] = rng.uniform(-a, a, fan_in * fan_out)
        return theta


def _one_hot(y, k: int) -> np.ndarray:
    y = np.asarray(y).astype(int)
    out = np.zeros(y.shape + (k,))
    np.put_along_axis(out, y[..., None], 1.0, axis=-1)
    return out
