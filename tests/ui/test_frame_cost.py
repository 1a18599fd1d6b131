"""A frame costs the same at step 10,000 as at step 10: nothing drawn per frame walks a run's history.

Counts work, not time: how many of a run's states Python code touches (by index, slice or
iteration) while the window takes one step and redraws every view.
"""
import pytest

from explorer.core import history as history_module


@pytest.fixture
def touched(monkeypatch):
    count = [0]
    base = list

    def getitem(self, key):
        got = base.__getitem__(self, key)
        count[0] += len(got) if isinstance(key, slice) else 1
        return got

    def iterate(self):
        count[0] += len(self)
        return base.__iter__(self)

    monkeypatch.setattr(history_module.History, "__getitem__", getitem)
    monkeypatch.setattr(history_module.History, "__iter__", iterate)
    return count


def states_touched_by_a_frame(qtbot, window, touched) -> int:
    c = window.controller
    assert c.wait_for_runs(300_000)
    qtbot.wait(250)              # the loss plot's throttled redraw of the jump is done
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
