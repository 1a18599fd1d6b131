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
    alpha, phi = view.curves["f"].getData()        # drawn as offsets from f(x)
    assert np.interp(s.taken, alpha, phi) + s.value == pytest.approx(run.current.value, rel=1e-6, abs=1e-9)
    assert {"zero": "φ″ = 0", "positive": "curves up", "negative": "curves down"}[case] in view.title.text()
    assert {"zero": "as the gradient predicts", "positive": "falls less", "negative": "falls more"}[case] \
        in view.title.text()


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


def drawn_title(view) -> str:
    from PySide6.QtGui import QTextDocument
    doc = QTextDocument()
    doc.setHtml(view.title.text())
    return doc.toPlainText()


def test_the_sentence_is_told_from_the_step_taken_himmelblau_bfgs(qtbot, window):
    """φ″ < 0 where the step starts, but it turns > 0 inside the step: f falls less than the gradient predicts
    (121.9 < 138.7), and the sentence says so, and where φ″ changes sign."""
    c = window.controller
    assert c.set_expression("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    c.set_start(-1.2, 1.0)
    c.add_run("bfgs")
    c.select(len(c.runs) - 1)
    c.step()
    assert c.wait_for_surface()
    title = drawn_title(window.slice)
    d = window.slice.slice.decreases
    assert d.actual < d.linear and "121.9" in title and "138.7" in title
    assert "falls less than the gradient predicts" in title and "more" not in title
    assert "φ″ < 0, then > 0 from α = 0.01" in title


def test_the_f_range_holds_the_bars_and_models_not_far_values_of_f(qtbot, window):
    """The default Rosenbrock scene at step 0, BFGS: its first trial α = 1 lands at f ≈ 10¹², far beyond the
    step taken (α ≈ 8·10⁻⁴); the pane frames the step, its bars and its models."""
    c = window.controller
    c.add_run("bfgs")
    c.select(len(c.runs) - 1)
    c.reset()
    view = window.slice
    s = view.slice
    (a0, a1), (lo, hi) = view.plot.getPlotItem().vb.viewRange()
    assert a0 < 0 < s.taken < a1 and a1 < 20 * s.taken                # the step fills the pane's width
    ends = [bar.getData()[1] for bar in view.bars]
    held = [y for pair in ends for y in pair]
    on_step = (s.alpha >= 0) & (s.alpha <= s.taken)
    for name in ("f", "linear", "quadratic"):
        held.extend(view.curves[name].getData()[1][on_step])
    assert lo <= min(held) and max(held) <= hi                          # every bar and model over the step
    biggest = max(m.decrease for m in s.marks)
    assert hi - lo < 2 * biggest                                         # and little else: not 10¹²
    axis = view.plot.getAxis("left")
    labels = [text for spacing, values in axis.tickValues(lo, hi, axis.height())
              for text in axis.tickStrings(values, 1.0, spacing)]
    assert labels and all(len(text) <= 8 for text in labels)            # readable numbers


def test_at_rounding_level_the_sentence_says_the_decreases_agree():
    """f = x² + y² + 8 from x = 3·10⁻⁸ to its minimum: both decreases are about 10⁻¹⁵, below f's rounding; the
    sentence must not call one bigger than the other."""
    from explorer.core.objective import Objective
    from explorer.core.slice import step_slice
    from explorer.ui.views.plots.slice_view import describe, describe_short
    s = step_slice(Objective("x^2 + y^2 + 8"), [3e-8, 0.0], [-6e-8, 0.0], taken=0.5)
    text = describe(s, "gd", 0)
    assert "changes as the gradient predicts (to rounding)" in text
    assert "falls more" not in text and "falls less" not in text
    assert "falls as linear" in describe_short(s, "gd", 0)
