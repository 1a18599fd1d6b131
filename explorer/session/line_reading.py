"""The loss along the map's two lines through θ* (1-D slices), for the model pane's Line view (Qt-free; every number
from core.model_line).

With a plane of directions (session.direction_commands) the lines are θ* + a·d₁ and θ* + a·d₂, a ∈ [−span, span];
without one (two parameters on the map) they follow the map's two parameter axes through the held θ, a ∈ ±half
the map's wider side. The curves are cached by (problem, θ*, d₁, d₂, span), the last LINE_CACHE of them;
`line_work(session)` gives a function that shares nothing with the session (the immutable problem, copies of
the vectors), so the window may run it off its thread. The markers (the point on show projected onto each line)
are two evaluations, made at every reading.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np

from explorer.core.model_line import barrier, line_losses

LINE_POINTS = 161     # a's across [−span, span] per curve
LINE_CACHE = 32       # lines kept
CHEAP_WORK = 4e6      # rows × parameters × a's computed on the caller's thread; beyond, in a worker

_lines: "OrderedDict" = OrderedDict()   # key -> (problem, curves)


def line_plane(session):
    """(problem, θ*, d₁, d₂, span, names of d₁ and d₂, runs?) of the map on show, or None without a network fit."""
    problem = getattr(session, "model_problem", None)
    if problem is None:
        return None
    spec = session.directions
    if spec is not None:
        plane = session.direction_plane()
        failed = bool(getattr(session, "_plane_failure", ""))
        runs = spec.kind == "runs" and not failed and max(spec.runs) < len(session.runs)
        return problem, plane.centre, plane.d1, plane.d2, float(spec.span), ("d₁", "d₂"), runs
    fit, n = session.setup.fit, problem.dimension
    i, j = fit.axis_indices
    span = 0.5 * max(np.ptp(session.setup.x_range), np.ptp(session.setup.y_range))
    return problem, session.held_theta(), np.eye(n)[i], np.eye(n)[j], float(span), tuple(fit.axes), False


def _key(plane) -> tuple:
    problem, centre, d1, d2, span, _, runs = plane
    return (id(problem), centre.tobytes(), d1.tobytes(), d2.tobytes(), span, runs)


def line_work(session):
    """None when the curves of the map on show are at hand (or there is no network fit); else a function that
    computes them, keeps them and returns them (safe off the window's thread)."""
    plane = line_plane(session)
    if plane is None or _cached(plane) is not None:
        return None
    key = _key(plane)
    problem, centre, d1, d2, span, _, runs = plane
    centre, d1, d2 = (np.array(v, dtype=float) for v in (centre, d1, d2))

    def work() -> dict:
        a = np.linspace(-span, span, LINE_POINTS)
        curves = {"a": a, "d1": line_losses(problem, centre, d1, a), "d2": line_losses(problem, centre, d2, a),
                  "test": line_losses(problem, centre, d1, a, "test") if len(problem.y_test) else None,
                  "barrier": barrier(problem, centre, d1) if runs else None}
        _lines[key] = (problem, curves)   # the problem kept with it: an id is reused only after it is gone
        while len(_lines) > LINE_CACHE:
            _lines.popitem(last=False)
        return curves

    return work


def line_is_cheap(session) -> bool:
    """Is the line of the map on show cheap enough to compute on the caller's thread?"""
    problem = getattr(session, "model_problem", None)
    return problem is None or 3 * LINE_POINTS * len(problem.y_train) * problem.dimension <= CHEAP_WORK


def _cached(plane):
    hit = _lines.get(_key(plane))
    return hit[1] if hit is not None and hit[0] is plane[0] else None


def line_reading(session, compute: bool = False) -> dict | None:
    """The lines of the map on show if at hand (computed here when `compute`), else None:
    {"a", "d1", "d2" (training losses along each line), "test" (test loss along d₁, or None), "barrier"
    (core.model_line.Barrier on the runs' plane, else None), "names" (d₁'s and d₂'s), "span",
    "marker": {"d1": (a, L), "d2": (b, L)} (the point on show projected onto each line), "title"}."""
    plane = line_plane(session)
    if plane is None:
        return None
    curves = _cached(plane)
    if curves is None:
        if not compute:
            return None
        curves = line_work(session)()
    problem, centre, d1, d2, span, names, runs = plane
    run = session.selected_run()
    shown = np.array(run.current.point if run is not None else session.setup.default_start, dtype=float)
    offsets = shown - centre
    # the point on show projected onto each line: a = dᵀ(θ − θ*) / dᵀd
    ab = [float(offsets @ d / (d @ d)) if np.any(d) else 0.0 for d in (d1, d2)]
    marker = {name: (t, float(line_losses(problem, centre, d, [t])[0])) for name, t, d in zip(("d1", "d2"), ab,
                                                                                              (d1, d2))}
    reading = {**curves, "names": names, "span": span, "marker": marker,
               "step": None if run is None else int(run.position)}
    reading["title"] = line_title(reading, session.directions is None)
    return reading


def line_title(reading: dict, axes: bool) -> str:
    """What the curves are, in a sentence, with the barrier where the plane is the runs' line."""
    if axes:
        first, second = reading["names"]
        text = (f"The loss along {first} and {second} through the held θ (two parameters on the map: "
                "the lines follow its axes)")
    else:
        text = "The loss along d₁ and d₂ through θ*"
    b = reading.get("barrier")
    if b is not None:
        if not np.isfinite(b.height):
            text += " · the loss is not finite between the runs' ends: no barrier"
        elif b.height > 0:
            text += f" · barrier {number(b.height)} above the higher end at a = {number(b.at)}"
        else:
            text += " · no barrier: the loss is highest at an end"
    return text


def number(value: float) -> str:
    """Three significant digits with a true minus sign (0.310, −0.120)."""
    if value == 0:
        return "0"
    text = f"{value:#.3g}".rstrip(".") if 1e-3 <= abs(value) < 1e5 else f"{value:.2e}"
    return text.replace("-", "−")
