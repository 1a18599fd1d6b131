"""The loss along chosen directions: a 2-D slice L(θ* + a·d₁ + b·d₂) of a network's loss through a point θ*.

The directions (`plane_directions`, by `DirectionSpec.kind`):
    params   two parameters' unit vectors: the map of today (core.model_map draws it cheaper).
    random   two Gaussian directions of the seed, filter-normalised (Li et al. 2018): in every layer's W
             (fan-in × fan-out, a neuron is a column) each column of d is scaled to the norm of θ*'s same
             column; each bias vector of d is scaled to the norm of θ*'s bias vector (a zero bias vector
             gives a zero direction there). d₂ is NOT orthogonalised against d₁ (nor is it in Li et al.):
             in many dimensions two Gaussian draws are nearly orthogonal already.
    hessian  the Hessian's top two eigenvectors at θ* (Lanczos on Hessian-vector products, core.spectrum),
             unit vectors, each with its entry of largest |value| positive.
    pca      the two principal directions of a run's path, θ_t − θ_end (SVD): unit vectors, so a and b are
             distances in θ and the map is true to scale, each with its entry of largest |value| positive;
             the centre is then the run's end.
    runs     the line between two runs' end points: centre (θ_a + θ_b)/2, d₁ = (θ_b − θ_a)/2, so a = −1 is
             θ_a and a = +1 is θ_b; d₂ a filter-normalised random direction made orthogonal to d₁.

`DirectionSliceCalculus` is a SurfaceCalculus of (a, b) ↦ L(θ* + a·d₁ + b·d₂): the grid's θ's are built
as one (block, n) array and the network evaluated on all of them at once. The first layer is linear in
θ, so its pre-activations are X·W* + a·X·D₁ + b·X·D₂ (three products, once); the others are evaluated
per grid point. autograd gives the slice's 2×2 Hessian [dᵢᵀ H dⱼ] for the curvature colouring.
"""
from __future__ import annotations

from dataclasses import dataclass

import autograd.numpy as anp
import numpy as np

from explorer.core.model_fit import ModelProblem
from explorer.core.model_map import BlockedSlice
from explorer.core.spectrum import lanczos

KINDS = ("params", "random", "hessian", "pca", "runs")
CENTRES = ("run", "end", "init")     # the selected run's point on show, its end, the network's initial θ
AXIS_NAMES = ("a (d₁)", "b (d₂)")   # the map's axes over a plane of directions
HESSIAN_STEPS = 60                   # Lanczos steps for the top two eigenvectors, at most
HESSIAN_TOLERANCE = 1e-8             # ... stopping once the top two values move by less (relative) in a step


class DirectionError(ValueError):
    """Directions that cannot be made (one line)."""


@dataclass(frozen=True)
class DirectionSpec:
    """How the plane of a network's map is chosen (module docstring)."""

    kind: str = "random"
    seed: int = 0
    span: float = 1.0                       # the map shows a, b in [−span, span]
    centre: str = "run"                     # one of CENTRES (pca and runs choose their own)
    runs: tuple[int, int] = (0, 1)          # runs: the two runs' numbers; pca: runs[0] is not used (the selected)
    axes: tuple[str, str] | None = None     # params only: the two parameters (None: the fit's axes)

    def label(self) -> str:
        """What the plane is, in words: "filter-normalised random directions, seed 0"."""
        return {"params": "two parameters' axes" if self.axes is None else f"the axes {self.axes[0]}, {self.axes[1]}",
                "random": f"filter-normalised random directions, seed {self.seed}",
                "hessian": "the Hessian's top two eigenvectors",
                "pca": "the run's two principal directions (PCA of its path)",
                "runs": f"the line from run {self.runs[0] + 1}'s end (a = −1) to run {self.runs[1] + 1}'s (a = +1), "
                        f"random d₂ (seed {self.seed})"}[self.kind]


def check_spec(spec: DirectionSpec) -> DirectionSpec:
    """`spec` if it makes sense (DirectionError naming the part otherwise)."""
    if spec.kind not in KINDS:
        raise DirectionError(f"directions are one of {', '.join(KINDS)}, not '{spec.kind}'")
    if spec.centre not in CENTRES:
        raise DirectionError(f"the centre is one of {', '.join(CENTRES)}, not '{spec.centre}'")
    if not (np.isfinite(spec.span) and spec.span > 0):
        raise DirectionError(f"the span must be a number > 0, not {spec.span:g}")
    if len(spec.runs) != 2 or min(spec.runs) < 0 or spec.runs[0] == spec.runs[1]:
        raise DirectionError(f"the runs are two different run numbers, not {list(spec.runs)}")
    if spec.axes is not None and (len(spec.axes) != 2 or spec.axes[0] == spec.axes[1]):
        raise DirectionError("the axes need two different parameters")
    return spec


