"""Built-in datasets: reproducible per seed, different across seeds, and drawn as documented."""
import numpy as np
import pytest

from explorer.core.data import DataError
from explorer.core.datasets import GENERATORS, dataset_names, describe, generate


@pytest.mark.parametrize("name", list(GENERATORS))
def test_same_seed_same_table_other_seed_another(name):
    a, b, c = generate(name, seed=3), generate(name, seed=3), generate(name, seed=4)
    np.testing.assert_array_equal(a.values, b.values)
    assert a.columns == c.columns and a.rows == c.rows == GENERATORS[name].rows
    assert not np.any(a.values[:, 0] == c.values[:, 0])
    assert generate(name, seed=3, rows=17).rows == 17


def test_names_and_descriptions():
    assert dataset_names() == ["line", "plane", "classes-1d", "classes-2d", "scales", "growth"]
    assert describe().splitlines()[0].startswith("line: a noisy line")
    assert all("\n" not in g.description for g in GENERATORS.values())


def _least_squares(d, features):
    A = np.column_stack([d.column(f) for f in features] + [np.ones(d.rows)])
    return np.linalg.lstsq(A, d.column("Y"), rcond=None)[0]


def test_growth_follows_its_formula():
    # with many rows, least squares on log-free residuals recovers a = 2, b = 0.5 (scipy, no autograd)
    from scipy.optimize import least_squares
    d = generate("growth", seed=1, rows=20_000)
    x, y = d.column("X"), d.column("Y")
    assert x.min() >= 0 and x.max() <= 4
    a, b = least_squares(lambda t: t[0] * np.exp(t[1] * x) - y, [1.0, 0.1]).x
    assert a == pytest.approx(2.0, abs=0.02) and b == pytest.approx(0.5, abs=0.005)
    assert np.std(y - 2.0 * np.exp(0.5 * x)) == pytest.approx(0.4, abs=0.01)


def test_line_and_plane_follow_their_formulas():
    # with many rows, least squares recovers the documented coefficients
    line = generate("line", seed=1, rows=20000)
    assert line.columns == ("X", "Y")
    assert -3 <= line.column("X").min() and line.column("X").max() <= 3
    np.testing.assert_allclose(_least_squares(line, ["X"]), [2, 1], atol=0.02)
    plane = generate("plane", seed=1, rows=20000)
    assert plane.columns == ("X1", "X2", "X3", "Y")
    np.testing.assert_allclose(_least_squares(plane, ["X1", "X2", "X3"]), [1.5, -2, 0.5, 3], atol=0.01)


def test_classes_are_balanced_shuffled_and_overlapping():
    one = generate("classes-1d")
    y, x = one.column("Y"), one.column("X")
    assert set(np.unique(y)) == {0.0, 1.0} and y.sum() == one.rows / 2
    assert 0 < y[:10].sum() < 10   # shuffled: the first rows hold both classes
    assert x[y == 0].max() > x[y == 1].min()   # they overlap: a finite best logistic fit
    big = generate("classes-2d", rows=20000)
    y = big.column("Y")
    np.testing.assert_allclose(big.column("X1")[y == 1].mean() - big.column("X1")[y == 0].mean(), 2, atol=0.05)
    np.testing.assert_allclose(big.column("X2")[y == 1].mean() - big.column("X2")[y == 0].mean(), 1, atol=0.05)


def test_scales_differ_by_a_factor_of_about_100():
    d = generate("scales", rows=20000)
    ratio = d.column("X1").std() / d.column("X2").std()
    assert 95 < ratio < 105
    np.testing.assert_allclose(np.linalg.lstsq(d.values[:, :2], d.column("Y"), rcond=None)[0], [0.03, 2],
                               rtol=0.02)


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "lines"}, "unknown dataset 'lines' (choose from line, plane, classes-1d, classes-2d, scales, growth)"),
    ({"name": "line", "rows": 1}, "rows must be a whole number from 2 to 100,000, not 1"),
    ({"name": "line", "rows": 2.5}, "rows must be a whole number"),
    ({"name": "line", "seed": -1}, "the seed must be a whole number >= 0, not -1"),
])
def test_bad_requests(kwargs, message):
    with pytest.raises(DataError) as err:
        generate(**kwargs)
    assert message in str(err.value)
