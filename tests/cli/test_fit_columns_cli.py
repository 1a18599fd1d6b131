"""--target COL and --features A,B: the column a fit predicts and those it predicts from, checked by name."""
import json

import pytest

from tests.cli.cli_calls import error, output

HOURS = "Hours,Score,Pass\n1,52,0\n2,55,0\n3,61,0\n4,70,1\n5,74,1\n6,83,1\n"
LOSS = "(w*Hours + b - Score)^2"


@pytest.fixture
def hours_csv(tmp_path):
    path = tmp_path / "hours.csv"
    path.write_text(HOURS)
    return str(path)


def fit(hours_csv, *extra):
    return ("run", "--data", hours_csv, "--loss", LOSS, "--train", "w,b", "--method", "newton", "--start", "0,0",
            *extra)


def test_the_chosen_columns_are_reported_and_the_fit_is_the_same(capsys, hours_csv):
    plain = json.loads(output(capsys, *fit(hours_csv, "--json")))
    chosen = json.loads(output(capsys, *fit(hours_csv, "--target", "Score", "--features", " Hours ", "--json")))
    assert "target" not in plain and (chosen["target"], chosen["features"]) == ("Score", ["Hours"])
    # least squares by hand: w = Σ(h − 3.5)·s / Σ(h − 3.5)² = 110.5/17.5, b = mean s − 3.5·w
    # (the loss decides it, not the choice)
    assert chosen["runs"][0]["path"][-1] == pytest.approx([221 / 35, 656 / 15]) == plain["runs"][0]["path"][-1]
    text = output(capsys, *fit(hours_csv, "--features", "Hours"))          # the target read from the loss
    assert text.splitlines()[0] == f"mean over the 6 rows of hours.csv of {LOSS}, predicting Score from Hours"
    at = json.loads(output(capsys, "inspect", "--data", hours_csv, "--loss", LOSS, "--train", "w,b", "--at", "0,0",
                           "--target", "Score", "--json"))
    assert at["target"] == "Score" and at["value"] == pytest.approx((52**2 + 55**2 + 61**2 + 70**2 + 74**2 + 83**2) / 6)


@pytest.mark.parametrize("extra, message", [
    (("--target", "Grade"), "--target: the target 'Grade' is not a column of hours.csv; its columns: Hours, Score, "
                            "Pass"),
    (("--features", "Hours,Age"), "--features: the feature 'Age' is not a column of hours.csv; its columns: Hours, "
                                  "Score, Pass"),
    (("--features", "Hours,,Pass"), "--features needs column names separated by commas, like Hours,Age; got "
                                    "'Hours,,Pass'"),
    (("--features", "Pass"), "--features: the loss uses the column 'Hours', which is neither the target (Score) nor a "
                             "feature (Pass)"),
    (("--target", "Score", "--features", "Hours,Score"), "--features: 'Score' is both the target and a feature"),
])
def test_a_bad_choice_is_one_line_naming_the_column(capsys, hours_csv, extra, message):
    assert error(capsys, *fit(hours_csv, *extra)).startswith(message)


def test_the_choice_goes_with_a_loss(capsys):
    assert error(capsys, "run", "x^2 + y^2", "--method", "gd", "--start", "1,1", "--target", "Y") == (
        "--target goes with --loss EXPR or --residual EXPR (the per-row loss, or residual, over the data)")