def filter_normalised(problem: ModelProblem, theta, d) -> np.ndarray:
    """d scaled neuron by neuron to θ's own norms: each column of each Wk to θ's column's norm, each bk to
    θ's bk's norm (a zero part of d stays zero)."""
    theta, d = problem.point(theta), np.array(d, dtype=float).reshape(-1)
    out = np.empty_like(d)
    for ws, we, shape, bs, be in problem.network._layers:
        w, dw = theta[ws:we].reshape(shape), d[ws:we].reshape(shape)
        norms = np.linalg.norm(dw, axis=0)
        scale = np.divide(np.linalg.norm(w, axis=0), norms, out=np.zeros_like(norms), where=norms > 0)
        out[ws:we] = (dw * scale).reshape(-1)
        norm = np.linalg.norm(d[bs:be])
        out[bs:be] = d[bs:be] * (np.linalg.norm(theta[bs:be]) / norm if norm > 0 else 0.0)
    return out


def random_direction(problem: ModelProblem, theta, rng: np.random.Generator) -> np.ndarray:
    """A Gaussian direction, filter-normalised at θ."""
    return filter_normalised(problem, theta, rng.normal(size=problem.dimension))


def signed(v: np.ndarray) -> np.ndarray:
    """v with its entry of largest |value| positive (eigen- and singular vectors have no sign of their own)."""
    return v if v[np.argmax(np.abs(v))] >= 0 else -v


