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
    assert dataset_names() == ["line", "plane", "classes-1d", "classes-2d", "scales", "growth", "moons", "circles",
                               "xor", "spirals", "blobs", "wave", "moons-noise"]
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
    ({"name": "lines"}, "unknown dataset 'lines' (choose from line, plane, classes-1d, classes-2d, scales, growth, "
                        "moons, circles, xor, spirals, blobs, wave, moons-noise)"),
    ({"name": "line", "rows": 1}, "rows must be a whole number from 2 to 100,000, not 1"),
    ({"name": "line", "rows": 2.5}, "rows must be a whole number"),
    ({"name": "line", "seed": -1}, "the seed must be a whole number >= 0, not -1"),
    ({"name": "moons", "noise": -0.1}, "dataset 'moons': the noise must be a finite number >= 0, not -0.1"),
    ({"name": "line", "noise": float("nan")}, "the noise must be a finite number >= 0, not nan"),
    ({"name": "wave", "noise": float("inf")}, "the noise must be a finite number >= 0, not inf"),
    ({"name": "wave", "noise": "0.1"}, "the noise must be a finite number >= 0, not '0.1'"),
    ({"name": "moons", "classes": 3}, "dataset 'moons': its classes are fixed; the number of classes is chosen "
                                      "only for blobs"),
    ({"name": "blobs", "classes": 1}, "the number of classes must be a whole number from 2 to 10, not 1"),
    ({"name": "blobs", "classes": 11}, "from 2 to 10, not 11"),
    ({"name": "blobs", "classes": 4, "rows": 3}, "4 classes need at least 4 rows, not 3"),
])
def test_bad_requests(kwargs, message):
    with pytest.raises(DataError) as err:
        generate(**kwargs)
    assert message in str(err.value)


@pytest.mark.parametrize("name", list(GENERATORS))
def test_noise_is_gaussian_of_the_standard_deviation_asked_for_and_the_default_is_the_documented_one(name):
    # the same seed with noise 0 draws the same rows without their noise: the difference is the noise alone
    generator = GENERATORS[name]
    clean = generate(name, seed=2, rows=20_000, noise=0.0)
    noisy = generate(name, seed=2, rows=20_000, noise=0.3)
    difference = noisy.values - clean.values
    moved = np.flatnonzero(np.any(difference != 0, axis=0))
    assert moved.size >= 1
    np.testing.assert_allclose(difference[:, moved].std(axis=0), 0.3, rtol=0.03)
    np.testing.assert_allclose(difference[:, moved].mean(axis=0), 0, atol=0.01)
    default = generate(name, seed=2, noise=generator.noise)
    np.testing.assert_array_equal(default.values, generate(name, seed=2).values)   # leaving it out is the default


@pytest.mark.parametrize("name", ["classes-1d", "classes-2d", "moons", "circles", "xor", "spirals", "blobs"])
@pytest.mark.parametrize("rows", [200, 201])
def test_class_datasets_are_balanced_and_shuffled(name, rows):
    y = generate(name, rows=rows).column("Y")
    counts = np.bincount(y.astype(int))
    assert counts.max() - counts.min() <= 1 and counts.sum() == rows
    assert len(np.unique(y[:12])) > 1   # shuffled: the first rows hold more than one class


def _sorted_rows(values):
    return values[np.lexsort(values.T[::-1])]


@pytest.mark.parametrize("rows", [200, 201])
def test_moons_and_circles_are_scikit_learn_s_without_noise(rows):
    from sklearn.datasets import make_circles, make_moons
    for name, reference in (("moons", make_moons(n_samples=rows, noise=0.0)),
                            ("circles", make_circles(n_samples=rows, noise=0.0, factor=0.5))):
        d = generate(name, rows=rows, noise=0.0)
        assert d.columns == ("X1", "X2", "Y")
        expected = np.column_stack(reference)
        np.testing.assert_allclose(_sorted_rows(d.values), _sorted_rows(expected), atol=1e-12)


def test_xor_labels_are_the_sign_of_x1_x2_and_the_points_fill_the_square():
    d = generate("xor", rows=4000, noise=0.0)
    x1, x2, y = d.column("X1"), d.column("X2"), d.column("Y")
    np.testing.assert_array_equal(y, (x1 * x2 > 0).astype(float))
    assert np.all(np.abs(d.values[:, :2]) <= 1)
    quadrants = np.bincount((x1 > 0) * 2 + (x2 > 0), minlength=4)
    assert quadrants.min() > 900   # each quadrant holds about a quarter


def test_spirals_follow_their_formula():
    # without noise, a point at radius t of class Y has the angle 3π t + π Y (mod 2π)
    d = generate("spirals", rows=1000, noise=0.0)
    x1, x2, y = d.column("X1"), d.column("X2"), d.column("Y")
    t = np.hypot(x1, x2)
    assert t.max() <= 1
    gap = np.angle(np.exp(1j * (np.arctan2(x2, x1) - 3 * np.pi * t - np.pi * y)))
    np.testing.assert_allclose(gap, 0, atol=1e-9)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_blobs_sit_on_their_centres(k):
    d = generate("blobs", rows=30_000, classes=k)
    y = d.column("Y")
    assert set(np.unique(y)) == set(range(k))
    for c in range(k):
        centre = 2 * np.array([np.cos(2 * np.pi * c / k), np.sin(2 * np.pi * c / k)])
        np.testing.assert_allclose(d.values[y == c, :2].mean(axis=0), centre, atol=0.03)
    assert generate("blobs").column("Y").max() == 2   # three classes unless told


def test_wave_follows_its_formula():
    d = generate("wave", rows=20_000)
    x, y = d.column("X"), d.column("Y")
    assert d.columns == ("X", "Y") and -3 <= x.min() and x.max() <= 3
    assert np.std(y - np.sin(x)) == pytest.approx(0.1, rel=0.03)
