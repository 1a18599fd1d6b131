"""The Line tab of the model pane: the curves drawn are L(θ* + a·d) evaluated here point by point, the dots are the
point on show projected onto each line, the barrier between two runs' ends is drawn where it is and said in the
title, the axes' lines are said to be the map's parameters, a big network is computed off the window's thread,
and presentation scales the text."""
import numpy as np
import pytest

from explorer.core.directions import DirectionSpec
from explorer.ui.views.plots.line_view import LineView
from tests.ui.at_rest import settle
from tests.ui.model_fit_window import open_model_fit


@pytest.fixture
def line_window(qtbot, window):
    return open_model_fit(qtbot, window, "line")


def shown_view(window):
    view = window.parts["fit"].model_pane.shown_view()
    assert isinstance(view, LineView)
    return view


def test_without_a_plane_the_lines_are_the_maps_parameters_through_the_held_theta(qtbot, line_window):
    w, c = line_window, line_window.controller
    c.jump(12)
    settle(qtbot, w)
    view, session = shown_view(w), c.session
    qtbot.waitUntil(lambda: view.found is not None and view.found["step"] == 12, timeout=10000)
    drawn, problem, theta = view.drawn(), session.problem, session.held_theta()
    first, second = session.setup.fit.axes
    assert f"along {first} and {second} through the held θ" in drawn["title"]
    i, j = session.setup.fit.axis_indices
    a, values = drawn["d2"]
    for k in (0, 40, len(a) - 1):
        moved = theta.copy()
        moved[j] += a[k]
        assert values[k] == pytest.approx(problem.value(moved), rel=1e-12)
    a, test = drawn["test"]
    moved = theta.copy()
    moved[i] += a[7]
    assert test[7] == pytest.approx(problem.data_loss(moved, "test"), rel=1e-12)
    assert drawn["markers"] == [pytest.approx((0.0, problem.value(theta)), rel=1e-12)] * 2


def test_the_plane_of_random_directions_and_the_point_on_show_projected(qtbot, line_window):
    w, c = line_window, line_window.controller
    c.jump(30)
    assert c.fit.set_directions(DirectionSpec("random", seed=2, span=0.9, centre="init")) == ""
    settle(qtbot, w)
    view, session = shown_view(w), c.session
    qtbot.waitUntil(lambda: view.found is not None and view.found["span"] == 0.9, timeout=10000)
    plane, problem, drawn = session.direction_plane(), session.problem, view.drawn()
    a, values = drawn["d1"]
    assert a[0] == pytest.approx(-0.9) and a[-1] == pytest.approx(0.9)
    for k in (5, 80, 150):
        assert values[k] == pytest.approx(problem.value(plane.centre + a[k] * plane.d1), rel=1e-12)
    theta = np.asarray(session.runs[0].current.point)
    on_d1 = (theta - plane.centre) @ plane.d1 / (plane.d1 @ plane.d1)
    expected = (on_d1, problem.value(plane.centre + on_d1 * plane.d1))
    assert abs(on_d1) > 0   # the run has moved off θ* (the initial θ)
    dots = [m for m in drawn["markers"] if m == pytest.approx(expected, rel=1e-10)]
    assert len(dots) == (1 if abs(on_d1) <= 0.9 else 0)   # drawn where it falls within the span
    assert drawn["title"] == "The loss along d₁ and d₂ through θ*" and len(drawn["barrier"][0]) == 0


def flipped(problem, theta):
    out = np.array(theta, dtype=float)
    (w1s, w1e, _, b1s, b1e), (w2s, w2e, _, _, _) = problem.network._layers
    for start, end in ((w1s, w1e), (b1s, b1e), (w2s, w2e)):
        out[start:end] *= -1.0
    return out