def top_eigenvectors(problem: ModelProblem, theta, k: int = 2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(values, vectors (n, k)): the k largest eigenpairs of H(θ), largest first, by Lanczos (signed)."""
    n = problem.dimension
    # stops once the k largest Ritz values settle (about 16 products for the networks here, not HESSIAN_STEPS)
    ritz = lanczos(problem.objective().hvp_at(theta), n, min(n, HESSIAN_STEPS), seed, tolerance=HESSIAN_TOLERANCE,
                   watch=k).top(k)
    if not np.all(np.isfinite(ritz.values)):
        raise DirectionError("the Hessian at the centre is not finite: no eigenvectors there")
    return ritz.values, np.column_stack([signed(ritz.vectors[:, i]) for i in range(k)])


def pca_directions(path) -> tuple[np.ndarray, np.ndarray]:
    """The path's two principal directions of θ_t − θ_end (unit vectors, signed), and its end."""
    path = np.asarray(path, dtype=float)
    if path.ndim != 2 or len(path) < 3:
        raise DirectionError("PCA directions need a run of at least two steps")
    offsets = path - path[-1]
    _, s, vt = np.linalg.svd(offsets, full_matrices=False)
    if not s.size > 1 or not s[1] > 0:
        raise DirectionError("the run's path lies on a line: it has no second principal direction")
    return (signed(vt[0]), signed(vt[1])), path[-1]


def plane_centre(spec: DirectionSpec, shown, init, trajectories=()) -> np.ndarray:
    """θ*: the run's point on show, its end or the initial θ; pca: the run's end; runs: the two ends' midpoint."""
    if spec.kind == "runs":
        a, b = _run_ends(spec, trajectories)
        return 0.5 * (a + b)
    if spec.kind == "pca" or spec.centre == "end":
        if not len(trajectories):
            raise DirectionError("there is no run whose end could be the centre")
        return np.asarray(trajectories[0], dtype=float)[-1].copy()
    return np.array(init if spec.centre == "init" else shown, dtype=float)


def _run_ends(spec: DirectionSpec, trajectories) -> tuple[np.ndarray, np.ndarray]:
    i, j = spec.runs
    if max(i, j) >= len(trajectories):
        raise DirectionError(f"the line between runs needs runs {i + 1} and {j + 1}; there are {len(trajectories)}")
    return (np.asarray(trajectories[i], dtype=float)[-1], np.asarray(trajectories[j], dtype=float)[-1])


def plane_directions(problem: ModelProblem, spec: DirectionSpec, centre, trajectories=()) -> tuple:
    """(d₁, d₂) of `spec` through θ* = `centre` (module docstring). `trajectories`: pca reads trajectories[0]
    (the selected run's path), runs reads run i's and j's end (paths by run number)."""
    check_spec(spec)
    centre, n = problem.point(centre), problem.dimension
    if spec.kind == "params":
        names = spec.axes or problem.trained[:2]
        unknown = [a for a in names if a not in problem.trained]
        if unknown:
            raise DirectionError(f"'{unknown[0]}' is not a parameter of {problem.spec.text}")
        return tuple(np.eye(n)[problem.trained.index(a)] for a in names)
    if spec.kind == "random":
        rng = np.random.default_rng(spec.seed)
        d1 = random_direction(problem, centre, rng)
        d2 = random_direction(problem, centre, rng)
        if not (np.any(d1) and np.any(d2)):
            raise DirectionError("filter normalisation at a θ of zeros gives zero directions: centre it elsewhere")
        return d1, d2
    if spec.kind == "hessian":
        _, vectors = top_eigenvectors(problem, centre, 2, spec.seed)
        return vectors[:, 0].copy(), vectors[:, 1].copy()
    if spec.kind == "pca":
        if not len(trajectories):
            raise DirectionError("PCA directions need a run's path")
        return pca_directions(trajectories[0])[0]
    a, b = _run_ends(spec, trajectories)
    d1 = 0.5 * (b - a)
    if not np.any(d1):
        raise DirectionError(f"runs {spec.runs[0] + 1} and {spec.runs[1] + 1} end at the same point")
    d2 = random_direction(problem, centre, np.random.default_rng(spec.seed))
    d2 = d2 - (d2 @ d1) / (d1 @ d1) * d1     # orthogonal to the line between the ends
    return d1, d2


class DirectionSliceCalculus(BlockedSlice):
    """L(θ* + a·d₁ + b·d₂) as a surface of (a, b), evaluated for whole blocks of the grid at once."""

    def __init__(self, problem: ModelProblem, centre, d1, d2, rows=None):
        """`rows`: indices into the training rows (a mini-batch's landscape); None: every training row."""
        self.problem, self.expression = problem, None
        self.centre = problem.point(centre).copy()
        self.d1, self.d2 = problem.point(d1).copy(), problem.point(d2).copy()
        network = self._network = problem.network
        X, self._y = problem.X_train, problem.y_train
        if rows is not None:
            rows = np.asarray(rows, dtype=np.intp).reshape(-1)
            X, self._y = X[rows], self._y[rows]
        ws, we, shape, bs, be = network._layers[0]
        # the first layer is linear in θ: X·W(θ* + a d₁ + b d₂) + b(...) = Z₀ + a·Z₁ + b·Z₂
        self._z = np.array([X @ v[ws:we].reshape(shape) + v[bs:be] for v in (self.centre, self.d1, self.d2)])
        self._z_shape = self._z.shape[1:]
        self._z = self._z.reshape(3, -1)    # one matrix product (1, a, b)·Z per block: no broadcast temporaries
        widths = [shape[1] for _, _, shape, _, _ in network._layers]
        self._per_point = len(self._y) * max(2, *widths) + problem.dimension
        basis = np.array([self.d1, self.d2])
        self._gram = basis @ basis.T
        self._basis = basis
        self._fn = self._loss

    def _loss(self, A, B):
        A, B = anp.expand_dims(A, -1), anp.expand_dims(B, -1)
        theta = self.centre + A * self.d1 + B * self.d2                          # (..., n)
        coefficients = anp.concatenate([anp.ones(anp.shape(A)), A, B], axis=-1)   # (..., 3)
        z = anp.reshape(anp.matmul(coefficients, self._z), anp.shape(A)[:-1] + self._z_shape)   # (..., rows, fan-out)
        network, lead = self._network, anp.shape(theta)[:-1]
        for ws, we, shape, bs, be in network._layers[1:]:   # the act of every layer but the last
            a = z if network._act is None else network._act(z)
            w = anp.reshape(theta[..., ws:we], lead + shape)
            z = anp.matmul(a, w) + anp.expand_dims(theta[..., bs:be], -2)
        return network._mean_loss(z, self._y) + network.penalty(theta)

    def point(self, a: float, b: float) -> np.ndarray:
        """θ* + a·d₁ + b·d₂."""
        return self.centre + float(a) * self.d1 + float(b) * self.d2

    def project(self, points) -> np.ndarray:
        """(..., n) -> (..., 2): the least-squares (a, b) of θ − θ* on (d₁, d₂) (G = DDᵀ, (a, b) = G⁻¹ D(θ − θ*))."""
        offsets = np.asarray(points, dtype=float) - self.centre
        right = offsets @ self._basis.T
        return np.linalg.lstsq(self._gram, right.reshape(-1, 2).T, rcond=None)[0].T.reshape(right.shape)


def line_values(problem: ModelProblem, centre, d, ts) -> np.ndarray:
    """L(θ* + t·d) for every t of `ts` at once (the barrier between two runs' ends: d = θ_b − θ_a)."""
    ts = np.asarray(ts, dtype=float).reshape(-1)
    return problem.values(problem.point(centre) + ts[:, None] * problem.point(d))
