import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.core.levels import contour_levels, iso_lines, nice_step, roundest, roundness, spaced_levels


def grid(f, x_range, y_range, n=200):
    x, y = np.linspace(*x_range, n), np.linspace(*y_range, n)
    X, Y = np.meshgrid(x, y, indexing="ij")
    with np.errstate(all="ignore"):
        return x, y, f(X, Y)


BOWL = grid(lambda x, y: x**2 + 10 * y**2, (-3, 3), (-3, 3))
ROSENBROCK = grid(lambda x, y: (1 - x)**2 + 100 * (y - x**2)**2, (-2, 2), (-1, 3))
HIMMELBLAU = grid(lambda x, y: (x**2 + y - 11)**2 + (x + y**2 - 7)**2, (-5, 5), (-5, 5))
GAUSSIAN = grid(lambda x, y: np.exp(-(x**2 + y**2)), (-1.5, 1.5), (-1.5, 1.5))
LOG_X = grid(lambda x, y: np.log(x) + y**2, (-2, 2), (-2, 2))
SADDLE = grid(lambda x, y: x**2 - y**2, (-2, 2), (-2, 2))
CASES = [BOWL, ROSENBROCK, HIMMELBLAU, GAUSSIAN, LOG_X, SADDLE]


def is_round(value: float) -> bool:
    """A multiple of 1, 2 or 5 × 10^k that needs at most two significant digits."""
    return roundness(value) >= 10 ** (math.floor(math.log10(abs(value))) - 1) if value else True


def test_nice_steps_are_1_2_5():
    assert [nice_step(v) for v in (0.8, 1.4, 3, 4, 251, 0.013)] == [1, 1, 2, 5, 200, 0.01]


def test_roundest_number_in_an_interval():
    assert roundest(0.28, 0.32) == 0.3
    assert roundest(101, 103) == 102
    assert roundest(796.3, 1196.3) == 1000
    assert roundest(-3.62, -3.58) == -3.6
    assert roundest(0.17, 0.23) == 0.2


def test_roundness():
    assert roundness(40) == 20 and roundness(30) == 10 and roundness(50) == 50 and roundness(0.05) == 0.05
    assert roundness(0) == math.inf


@pytest.mark.parametrize("case", CASES, ids=["bowl", "rosenbrock", "himmelblau", "gaussian", "log x", "saddle"])
def test_levels_are_round_increasing_and_inside_the_data(case):
    z = case[2]
    finite = z[np.isfinite(z)]
    for log in (False, True):
        levels = contour_levels(z, log=log)
        assert 5 <= levels.size <= 16
        assert np.all(np.diff(levels) > 0)
        assert levels.min() > finite.min() and levels.max() < finite.max()
        assert all(is_round(v) for v in levels), levels


def test_equal_steps_for_a_bowl_with_sub_levels_around_its_minimum():
    levels = contour_levels(BOWL[2])                     # f from 0 to 99
    assert levels.tolist() == [1, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90]
    assert contour_levels(BOWL[2], subdivide=False).tolist() == [10, 20, 30, 40, 50, 60, 70, 80, 90]


def test_no_sub_levels_where_the_extremum_is_on_the_edge():
    # x² − y²: the extremes lie in the corners, so equal steps only
    assert contour_levels(SADDLE[2]).tolist() == [-3, -2, -1, 0, 1, 2, 3]
    # log(x): the lowest values lie along the undefined half-plane, not around a minimum
    assert contour_levels(LOG_X[2]).tolist() == [-4, -3, -2, -1, 0, 1, 2, 3, 4]


def test_sub_levels_around_an_inner_maximum():
    levels = contour_levels(GAUSSIAN[2])
    assert levels[:9].tolist() == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    assert levels[9:].tolist() == pytest.approx([0.95, 0.98, 0.99])


def test_rosenbrock_spans_decades_so_its_levels_are_log_spaced():
    z = ROSENBROCK[2]
    levels = contour_levels(z)                            # chosen on its own: not asked for log
    assert levels.tolist() == [2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]
    ratios = np.diff(np.log10(levels - np.nanmin(z)))
    assert np.all((ratios > 0.25) & (ratios < 0.45))      # 1-2-5: about a third of a decade each
    assert levels.max() / levels.min() >= 1000            # spans at least three decades


def test_log_levels_when_asked_for_them():
    levels = contour_levels(BOWL[2], log=True)
    assert levels.tolist() == [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50]


def test_nothing_to_draw():
    assert contour_levels(np.full((5, 5), 3.0)).size == 0
    assert contour_levels(np.full((5, 5), np.nan)).size == 0
    assert contour_levels(np.array([[1.0, np.inf], [np.nan, 1.0]])).size == 0


@given(st.floats(-1e6, 1e6), st.floats(1e-6, 1e6))
def test_levels_of_any_linear_ramp_are_round_and_inside(offset, span):
    z = offset + span * np.linspace(0, 1, 50)[:, None] * np.ones((1, 7))
    levels = contour_levels(z)
    assert levels.size >= 3
    assert np.all(np.diff(levels) > 0) and levels.min() > z.min() and levels.max() < z.max()
    steps = np.diff(levels)
    assert np.allclose(steps, steps[0], rtol=1e-6)        # a ramp has no inner extremum: equal steps
    assert roundness(float(levels[0])) >= steps[0] * (1 - 1e-9) or levels[0] == 0


def test_iso_lines_of_a_circle_are_smooth_at_any_grid():
    for n in (100, 800):
        x = np.linspace(-3, 3, n)
        X, Y = np.meshgrid(x, x, indexing="ij")
        (line,) = iso_lines(x, x, X**2 + Y**2, [2.25])
        r = np.hypot(*line[np.isfinite(line[:, 0])].T)
        assert np.ptp(r) < 0.01 * 1.5                      # no staircase of grid cells: radius within 1%
        assert len(r) > n                                 # one vertex per crossed cell edge, not per level


def test_iso_lines_leave_out_undefined_cells():
    x, y, z = LOG_X
    (line,) = iso_lines(x, y, z, [0.0])
    points = line[np.isfinite(line[:, 0])]
    assert points.size and np.all(points[:, 0] > 0)
    away = points[points[:, 0] > 0.2]                     # log bends too fast nearer x = 0 for a 0.02 grid
    np.testing.assert_allclose(np.log(away[:, 0]) + away[:, 1]**2, 0, atol=2e-3)


def test_spaced_levels_drop_the_lines_that_would_form_a_band():
    x, y, z = LOG_X                                       # f -> -inf along x = 0: the low lines crowd there
    levels = contour_levels(z)
    kept, lines = spaced_levels(x, y, z, levels, min_width=0.1)
    assert -4 not in kept and -3 not in kept               # 0.02 and 0.05 from x = 0
    assert {-1, 0, 1, 2, 3, 4} <= set(kept.tolist())
    assert len(lines) == kept.size
    # wide apart everywhere: nothing goes
    kept, _ = spaced_levels(*BOWL, contour_levels(BOWL[2]), min_width=0.05)
    assert kept.tolist() == contour_levels(BOWL[2]).tolist()
