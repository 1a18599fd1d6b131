"""Metrics agree with scikit-learn's (an independent reference, used only in tests), edge cases included."""
import numpy as np
import pytest
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, mean_squared_error, precision_score,
                             r2_score, recall_score)

from explorer.core.metrics import binary_metrics, class_metrics, metrics_for, regression_metrics


def _reference_binary(y, predicted):
    return {"accuracy": accuracy_score(y, predicted), "precision": precision_score(y, predicted, zero_division=0),
            "recall": recall_score(y, predicted, zero_division=0), "f1": f1_score(y, predicted, zero_division=0),
            "confusion": confusion_matrix(y, predicted, labels=[0, 1]).tolist()}


@pytest.mark.parametrize("seed", range(6))
def test_binary_metrics_agree_with_scikit_learn_on_random_labels(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 60)
    p = np.clip(0.3 * y + rng.uniform(0, 0.7, 60), 0, 1)   # probabilities, somewhat right
    ours = binary_metrics(y, p)
    reference = _reference_binary(y, (p >= 0.5).astype(int))
    assert ours == pytest.approx(reference)
    assert ours["confusion"] == reference["confusion"]


@pytest.mark.parametrize("y, predicted", [
    ([0, 1, 1, 0], [0, 0, 0, 0]),     # no predicted positives: precision 0 (0/0)
    ([0, 0, 0, 0], [0, 1, 0, 0]),     # no true positives to find: recall 0
    ([1, 1, 1], [1, 1, 1]),           # all one class, all right
    ([0, 0], [0, 0]),                 # all negatives, all right: precision, recall, F1 all 0/0
])
def test_binary_edge_cases_are_zero_where_undefined_as_scikit_learn_with_zero_division_0(y, predicted):
    assert binary_metrics(y, predicted) == pytest.approx(_reference_binary(y, predicted))


def test_binary_by_hand_and_the_threshold():
    # true 1, 1, 0, 0 against p 0.9, 0.4, 0.6, 0.1: TP 1, FN 1, FP 1, TN 1
    m = binary_metrics([1, 1, 0, 0], [0.9, 0.4, 0.6, 0.1])
    assert m == {"accuracy": 0.5, "precision": 0.5, "recall": 0.5, "f1": 0.5, "confusion": [[1, 1], [1, 1]]}
    assert binary_metrics([1], [0.5])["accuracy"] == 1.0   # p >= 0.5 is class 1
    assert binary_metrics([1, 1, 0, 0], [0.9, 0.4, 0.6, 0.1], threshold=0.3)["recall"] == 1.0


@pytest.mark.parametrize("seed, k", [(0, 3), (1, 4), (2, 5), (3, 3)])
def test_class_metrics_agree_with_scikit_learn(seed, k):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, 80)
    predicted = np.where(rng.uniform(size=80) < 0.6, y, rng.integers(0, k, 80))
    ours = class_metrics(y, predicted, k)
    assert ours["accuracy"] == pytest.approx(accuracy_score(y, predicted))
    assert ours["macro_f1"] == pytest.approx(f1_score(y, predicted, average="macro", zero_division=0))
    assert ours["confusion"] == confusion_matrix(y, predicted, labels=list(range(k))).tolist()


@pytest.mark.parametrize("y, predicted", [
    ([0, 0, 0], [0, 0, 0]),          # all one class, all right
    ([0, 1, 2], [2, 2, 2]),          # one class predicted for all
    ([0, 0, 1, 1], [1, 1, 0, 0]),    # all wrong; class 2 never occurs (left out of the macro mean)
])
def test_class_edge_cases_agree_with_scikit_learn(y, predicted):
    ours = class_metrics(y, predicted, 3)
    assert ours["accuracy"] == pytest.approx(accuracy_score(y, predicted))
    assert ours["macro_f1"] == pytest.approx(f1_score(y, predicted, average="macro", zero_division=0))
    assert ours["confusion"] == confusion_matrix(y, predicted, labels=[0, 1, 2]).tolist()


@pytest.mark.parametrize("seed", range(4))
def test_regression_metrics_agree_with_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=50)
    predicted = y + rng.normal(0, 0.5, 50)
    m = regression_metrics(y, predicted)
    assert m["mse"] == pytest.approx(mean_squared_error(y, predicted))
    assert m["r2"] == pytest.approx(r2_score(y, predicted))


def test_r2_by_hand_and_a_constant_target():
    # y = 1, 2, 3 predicted 1, 2, 2: SS_res = 1, SS_tot = 2, R² = 0.5, MSE = 1/3
    assert regression_metrics([1, 2, 3], [1, 2, 2]) == pytest.approx({"mse": 1 / 3, "r2": 0.5})
    assert regression_metrics([2, 2, 2], [1, 2, 3]) == pytest.approx({"mse": 2 / 3, "r2": 0.0})   # SS_tot = 0
    assert r2_score([2, 2, 2], [1, 2, 3]) == 0.0   # scikit-learn agrees where the fit is not perfect


def test_no_rows_give_zeros():
    assert binary_metrics([], [])["confusion"] == [[0, 0], [0, 0]]
    assert binary_metrics([], [])["accuracy"] == 0.0
    assert class_metrics([], [], 3)["macro_f1"] == 0.0
    assert regression_metrics([], []) == {"mse": 0.0, "r2": 0.0}


def test_metrics_for_picks_by_task_and_reads_probabilities():
    probabilities = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]])
    assert metrics_for("classes", [0, 2, 0], probabilities, k=3) == class_metrics([0, 2, 0], [0, 2, 1], 3)
    assert metrics_for("binary", [1, 0], [0.8, 0.3]) == binary_metrics([1, 0], [1, 0])
    assert metrics_for("regression", [1.0, 2.0], [1.0, 2.0]) == {"mse": 0.0, "r2": 1.0}


@pytest.mark.parametrize("call, message", [
    (lambda: binary_metrics([0, 2], [0, 1]), "a target of 0s and 1s"),
    (lambda: binary_metrics([0, 1], [0.2]), "1 predictions for 2 rows"),
    (lambda: class_metrics([0, 3], [0, 1], 3), "the target holds a class outside 0..2"),
    (lambda: class_metrics([0.5, 1], [0, 1], 3), "whole-number classes"),
    (lambda: metrics_for("classes", [0], [0]), "the number of classes k"),
    (lambda: metrics_for("ranking", [0], [0]), "unknown task 'ranking'"),
])
def test_bad_input_is_one_line(call, message):
    with pytest.raises(ValueError, match=message):
        call()
