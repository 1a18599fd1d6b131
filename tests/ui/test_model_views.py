"""The decision region and the metrics view read what is drawn: colours at the rows, the P = 0.5 line, the
curves' data, the confusion table's cells, and that both follow the state on show."""
import numpy as np
import pytest

from explorer.core.metrics import binary_metrics
from explorer.ui.views.drawing.model_palette import class_hue, class_tint
from explorer.ui.views.plots.decision_view import DecisionView
from explorer.ui.views.plots.metrics_view import MetricsView, cell_colour
from tests.ui.model_fakes import FakeController, FakeModelReader, model_problem, trained_run


@pytest.fixture
def moons():
    problem = model_problem("moons", "mlp:4:tanh", rows=120, test_fraction=0.3)
    run = trained_run(problem, steps=60)
    return FakeController(FakeModelReader(problem, run))


def shown(qtbot, view):
    qtbot.addWidget(view)
    view.resize(600, 450)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_the_region_is_the_models_probability_and_the_line_is_where_it_is_one_half(qtbot, moons):
    view = shown(qtbot, DecisionView(moons))
    problem, theta = moons.model.problem, moons.model.on_show()[0]
    xs, ys, p, task = view.shown
    assert task == "binary"
    # where the model is sure of class 1 the region is class 1's tint, sure of class 0 class 0's, unsure white
    i, j = np.unravel_index(np.argmax(p), p.shape)
    sure1 = np.array(view.colour_at(xs[i], ys[j]), float)
    i0, j0 = np.unravel_index(np.argmin(p), p.shape)
    sure0 = np.array(view.colour_at(xs[i0], ys[j0]), float)
    assert np.linalg.norm(sure1 - class_tint(1)) < np.linalg.norm(sure1 - class_tint(0))
    assert np.linalg.norm(sure0 - class_tint(0)) < np.linalg.norm(sure0 - class_tint(1))
    k = np.argmin(np.abs(p - 0.5))
    assert view.colour_at(xs[k // p.shape[1]], ys[k % p.shape[1]]) == pytest.approx((255, 255, 255), abs=8)
    # the line drawn is where the network's own P(y = 1) is 0.5
    x, y = view.boundary.getData()
    points = np.column_stack([x, y])[np.isfinite(x)]
    assert len(points) > 10
    on_line = problem.network.probabilities(theta, points)
    assert np.max(np.abs(on_line - 0.5)) < 0.08


def test_train_rows_are_circles_and_test_rows_crosses_coloured_by_their_class(qtbot, moons):
    view = shown(qtbot, DecisionView(moons))
    problem = moons.model.problem
    y = problem.dataset.column("Y")
    for scatter, rows, symbol in ((view.train, problem.split.train, "o"), (view.test, problem.split.test, "x")):
        spots = scatter.points()
        assert len(spots) == len(rows)
        for spot in spots:
            row = spot.data()
            assert spot.symbol() == symbol
            assert spot.brush().color().name() == class_hue(int(y[row])).lower()
            assert (spot.pos().x(), spot.pos().y()) == pytest.approx(
                (problem.dataset.column("X1")[row], problem.dataset.column("X2")[row]))
    assert "train 84" in " ".join(view.legend.texts()) and "test 36" in " ".join(view.legend.texts())


def test_the_region_follows_the_state_on_show(qtbot, moons):
    view = shown(qtbot, DecisionView(moons))
    end = view.shown[2].copy()
    moons.model.run.position = 0      # Back to the start: θ₀
    moons.pathsChanged.emit()
    start = view.shown[2]
    assert not np.allclose(start, end)
    theta0 = moons.model.run.states[0].point
    xs, ys = view.shown[:2]
    assert start[3, 5] == pytest.approx(float(moons.model.problem.network.probabilities(
        theta0, np.array([[xs[3], ys[5]]]))[0]))
    assert "adam" in view.title.text()


def test_k_classes_colour_each_region_by_the_class_predicted(qtbot):
    problem = model_problem("blobs", "softmax", rows=90, test_fraction=0.2)
    controller = FakeController(FakeModelReader(problem, trained_run(problem, steps=80, lr=0.1)))
    view = shown(qtbot, DecisionView(controller))
    xs, ys, classes, task = view.shown
    assert task == "classes" and set(np.unique(classes)) <= {0, 1, 2}
    for k in np.unique(classes):
        i, j = np.argwhere(classes == k)[0]
        assert view.colour_at(xs[i], ys[j]) == tuple(np.round(class_tint(k)).astype(int))
    assert view.boundary.getData()[0] is None or len(view.boundary.getData()[0]) == 0
    assert [t for t in view.legend.texts() if "■" in t] == ["■ Y = 0", "■ 1", "■ 2"]


def test_one_feature_regression_draws_the_models_curve_over_the_rows(qtbot):
    problem = model_problem("wave", "mlp:8:tanh", rows=60, test_fraction=0.25, features=("X",))
    controller = FakeController(FakeModelReader(problem, trained_run(problem, steps=30)))
    view = shown(qtbot, DecisionView(controller))
    x, y = view.curve.getData()
    theta = controller.model.on_show()[0]
    assert np.allclose(y, problem.network.predict(theta, x[:, None]))
    assert len(view.train.points()) == 45 and len(view.test.points()) == 15
    assert view.image.image is None


def test_three_features_say_why_no_region_is_drawn(qtbot):
    from explorer.core.data import Dataset
    rng = np.random.default_rng(0)
    values = np.column_stack([rng.normal(size=(30, 3)), rng.random(30) > 0.5])
    data = Dataset("three", ("A", "B", "C", "Y"), values)
    from explorer.core.model_fit import ModelProblem
    problem = ModelProblem(data, "logistic", "Y", ("A", "B", "C"))
    view = shown(qtbot, DecisionView(FakeController(FakeModelReader(problem, trained_run(problem, steps=5)))))
    assert view.shown is None and "has 3" in view.title.text()


def test_metrics_plot_draws_train_and_test_per_step_and_the_confusion_matrix_at_the_step_on_show(qtbot, moons):
    view = shown(qtbot, MetricsView(moons))
    problem, run = moons.model.problem, moons.model.run
    names = [view.metric_box.itemText(i) for i in range(view.metric_box.count())]
    assert names == ["accuracy", "precision", "recall", "F1"]
    x, y = view.curves["loss", "test"].getData()
    assert list(x) == list(range(len(run.states)))
    assert y[-1] == pytest.approx(problem.data_loss(run.states[-1].point, "test"))
    view.metric_box.setCurrentIndex(3)
    view.refresh()
    _, f1 = view.curves["metric", "train"].getData()
    p_train = problem.network.probabilities(run.states[-1].point, problem.X_train)
    assert f1[-1] == pytest.approx(binary_metrics(problem.y_train, p_train)["f1"])
    # the confusion matrix of the test rows at the state on show, counted by hand
    run.position = 10
    moons.pathsChanged.emit()
    p_test = problem.network.probabilities(run.states[10].point, problem.X_test)
    predicted = (p_test >= 0.5).astype(int)
    for i in (0, 1):
        for j in (0, 1):
            count = int(np.sum((problem.y_test == i) & (predicted == j)))
            text, fill = view.cell(i, j)
            total = int(np.sum(problem.y_test == i))
            assert text == str(count)
            assert fill == cell_colour(count / total).name()
    assert view.shown_lines[0].value() == 10
    assert view.dots["loss", "train"].getData()[0][0] == 10
    assert view.shown_lines[1].value() == 10


def test_metrics_of_a_mini_batched_run_are_against_epochs(qtbot):
    problem = model_problem("moons", "mlp:4:tanh", rows=100, test_fraction=0.2)
    run = trained_run(problem, method="gd", steps=20, lr=0.1, batch=20)
    view = shown(qtbot, MetricsView(FakeController(FakeModelReader(problem, run, batch_rows=20))))
    x, _ = view.curves["loss", "train"].getData()
    assert x[-1] == pytest.approx(20 * 20 / 80)   # 20 steps of 20 rows over 80 training rows: 5 epochs
    assert view.metric_plot.getAxis("bottom").labelText == "epoch"


def test_regression_metrics_offer_r2_and_no_confusion_matrix(qtbot):
    problem = model_problem("wave", "mlp:8:tanh", rows=60, test_fraction=0.25, features=("X",))
    view = shown(qtbot, MetricsView(FakeController(FakeModelReader(problem, trained_run(problem, steps=10)))))
    assert view.metric_box.itemText(0) == "R²"
    assert not view.table.isVisible()


def test_the_rows_of_the_shown_steps_mini_batch_are_ringed(qtbot):
    problem = model_problem("moons", "mlp:4:tanh", rows=100, test_fraction=0.2)
    run = trained_run(problem, method="gd", steps=10, lr=0.1, batch=16)
    run.position = 3
    view = shown(qtbot, DecisionView(FakeController(FakeModelReader(problem, run, batch_rows=16))))
    batch = problem.split.train[run.optimizer.batches.batch(3)]   # training rows, in file order
    x, y = view.rings.getData()
    assert len(x) == 16 and set(np.round(x, 9)) <= set(np.round(problem.dataset.column("X1")[problem.split.train], 9))
    assert np.allclose(sorted(x), sorted(problem.dataset.column("X1")[batch]))
    assert "this step's batch" in view.legend.texts()


def test_train_and_test_are_never_drawn_in_a_class_colour():
    """Beside a decision region blue means class 0: the split's two colours are none of the classes' hues, nor
    near one (each channel at least 40 apart somewhere)."""
    from explorer.core.colours import SPLIT_COLOURS, rgb
    from explorer.ui.views.drawing.model_palette import CLASS_HUES
    for split in SPLIT_COLOURS.values():
        for hue in CLASS_HUES:
            assert max(abs(a - b) for a, b in zip(rgb(split), rgb(hue))) >= 40, (split, hue)


def test_two_features_of_one_size_are_drawn_to_one_scale(qtbot):
    """Circles must look round: one unit of X1 is as many pixels as one of X2 (the pane is not square)."""
    problem = model_problem("circles", "mlp:4:tanh", rows=120, test_fraction=0.3)
    view = shown(qtbot, DecisionView(FakeController(FakeModelReader(problem, trained_run(problem, steps=5)))))
    view.resize(700, 400)
    qtbot.wait(50)
    vb = view.plot.getPlotItem().vb
    (x0, x1), (y0, y1) = vb.viewRange()
    assert vb.width() / (x1 - x0) == pytest.approx(vb.height() / (y1 - y0), rel=0.02)
    xs, ys, _, _ = view.shown
    assert x0 <= xs[0] and xs[-1] <= x1 and y0 <= ys[0] and ys[-1] <= y1   # the whole plane still shows
