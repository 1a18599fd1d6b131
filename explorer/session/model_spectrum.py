"""The Hessian's and Gauss–Newton's spectra of a network fit at the state on show, for the spectrum view
(Qt-free; every number from core.model_curvature).

A spectrum costs a dense Hessian (up to 1,000 parameters) or a few hundred Hessian-vector products, so it
is computed once per state and kept: cached by the problem and the parameters on show (the selected run's
step; the same θ gives the same spectrum), the last SPECTRUM_CACHE of them. `spectrum_work(session)` gives
a function that shares nothing with the session (the immutable problem, a copy of θ), so the window may
run it off its thread, as it does the inspector's summary (session.model_reading).
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np

from explorer.core.model_curvature import SPECTRUM_K, residual_jacobian_singular_values, spectrum

SPECTRUM_CACHE = 64   # spectra kept (steps of runs looked at)

_spectra: "OrderedDict" = OrderedDict()   # (id(problem), θ bytes, k) -> (problem, spectrum)


def _on_show(session, k: int):
    """(problem, θ, key) of the state on show (the start of new runs without a run); Nones without a network."""
    problem = session.model_problem
    if problem is None:
        return None, None, None
    run = session.selected_run()
    theta = np.array(run.current.point if run is not None else session.setup.default_start, dtype=float)
    return problem, theta, (id(problem), theta.tobytes(), int(k))


def cached_spectrum(session, k: int = SPECTRUM_K) -> dict | None:
    """The spectrum of the state on show if it has been computed (nothing is computed here); else None.
    The dict of core.model_curvature.spectrum, with "step" (None without a run)."""
    problem, _, key = _on_show(session, k)
    hit = _spectra.get(key) if key is not None else None
    return hit[1] if hit is not None and hit[0] is problem else None


def spectrum_work(session, k: int = SPECTRUM_K):
    """None when the spectrum of the state on show is at hand (or there is no network); else a function that
    computes it, keeps it and returns it (safe off the window's thread)."""
    problem, theta, key = _on_show(session, k)
    if problem is None or cached_spectrum(session, k) is not None:
        return None
    run = session.selected_run()
    step = int(run.position) if run is not None else None

    def work() -> dict:
        try:
            value = {**spectrum(problem, theta, k=k), "step": step, **jacobian_singular_values(problem, theta)}
        except (ArithmeticError, ValueError, np.linalg.LinAlgError) as err:   # kept too: not tried at every repaint
            value = {"error": f"the spectrum could not be computed: {err}", "step": step}
        _spectra[key] = (problem, value)   # the problem kept with it: an id is reused only after it is gone
        while len(_spectra) > SPECTRUM_CACHE:
            _spectra.popitem(last=False)
        return value

    return work


def jacobian_singular_values(problem, theta) -> dict:
    """{"singular_values": σ descending (a list) or None, "singular_note": why not ('' when formed),
    "jacobian_shape": (rows × logits, parameters), "training_rows": n,
    "jacobian_kind": "residuals" or "whitened logits",
    "gauss_newton_factor": c in eig(G) = c·σ² without the penalty (2/n squared error, 1/n cross-entropy)}."""
    rows, k = len(problem.y_train), problem.network.n_outputs
    regression = problem.network.task == "regression"
    sigma, note = residual_jacobian_singular_values(problem, theta)
    return {"singular_values": None if sigma is None else np.asarray(sigma, dtype=float).tolist(),
            "singular_note": note or "", "jacobian_shape": (rows * k, problem.dimension), "training_rows": rows,
            "jacobian_kind": "residuals" if regression else "whitened logits",
            "gauss_newton_factor": (2.0 if regression else 1.0) / rows}


def model_spectrum(session, k: int = SPECTRUM_K) -> dict | None:
    """The spectrum of the state on show, computed here if need be (None without a network)."""
    work = spectrum_work(session, k)
    return work() if work is not None else cached_spectrum(session, k)
