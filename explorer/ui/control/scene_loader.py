"""Open a scene without freezing the window: read and check it in a worker thread.

The check (`scene.check_computable`: the function on a small grid, every run built and its first
step taken, `session.prepare`) can take seconds for 64 runs of a long expression. They run in a
thread while the window keeps drawing (`background.run_in_background`: after 250 ms a progress
dialog says which run is being checked and offers Cancel, which returns at once and throws the
worker's result away). The session then takes the runs built here.
"""
from __future__ import annotations

from explorer.core.scene import Scene, SceneCancelled, SceneError, load_scene
from explorer.session.builder import Builder
from explorer.session.prepare import prepare_scene
from explorer.ui.control.background import BackgroundCancelled, run_in_background


def load_checked(window, path, title: str = "Opening scene") -> tuple[Scene, Builder]:
    """Read and check the scene at `path`, and build its runs: (scene, builder for `Session.load_scene`).

    SceneError if it is broken, SceneCancelled if the person cancelled.

    Returns once the worker has finished or the person pressed Cancel; meanwhile the window's
    events are served (a nested event loop), so it repaints and its timers run.
    """
    return _run(window, lambda: load_scene(path, check=False), title)


def check_in_background(window, scene: Scene, title: str = "Checking scene") -> tuple[Scene, Builder]:
    """Check an already-read scene the same way (for example the autosave)."""
    return _run(window, lambda: scene, title)


def _run(window, read, title: str) -> tuple[Scene, Builder]:
    def work(report):
        scene = read()
        total, asked = len(scene.runs) + 1, [0]   # the grid, then each run

        def cancelled() -> bool:
            go_on = report(asked[0], total, _label(title, asked[0], total))
            asked[0] += 1
            return not go_on

        return scene, prepare_scene(scene, cancelled)

    try:
        return run_in_background(window, title, work, name="scene check")
    except BackgroundCancelled:
        raise SceneCancelled() from None
    except SceneError:
        raise
    except Exception as err:  # noqa: BLE001 - whatever it is, it is reported as the scene's
        raise SceneError(f"cannot be opened ({type(err).__name__}: {err})") from None


def _label(title: str, i: int, total: int) -> str:
    if i == 0 or total <= 1:
        return f"{title}: checking the function…"
    return f"{title}: checking run {min(i, total - 1)} of {total - 1}…"
