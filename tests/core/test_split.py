"""Train/test splits: disjoint, covering, of the documented sizes, and reproducible from their seed."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.data import DataError
from explorer.core.split import Split, split_rows


@pytest.mark.parametrize("rows, fraction, test_size", [(200, 0.25, 50), (10, 0.3, 3), (7, 0.5, 4), (3, 0.5, 2),
                                                        (100, 0.9, 90), (2, 0.5, 1), (11, 0.0, 0)])
def test_parts_are_disjoint_covering_ascending_and_sized(rows, fraction, test_size):
    split = split_rows(rows, fraction, seed=5)
    assert split.test.size == test_size == round(rows * fraction)
    assert split.train.size == rows - test_size and split.rows == rows
    assert np.intersect1d(split.train, split.test).size == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([split.train, split.test])), np.arange(rows))
    assert np.all(np.diff(split.train) > 0) and np.all(np.diff(split.test) > 0)


def test_same_seed_same_split_other_seed_another():
    a, b, c = split_rows(200, 0.25, 1), split_rows(200, 0.25, 1), split_rows(200, 0.25, 2)
    assert a == b and hash(a) == hash(b)
    np.testing.assert_array_equal(a.test, b.test)
    assert a != c and not np.array_equal(a.test, c.test)
    assert split_rows(200, 0.25) == split_rows(200, 0.25, 0)


def test_the_test_rows_are_a_seeded_permutation_s_first_entries():
    # the documented recipe, written out: the first round(n·F) entries of default_rng(seed).permutation(n)
    order = np.random.default_rng(9).permutation(40)
    split = split_rows(40, 0.2, seed=9)
    np.testing.assert_array_equal(split.test, np.sort(order[:8]))


def test_the_parts_are_read_only_and_round_trip_through_a_dict():
    split = split_rows(10, 0.3, 4)
    with pytest.raises(ValueError):
        split.train[0] = 3
    parts = split.as_dict()
    assert parts["train"] == split.train.tolist() and all(type(i) is int for i in parts["test"])
    assert Split.from_dict(parts, 10) == split


@pytest.mark.parametrize("parts, message", [
    ({"train": [0, 1]}, "needs the lists 'train' and 'test'"),
    ({"train": [0, 2], "test": [1]}, "share the 4 rows"),
    ({"train": [0, 1, 2], "test": [2, 3]}, "share the 4 rows"),
    ({"train": [2, 0, 1], "test": [3]}, "'train' rows must ascend, each from 0 to 3"),
    ({"train": [0, 1, 2], "test": [4]}, "'test' rows must ascend"),
    ({"train": [0.5, 1, 2], "test": [3]}, "whole row numbers"),
    ({"train": [], "test": [0, 1, 2, 3]}, "at least one training row"),
])
def test_a_bad_split_read_back_is_refused(parts, message):
    with pytest.raises(DataError, match=message):
        Split.from_dict(parts, 4)


@pytest.mark.parametrize("args, message", [
    ((10, 0.95), "the test fraction must be a number from 0 to 0.9, not 0.95"),
    ((10, -0.1), "from 0 to 0.9"),
    ((10, float("nan")), "from 0 to 0.9"),
    ((10, 0.01), "a test fraction of 0.01 of 10 rows leaves no test rows"),
    ((1, 0.9), "a test fraction of 0.9 of 1 row leaves no training rows"),
    ((0, 0.5), "a whole number of rows >= 1, not 0"),
    ((10, 0.5, -1), "the split seed must be a whole number >= 0, not -1"),
])
def test_bad_requests_are_one_line(args, message):
    with pytest.raises(DataError) as err:
        split_rows(*args)
    assert message in str(err.value) and "\n" not in str(err.value)


@settings(max_examples=200, deadline=None)
@given(rows=st.integers(1, 5000), fraction=st.floats(0, 0.9), seed=st.integers(0, 2**32 - 1))
def test_any_split_that_is_made_is_disjoint_covering_and_of_the_rounded_size(rows, fraction, seed):
    size = round(rows * fraction)
    if fraction > 0 and not 0 < size < rows:
        with pytest.raises(DataError):
            split_rows(rows, fraction, seed)
        return
    split = split_rows(rows, fraction, seed)
    assert split.test.size == size and split.train.size == rows - size
    joined = np.concatenate([split.train, split.test])
    np.testing.assert_array_equal(np.sort(joined), np.arange(rows))
    assert split == split_rows(rows, fraction, seed)
