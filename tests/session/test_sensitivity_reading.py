"""The session's sensitivity readings: the Jacobian at the chosen row (default the first test row) and feature
importance at the state on show, equal to core.sensitivity's at that state's θ; choosing a row is not undoable."""
import numpy as np
import pytest

from explorer.core.sensitivity import input_jacobian
from explorer.session import Session
from explorer.session.sensitivity_reading import SENSITIVITY_ROW


def model_fit(dataset="moons", model="mlp:4:tanh") -> Session:
    s = Session()
    s.start_model_fit(dataset, model)
    return s


def test_the_default_row_is_the_first_test_row_and_a_chosen_row_is_not_undoable():
    s = model_fit()
    test = np.asarray(s.model_problem.split.test)
    assert s.sensitivity_row() == test.min()
    seen = []
    s.subscribe(seen.append)
    done = len(s.history.done)
    assert s.choose_row(17)
    assert s.sensitivity_row() == 17 and seen == [{SENSITIVITY_ROW}]
    assert not s.choose_row(17) and len(seen) == 1
    assert len(s.history.done) == done   # nothing to undo
    with pytest.raises(ValueError, match="no row 200"):
        s.choose_row(200)


def test_the_jacobian_and_importance_follow_the_state_on_show():
    s = model_fit()
    s.jump(40, budget=None)
    run = s.selected_run()
    theta = np.asarray(run.current.point)
    s.choose_row(17)
    reading = s.input_jacobian_at()
    J = input_jacobian(s.model_problem, theta)
    assert reading["row"] == 17 and reading["features"] == ["X1", "X2"] and reading["outputs"] == ["P(Y = 1)"]
    assert reading["part"] == ("test" if 17 in set(s.model_problem.split.test.tolist()) else "train")
    np.testing.assert_allclose(reading["jacobian"], J[17])
    np.testing.assert_allclose(reading["x"], [s.model_problem.dataset.column(c)[17] for c in ("X1", "X2")])
    importance = s.feature_importance()
    np.testing.assert_allclose(importance["importance"], np.abs(J).mean(axis=(0, 1)))
    test = s.feature_importance("test")
    assert test["rows"] == len(s.model_problem.split.test)
    np.testing.assert_allclose(test["importance"], np.abs(J[s.model_problem.split.test]).mean(axis=(0, 1)))
    s.step_back()
    np.testing.assert_allclose(s.input_jacobian_at()["jacobian"],
                               input_jacobian(s.model_problem, s.selected_run().current.point)[17])


def test_the_decision_region_arrow_is_the_predicted_class_probability_gradient():
    s = model_fit("blobs", "mlp:4:tanh")
    s.jump(30, budget=None)
    arrow = s.probability_arrow()
    problem, theta = s.model_problem, np.asarray(s.selected_run().current.point)
    row = s.sensitivity_row()
    x = np.array([[problem.dataset.column(c)[row] for c in ("X1", "X2")]])
    k = int(np.argmax(problem.network.probabilities(theta, x)[0]))
    assert arrow["row"] == row and arrow["output"] == f"P(Y = {k})"
    np.testing.assert_allclose(arrow["at"], x[0])
    np.testing.assert_allclose(arrow["gradient"], input_jacobian(problem, theta, x)[0, k])


def test_no_network_no_readings():
    s = Session()
    assert s.sensitivity_row() is None and s.input_jacobian_at() is None and s.feature_importance() is None
    assert s.probability_arrow() is None


def test_a_chosen_row_the_new_data_has_not_falls_back_to_the_first_test_row():
    from explorer.core.fit_scene import DataSpec
    s = model_fit()
    s.choose_row(150)
    s.set_network(data=DataSpec("moons", 0, rows=100))
    assert s.model_problem.dataset.rows == 100
    assert s.sensitivity_row() == int(s.model_problem.split.test.min())
    assert s.input_jacobian_at()["row"] == s.sensitivity_row()
