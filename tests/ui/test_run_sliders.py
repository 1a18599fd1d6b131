"""The selected run's settings on sliders, its start dragged on the map, the animate sweep: what a drag changes,
how many undo steps it leaves, and that the path is a fresh run's with those settings."""
import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from explorer.core.setting_scales import SCALES
from explorer.ui.control.setting_sweep import sweep_position


def path(run):
    return np.array([s.point for s in run.states])


def fresh(c, index):
    """The path of a run built anew from the session's spec (nothing cached)."""
    from explorer.core.run_spec import optimizer_of
    from explorer.core.trajectory import Run
    spec = c.configs[index]
    run = Run(optimizer_of(spec, c.objective), spec.start, max_steps=c.max_steps)
    while len(run.states) - 1 < c.step_index and run.step_forward():
        pass
    return path(run)


def test_the_sliders_show_the_selected_runs_settings_log_for_lr_linear_for_beta(qtbot, window):
    c, sliders = window.controller, window.runs_panel.sliders
    c.add_run("momentum", {"lr": 0.001, "momentum": 0.8})
    assert list(sliders.rows) == ["lr", "momentum"] and sliders.isVisible()
    lr, beta = sliders.rows["lr"], sliders.rows["momentum"]
    assert lr.slider.value() == SCALES["lr"].position(0.001) == 200 and lr.value.text() == "0.001"
    assert beta.slider.value() == 800 and beta.value.text() == "0.8"
    c.select(1)                                               # newton: its settings instead
    assert list(sliders.rows) == ["singular_tolerance"]


def test_a_drag_is_one_undo_step_and_redraws_the_path_of_a_fresh_run(qtbot, window):
    c, sliders = window.controller, window.runs_panel.sliders
    c.jump(120)
    assert c.wait_for_runs()
    c.select(0)
    kept = c.runs[1]
    done = len(c.session.history.done)
    slider = sliders.rows["lr"].slider
    slider.setSliderDown(True)
    for p in (205, 210, 215, 220):
        slider.setSliderPosition(p)
    slider.setSliderDown(False)                               # released: QSlider emits sliderReleased
    assert c.configs[0].settings["lr"] == SCALES["lr"].value(220) == 0.00158
    assert len(c.session.history.done) == done + 1 and c.runs[1] is kept
    assert np.array_equal(path(c.runs[0]), fresh(c, 0))
    line = window.contour.paths[0][0]                          # the map drew the new path
    assert line.xData[-1] == pytest.approx(c.runs[0].current.point[0])
    c.undo()
    assert c.configs[0].settings["lr"] == 0.001 and slider.value() == 200


def test_the_keyboard_moves_a_slider_one_undo_step_a_press(qtbot, window):
    c, sliders = window.controller, window.runs_panel.sliders
    c.select(0)
    slider = sliders.rows["lr"].slider
    slider.setFocus()
    done, step = len(c.session.history.done), c.step_index
    qtbot.keyClick(slider, Qt.Key_Right)
    qtbot.keyClick(slider, Qt.Key_PageUp)
    assert slider.value() == 201 + 60 and c.step_index == step     # the keys moved the slider, not the timeline
    assert c.configs[0].settings["lr"] == SCALES["lr"].value(261)
    assert len(c.session.history.done) == done + 2


def test_the_start_dragged_on_the_map_moves_the_selected_run_alone_in_one_undo_step(qtbot, window):
    c, handle = window.controller, window.contour.start_handle
    c.jump(60)
    assert c.wait_for_runs()
    c.select(0)
    other, done = c.runs[1], len(c.session.history.done)
    for x in (-1.2, -1.0, -0.8):
        handle.drag_to(x, 1.5)
    handle.target.sigPositionChangeFinished.emit(handle.target)   # released
    assert c.configs[0].start == (-0.8, 1.5) and c.runs[1] is other
    assert len(c.session.history.done) == done + 1
    assert np.array_equal(path(c.runs[0]), fresh(c, 0))
    assert handle.target.pos().x() == pytest.approx(-0.8)


def test_a_mouse_drag_of_the_start_handle(qtbot, window):
    c, view = window.controller, window.contour
    c.select(0)
    view.show_domain()
    qtbot.wait(50)
    vb = view.getPlotItem().vb
    start = c.configs[0].start

    def screen(x, y):
        return view.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
    done = len(c.session.history.done)
    qtbot.mousePress(view.viewport(), Qt.LeftButton, pos=screen(*start))
    for k in range(1, 6):
        qtbot.mouseMove(view.viewport(), pos=screen(start[0] + 0.1 * k, start[1] - 0.1 * k))
        qtbot.wait(5)
    qtbot.mouseRelease(view.viewport(), Qt.LeftButton, pos=screen(start[0] + 0.5, start[1] - 0.5))
    moved = c.configs[0].start
    assert moved[0] == pytest.approx(start[0] + 0.5, abs=0.05) and moved[1] == pytest.approx(start[1] - 0.5, abs=0.05)
    assert len(c.session.history.done) == done + 1


