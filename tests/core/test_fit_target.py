"""A fit's target and features: chosen, or read from the loss (the column it subtracts), never a 0/1 column
picked because it comes last."""
import numpy as np
import pytest

from explorer.core.data import parse_csv
from explorer.core.fit import FitError, FitProblem
from explorer.core.fit_target import default_target, subtracted
from explorer.core.fit_predictions import is_classification, model_curve, predicted_vs_actual
from explorer.core.preset_library import load_presets
from explorer.core.fit_scene import build_dataset, build_fit

HOURS = parse_csv("Hours,Score,Pass\n1,52,0\n2,55,0\n3,61,0\n4,70,1\n5,74,1\n6,83,1\n", "hours.csv")
LOSS = "(w*Hours + b - Score)^2"


def test_the_target_is_the_column_the_loss_subtracts_not_the_last_0_1_column():
    problem = FitProblem(HOURS, LOSS, "w, b", model="w*Hours + b")
    assert problem.target == "Score" and problem.features == ("Hours",)
    assert not is_classification(problem)                       # a line through Score, not P(Pass = 1)
    actual, predicted = predicted_vs_actual(problem, [2.0, 50.0])
    np.testing.assert_array_equal(actual, [52, 55, 61, 70, 74, 83])
    np.testing.assert_allclose(predicted, 50 + 2 * np.arange(1, 7))
    curve = model_curve(problem, [2.0, 50.0])
    assert curve.feature == "Hours" and curve.prediction[0] == pytest.approx(50 + 2 * curve.x[0])


@pytest.mark.parametrize("loss, target", [
    ("(w*X + b - Y)^2", "Y"),
    ("(Y - w*X - b)^2", "Y"),                                   # ((Y − wX) − b): Y is the left of a minus
    ("log(1 + exp(w*X + b)) - Y*(w*X + b)", "Y"),               # a factor of what is subtracted
    ("-(Y*log(1/(1 + exp(-(w*X + b)))) + (1 - Y)*log(1 - 1/(1 + exp(-(w*X + b)))))", "Y"),
])
def test_the_subtracted_column_in_the_usual_losses(loss, target):
    d = parse_csv("X,Y,Z\n0,0,3\n1,1,4\n2,1,5\n", "d.csv")
    assert FitProblem(d, loss, "w, b", model="w*X + b").target == target


def test_no_single_subtracted_column_falls_back_to_y_else_the_last():
    assert subtracted("(a*X1 + b*X2 + c - Y)^2", ("X1", "X2", "Y")) == {"Y"}
    assert subtracted("(w*X - Y - Z)^2", ("X", "Y", "Z")) == {"X", "Y", "Z"}   # w*X is what Y is subtracted from
    assert default_target(("A", "Y", "B")) == "Y" and default_target(("A", "B")) == "B"
    d = parse_csv("X,Y,Z\n0,0,3\n1,1,4\n2,1,5\n", "d.csv")
    assert FitProblem(d, "(w*X - Y - Z + b)^2", "w, b", model="w*X + b").target == "Y"   # two: the default
    assert FitProblem(d, "(w*X + b)^2", "w, b", model="w*X + b").target == "Y"


def test_a_chosen_target_and_features_win_and_are_checked():
    problem = FitProblem(HOURS, "log(1 + exp(w*Hours + b)) - Pass*(w*Hours + b)", "w, b",
                         model="1/(1 + exp(-(w*Hours + b)))", target="Pass", features=["Hours"])
    assert problem.target == "Pass" and problem.features == ("Hours",) and is_classification(problem)
    chosen = FitProblem(HOURS, LOSS, "w, b", features=["Hours"])   # no model: the target read by the features
    assert chosen.target == "Score" and chosen.features == ("Hours",)
    assert FitProblem(HOURS, LOSS, "w, b").target is None          # nothing to read it by: as before
    for kwargs, message in [
        (dict(target="Grade"), "the target 'Grade' is not a column of hours.csv; its columns: Hours, Score, Pass"),
        (dict(features=["Hours", "Age"]), "the feature 'Age' is not a column of hours.csv; its columns: Hours, "
                                          "Score, Pass"),
        (dict(features=["Score"]), "the model uses the column 'Hours', which is not a feature (the features: Score)"),
        (dict(target="Hours"), "the model uses the target column 'Hours'"),
        (dict(target="Score", features=["Hours", "Score"]), "'Score' is both the target and a feature"),
        (dict(target="Pass", features=["Hours"]), "the loss uses the column 'Score', which is neither the target "
                                                  "(Pass) nor a feature (Hours)"),
    ]:
        with pytest.raises(FitError) as err:
            FitProblem(HOURS, LOSS, "w, b", model="w*Hours + b", **kwargs)
        assert str(err.value).startswith(message)


def test_the_choice_survives_new_slider_values_and_other_data():
    problem = FitProblem(HOURS, "(w*Hours + b - Score)^2 + lam*w^2", "w, b", {"lam": 0.0}, "w*Hours + b",
                         target="Score", features=["Hours", "Pass"])
    for copy in (problem.with_params({"lam": 1.0}), problem.with_dataset(HOURS)):
        assert (copy.target, copy.features, copy.chosen_target) == ("Score", ("Hours", "Pass"), "Score")


def test_a_loss_that_ignores_the_target_is_warned_about():
    problem = FitProblem(HOURS, "(w*Hours + b - Score)^2", "w, b", model="w*Hours + b", target="Pass",
                         features=["Hours", "Score"])
    assert "the loss does not use the target column 'Pass'" in problem.warnings


def test_every_fit_preset_keeps_the_target_it_had():
    for path, scene in load_presets():
        if scene.fit is None or not scene.fit.model:
            continue
        dataset = build_dataset(scene.fit.data)
        problem = build_fit(scene.fit, scene.text, scene.parameter_values(), dataset)
        assert problem.target == default_target(dataset.columns), path.name
