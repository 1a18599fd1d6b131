"""Slider scales of the methods' settings: positions and values round-trip, log where the range spans decades."""
import math

import pytest

from explorer.core.methods import ALL_METHODS, make_optimizer
from explorer.core.setting_scales import SCALES, scale_of

NAMES = sorted({name for cls in ALL_METHODS.values() for name in cls.hyperparameters()})


@pytest.mark.parametrize("name", NAMES)
def test_every_setting_of_every_method_has_a_slider_whose_positions_round_trip(name):
    default = next(cls.hyperparameters()[name] for cls in ALL_METHODS.values() if name in cls.hyperparameters())
    scale = scale_of(name, default, default)
    assert scale.low <= default <= scale.high
    for p in range(scale.positions + 1):
        assert scale.position(scale.value(p)) == p


@pytest.mark.parametrize("name", NAMES)
def test_every_position_is_a_value_the_method_accepts(name):
    method = next(n for n, cls in ALL_METHODS.items() if name in cls.hyperparameters())
    default = ALL_METHODS[method].hyperparameters()[name]
    scale = scale_of(name, default, default)
    for p in (0, scale.positions // 2, scale.positions):
        make_optimizer(method, None, **{name: scale.value(p)})   # raises on a value out of its range


def test_the_learning_rate_is_logarithmic_a_hundred_positions_a_decade():
    lr = SCALES["lr"]
    assert lr.log and lr.value(0) == 1e-5 and lr.value(lr.positions) == 10.0
    assert lr.positions == 600
    assert lr.value(100) == pytest.approx(1e-4) and lr.value(500) == pytest.approx(1.0)
    assert lr.position(0.001) == 200 and lr.position(0.01) == 300
    # halfway between two decades in position is their geometric mean
    assert lr.value(250) == pytest.approx(math.sqrt(1e-3 * 1e-2), rel=0.005)


def test_a_value_rounds_to_the_nearest_position_and_back_within_half_a_position():
    lr = SCALES["lr"]
    for v in (0.0012345, 0.037, 3.3e-5, 7.77):
        assert lr.value(lr.position(v)) == pytest.approx(v, rel=10 ** 0.005 - 1)


def test_the_betas_are_linear_on_zero_to_one_in_thousandths():
    for name in ("momentum", "beta1", "beta2", "decay"):
        beta = SCALES[name]
        assert not beta.log and beta.value(0) == 0.0 and beta.value(beta.positions) == 0.999 < 1
        assert beta.value(900) == 0.9 and beta.position(0.5) == 500


def test_a_setting_beyond_the_table_widens_the_slider_to_whole_decades():
    scale = scale_of("lr", 50.0)
    assert scale.low == 1e-5 and scale.high == 100.0 and scale.positions == 700
    assert scale.value(scale.position(50.0)) == pytest.approx(50.0, rel=10 ** 0.005 - 1)
    assert scale_of("lr", 0.01) is SCALES["lr"]


def test_memory_takes_whole_numbers():
    memory = scale_of("memory", 10.0)
    assert [memory.value(p) for p in range(3)] == [1.0, 2.0, 3.0] and memory.value(memory.position(10)) == 10
