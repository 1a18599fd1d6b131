"""The session's network fits: start_model_fit, set_network with undo and redo, steps, metrics per state, the
decision grid, the model's summary for the inspector, and the methods a big network may take."""
import numpy as np
import pytest

from explorer.core.fit_map import batch_slice_values
from explorer.core.fit_scene import DataSpec, NetworkSpec
from explorer.core.model_fit import HESSIAN_LIMIT
from explorer.core.scene import scene_from_json, scene_to_json
from explorer.core.slice import MIN_SAMPLES, SAMPLES, affordable, slice_of_step
from explorer.session import Session
from explorer.session.errors import FitCommandError, SessionError


def model_fit(dataset="moons", model="mlp:4:tanh") -> Session:
    s = Session()
    s.set_expression("x^2 + y^2")
    s.forget_history()
    s.start_model_fit(dataset, model)
    return s


def test_start_model_fit_is_one_undoable_command_with_a_held_out_part():
    s = model_fit()
    fit, problem = s.setup.fit, s.problem
    assert s.kind.name == "fit" and fit.network.model == "mlp:4:tanh" and fit.network.test_fraction == 0.3
    assert problem.dimension == 2 * 4 + 4 + 4 + 1 == fit.dimension
    assert len(problem.y_test) == 60 and len(problem.y_train) == 140   # 30 % of moons' 200 rows
    assert s.setup.runs[0].start == tuple(problem.initial(0)) and s.setup.runs[0].method == "adam"
    assert fit.axes == ("W2[0,0]", "W2[1,0]") and s.setup.text == "" and s.setup.parameters == {}
    assert s.undo() == "Fit a model" and s.setup.fit is None and s.setup.text == "x^2 + y^2"
    assert s.redo() == "Fit a model" and s.setup.fit == fit


def test_set_network_changes_the_model_and_starts_at_its_initial_point_with_undo():
    s = model_fit()
    assert not s.set_network(s.setup.fit.network)
    assert s.set_network(NetworkSpec("mlp:2,3:relu", l2=0.1, init_seed=7, test_fraction=0.2))
    problem = s.problem
    assert problem.dimension == 2 * 2 + 2 + 2 * 3 + 3 + 3 + 1 and problem.l2 == 0.1
    assert np.array_equal(s.setup.runs[0].start, problem.initial(7))
    assert np.array_equal(s.runs[0].states[0].point, problem.initial(7))
    assert s.setup.fit.axes == ("W3[0,0]", "W3[1,0]")
    s.undo()
    assert s.setup.fit.network.model == "mlp:4:tanh" and s.problem.dimension == 17
    s.redo()
    assert s.setup.fit.network.model == "mlp:2,3:relu"


def test_a_start_that_is_not_the_initial_one_keeps_its_values_while_the_layout_does():
    s = model_fit()
    start = tuple(np.linspace(-1, 1, 17))
    s.set_run_start(0, start, full=True)
    s.set_network(NetworkSpec("mlp:4:tanh", l2=0.05, test_fraction=0.3))
    assert s.setup.runs[0].start == start
    s.set_network(NetworkSpec("mlp:4:tanh", init_seed=3, test_fraction=0.3))
    assert s.setup.runs[0].start == start   # not the initial θ: a seed does not move it


def test_set_network_takes_other_data_target_and_features_at_once():
    s = model_fit()
    s.set_network(data=DataSpec("wave", 0, rows=50))
    problem = s.problem
    assert problem.task == "regression" and problem.features == ("X",) and s.setup.fit.dimension == 4 + 4 + 4 + 1
    with pytest.raises(FitCommandError) as caught:
        s.set_network(target="Q")
    assert caught.value.field == "target" and "Q" in str(caught.value)
    assert problem is s.problem   # refused: nothing changed


def test_metrics_per_step_are_the_problems_metrics_at_each_state():
    s = model_fit()
    for _ in range(4):
        s.step_forward()
    rows = s.run_metrics()
    run, problem = s.runs[0], s.problem
    assert [r["step"] for r in rows] == list(range(len(run.states)))
    for r, state in zip(rows, run.states):
        expected = problem.metrics(state.point)
        assert r["train"] == expected["train"] and r["test"] == expected["test"]
        assert r["loss"] == pytest.approx(problem.value(state.point))
        assert r["data_loss"] == pytest.approx(problem.data_loss(state.point))
    shown = s.step_metrics()
    assert shown == rows[run.position] and set(shown["train"]) >= {"accuracy", "precision", "recall", "f1",
                                                                      "confusion"}
    assert s.run_metrics() is not rows and s.run_metrics()[1] is rows[1]   # cached per state


