"""A frame costs the same at step 10,000 as at step 10: nothing drawn per frame walks a run's history.

Counts work, not time: how many of a run's states Python code touches (by index, slice or
iteration; the `touched` fixture of conftest) while the window takes one step and redraws every view.
"""
import pytest

from tests.ui.at_rest import settle

pytestmark = pytest.mark.slow   # each computes four runs of 10,000 steps (about 95 s): left out of the quick loop


def states_touched_by_a_frame(qtbot, window, touched) -> int:
    c = window.controller
    assert c.wait_for_runs(300_000)
    settle(qtbot, window)   # the loss plot's throttled redraw of the jump is done
    touched[0] = 0
    c.step()
    window.loss.refresh()        # the loss plot redraws at most 5×/s while playing: count its frame too
    window.slice.refresh()
    return touched[0]


def test_a_frame_at_step_10000_touches_no_more_states_than_at_step_10(qtbot, window, touched):
    c = window.controller
    assert c.set_expression("x^2 + y^2")
    while c.runs:
        c.remove_run(0)
    c.set_max_steps(20_000)
    for lr in (1e-6, 2e-6, 3e-6, 4e-6):    # four runs that crawl: none stops before step 10,000
        c.add_run("gd", {"lr": lr})
    c.jump(10)
    early = states_touched_by_a_frame(qtbot, window, touched)
    c.jump(10_000)
    late = states_touched_by_a_frame(qtbot, window, touched)
    assert all(r.position == 10_001 and not r.finished for r in c.runs), [(r.position, r.status) for r in c.runs]
    assert late <= early + 8, (early, late)   # a handful of states each frame, not 10,000 per run per view


def test_the_3d_view_cuts_and_drapes_only_the_new_steps_of_a_long_path(qtbot, window, monkeypatch):
    """The 3D view lays each path on the mesh: at step 10,000 a frame clips and drapes the one new step of
    each run, not its 10,000 (explorer.ui.views.surface.path_geometry.DrapedPath)."""
    from explorer.ui.views.surface import path_geometry
    c = window.controller
    assert c.set_expression("x^2 + y^2")
    while c.runs:
        c.remove_run(0)
    c.set_max_steps(20_000)
    for lr in (1e-6, 2e-6, 3e-6, 4e-6):
        c.add_run("gd", {"lr": lr})
    clipped = [0]
    real = path_geometry.clip_path

    def counting(points, *domain):
        clipped[0] += len(points)
        return real(points, *domain)

    monkeypatch.setattr(path_geometry, "clip_path", counting)
    c.jump(10_000)
    assert c.wait_for_runs(300_000)
    window.surface.draw_runs()
    clipped[0] = 0
    c.step()
    window.surface.draw_runs()
    assert all(r.position == 10_001 for r in c.runs)
    assert 0 < clipped[0] <= 4 * 2 * 2, clipped[0]   # per run: the last point and the new one, in two draws
