"""What mini-batch noise looks like in the window (issue 15): the batch's level lines and gradient arrow on the map,
its rows in the fit view, its loss per step in the loss plot, and the lr plot of a schedule, synced to the
timeline. Work is counted, not timed: one batch grid a shown step, none for a full-batch run."""
import numpy as np
import pytest

from explorer.core.datasets import generate
from explorer.core.schedules import make_schedule
from explorer.ui.control import batch_control

from tests.ui.at_rest import settle


@pytest.fixture
def grids(monkeypatch):
    """How many batch-loss grids the controller computes."""
    count = [0]
    compute = batch_control.batch_slice_values

    def counted(*args, **kwargs):
        count[0] += 1
        return compute(*args, **kwargs)

    monkeypatch.setattr(batch_control, "batch_slice_values", counted)
    return count


def fit_window(qtbot, window, batch=8, seed=3):
    """The line fit (w·X + b, 50 rows) with its gd run on mini-batches of `batch` rows (None: every row)."""
    c = window.controller
    assert c.fit.start() and c.wait_for_surface()
    if batch is not None:
        assert c.training.set_run_batch(0, batch, seed)
    assert c.wait_for_surface()
    settle(qtbot, window)
    return c


def direction(v):
    v = np.asarray(v, float)
    return v / np.linalg.norm(v)


def arrow(line):
    x, y = line.getData()
    return np.array([x[0], y[0]]), np.array([x[-1] - x[0], y[-1] - y[0]])


def test_the_batch_level_lines_are_drawn_only_for_a_batched_run_and_jump_from_step_to_step(qtbot, window, grids):
    c = fit_window(qtbot, window, batch=None)
    contour = window.contour
    for _ in range(3):
        c.step()
    assert not contour.batch.lines.isVisible() and contour.batch.vertices().size == 0
    assert "batch" not in contour.batch.key_text() and grids[0] == 0   # a full-batch run: no batch grid at all
    assert c.training.set_run_batch(0, 8, 3)
    assert c.wait_for_runs() and grids[0] == 1                        # the step on show: its batch's grid
    c.step()
    assert contour.batch.lines.isVisible()
    first, rows = contour.batch.vertices(), c.batch.shown_batch()
    assert grids[0] == 2
    # the drawn lines are the batch's level sets: L_B at their vertices is one of the map's labelled levels
    problem, levels = c.fit.problem, contour.levels.shown_major
    points = first[np.isfinite(first[:, 0])][::25]
    assert len(points) > 10
    x, y = problem.dataset.column("X")[rows], problem.dataset.column("Y")[rows]
    for point in points:
        value = np.mean((point[0] * x + point[1] - y) ** 2)           # L_B by hand: (w·X + b − Y)² over the batch
        assert np.min(np.abs(levels - value) / levels) < 0.02, (point, value)
    assert "L of this step's batch (8 of 50 rows)" in contour.batch.key_text()
    assert contour.batch.grid.z.shape == (80, 80)                     # a modest grid
    contour.draw_runs()                                               # the same step drawn again: no new grid
    assert grids[0] == 2
    c.step()
    assert grids[0] == 3 and not np.array_equal(c.batch.shown_batch(), rows)
    second = contour.batch.vertices()
    assert second.shape != first.shape or not np.allclose(second, first, equal_nan=True)
    contour.batch_action.setChecked(False)                           # the map's menu hides them
    assert not contour.batch.lines.isVisible()


