"""The loss plot's fair x axis: iterations, or what the steps cost in f, ∇f and Hessian evaluations."""
import numpy as np


def choose(loss, key):
    loss.axis_choice.setCurrentIndex(loss.axis_choice.findData(key))


def test_against_hessian_evaluations_gradient_descent_costs_nothing_and_newton_one_a_step(qtbot, window):
    c = window.controller                      # Rosenbrock: gd and newton from one start
    for _ in range(5):
        c.step()
    loss = window.loss
    choose(loss, "hessian")
    (gd_x, gd_f), (newton_x, newton_f) = (line.getData() for line in loss.lines)
    assert gd_x.tolist() == [0] * 6                                      # a first-order method
    assert newton_x.tolist() == list(range(c.runs[1].position + 1))        # one Hessian per step
    np.testing.assert_array_equal(newton_f, [s.value for s in c.runs[1].states[:c.runs[1].position + 1]])
    assert loss.plot.getAxis("bottom").labelText == "Hessian evaluations"
    choose(loss, "iterations")
    assert loss.lines[0].getData()[0].tolist() == list(range(6))
    assert loss.plot.getAxis("bottom").labelText == "iteration"


def test_a_line_search_pays_for_its_trials(qtbot, window):
    c = window.controller
    c.add_run("bfgs")
    for _ in range(10):
        c.step()
    choose(window.loss, "value")
    bfgs_x, _ = window.loss.lines[2].getData()
    counts = c.runs[2].evaluation_counts()[:c.runs[2].position + 1, 0]
    assert bfgs_x.tolist() == counts.tolist()
    assert np.all(np.diff(bfgs_x) >= 1) and bfgs_x[-1] > c.runs[2].position   # more than one f a step somewhere


def test_runs_of_one_method_are_named_by_what_differs():
    """The legend and captions name a repeated method by its batch, schedule or a differing setting, and
    number the runs only when that cannot tell every one apart."""
    from explorer.core.schedules import make_schedule
    from explorer.core.run_spec import RunSpec
    from explorer.ui.text.run_text import legend_names

    def run(method="gd", batch=None, schedule=None, **settings):
        return RunSpec(method, settings, (0.0, 0.0), batch, 1 if batch else 0,
                        schedule or make_schedule())

    assert legend_names([run(lr=0.05), run(lr=0.05, batch=10), run(lr=0.05, batch=1)]) == [
        "gd, full batch", "gd, batch 10", "gd, SGD"]
    assert legend_names([run(), run(schedule=make_schedule("cosine", period=50)), run("newton")]) == [
        "gd, constant lr", "gd, cosine", "newton"]
    assert legend_names([run(lr=0.1), run("momentum", lr=0.005), run("momentum", lr=0.05)]) == [
        "gd", "momentum, lr 0.005", "momentum, lr 0.05"]
    assert legend_names([run(lr=0.1), run(lr=0.1), run(lr=0.2)]) == ["gd 1", "gd 2", "gd 3"]   # two alike


def test_against_epochs_sgd_pays_one_row_a_step_and_the_full_batch_every_row(qtbot, window):
    """Epochs (rows whose gradient a run used / rows of the data) are offered for fits only."""
    c = window.controller
    loss = window.loss
    item = loss.axis_choice.model().item(loss.axis_choice.findData("epochs"))
    assert not item.isEnabled()                          # a function has no rows
    c.session.start_fit()                                # the line dataset: 50 rows, one gd run
    assert item.isEnabled()
    c.add_run("gd", {"lr": 0.05})
    assert c.training.set_run_batch(1, 1, 3)                      # SGD
    for _ in range(4):
        c.step()
    choose(loss, "epochs")
    loss.refresh()
    full_x, sgd_x = (line.getData()[0] for line in loss.lines)
    np.testing.assert_allclose(full_x, [1, 2, 3, 4, 5])              # every state costs all 50 rows
    np.testing.assert_allclose(sgd_x, np.arange(1, 6) / 50)          # one row a state
    c.set_expression("x^2 + y^2")                        # back to a function: back to iterations
    assert loss.axis() == "iterations" and not item.isEnabled()


def test_a_long_curve_is_drawn_as_the_pixels_show_it():
    """peaks keeps, for each pixel-wide slice of steps, the lowest and the highest loss and the last point: the
    drawn curve spans exactly what the full one spans in every slice, with a few hundred points."""
    from explorer.ui.views.plots.loss_plot import peaks
    xs = np.arange(10_001, dtype=float)
    ys = np.exp(-xs / 2000) + 0.01 * np.sin(xs)          # a falling loss with a wiggle
    px, py = peaks(xs, ys, 300)
    assert len(px) <= 2 * 300 + 1 and px[-1] == xs[-1] and py[-1] == ys[-1]
    assert py.min() == ys.min() and py.max() == ys.max()
    edges = np.linspace(0, 10_000, 301)
    for a, b in zip(edges[:-1:37], edges[1::37]):          # any slice: the same lowest and highest value
        inside = (xs >= np.ceil(a)) & (xs < np.ceil(b))
        drawn = (px >= np.ceil(a)) & (px < np.ceil(b))
        assert py[drawn].min() == ys[inside].min() and py[drawn].max() == ys[inside].max()
    short = np.arange(50.0)
    assert peaks(short, short ** 2, 300)[1] is not None and np.array_equal(peaks(short, short ** 2, 300)[1], short ** 2)
