"""The loss along a line through θ*: L(θ* + a·d) for many a at once, and the barrier between two runs' ends.

On the plane of two runs' ends (core.directions, kind "runs") a = −1 is θ_a and a = +1 is θ_b, so

    barrier = max over a ∈ [−1, 1] of L(θ* + a·d₁)  −  max(L(θ* − d₁), L(θ* + d₁))

the height the loss climbs above the higher of the two minima on the straight path between them (0 when the
loss is highest at an end: no barrier on the segment).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.directions import line_values
from explorer.core.expression import ERRORS
from explorer.core.model_fit import ModelProblem, block_rows

SEGMENT_POINTS = 401   # a's on [−1, 1] the barrier is sought over (a = −1, 0 and +1 among them)


def line_losses(problem: ModelProblem, centre, d, ts, rows: str = "train") -> np.ndarray:
    """The loss at θ* + t·d for every t of `ts` at once: "train" the training loss L (penalty included, as
    problem.value); "test" the mean data loss on the test rows (no penalty, as the metrics' test loss)."""
    if rows == "train":
        return line_values(problem, centre, d, ts)
    ts = np.asarray(ts, dtype=float).reshape(-1)
    points = problem.point(centre) + ts[:, None] * problem.point(d)
    X, y = problem._part(rows)
    out, step = np.empty(len(ts)), block_rows(problem)
    with np.errstate(**ERRORS):
        for i in range(0, len(points), step):   # blocks bound the copies' activations, as ModelObjective.values
            out[i:i + step] = problem.network.data_loss(points[i:i + step], X, y)
    return out


@dataclass(frozen=True)
class Barrier:
    """The highest loss on the segment a ∈ [−1, 1], where it is, and the ends' losses."""

    height: float          # highest − the higher end (≥ 0; nan where a loss is not finite)
    at: float              # a of the highest loss
    highest: float
    ends: tuple[float, float]   # L at a = −1 and a = +1


def barrier(problem: ModelProblem, centre, d, points: int = SEGMENT_POINTS) -> Barrier:
    """The barrier on the segment θ* + a·d, a ∈ [−1, 1] (module docstring), over `points` equally spaced a."""
    a = np.linspace(-1.0, 1.0, int(points))
    values = line_losses(problem, centre, d, a)
    ends = (float(values[0]), float(values[-1]))
    if not np.all(np.isfinite(values)):
        return Barrier(float("nan"), float("nan"), float("nan"), ends)
    i = int(np.argmax(values))
    return Barrier(float(values[i] - max(ends)), float(a[i]), float(values[i]), ends)