def test_the_decision_grid_is_the_networks_probability_over_the_padded_data():
    s = model_fit()
    s.step_forward()
    xs, ys, values, kind = s.decision_grid(30)
    problem, theta = s.problem, s.runs[0].current.point
    x1, x2 = problem.dataset.column("X1"), problem.dataset.column("X2")
    assert kind == "probability" and values.shape == (30, 30)
    span = x1.max() - x1.min()
    assert xs[0] == pytest.approx(x1.min() - 0.1 * span) and xs[-1] == pytest.approx(x1.max() + 0.1 * span)
    assert ys[0] < x2.min() and ys[-1] > x2.max()
    for i, j in ((0, 0), (7, 21), (29, 13)):
        p = problem.network.probabilities(theta, np.array([[xs[i], ys[j]]]))[0]
        assert values[i, j] == pytest.approx(p)


def test_the_decision_grid_of_classes_and_of_one_feature():
    s = model_fit("blobs", "softmax")
    xs, ys, values, kind = s.decision_grid(12)
    assert kind == "class" and set(np.unique(values)) <= {0.0, 1.0, 2.0}
    s.set_network(NetworkSpec("mlp:3:tanh"), data=DataSpec("wave", 0))
    xs, ys, values, kind = s.decision_grid(25)
    assert ys is None and kind == "prediction" and values.shape == (25,)


def test_with_three_features_the_region_is_the_first_two_with_the_third_at_its_training_mean():
    s = model_fit("moons-noise")
    s.step_forward()
    problem, theta = s.problem, s.runs[0].current.point
    assert problem.features == ("X1", "X2", "X3")
    x3 = np.asarray(problem.dataset.column("X3"))[np.asarray(problem.split.train)]
    assert s.decision_held() == {"X3": pytest.approx(float(np.mean(x3)))}
    xs, ys, values, kind = s.decision_grid(20)
    assert kind == "probability" and values.shape == (20, 20)
    for i, j in ((0, 0), (5, 17), (19, 3)):
        p = problem.network.probabilities(theta, np.array([[xs[i], ys[j], np.mean(x3)]]))[0]
        assert values[i, j] == pytest.approx(p)
    assert model_fit().decision_held() == {}


def test_the_model_summary_has_norms_by_hand_and_the_hessians_extremes():
    s = model_fit()
    summary = s.model_summary()
    theta = np.array(s.setup.runs[0].start)
    assert summary["parameters"] == 17
    assert summary["norms"]["W1"] == pytest.approx(np.sqrt(np.sum(theta[:8] ** 2)))
    assert summary["norms"]["b2"] == pytest.approx(abs(theta[16]))
    gradient = s.objective.value_and_gradient(theta)[1]
    assert summary["gradient_norm"] == pytest.approx(np.linalg.norm(gradient))
    eigenvalues = np.linalg.eigvalsh(s.objective.derivatives(theta)[2])
    assert summary["hessian_exact"] and summary["hessian_extremes"] == pytest.approx((eigenvalues[0],
                                                                                      eigenvalues[-1]))


def test_a_big_network_steps_without_a_hessian_and_its_summary_uses_lanczos():
    s = model_fit()
    s.set_network(NetworkSpec("mlp:16,16:tanh", test_fraction=0.3))
    assert s.problem.dimension == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1 > HESSIAN_LIMIT
    assert "newton" not in s.kind.methods(s.setup) and "adam" in s.kind.methods(s.setup)
    with pytest.raises(SessionError, match="newton needs the Hessian"):
        s.add_run("newton")
    for _ in range(3):
        s.step_forward()
    assert s.runs[0].position == 3 and s.kind.reading(s, s.runs[0].current.point) is None
    analysis = s.slice_analysis()
    theta = s.runs[0].current.point
    i, j = s.setup.fit.axis_indices
    hvp = s.objective.hessian_vector_product(theta, np.eye(s.problem.dimension)[i])
    assert analysis.hessian[0] == pytest.approx([hvp[i], hvp[j]])
    low, high = s.model_summary()["hessian_extremes"]
    # every Rayleigh quotient lies between the extremes, and Lanczos's estimates lie inside the spectrum
    v = np.random.default_rng(1).normal(size=s.problem.dimension)
    quotient = v @ s.objective.hessian_vector_product(theta, v) / (v @ v)
    assert low <= quotient <= high and s.model_summary()["hessian_exact"] is False


