"""The slice view draws the three pictures of the curvature lesson, and follows Step, Back and selection."""
import numpy as np
import pytest

from explorer.core.preset_library import find_preset
from explorer.core.scene import load_scene


def bar_lengths(view) -> list[float]:
    """The drawn decreases (linear, quadratic, actual): the bars' lengths down from f(x)."""
    lengths = []
    for bar in view.bars:
        _, ys = bar.getData()
        lengths.append(float(ys[0] - ys[1]))
    return lengths


@pytest.mark.parametrize("preset, case", [("linear-step", "zero"), ("convex-step", "positive"),
                                          ("concave-step", "negative")])
def test_the_three_curvature_cases_draw_the_three_pictures(qtbot, window, preset, case):
    window.scenes.show_scene(load_scene(find_preset(preset)))
    c = window.controller
    for _ in range(3):
        c.step()
    view = window.slice
    s = view.slice
    assert s.curvature_case == case
    linear, quadratic, actual = bar_lengths(view)
    run = c.selected_run()
    record = run.records[run.position - 1]        # the step on show is the last one taken
    assert actual == pytest.approx(record.actual, rel=1e-9)
    assert linear == pytest.approx(record.predicted_linear, rel=1e-9)
    if case == "zero":          # a plane: the gradient's prediction is exact
        assert actual == pytest.approx(linear, rel=1e-9)
    elif case == "positive":    # curving up: less than predicted
        assert 0 < actual < linear
    else:                       # curving down: more than predicted
        assert actual > linear > 0
    assert quadratic == pytest.approx(actual, rel=1e-9)   # each of these is a quadratic: its model is exact
    # the curve drawn is f along the step: at the α taken it is f where the run went
    alpha, phi = view.curves["f"].getData()
    assert np.interp(s.taken, alpha, phi) == pytest.approx(run.current.value, rel=1e-6, abs=1e-9)
    assert {"zero": "φ″ = 0", "positive": "curves up", "negative": "curves down"}[case] in view.title.text()


def test_the_slice_follows_back_and_the_selected_run(qtbot, window):
    c = window.controller            # the fixture's Rosenbrock: gd and newton
    c.select(0)
    for _ in range(4):
        c.step()
    view = window.slice
    assert "gd, step 3 → 4" in view.title.text()
    c.back()
    assert "gd, step 2 → 3" in view.title.text()
    c.select(1)
    assert view.title.text().startswith("<b>newton")
    np.testing.assert_allclose(view.slice.start, c.runs[1].states[c.runs[1].position - 1].point)
    c.step()
    assert "newton, step 3 → 4" in view.title.text()
    assert view.slice.decreases.actual < 0 and "went uphill" in view.title.text()   # and it says so


def test_at_step_zero_the_slice_shows_the_step_about_to_be_taken(qtbot, window):
    c = window.controller
    c.reset()
    view = window.slice
    assert "step 0 → 1" in view.title.text()
    np.testing.assert_allclose(view.slice.start, c.runs[0].start)
    assert len(c.runs[0].states) >= 1 and c.runs[0].position == 0      # looking ahead changed nothing
