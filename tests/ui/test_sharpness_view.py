"""The sharpness view in the window, on preset 44: the λmax line fills in from a worker to one point per step, the
bound is the dashed line at 2/lr with its label, the loss is drawn per state, the marker follows the step on show;
Adam's run has no bound and says why; a hidden view asks for nothing."""
import numpy as np
import pytest

from explorer.core.preset_library import find_preset
from explorer.core.scene import load_scene
from explorer.ui.views.plots.sharpness_view import SharpnessView
from tests.ui.at_rest import settle


@pytest.fixture
def edge(qtbot, window):
    window.scenes.show_scene(load_scene(find_preset("44-edge-of-stability")))
    c = window.controller
    assert c.wait_for_surface() and c.wait_for_runs()
    settle(qtbot, window)
    return window


def view_of(window) -> SharpnessView:
    return window.parts["fit"].model_pane.views["sharpness"]


def test_the_preset_opens_on_the_sharpness_tab_and_the_line_fills_in_to_every_step(qtbot, edge):
    c, view = edge.controller, view_of(edge)
    pane = edge.parts["fit"].model_pane
    assert pane.shown_view() is view and view.isVisible()
    c.jump(60)
    qtbot.waitUntil(lambda: c.session.sharpness_missing() == [] and not c.model.sharpness.busy, timeout=30000)
    settle(qtbot, edge)
    view.refresh()
    x, y = view.curve.getData()
    assert x.tolist() == list(range(61))
    steps, values = c.session.sharpness_series()
    np.testing.assert_allclose(y, values)
    bx, by = view.bound.getData()
    assert np.allclose(by, 2 / 0.14) and bx[0] == 0 and bx[-1] == 60
    assert view.bound_text.textItem.toPlainText() == "2/lr = 14.3"
    lx, ly = view.loss.getData()
    assert len(lx) == 61 and ly[0] == pytest.approx(np.log10(c.selected_run().states[0].value))
    # the marker: λmax at the step on show
    (dot,) = view.dot.points()
    assert (dot.pos().x(), dot.pos().y()) == pytest.approx((60, values[60]))
    assert view.shown_lines[0].value() == 60
    assert "edge of stability" in view.lesson.text() and "λmax" in view.title.text()
    # the lesson's numbers are the drawn ones: below the bound so far, by this much
    assert f"at most {values.max() * 0.14 / 2:.0%} of 2/lr so far" in view.lesson.text()
    c.back()
    settle(qtbot, edge)
    assert view.dot.points()[0].pos().x() == 59
    c.jump(100)
    qtbot.waitUntil(lambda: "reached 2/lr at step" in view.lesson.text(), timeout=30000)
    steps, values = c.session.sharpness_series()
    first = int(steps[np.argmax(values >= 2 / 0.14)])
    assert f"reached 2/lr at step {first}:" in view.lesson.text() and first == 79   # the preset's note says 79


def test_adam_has_no_bound_and_says_why(qtbot, edge):
    c, view = edge.controller, view_of(edge)
    c.add_run("adam", {"lr": 0.01})
    c.select(1)
    c.jump(5)
    qtbot.waitUntil(lambda: c.session.sharpness_missing() == [] and not c.model.sharpness.busy, timeout=30000)
    settle(qtbot, edge)
    view.refresh()
    assert len(view.curve.getData()[0]) == 6
    bx, _ = view.bound.getData()
    assert bx is None or len(bx) == 0
    assert view.bound_text.textItem.toPlainText() == ""
    assert "No stability bound" in view.lesson.text() and "adam" in view.lesson.text()


def test_a_mini_batched_runs_lesson_says_the_bound_is_a_guide(qtbot, edge):
    c, view = edge.controller, view_of(edge)
    assert c.training.set_run_batch(0, 16, 1)
    c.jump(3)
    qtbot.waitUntil(lambda: "Mini-batches" in view.lesson.text(), timeout=30000)
    assert "2/lr" in view.lesson.text()


def test_a_long_run_is_estimated_at_a_stride_and_the_view_says_so(qtbot, edge):
    c, view = edge.controller, view_of(edge)
    c.set_max_steps(1200)
    c.jump(31)
    qtbot.waitUntil(lambda: c.session.sharpness_missing() == [] and not c.model.sharpness.busy, timeout=30000)
    settle(qtbot, edge)
    view.refresh()
    assert view.curve.getData()[0].tolist() == list(range(0, 32, 3))
    assert "every 3 steps" in view.title.text() and "λmax" in view.title.text() and "at step 30" in view.title.text()
    (dot,) = view.dot.points()
    assert dot.pos().x() == 30   # step 31 lies between estimates: the last one before it is marked


def test_choosing_another_run_stops_the_estimates_of_the_first(qtbot, edge, monkeypatch):
    import time
    from explorer.session import sharpness_reading
    c = edge.controller
    c.add_run("adam", {"lr": 0.01})
    settle(qtbot, edge)
    c.select(0)
    quick = sharpness_reading.sharpness_of_step
    monkeypatch.setattr(sharpness_reading, "sharpness_of_step", lambda *a, **k: time.sleep(0.1) or quick(*a, **k))
    c.jump(40)
    qtbot.waitUntil(lambda: c.model.sharpness.busy, timeout=10000)
    c.select(1)   # the view asks for run 1's: run 0's worker stops at its next step, then run 1's starts
    qtbot.waitUntil(lambda: c.session.sharpness_missing(1) == [] and not c.model.sharpness.busy, timeout=60000)
    assert c.session.sharpness_missing(0)   # run 0's estimates were left where they stood
    c.select(0)
    qtbot.waitUntil(lambda: c.session.sharpness_missing(0) == [] and not c.model.sharpness.busy, timeout=60000)


def test_a_hidden_view_asks_for_no_estimates(qtbot, edge):
    c, view = edge.controller, view_of(edge)
    assert c.model.show_view("metrics")
    settle(qtbot, edge)
    assert not view.isVisible()
    c.jump(40)
    settle(qtbot, edge)
    qtbot.waitUntil(lambda: not c.model.sharpness.busy, timeout=30000)
    assert c.session.sharpness_missing()   # nothing estimated past what was asked while it was on show
    assert c.model.show_view("sharpness")
    qtbot.waitUntil(lambda: c.session.sharpness_missing() == [] and not c.model.sharpness.busy, timeout=30000)


def test_an_exports_frames_hold_every_estimate_up_to_their_step(qapp, monkeypatch):
    """However slow the estimates (here each made slow on purpose), a frame waits for those up to its step."""
    import time
    from explorer.session import sharpness_reading
    from explorer.ui.app import share_gl_contexts
    from explorer.ui.export.stage import ExportStage
    share_gl_contexts()
    quick = sharpness_reading.sharpness_of_step
    monkeypatch.setattr(sharpness_reading, "sharpness_of_step", lambda *a, **k: time.sleep(1.5) or quick(*a, **k))
    stage = ExportStage(load_scene(find_preset("44-edge-of-stability")), "both", (960, 540))
    try:
        view = stage.slice.views["sharpness"]
        assert stage.slice.shown_view() is view
        for k in range(1, 4):
            assert stage.step()
            stage.settle()
            x, y = view.curve.getData()
            assert x.tolist() == list(range(k + 1)), k   # the frame of step k: λmax at steps 0..k, none missing
            assert np.all(np.isfinite(y))
    finally:
        stage.close_stage()