def test_a_network_scene_reopens_in_a_session_at_its_step():
    s = model_fit()
    for _ in range(3):
        s.step_forward()
    text = scene_to_json(s.scene())
    assert '"start": "init"' in text
    other = Session.from_scene(scene_from_json(text))
    assert other.setup.fit == s.setup.fit and other.shown_step == 3
    assert np.array_equal(other.runs[0].current.point, s.runs[0].current.point)


def test_a_network_of_thousands_of_parameters_trains_without_forming_a_hessian():
    s = model_fit()
    s.set_network(NetworkSpec("mlp:70,70:tanh", test_fraction=0.3), data=DataSpec("moons", 0, rows=1000))
    assert s.problem.dimension == 2 * 70 + 70 + 70 * 70 + 70 + 70 + 1 == 5251   # the "at least 5,000"
    for _ in range(3):
        s.step_forward()
    run = s.runs[0]
    assert run.position == 3 and run.records[0].hessian.startswith("Hessian not computed")
    assert s.slice_analysis() is not None and s.step_metrics()["test"]["accuracy"] >= 0
    assert run.objective.evaluations["hessian"] == 0
    assert "bfgs" not in s.kind.methods(s.setup)
    text = scene_to_json(s.scene())
    assert len(text) < 5_000   # its start is "init", not 5,251 numbers


def test_a_mini_batch_landscape_of_a_network_is_the_batch_loss_at_the_grid_points():
    s = model_fit()
    problem, theta = s.problem, np.array(s.setup.runs[0].start)
    rows = np.array([0, 5, 9, 30])
    i, j = s.setup.fit.axis_indices
    xs, ys = np.array([-1.0, 0.5]), np.array([0.0, 2.0, 3.0])
    z = batch_slice_values(problem, i, j, theta, rows, xs, ys)
    point = theta.copy()
    point[i], point[j] = xs[1], ys[2]
    assert z[1, 2] == pytest.approx(s.objective.batch_value_and_gradient(point, rows)[0])


def test_the_step_slice_of_a_big_network_takes_its_curvature_from_a_hessian_vector_product():
    s = model_fit()
    s.set_network(NetworkSpec("mlp:16,16:tanh", test_fraction=0.3), data=DataSpec("moons", 0, rows=1000))
    s.step_forward()
    run, objective = s.runs[0], s.objective
    before = dict(objective.evaluations)
    cut = slice_of_step(run, 0)
    start, direction = run.states[0].point, cut.direction
    assert cut.curvature == pytest.approx(direction @ objective.hessian_vector_product(start, direction))
    assert cut.bends == () and objective.evaluations["hessian"] == before["hessian"] == 0
    # 1,000 rows × 577 parameters a sample: fewer than SAMPLES, as affordable says, and at least MIN_SAMPLES
    assert len(cut.alpha) <= affordable(objective, SAMPLES) + 2 and affordable(objective, SAMPLES) >= MIN_SAMPLES
    assert affordable(objective, SAMPLES) < SAMPLES and affordable(s.objective, 5) == 5
    for k in (0, len(cut.alpha) // 2, len(cut.alpha) - 1):
        assert cut.phi[k] == pytest.approx(s.problem.value(start + cut.alpha[k] * direction))


def test_the_axes_and_held_values_of_a_network_are_chosen_like_a_typed_fits():
    s = model_fit()
    start = s.setup.runs[0].start
    s.set_fit_axes("W1[0,0]", "b1[1]")
    assert s.setup.fit.axes == ("W1[0,0]", "b1[1]") and s.setup.runs[0].start == start
    i, j = s.setup.fit.axis_indices
    assert s.slice_calculus().names == ("W1[0,0]", "b1[1]") and (i, j) == (0, 9)
    s.set_fit_held([0.25] * 17)
    assert s.setup.fit.held == (0.25,) * 17 and np.array_equal(s.held_theta(), [0.25] * 17)
    assert s.undo() == "Hold the other parameters" and s.setup.fit.held is None
    assert s.undo() == "Choose the axes" and s.setup.fit.axes == ("W2[0,0]", "W2[1,0]")


def test_a_network_is_not_given_as_residuals():
    s = model_fit()
    with pytest.raises(FitCommandError, match="a network's loss is its own"):
        s.set_fit_residual(True)
    with pytest.raises(SessionError):
        s.add_run("gauss-newton")