def test_the_barrier_between_two_runs_ends_is_drawn_and_said(qtbot, line_window):
    w, c = line_window, line_window.controller
    session = c.session
    b = w.editor.fit_form.builder
    b.widths.setText("2")   # one hidden layer of tanh: its sign-flipped twin is another minimum
    assert b.apply()
    assert c.wait_for_surface() and c.wait_for_runs()
    problem, first = session.problem, session.setup.runs[0]
    start = np.asarray(first.start, dtype=float)
    session.add_run(first.method, dict(first.settings), start=tuple(flipped(problem, start)), full=True)
    assert c.fit.set_directions(DirectionSpec("runs", span=1.3)) == ""
    settle(qtbot, w)
    view = shown_view(w)
    qtbot.waitUntil(lambda: view.found is not None and view.found["barrier"] is not None, timeout=20000)
    plane = session.direction_plane()
    a = np.linspace(-1, 1, 401)
    values = np.array([problem.value(plane.centre + t * plane.d1) for t in a])
    height, at = values.max() - max(values[0], values[-1]), a[np.argmax(values)]
    assert height > 0.1
    drawn = view.drawn()
    x, y = drawn["barrier"]   # a bar at the top's a from the higher end's loss up to the top
    assert x == pytest.approx([at, at]) and y == pytest.approx([max(values[0], values[-1]), values.max()], rel=1e-9)
    assert f"barrier {height:#.3g} above the higher end at a = " in drawn["title"]


def test_a_big_network_is_computed_off_the_windows_thread(qtbot, line_window):
    w, c = line_window, line_window.controller
    b = w.editor.fit_form.builder
    b.widths.setText("60, 60")
    assert b.apply()
    assert c.wait_for_surface(60000) and c.wait_for_runs()
    view = shown_view(w)
    assert c.model._workers["line"].busy or view.found is not None
    qtbot.waitUntil(lambda: view.found is not None, timeout=60000)
    problem, theta = c.session.problem, c.session.held_theta()
    a, values = view.drawn()["d1"]
    i = c.session.setup.fit.axis_indices[0]
    moved = theta.copy()
    moved[i] += a[-1]
    assert values[-1] == pytest.approx(problem.value(moved), rel=1e-12)


def test_presentation_scales_the_text(qtbot, line_window):
    view = shown_view(line_window)
    def sizes():
        return (view.title.font().pointSizeF(), view.plot.getAxis("bottom").style["tickFont"].pointSizeF(),
                view.curves["d1"].opts["pen"].widthF())
    before = sizes()
    view.set_text_scale(2.0)
    assert sizes() == pytest.approx(tuple(2 * v for v in before)) and view.text_scale == 2.0


def test_an_exports_frame_holds_the_lines_of_a_big_network(qapp, monkeypatch):
    """An export computes the lines (and the spectrum) in place: a frame never shows 'computing…', however slow."""
    import time
    from explorer.session import Session, line_reading
    quick = line_reading.line_losses
    slow = [True]   # the first curve takes 3 s: a worker would still be at it when the frame is taken

    def line_losses(*args, **kwargs):
        if slow.pop() if slow else False:
            time.sleep(3)
        return quick(*args, **kwargs)

    monkeypatch.setattr(line_reading, "line_losses", line_losses)
    from explorer.ui.app import share_gl_contexts
    from explorer.ui.export.stage import ExportStage
    share_gl_contexts()
    s = Session()
    s.start_model_fit("moons", "mlp:40,30:tanh")
    s.set_model_view("line")
    stage = ExportStage(s.scene(), "both", (960, 540))
    try:
        view = stage.slice.views["line"]
        assert stage.slice.shown_view() is view
        stage.settle()
        assert view.found is not None and not view.title.text().startswith("Computing")
        problem, theta = stage.controller.session.problem, stage.controller.session.held_theta()
        assert problem.dimension == 1381
        a, values = view.drawn()["d1"]
        moved = theta.copy()
        moved[stage.controller.session.setup.fit.axis_indices[0]] += a[0]
        assert values[0] == pytest.approx(problem.value(moved), rel=1e-12)
    finally:
        stage.close_stage()
