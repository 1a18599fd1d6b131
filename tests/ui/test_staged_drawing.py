"""A scene of many runs is drawn a view a turn after it opens: no turn of the event loop holds the window long."""
import numpy as np
import pytest
from PySide6.QtCore import QTimer

import explorer.ui.views.map.contour_view as contour_module
import explorer.ui.views.plots.loss_plot as loss_module
import explorer.ui.views.surface.surface_view as surface_module
from explorer.core.document import NO_OVERLAYS
from explorer.core.scene import RunSpec, Scene
from explorer.ui.control.staged_drawing import STAGED_RUNS, StagedDrawing

from tests.ui.at_rest import settle


# ---------------------------------------------------------------- StagedDrawing itself
def test_outside_a_load_a_view_draws_at_once(qtbot):
    staging, hidden = StagedDrawing(), []
    assert not staging.later(lambda: None, lambda: hidden.append(1))
    assert hidden == [] and staging.pending == 0


def test_a_view_asked_twice_while_collecting_hides_once_and_draws_once_on_a_later_turn(qtbot):
    staging, log = StagedDrawing(), []

    def draw_a():
        log.append("a")

    def draw_b():
        log.append("b")

    with staging.collecting():
        assert staging.later(draw_a, lambda: log.append("hide a"))
        assert staging.later(draw_b, lambda: log.append("hide b"))
        assert staging.later(draw_a, lambda: log.append("hide a"))
    assert log == ["hide a", "hide b"]     # nothing drawn in the turn that loaded the scene
    assert staging.pending == 2
    qtbot.waitUntil(lambda: staging.pending == 0, timeout=2000)
    assert log == ["hide a", "hide b", "a", "b"]


def test_the_window_serves_its_posted_events_between_two_views_draws(qtbot):
    """A paint is a posted event: whatever a view's draw posts runs before the next view draws."""
    staging, log = StagedDrawing(), []

    def draw_a():
        log.append("a")
        QTimer.singleShot(0, lambda: log.append("posted by a"))   # Qt posts a zero-time single shot

    with staging.collecting():
        staging.later(draw_a, lambda: None)
        staging.later(lambda: log.append("b"), lambda: None)
    qtbot.waitUntil(lambda: staging.pending == 0 and len(log) == 3, timeout=2000)
    assert log == ["a", "posted by a", "b"]


def test_a_view_that_draws_before_its_turn_gives_the_turn_up(qtbot):
    staging, log = StagedDrawing(), []

    def draw_a():
        log.append("a")

    with staging.collecting():
        staging.later(draw_a, lambda: None)
        staging.later(lambda: log.append("b"), lambda: None)
    assert not staging.later(draw_a, lambda: None)   # asked again after the load: it draws now
    draw_a()
    assert staging.pending == 1
    qtbot.waitUntil(lambda: staging.pending == 0, timeout=2000)
    assert log == ["a", "b"]


def test_finish_draws_every_waiting_view_now(qtbot):
    staging, log = StagedDrawing(), []
    with staging.collecting():
        staging.later(lambda: log.append("a"), lambda: None)
        staging.later(lambda: log.append("b"), lambda: None)
    staging.finish()
    assert log == ["a", "b"] and staging.pending == 0


def test_a_window_closed_before_every_view_has_drawn_closes_cleanly(qtbot, window):
    c = window.controller
    settle(qtbot, window)
    window.scenes.show_scene(_many_runs(window, STAGED_RUNS))
    assert c.staging.pending == 3
    window.close()   # the conftest then deletes it: nothing may draw into it meanwhile
    assert c.staging.pending == 0


def test_collecting_off_draws_at_once(qtbot):
    staging = StagedDrawing()
    with staging.collecting(False):
        assert not staging.later(lambda: None, lambda: None)


# ---------------------------------------------------------------- the window opening a big scene
def _many_runs(window, count: int) -> Scene:
    """`count` runs on the function and grid on show (no new surface to wait for), each at its start."""
    setup = window.controller.setup
    angles = np.linspace(0, 2 * np.pi, count, endpoint=False)
    runs = tuple(RunSpec("gd", {"lr": 1e-4}, (float(np.cos(a)), float(1 + np.sin(a)))) for a in angles)
    return Scene(setup.text, x_range=setup.x_range, y_range=setup.y_range, resolution=setup.resolution, runs=runs,
                 max_steps=200, overlays=NO_OVERLAYS)


@pytest.fixture
def counted(monkeypatch):
    """How often each view drew its runs: the map's and 3D view's pools matched, the loss curves made."""
    count = {"contour": 0, "surface": 0, "loss curves": 0}

    def counting(module, key, name):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            count[key] += 1
            return real(*args, **kwargs)
        monkeypatch.setattr(module, name, wrapper)

    counting(contour_module, "contour", "match_runs")
    counting(surface_module, "surface", "match_runs")
    counting(loss_module, "loss curves", "peaks")
    return count


def test_a_scene_of_many_runs_shows_its_runs_a_view_a_turn_with_nothing_stale_on_show(qtbot, window, counted):
    c, scene = window.controller, _many_runs(window, STAGED_RUNS + 4)
    settle(qtbot, window)   # the window at rest: no redraw of its own (after a resize or zoom) still to come
    counted.update(dict.fromkeys(counted, 0))
    window.scenes.show_scene(scene)
    # the turn that loaded it drew no run's items; the last scene's are hidden, not left on the new surface
    assert c.staging.pending == 3
    assert counted == {"contour": 0, "surface": 0, "loss curves": 0}
    assert not any(line.isVisible() or dot.isVisible() for line, dot in window.contour.paths)
    assert not any(line.visible() or dot.visible() for line, dot in window.surface.paths)
    assert not window.loss.plot.getPlotItem().vb.childGroup.isVisible()
    assert c.wait_for_surface()
    # then each view drew every run once (not once per signal of the load)
    assert counted == {"contour": 1, "surface": 1, "loss curves": len(scene.runs)}
    assert len(window.contour.paths) == len(scene.runs)
    for run, (line, dot) in zip(c.runs, window.contour.paths):
        assert line.isVisible() and dot.isVisible()
        assert np.allclose([dot.data["x"][0], dot.data["y"][0]], run.current.point)
    assert window.loss.plot.getPlotItem().vb.childGroup.isVisible()


def test_a_scene_of_a_few_runs_is_drawn_in_the_turn_that_opens_it(qtbot, window, counted):
    c, scene = window.controller, _many_runs(window, 3)
    window.scenes.show_scene(scene)
    assert c.staging.pending == 0
    assert counted["contour"] >= 1 and counted["loss curves"] >= 3
    assert all(line.isVisible() for line, _ in window.contour.paths)


def test_undoing_and_redoing_the_opening_of_a_big_scene_are_drawn_in_stages_too(qtbot, window):
    c, scene = window.controller, _many_runs(window, STAGED_RUNS + 4)
    window.scenes.show_scene(scene)
    assert c.wait_for_surface()
    c.undo()
    assert c.staging.pending == 3 and len(c.runs) == 2
    assert c.wait_for_surface()
    assert len(window.contour.paths) == 2 and all(line.isVisible() for line, _ in window.contour.paths)
    c.redo()
    assert c.staging.pending == 3 and len(c.runs) == len(scene.runs)
    assert c.wait_for_surface()
    assert len(window.contour.paths) == len(scene.runs)
    c.set_run_settings(0, {"lr": 2e-4})   # one run's edit in a big scene: drawn at once, and so its undo
    c.undo()
    assert c.staging.pending == 0