def test_the_batch_arrow_is_the_batch_gradient_beside_the_full_one_on_one_scale(qtbot, window):
    c = fit_window(qtbot, window, batch=8)
    for _ in range(4):
        c.step()
    state, overlays = c.runs[0].current, window.contour.overlays
    assert overlays.gradient.isVisible() and overlays.batch_line.isVisible()
    (p, full), (q, batch) = arrow(overlays.gradient), arrow(overlays.batch_line)
    assert p == pytest.approx(state.point) and q == pytest.approx(state.point)
    assert direction(full) == pytest.approx(direction(-state.gradient), abs=1e-9)          # −∇L
    assert direction(batch) == pytest.approx(direction(-state.batch_gradient), abs=1e-9)   # −∇L_B
    # one scale, the one the key states: each arrow is s times its gradient long
    scale = window.contour.arrow_scale()
    assert np.linalg.norm(full) == pytest.approx(scale * np.linalg.norm(state.gradient), rel=1e-9)
    assert np.linalg.norm(batch) == pytest.approx(scale * np.linalg.norm(state.batch_gradient), rel=1e-9)
    assert not np.allclose(direction(full), direction(batch))       # the batch's gradient is not L's
    key = window.contour.batch.key_text()
    assert f"arrow = {scale:g}·(−∇L) over every row" in key
    assert f"arrow = {scale:g}·(−∇LB) of this step's batch" in key
    assert c.training.set_run_batch(0, None)                                  # every row: one arrow, the usual one
    assert overlays.gradient.isVisible() and not overlays.batch_line.isVisible()


def test_the_fit_view_rings_exactly_the_rows_of_the_steps_batch(qtbot, window):
    c = fit_window(qtbot, window, batch=None)
    view = window.parts["fit"].pane
    assert view.shown_rows is None and not view.legend.isVisible()
    assert c.training.set_run_batch(0, 8, 3)
    d = generate("line", 0)
    for _ in range(3):
        c.step()
        run = c.runs[0]
        rows = run.optimizer.batches.batch(run.current.iteration)
        assert view.shown_rows.tolist() == rows.tolist() and len(rows) == 8
        x, y = view.batch_rings.getData()
        assert sorted(zip(x, y)) == sorted(zip(d.column("X")[rows], d.column("Y")[rows]))   # the data's own rows
        assert view.legend.isVisible() and view.legend.texts() == ["rows of this step's batch"]
        assert all(scatter.opacity() < 1 for scatter in view.classes)                        # the others fade
    assert c.training.set_run_batch(0, None)
    assert view.shown_rows is None and len(view.batch_rings.getData()[0]) == 0
    assert all(scatter.opacity() == 1 for scatter in view.classes)


def test_the_loss_plot_draws_each_steps_batch_loss_beside_the_full_loss(qtbot, window):
    c = fit_window(qtbot, window, batch=8)
    for _ in range(6):
        c.step()
    loss, run = window.loss, c.runs[0]
    loss.refresh()
    xs, values = loss.batch_lines[0].getData()
    np.testing.assert_array_equal(values, run.batch_losses())
    assert xs.tolist() == list(range(7))
    problem = c.fit.problem
    for k in (0, 3, 6):   # by hand: the mean loss over step k's rows, at state k
        rows = run.optimizer.batches.batch(k)
        assert values[k] == pytest.approx(np.mean((run.states[k].point[0] * problem.dataset.column("X")[rows]
                                                   + run.states[k].point[1] - problem.dataset.column("Y")[rows]) ** 2))
    np.testing.assert_array_equal(loss.lines[0].getData()[1], [s.value for s in run.states[:7]])
    assert loss.legend.texts() == ["gd", "all rows", "batch"]
    assert c.training.set_run_batch(0, None)
    loss.refresh()
    assert loss.batch_lines[0] is None   # a full-batch run has no batch line
    assert loss.legend.texts() == ["gd"]


