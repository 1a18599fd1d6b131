"""The selected run's method state as the map draws it and the inspector lists it (issue 27's x-ray): the state
`Optimizer.method_state` reports at the step on show, with the gradient and the true Hessian (autograd) there,
turned into geometry by `explorer.core.method_geometry`. Only in a plane: a surface, or a fit of two parameters."""
from __future__ import annotations

import numpy as np

from explorer.core.expression import ERRORS
from explorer.core.method_geometry import (MODEL_METHODS, MOMENTUM_METHODS, QUASI_NEWTON_METHODS, SCALING_METHODS,
                                           MethodDrawing, cg_drawing, model_drawing, momentum_drawing,
                                           quasi_newton_drawing, relative_hessian_error, scaling_drawing)
from explorer.core.optimizer_base import StepFailed
from explorer.session.kinds import is_optimizer_run


def run_method_drawing(run, position: int | None = None) -> MethodDrawing | None:
    """The drawing of `run`'s method state at `position` (default: the state on show); None for a method with
    nothing to draw, a point that is not in a plane, or numbers that are not finite."""
    at = run.position if position is None else position
    state = run.states[at]
    x = np.asarray(state.point, float)
    if x.size != 2 or not np.all(np.isfinite(x)):
        return None
    optimizer, method = run.optimizer, run.method
    carried = optimizer.method_state(state)
    settings = optimizer.settings()
    with np.errstate(**ERRORS):
        if method in MOMENTUM_METHODS:
            lr, beta, v = optimizer.rate(state.iteration), settings["momentum"], carried["velocity"]
            g = (optimizer.gradient_at(x + beta * v, state.iteration) if method == "nesterov"
                 else optimizer.step_gradient(state))
            return momentum_drawing(method, x, v, beta, lr, g)
        if method in SCALING_METHODS:
            return scaling_drawing(method, x, carried, settings, optimizer.rate(state.iteration),
                                   optimizer.step_gradient(state), state.iteration)
        if method not in QUASI_NEWTON_METHODS + MODEL_METHODS + ("cg",):
            return None
        _, g, h = run.objective.derivatives(x)
        g, h = np.asarray(g, float), np.asarray(h, float)
        if not (np.all(np.isfinite(g)) and np.all(np.isfinite(h))):
            return None
        if method in QUASI_NEWTON_METHODS:
            if "inverse_hessian" not in carried:   # l-bfgs above 64 parameters keeps no matrix
                return None
            return quasi_newton_drawing(method, x, carried["inverse_hessian"], g, h)
        if method == "cg":
            previous = run.optimizer.method_state(run.states[at - 1])["direction"] if at > 0 else None
            return cg_drawing(x, carried["direction"], previous, g, h)
        following = run.states[at + 1] if at + 1 < len(run.states) else None
        if method == "trust-region" and following is None and not run.finished:
            following = step_ahead(optimizer, state)   # the step on show is not computed yet: take it aside
        accepted = None if following is None else following.point
        if method == "trust-region":   # the step from here and its radius are the next state's record of it
            after = optimizer.method_state(following) if following is not None else {}
            carried = {"radius": after.get("step_radius", carried.get("radius")), "step": after.get("step")}
        return model_drawing(method, x, g, h, carried, accepted)


def step_ahead(optimizer, state):
    """The state `optimizer` steps to from `state`, not added to any run (a step is `step(state) -> state`, so
    this changes nothing); None where no step can be taken from there."""
    try:
        return optimizer.step(state)
    except (StepFailed, np.linalg.LinAlgError, FloatingPointError, OverflowError):
        return None


def method_state_reading(session) -> MethodDrawing | None:
    """The selected run's method state at the step on show, or None (no run, not an optimizer's, nothing drawn)."""
    run = session.selected_run()
    if run is None or not is_optimizer_run(run):
        return None
    return run_method_drawing(run)


HESSIAN_ERROR_MOST = 64   # the Hessians of more parameters than this are not formed for the series


def hessian_errors(run, count: int | None = None, known: np.ndarray | None = None) -> np.ndarray | None:
    """‖B_k − H(x_k)‖_F / ‖H(x_k)‖_F at the first `count` states (default all) of a quasi-Newton run (B_k the
    inverse of its inverse-Hessian approximation, H by autograd), NaN where H is zero or not finite; `known`:
    the series already computed for a prefix of these states (kept, only the rest computed). None for another
    method, or a run whose matrices are not formed."""
    if run.method not in QUASI_NEWTON_METHODS or np.size(run.states[0].point) > HESSIAN_ERROR_MOST:
        return None
    count = len(run.states) if count is None else min(count, len(run.states))
    errors = np.full(count, np.nan)
    start = 0 if known is None else min(len(known), count)
    errors[:start] = known[:start] if known is not None else errors[:0]
    with np.errstate(**ERRORS):
        for k in range(start, count):
            carried = run.optimizer.method_state(run.states[k])
            if "inverse_hessian" not in carried:
                return None
            h = np.asarray(run.objective.derivatives(run.states[k].point)[2], float)
            if np.all(np.isfinite(h)) and np.linalg.norm(h) > 0 and np.all(np.isfinite(carried["inverse_hessian"])):
                try:
                    errors[k] = relative_hessian_error(carried["inverse_hessian"], h)
                except np.linalg.LinAlgError:
                    pass
    return errors
