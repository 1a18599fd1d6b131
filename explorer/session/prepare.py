"""What opening a scene computes before the session takes it, done in any thread.

`prepare_scene` checks the scene (`scene.check_computable`) with runs built by a builder of its
own; `Session.load_scene(scene, prepared=builder)` then takes those runs (each with its start
and first step computed) instead of building them again. Steps further along, up to the scene's
step, are the session's catch-up work, computed in slices while the window draws. Qt-free; it
touches no session.
"""
from __future__ import annotations

from typing import Callable

from explorer.core.scene import Scene, check_computable
from explorer.session.builder import Builder


def prepare_scene(scene: Scene, cancelled: Callable[[], bool] = lambda: False) -> Builder:
    """Check `scene`, building its runs with a new builder; SceneError (or SceneCancelled) on failure."""
    setup = scene.setup
    builder = Builder()
    check_computable(scene, cancelled, lambda i, _spec: builder.run(setup, setup.runs[i]))
    if setup.runs and not cancelled():
        # the inspector's first question: the selected run's Hessian where it is shown (the objective caches
        # it, and the session adopts this objective), asked here instead of on the window's thread
        run = builder.run(setup, setup.runs[0])
        objective = getattr(run, "objective", None)
        analyze = getattr(objective, "analyze", None)   # a field's NewtonRun has none
        if analyze is not None and not getattr(objective, "hessian_note", lambda: None)():   # a big network: no H
            analyze(run.states[min(scene.current_step, len(run.states) - 1)].point)
    return builder