def test_the_sweep_goes_up_to_the_end_down_to_the_other_and_back():
    assert [sweep_position(t, 200, 600, period=4.0) for t in (0, 1, 4 / 3, 2, 3, 10 / 3, 4)] == [
        200, 500, 600, 400, 100, 0, 200]


def test_the_animate_button_sweeps_one_undo_step_and_stops(qtbot, window):
    c, sliders = window.controller, window.runs_panel.sliders
    c.select(0)
    done = len(c.session.history.done)
    row = sliders.rows["lr"]
    row.play.click()
    sweep = sliders.sweep
    assert sweep.running and row.play.text() == "■"
    seen = []
    for t in (0.5, 1.0, 1.5, 2.5):
        sweep.tick(t)
        seen.append(c.configs[0].settings["lr"])
    assert seen == [SCALES["lr"].value(sweep_position(t, 200, 600)) for t in (0.5, 1.0, 1.5, 2.5)]
    assert row.slider.value() == SCALES["lr"].position(seen[-1])
    row.play.click()
    assert not sweep.running and row.play.text() == "▶"
    assert len(c.session.history.done) == done + 1
    c.undo()
    assert c.configs[0].settings == {"lr": 0.001}


def test_undo_during_a_sweep_stops_it_and_takes_the_sweep_back(qtbot, window):
    c, sliders = window.controller, window.runs_panel.sliders
    c.select(0)
    before = dict(c.configs[0].settings)
    sliders.rows["lr"].play.click()
    sweep = sliders.sweep
    sweep.tick(0.7)
    assert sweep.running and c.configs[0].settings != before
    c.undo()
    assert not sweep.running and sliders.rows["lr"].play.text() == "▶"
    assert c.configs[0].settings == before
    sweep.tick(1.0)   # a tick already queued changes nothing once stopped
    assert c.configs[0].settings == before


@pytest.mark.parametrize("size", [(1600, 1000), (1024, 768)])
def test_presentation_shows_a_row_of_the_settings_and_a_starts_and_stops_the_sweep(qtbot, window, size):
    """A large screen shows the row of the selected run's settings; a 1024×768 one, where the views need the room,
    shows it while A sweeps a setting (the slider moving with the value)."""
    c = window.controller
    c.select(0)
    window.presentation.enter(full_screen=False)
    window.resize(*size)
    qtbot.wait(30)
    small = size == (1024, 768)
    assert not window.runs_panel.isVisible() and window.run_bar.isVisible() is not small
    window.setFocus()
    qtbot.keyClick(window, Qt.Key_A)
    qtbot.wait(10)
    assert window.run_bar.sweep.running and window.run_bar.isVisible()
    assert list(window.run_bar.rows) == ["lr"] and window.run_bar.rows["lr"].play.text() == "■"
    window.run_bar.sweep.tick(1.0)
    assert c.configs[0].settings["lr"] == SCALES["lr"].value(sweep_position(1.0, 200, 600))
    qtbot.keyClick(window, Qt.Key_A)
    assert not window.run_bar.sweep.running and window.run_bar.isVisible() is not small
    assert window.run_bar.rows["lr"].slider.value() == SCALES["lr"].position(c.configs[0].settings["lr"])
    window.presentation.leave()
    assert not window.run_bar.isVisible() and window.runs_panel.sliders.isVisible()


def test_a_dragged_setting_does_not_test_again_whether_f_is_quadratic(qtbot, window, monkeypatch):
    """The stability panel's quadratic test (16 Hessians) depends on f, not on the run's settings."""
    from explorer.core import stability
    from explorer.ui.control import lesson_control
    c = window.controller
    c.set_expression("x^2 + 10*y^2")
    c.select(0)
    assert window.stability.relevant()
    tests, original = [], lesson_control.quadratic_form
    for module in (lesson_control, stability):   # wherever the test is called from
        monkeypatch.setattr(module, "quadratic_form", lambda *a, **k: tests.append(1) or original(*a, **k))
    slider = window.runs_panel.sliders.rows["lr"].slider
    slider.setSliderDown(True)
    for p in (210, 220, 230):
        slider.setSliderPosition(p)
    slider.setSliderDown(False)
    assert window.stability.analysis.settings["lr"] == SCALES["lr"].value(230) and tests == []
