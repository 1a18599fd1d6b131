"""Optimizers on many start points at once: the update rules of `optimizers` on whole arrays.

`walk` runs one method from every start together and says where and why each one stopped, by
exactly the rules of `trajectory.Run` (undefined start, |∇f| <= tolerance, non-finite state or
|x|, |y| > bound, singular Hessian, failed line search, step limit). Each update is the one in
`optimizers.py`, written elementwise with the same operations in the same order, so a start's
path equals the program's own `Run` to rounding.

Derivatives come from autograd on whole arrays (`ArrayCalculus`): f is elementwise, so the
reverse pass of f(X, Y) with a cotangent of ones gives every point's gradient at once, and the
Hessian follows the row-block recipe of `calculus.SurfaceCalculus` (gradient on a tape, two
reverse passes over it). Starts are walked in blocks of BLOCK_POINTS; finished starts are
recorded at once and dropped from the arrays once they are half of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
from autograd.builtins import tuple as ag_tuple
from autograd.core import make_vjp
from autograd.tracer import getval, isbox

from explorer.core.basins_trust_region import TrustRegionStep
from explorer.core.expression import ERRORS, Expression

BLOCK_POINTS = 32768
MAX_HALVINGS = 60   # line_search.backtracking's default

# why a start stopped (`Walk.outcome`); the names are trajectory's stop reasons
CONVERGED, STEP_LIMIT, DIVERGED, SINGULAR, LINE_SEARCH_FAILED, UNDEFINED_START, STILL_FALLING, COLLAPSED = range(8)
OUTCOMES = ("converged", "step limit", "diverged", "singular Hessian", "line search failed", "undefined start",
            "still falling", "trust region collapsed")


def _tie(out, inp):
    return out + 0.0 * inp   # exactly `out`, kept on the tape (see calculus._tie)


class ArrayCalculus:
    """f(x, y), ∇f and the Hessian at many points at once (x, y: 1-D arrays of equal length)."""

    def __init__(self, expression: Expression, params: Mapping[str, float] | None = None):
        self._fn = expression.bind(params)

    def _f(self, XY):
        z = self._fn(XY[0], XY[1])
        # the tie costs two operations a pass: only a result that is not on the tape (constant) needs it
        return z if isbox(z) else _tie(z, XY[0])

    def values(self, x, y) -> np.ndarray:
        with np.errstate(**ERRORS):
            return np.broadcast_to(np.asarray(self._fn(x, y), dtype=float), np.shape(x)).copy()

    def value_and_gradient(self, x, y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """z, fx, fy: one traced forward pass and one reverse pass for all points."""
        with np.errstate(**ERRORS):
            vjp, z = make_vjp(self._f, (x, y))
            gx, gy = vjp(np.ones(np.shape(x)))
        return z, gx, gy

    def derivatives(self, x, y) -> tuple[np.ndarray, ...]:
        """z, fx, fy, fxx, fxy, fyx, fyy (fxy from the x row, fyx from the y row, as Objective's rows)."""
        stash = {}

        def gradient_on_tape(XY):
            vjp, z = make_vjp(self._f, XY)
            stash["z"] = z
            gx, gy = vjp(ones)
            return ag_tuple((gx if isbox(gx) else _tie(gx, XY[0]), gy if isbox(gy) else _tie(gy, XY[1])))

        ones, zeros = np.ones(np.shape(x)), np.zeros(np.shape(x))
        with np.errstate(**ERRORS):
            vjp2, (gx, gy) = make_vjp(gradient_on_tape, (x, y))
            hxx, hxy = vjp2((ones, zeros))
            hyx, hyy = vjp2((zeros, ones))
        return getval(stash["z"]), gx, gy, hxx, hxy, hyx, hyy


# ---------------------------------------------------------------- the update rules

class _Method:
    """One method's update on arrays: `step(s, k)` -> (the next arrays, None or a code per start: -1 where
    the step went ahead, else the OUTCOMES index of why it could not be taken — Run's StepFailed)."""

    hessian = False   # the state must carry the Hessian (Newton's methods)

    def __init__(self, calculus: ArrayCalculus, settings: dict[str, float]):
        self.calculus = calculus
        for key, value in settings.items():
            setattr(self, key.replace("-", "_"), value)

    def evaluate(self, x, y) -> dict[str, np.ndarray]:
        keys = ("z", "gx", "gy", "hxx", "hxy", "hyx", "hyy") if self.hessian else ("z", "gx", "gy")
        values = self.calculus.derivatives(x, y) if self.hessian else self.calculus.value_and_gradient(x, y)
        return {"x": x, "y": y, **dict(zip(keys, values))}

    def memory(self, s) -> dict[str, np.ndarray]:
        return {}

    def moved(self, s, x, y, **memory):
        return {**self.evaluate(x, y), **memory}, None


class _GradientDescent(_Method):
    def step(self, s, k):
        # x ← x − η ∇f
        return self.moved(s, s["x"] - self.lr * s["gx"], s["y"] - self.lr * s["gy"])


class _Momentum(_Method):
    def memory(self, s):
        return {"vx": np.zeros_like(s["x"]), "vy": np.zeros_like(s["y"])}

    def step(self, s, k):
        # v ← βv − η∇f,  x ← x + v
        vx = self.momentum * s["vx"] - self.lr * s["gx"]
        vy = self.momentum * s["vy"] - self.lr * s["gy"]
        return self.moved(s, s["x"] + vx, s["y"] + vy, vx=vx, vy=vy)


class _Nesterov(_Momentum):
    def step(self, s, k):
        # v ← βv − η∇f(x + βv),  x ← x + v
        _, ax, ay = self.calculus.value_and_gradient(s["x"] + self.momentum * s["vx"],
                                                     s["y"] + self.momentum * s["vy"])
        vx = self.momentum * s["vx"] - self.lr * ax
        vy = self.momentum * s["vy"] - self.lr * ay
        return self.moved(s, s["x"] + vx, s["y"] + vy, vx=vx, vy=vy)


class _RMSProp(_Method):
    def memory(self, s):
        return {"sx": np.zeros_like(s["x"]), "sy": np.zeros_like(s["y"])}

    def step(self, s, k):
        # s ← ρs + (1−ρ)g²,  x ← x − η g / (√s + ε)
        out = {}
        for c in "xy":
            g = s["g" + c]
            out["s" + c] = self.decay * s["s" + c] + (1 - self.decay) * g * g
            out[c] = s[c] - self.lr * g / (np.sqrt(out["s" + c]) + self.eps)
        return self.moved(s, out.pop("x"), out.pop("y"), **out)


class _AdaGrad(_Method):
    def memory(self, s):
        return {"sx": np.zeros_like(s["x"]), "sy": np.zeros_like(s["y"])}

    def step(self, s, k):
        # G ← G + g²,  x ← x − η g / (√G + ε)
        out = {}
        for c in "xy":
            g = s["g" + c]
            out["s" + c] = s["s" + c] + g * g
            out[c] = s[c] - self.lr * g / (np.sqrt(out["s" + c]) + self.eps)
        return self.moved(s, out.pop("x"), out.pop("y"), **out)


class _Adam(_Method):
    def memory(self, s):
        return {k: np.zeros_like(s["x"]) for k in ("mx", "my", "vx", "vy")}

    def step(self, s, k):
        # m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², bias-corrected m̂, v̂; x ← x − η m̂/(√v̂ + ε); t = k
        out = {}
        for c in "xy":
            g = s["g" + c]
            m = self.beta1 * s["m" + c] + (1 - self.beta1) * g
            v = self.beta2 * s["v" + c] + (1 - self.beta2) * g * g
            m_hat, v_hat = m / (1 - self.beta1**k), v / (1 - self.beta2**k)
            out[c] = s[c] - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
            out["m" + c], out["v" + c] = m, v
        return self.moved(s, out.pop("x"), out.pop("y"), **out)


class _Newton(_Method):
    hessian = True

    def step(self, s, k):
        # p = −H⁻¹∇f (Cramer's rule), a full step; singular where min|λ| <= tol·max(1, max|λ|), λ of
        # H's lower triangle as eigvalsh takes it; a Hessian that is not finite stops the run (diverged)
        hxx, hxy, hyx, hyy, gx, gy = (s[n] for n in ("hxx", "hxy", "hyx", "hyy", "gx", "gy"))
        lo, hi = eigenvalues(hxx, hyx, hyy)
        lo, hi = np.abs(lo), np.abs(hi)
        singular = np.minimum(lo, hi) <= self.singular_tolerance * np.maximum(1.0, np.maximum(lo, hi))
        det = hxx * hyy - hxy * hyx
        px, py = (hyy * gx - hxy * gy) / det, (hxx * gy - hyx * gx) / det
        new, _ = self.moved(s, s["x"] - px, s["y"] - py)
        return new, _failures(s, singular, SINGULAR)


def _failures(s, failed, code):
    """Per start: -1 where the step went ahead, DIVERGED where H is not finite, else `code` where `failed`."""
    finite = np.isfinite(s["hxx"]) & np.isfinite(s["hxy"]) & np.isfinite(s["hyx"]) & np.isfinite(s["hyy"])
    if finite.all() and not failed.any():
        return None
    return np.where(finite, np.where(failed, code, -1), DIVERGED)


def eigenvalues(hxx, hxy, hyy) -> tuple[np.ndarray, np.ndarray]:
    """λ₁ <= λ₂ of [[hxx, hxy], [hxy, hyy]], elementwise: m ∓ √(d² + hxy²), d = (hxx − hyy)/2."""
    m, d = 0.5 * (hxx + hyy), 0.5 * (hxx - hyy)
    r = np.sqrt(d * d + hxy * hxy)
    if not np.isfinite(r).all():   # squares past 1e308 (or nan): hypot, slower but exact, where so
        r = np.where(np.isfinite(r), r, np.hypot(d, hxy))
    return m - r, m + r


def symmetric_eigen(hxx, hxy, hyy):
    """λ₁ <= λ₂ and unit eigenvectors v₁, v₂ (tuples of x and y parts) of [[hxx, hxy], [hxy, hyy]].

    v₂ = (cos θ, sin θ), v₁ = (−sin θ, cos θ), tan 2θ = 2 hxy / (hxx − hyy).
    """
    theta = 0.5 * np.arctan2(2.0 * hxy, hxx - hyy)
    c, s = np.cos(theta), np.sin(theta)
    return eigenvalues(hxx, hxy, hyy), (-s, c), (c, s)


class _DampedNewton(_Method):
    hessian = True

    def step(self, s, k):
        # H = VΛVᵀ -> VΛ'Vᵀ, λ' = max(|λ|, δ), δ = min_curvature·max(1, max|λ|); p = −VΛ'⁻¹Vᵀ∇f;
        # then t = 1, ½, ¼, ... until Armijo: f(x + tp) <= f + c₁ t ∇f·p
        gx, gy = s["gx"], s["gy"]
        (lo, hi), v1, v2 = symmetric_eigen(s["hxx"], 0.5 * s["hxy"] + 0.5 * s["hyx"], s["hyy"])
        lo, hi = np.abs(lo), np.abs(hi)
        delta = self.min_curvature * np.maximum(1.0, np.maximum(lo, hi))
        a1 = (v1[0] * gx + v1[1] * gy) / np.maximum(lo, delta)
        a2 = (v2[0] * gx + v2[1] * gy) / np.maximum(hi, delta)
        px, py = -(v1[0] * a1 + v2[0] * a2), -(v1[1] * a1 + v2[1] * a2)
        t, x_new, y_new, found = self._backtrack(s, px, py)
        new, _ = self.moved(s, x_new, y_new)
        return new, _failures(s, ~found, LINE_SEARCH_FAILED)

    def _backtrack(self, s, px, py):
        x, y, f0 = s["x"], s["y"], s["z"]
        slope = s["gx"] * px + s["gy"] * py
        t = np.ones_like(x)
        x_new, y_new = x.copy(), y.copy()
        found = np.zeros(x.shape, dtype=bool)
        pending = np.nonzero(slope < 0)[0]   # not downhill: the line search fails at once
        for _ in range(MAX_HALVINGS):
            if pending.size == 0:
                break
            tp = t[pending]
            xt, yt = x[pending] + tp * px[pending], y[pending] + tp * py[pending]
            ft = self.calculus.values(xt, yt)
            ok = np.isfinite(ft) & (ft <= f0[pending] + self.c1 * tp * slope[pending])
            done = pending[ok]
            x_new[done], y_new[done], found[done] = xt[ok], yt[ok], True
            pending = pending[~ok]
            t[pending] *= 0.5
        return t, x_new, y_new, found


class _TrustRegion(TrustRegionStep, _Method):
    def step(self, s, k):
        # Steihaug's step within each start's radius, trials until ρ > η (core.basins_trust_region)
        new, collapsed = self.trial_step(s)
        return new, _failures(s, collapsed, COLLAPSED)


METHODS = {"gd": _GradientDescent, "momentum": _Momentum, "nesterov": _Nesterov, "rmsprop": _RMSProp,
           "adagrad": _AdaGrad, "adam": _Adam, "newton": _Newton, "damped-newton": _DampedNewton,
           "trust-region": _TrustRegion}



# ---------------------------------------------------------------- the walk

@dataclass(frozen=True)
class Walk:
    """Where each start stopped and why (arrays over the starts, in their order)."""

    final: np.ndarray      # (M, 2) the last point of the start's run
    outcome: np.ndarray    # (M,) int8, an index into OUTCOMES
    steps: np.ndarray      # (M,) steps taken


PROGRESS_EVERY = 10   # steps between two calls of `progress`


class Cancelled(Exception):
    """`progress` asked to stop: no basin map."""


def walk(calculus: ArrayCalculus, method: str, settings: dict[str, float], starts, max_steps: int,
         tolerance: float, bound: float, block_points: int = BLOCK_POINTS, progress=None, schedule=None) -> Walk:
    """Run `method` (with its full settings) from every start, in blocks; the rules of trajectory.Run.
    With a learning-rate `schedule` (core.schedules), step t takes schedule.lr(lr, t), as a Run does.

    progress(done, total) is called every few steps with the fraction of the work done as two
    numbers; returning False stops the walk with `Cancelled` (the window's Cancel button)."""
    starts = np.asarray(starts, dtype=float).reshape(-1, 2)
    rule = METHODS[method](calculus, settings)
    rule.schedule, rule.lr0 = schedule, getattr(rule, "lr", None)
    final, outcome = starts.copy(), np.full(len(starts), STEP_LIMIT, dtype=np.int8)
    steps = np.zeros(len(starts), dtype=np.int64)
    for i0 in range(0, len(starts), block_points):
        i1 = min(len(starts), i0 + block_points)
        tick = None
        if progress is not None:
            blocks, done_before = -(-len(starts) // block_points), i0 // block_points

            def tick(k, done_before=done_before, blocks=blocks):
                return progress(done_before * max_steps + k, blocks * max(max_steps, 1))
        _Block(rule, starts[i0:i1], max_steps, tolerance, bound, tick).run(final[i0:i1], outcome[i0:i1],
                                                                           steps[i0:i1])
    return Walk(final, outcome, steps)


class _Block:
    """One block of starts walked together; where and why each stopped goes into the caller's arrays."""

    def __init__(self, rule: _Method, starts, max_steps, tolerance, bound, tick=None):
        self.rule, self.max_steps, self.tolerance, self.bound = rule, max_steps, tolerance, bound
        self.starts, self.tick = starts, tick

    def run(self, final, outcome, steps) -> None:
        self.final, self.outcome, self.steps = final, outcome, steps
        with np.errstate(**ERRORS):
            self._run()

    def _record(self, s, where, code, k) -> None:
        where = np.nonzero(where)[0]
        at = self.index[where]
        self.final[at, 0], self.final[at, 1] = s["x"][where], s["y"][where]
        self.outcome[at], self.steps[at] = code, k

    def _run(self) -> None:
        rule = self.rule
        x, y = self.starts[:, 0].copy(), self.starts[:, 1].copy()
        s = rule.evaluate(x, y)
        s.update(rule.memory(s))
        self.index = np.arange(len(x))
        norm = np.hypot(s["gx"], s["gy"])
        defined = np.isfinite(s["z"]) & np.isfinite(norm) & np.isfinite(x) & np.isfinite(y)
        self._record(s, ~defined, UNDEFINED_START, 0)
        self._record(s, defined & (norm <= self.tolerance), CONVERGED, 0)
        done = ~defined | (norm <= self.tolerance)
        if self.max_steps == 0:
            self._record(s, ~done, STEP_LIMIT, 0)
            return
        scheduled = getattr(rule, "schedule", None) is not None and not rule.schedule.is_constant
        for k in range(1, self.max_steps + 1):
            if scheduled:   # step k goes from state k − 1: its rate is the schedule's at t = k − 1
                rule.lr = rule.schedule.lr(rule.lr0, k - 1)
            new, failed = rule.step(s, k)
            if failed is not None:
                stopped = (failed >= 0) & ~done
                if stopped.any():
                    for code in (DIVERGED, SINGULAR, LINE_SEARCH_FAILED, COLLAPSED):
                        self._record(s, stopped & (failed == code), code, k - 1)
                    done = done | stopped
            s = new
            # Run's checks on the new state: finite, inside the bound, then |∇f| <= tolerance
            gx, gy = s["gx"], s["gy"]
            ok = ((np.maximum(np.abs(s["x"]), np.abs(s["y"])) <= self.bound) & np.isfinite(s["z"])
                  & np.isfinite(gx) & np.isfinite(gy))
            converged = gx * gx + gy * gy <= self.tolerance ** 2   # |∇f| <= tolerance
            finished = (converged | ~ok) & ~done
            if finished.any():
                self._record(s, finished & ~ok, DIVERGED, k)
                self._record(s, finished & ok, CONVERGED, k)
                done = done | finished
            if k == self.max_steps:
                self._record(s, ~done, STEP_LIMIT, k)
                return
            if self.tick is not None and k % PROGRESS_EVERY == 0 and self.tick(k) is False:
                raise Cancelled()
            if 2 * np.count_nonzero(done) > done.size:   # drop the finished starts from the arrays
                keep = ~done
                if not keep.any():
                    return
                s = {key: value[keep] for key, value in s.items()}
                self.index, done = self.index[keep], done[keep]