def test_the_lr_plot_draws_the_schedule_with_a_marker_at_the_step_on_show(qtbot, window):
    c = fit_window(qtbot, window, batch=8)
    plot = window.lr_plot
    assert not plot.isVisibleTo(window)                              # a constant lr: no plot
    lr0, gamma = c.runs[0].optimizer.lr, 0.9
    assert c.training.set_run_schedule(0, make_schedule("exponential", gamma=gamma))
    assert plot.isVisibleTo(window)
    steps, lrs = plot.curves[0].getData()
    assert steps[0] == 0 and len(steps) == c.max_steps + 1
    np.testing.assert_allclose(lrs, lr0 * gamma ** steps, rtol=1e-12)   # lr₀·γᵗ
    for k in range(1, 4):
        c.step()
        assert plot.marker_position() == pytest.approx((k, lr0 * gamma ** k))
        assert plot.now.value() == k
    c.back()
    assert plot.marker_position() == pytest.approx((2, lr0 * gamma ** 2))
    assert "step 2" in plot.title.text() and "exponential" in plot.title.text()
    assert c.add_run("gd", {"lr": 0.02}) and c.training.set_run_schedule(1, make_schedule("step", drop=0.5, every=4))
    steps, lrs = plot.curves[1].getData()                                # another run's schedule beside it
    np.testing.assert_allclose(lrs, 0.02 * 0.5 ** (steps // 4), rtol=1e-12)   # lr₀·drop^⌊t/every⌋
    c.select(1)
    assert plot.marker_position() == pytest.approx((c.runs[1].position, 0.02 * 0.5 ** (c.runs[1].position // 4)))
    assert c.remove_run(1)
    assert c.training.set_run_schedule(0, None)
    assert not plot.isVisibleTo(window)


def test_presentation_and_an_exported_frame_show_the_batch_pictures(qtbot, window):
    c = fit_window(qtbot, window, batch=8)
    assert c.training.set_run_schedule(0, make_schedule("step", drop=0.5, every=2))
    for _ in range(3):
        c.step()
    window.presentation.enter(full_screen=False)
    try:
        assert window.lr_plot.text_scale > 1 and window.contour.batch.text_scale > 1
    finally:
        window.presentation.leave()
    from explorer.ui.export.stage import ExportStage
    stage = ExportStage(c.session.scene(), "both", (960, 540), start_at_current=True)
    try:
        run = stage.controller.runs[0]
        assert run.position == 3 and stage.lr_plot is not None
        assert stage.lr_plot.marker_position() == pytest.approx((3, run.optimizer.lr * 0.5))
        assert stage.contour.batch.lines.isVisible() and stage.contour.overlays.batch_line.isVisible()
        assert stage.slice.shown_rows.tolist() == run.optimizer.batches.batch(3).tolist()
    finally:
        stage.close_stage()


def test_the_maps_key_stays_inside_the_map_in_presentation_at_1024_by_768(qtbot, window):
    """Preset 31's key (two arrows and the batch's lines) in big type on a small map: wrapped, never cut."""
    from tests.ui.test_presentation import enter
    from tests.ui.test_presentation_small_screen import show_preset
    show_preset(qtbot, window, "31-")
    enter(qtbot, window, (1024, 768))
    try:
        batch = window.contour.batch
        vb = window.contour.getPlotItem().vb
        assert batch.card.isVisible() and "over every row" in batch.key_text()
        shown = batch.card.mapRectToParent(batch.card.rect())
        assert vb.boundingRect().contains(shown), (shown, vb.boundingRect())
    finally:
        window.presentation.leave()


def frame(qtbot, window, touched, grids) -> tuple[int, int]:
    c = window.controller
    assert c.wait_for_runs(300_000)
    settle(qtbot, window)
    touched[0] = grids[0] = 0
    c.step()
    for view in (window.loss, window.lr_plot, window.parts["fit"].pane):
        view.refresh()
    return touched[0], grids[0]


def test_a_frame_of_a_batched_run_costs_the_same_at_step_1500_as_at_step_10(qtbot, window, touched, grids):
    c = fit_window(qtbot, window, batch=8)
    c.set_max_steps(5_000)
    assert c.set_run_settings(0, {"lr": 1e-5})                        # crawls: it does not stop before step 1,500
    assert c.training.set_run_schedule(0, make_schedule("inverse-time", decay=0.001))
    c.jump(10)
    early = frame(qtbot, window, touched, grids)
    c.jump(1_500)
    late = frame(qtbot, window, touched, grids)
    assert c.runs[0].position == 1_501 and not c.runs[0].finished
    assert early[1] == late[1] == 1                                 # one batch grid a frame
    assert late[0] <= early[0] + 4, (early, late)                   # a handful of states, not the history
