"""View → Fit to runs: the domain grows to hold every start and path, and no further."""
import numpy as np
import pytest

from explorer.session.fit_domain import MARGIN, MAX_GROWTH, domain_holding


def test_points_inside_leave_the_domain_as_it_is():
    assert domain_holding([(0, 0), (1.9, -1.9)], (-2, 2), (-2, 2)) == ((-2, 2), (-2, 2), 0)


def test_a_point_beyond_one_side_widens_that_side_only_with_a_margin():
    x, y, left_out = domain_holding([(0, 0), (5, 1)], (-2, 2), (-2, 2))
    assert y == (-2, 2) and x[0] == -2 and left_out == 0
    # 5 sits MARGIN of the new width inside the new edge: (x1 − 5) = MARGIN·(x1 − (−2))
    assert (x[1] - 5) == pytest.approx(MARGIN * (x[1] + 2))


def test_every_point_ends_inside_the_new_domain():
    rng = np.random.default_rng(3)
    pts = rng.normal(0, 6, (200, 2))
    (x0, x1), (y0, y1), left_out = domain_holding(pts, (-1, 1), (-1, 1))
    assert left_out == 0
    assert np.all((pts[:, 0] > x0) & (pts[:, 0] < x1) & (pts[:, 1] > y0) & (pts[:, 1] < y1))


def test_a_diverged_run_does_not_blow_the_domain_up():
    x, y, left_out = domain_holding([(0, 0), (3, 0), (1e8, -1e8), (np.inf, np.nan)], (-2, 2), (-2, 2))
    assert left_out == 1                               # the 10⁸ point; inf and nan are not points at all
    assert x[1] - x[0] <= 2 * MAX_GROWTH * 2 and x[1] > 3
    assert y == (-2, 2)
