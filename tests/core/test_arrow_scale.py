"""One stated scale for the −∇f arrows: a 1, 2 or 5 × 10ᵏ that draws a typical gradient a fair share of the
domain, the same at every step, so an arrow's length reads as |∇f|."""
import numpy as np
import pytest

from explorer.core.arrow_scale import SHARE, gradient_scale, nice_number


@pytest.mark.parametrize("value, nice", [(1.0, 1.0), (0.3, 0.2), (7.0, 5.0), (8.0, 10.0), (0.0042, 0.005),
                                         (1.4e-3, 1e-3), (1.5e-3, 2e-3)])
def test_nice_numbers_are_the_nearest_1_2_5_on_a_log_scale(value, nice):
    assert nice_number(value) == pytest.approx(nice)


@pytest.mark.parametrize("value", [0.0, -1.0, np.inf, np.nan])
def test_no_scale_for_nothing_to_scale(value):
    assert nice_number(value) == 0.0


def bowl_grid(c=1.0):
    x = np.linspace(-2, 2, 41)
    y = np.linspace(-1, 1, 21)
    X, Y = np.meshgrid(x, y, indexing="ij")
    return x, y, c * 2 * X, c * 2 * Y   # ∇(c(x² + y²))


def test_a_typical_gradient_is_drawn_about_a_share_of_the_smaller_side():
    x, y, gx, gy = bowl_grid()
    s = gradient_scale(x, y, gx, gy)
    typical = np.median(np.hypot(gx, gy)[np.hypot(gx, gy) > 0])
    drawn = s * typical / 2.0                          # the smaller side is 2 long
    assert SHARE / np.sqrt(2.5) <= drawn <= SHARE * np.sqrt(2.5)   # rounding to 1, 2, 5 moves it by at most √2.5
    mantissa = s / 10 ** np.floor(np.log10(s))
    assert mantissa == pytest.approx(1.0) or mantissa == pytest.approx(2.0) or mantissa == pytest.approx(5.0)


def test_ten_times_f_gets_a_tenth_of_the_scale():
    assert gradient_scale(*bowl_grid(10.0)) == pytest.approx(gradient_scale(*bowl_grid()) / 10)


def test_a_flat_or_undefined_grid_has_no_scale():
    x, y, gx, gy = bowl_grid(0.0)
    assert gradient_scale(x, y, gx, gy) == 0.0
    assert gradient_scale(x, y, gx * np.nan, gy) == 0.0
