"""A sweep's value axis: numbers to scale (log across decades, with a 0 past a break), names evenly spaced."""
from __future__ import annotations

import pytest

from explorer.core.sweep_axis import value_axis, value_text


def test_values_spanning_decades_go_on_a_log_axis_one_decade_apart_evenly():
    axis = value_axis([0.1, 0.001, 0.01, 0.001])       # repeats (seeds) and order don't matter
    assert axis.kind == "log" and axis.values == (0.001, 0.01, 0.1) and axis.gap is None
    assert axis.places == pytest.approx((0.0, 0.5, 1.0))
    assert [text for _, text in axis.ticks] == ["0.001", "0.01", "0.1"]


def test_a_zero_among_decades_sits_one_decade_left_of_the_smallest_past_a_break():
    axis = value_axis([0, 1e-4, 1e-3, 1e-2])
    assert axis.kind == "log"
    # 0, 10⁻⁴, 10⁻³, 10⁻²: four places a decade apart, the break half-way between 0 and 10⁻⁴
    assert axis.places == pytest.approx((0.0, 1 / 3, 2 / 3, 1.0)) and axis.gap == pytest.approx(1 / 6)
    assert [text for _, text in axis.ticks] == ["0", "10⁻⁴", "10⁻³", "10⁻²"]


def test_values_within_two_decades_or_with_negatives_stay_linear():
    axis = value_axis([10, 20, 50, 100])
    assert axis.kind == "linear" and axis.places == pytest.approx((0.0, 1 / 9, 4 / 9, 1.0))
    assert value_axis([-1, 0.01, 10]).kind == "linear"
    one = value_axis([0.5, 0.5])
    assert one.places == (0.5,) and one.ticks == ((0.5, "0.5"),)


def test_names_are_evenly_spaced_in_the_order_given():
    axis = value_axis(["mlp:4", "logistic", "mlp:4", "mlp:16,16:relu"])
    assert axis.kind == "categories" and axis.values == ("mlp:4", "logistic", "mlp:16,16:relu")
    assert axis.places == pytest.approx((1 / 6, 1 / 2, 5 / 6))
    assert axis.labels == tuple(zip(axis.places, axis.values))
    assert axis.place("logistic") == pytest.approx(0.5)


@pytest.mark.parametrize("value, text", [(0.001, "0.001"), (2.5, "2.5"), (1500, "1500"), (1e-4, "10⁻⁴"),
                                         (5e-4, "5·10⁻⁴"), (-3e-7, "−3·10⁻⁷"), (2e6, "2·10⁶"), (0, "0"),
                                         ("adam", "adam")])
def test_values_are_written_short(value, text):
    assert value_text(value) == text
