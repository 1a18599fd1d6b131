"""A fit of one's own CSV predicts the column its loss subtracts, or the target and features chosen: set in the
session, undone, kept in the scene, refused with the part at fault, dropped for data without those columns."""
import numpy as np
import pytest

from explorer.core.data import parse_csv
from explorer.core.datasets import generate
from explorer.core.fit_scene import DataSpec, csv_spec
from explorer.core.fit_predictions import is_classification, predicted_vs_actual
from explorer.core.scene import scene_from_json, scene_to_json
from explorer.session import Session
from explorer.session.errors import FitCommandError
from tests.session.fit_sessions import line_fit

HOURS = parse_csv("Hours,Score,Pass\n1,52,0\n2,55,0\n3,61,0\n4,70,1\n5,74,1\n6,83,1\n", "hours.csv")
FIT = dict(data=csv_spec(HOURS, "hours.csv"), loss="(w*Hours + b - Score)^2", model="w*Hours + b")


def hours_fit() -> Session:
    s = line_fit()
    assert s.set_fit(**FIT)
    return s


def test_a_typed_loss_over_hours_score_pass_predicts_score_not_pass():
    s = hours_fit()
    problem = s.problem
    assert (problem.target, problem.features) == ("Score", ("Hours",)) and not is_classification(problem)
    actual, predicted = predicted_vs_actual(problem, [2.0, 50.0])
    np.testing.assert_array_equal(actual, [52, 55, 61, 70, 74, 83])
    np.testing.assert_allclose(predicted, [52, 54, 56, 58, 60, 62])
    assert (s.fit_spec.target, s.fit_spec.features) == (None, ())   # read from the loss, not stored as a choice


def test_the_target_and_features_are_chosen_undone_and_kept_in_the_scene():
    s = hours_fit()
    assert s.set_fit(target="Pass", features="Hours", loss="log(1 + exp(w*Hours + b)) - Pass*(w*Hours + b)",
                     model="1/(1 + exp(-(w*Hours + b)))")
    assert (s.problem.target, s.problem.features) == ("Pass", ("Hours",)) and is_classification(s.problem)
    again = Session.from_scene(scene_from_json(scene_to_json(s.scene())))
    assert (again.fit_spec.target, again.fit_spec.features) == ("Pass", ("Hours",)) and again.setup == s.setup
    s.undo()
    assert (s.fit_spec.target, s.problem.target) == (None, "Score")
    assert not s.set_fit(target="", features="")                      # automatic already: nothing recorded


@pytest.mark.parametrize("changes, field, words", [
    (dict(target="Grade"), "target",
     "the target 'Grade' is not a column of hours.csv; its columns: Hours, Score, Pass"),
    (dict(features="Hours, Age"), "features", "the feature 'Age' is not a column of hours.csv"),
    (dict(features="Pass"), "features", "the model uses the column 'Hours', which is not a feature"),
    (dict(target="Hours"), "target", "the model uses the target column 'Hours'"),
])
def test_a_bad_choice_names_the_part_and_changes_nothing(changes, field, words):
    s = hours_fit()
    before = s.setup
    with pytest.raises(FitCommandError) as err:
        s.set_fit(**changes)
    assert err.value.field == field and str(err.value).startswith(words) and s.setup == before


def test_other_data_without_the_chosen_columns_reads_them_from_the_loss_again():
    s = hours_fit()
    s.set_fit(target="Score", features="Hours")
    s.set_fit(data=DataSpec("line", 0), loss="(w*X + b - Y)^2", model="w*X + b")
    assert (s.fit_spec.target, s.fit_spec.features) == (None, ()) and s.problem.target == "Y"
    np.testing.assert_array_equal(predicted_vs_actual(s.problem, [0, 0])[0], generate("line", 0).column("Y"))
