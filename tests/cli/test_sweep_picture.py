"""The sweep's picture: each seed a dot and each mean a marker where the numbers put them, train and test in their
own colours, values to scale (or evenly spaced names), runs that gave nothing said below."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from explorer.cli.sweep_picture import DODGE, picture, save
from explorer.core.colours import SPLIT_COLOURS, rgb
from explorer.core.sweep import sweep

TRAIN, TEST = rgb(SPLIT_COLOURS["train"]), rgb(SPLIT_COLOURS["test"])


def tint(colour):
    return tuple(round(c + 0.45 * (255 - c)) for c in colour)


def run(value, seed, train, test, metric="accuracy"):
    return {"value": value, "seed": seed, "train": {metric: train}, "test": {metric: test}}


# two values, two seeds: train 0.7 and 0.9 (mean 0.8), test 0.3 and 0.5 (mean 0.4), the same at both values
TWO = [run(v, s, 0.7 + 0.2 * s, 0.3 + 0.2 * s) for v in (0.01, 0.1) for s in (0, 1)]


def pixels(image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))


def at(image, drawn, value_text, number, shift):
    """The colour drawn at `number` on the metric's axis, `shift` pixels beside the value's column."""
    left, top, width, height = drawn.info["plot"]
    lo, hi = drawn.info["y"]
    u = drawn.info["x"][value_text] + shift
    v = top + height - (number - lo) / (hi - lo) * height
    return tuple(image[int(round(v)), int(round(u))])


def test_each_seed_is_a_dot_and_each_mean_a_marker_in_its_parts_colour():
    drawn = picture(TWO, "l2", "accuracy")
    image = pixels(drawn)
    for value in ("0.01", "0.1"):
        assert at(image, drawn, value, 0.8, -DODGE) == TRAIN            # train's mean, left of the value
        assert at(image, drawn, value, 0.4, +DODGE) == TEST             # test's, right of it
        for number in (0.7, 0.9):
            assert at(image, drawn, value, number, -DODGE) == tint(TRAIN)
        for number in (0.3, 0.5):
            assert at(image, drawn, value, number, +DODGE) == tint(TEST)
    left, top, width, height = drawn.info["plot"]
    # the mean lines run between the markers: train's at 0.8 half-way between the two values
    middle = (drawn.info["x"]["0.01"] + drawn.info["x"]["0.1"]) / 2
    assert at(image, drawn, "0.01", 0.8, middle - drawn.info["x"]["0.01"] - DODGE) == TRAIN
    assert np.any(np.all(image[:top] < 80, axis=-1))                         # a title's dark letters
    assert np.any(np.all(image[top:top + height, :left] < 80, axis=-1))      # the metric's ticks and name
    assert np.any(np.all(image[top + height + 2:, left:left + width] < 80, axis=-1))   # the values and l2
    key = image[top:top + height, left + width + 2:]
    assert np.count_nonzero(np.all(key == TRAIN, axis=-1)) > 30 and np.count_nonzero(np.all(key == TEST, axis=-1)) > 30


def test_values_are_placed_to_scale_log_across_decades_with_zero_past_a_break():
    results = [run(v, 0, 0.9, 0.8) for v in (0, 1e-3, 1e-2, 1e-1)]
    x = picture(results, "l2", "accuracy").info["x"]
    steps = np.diff([x["0"], x["0.001"], x["0.01"], x["0.1"]])
    assert np.allclose(steps, steps[0], atol=0.01) and steps[0] > 50        # a decade apart, 0 one more to the left
    linear = picture([run(v, 0, 0.9, 0.8) for v in (1, 2, 4)], "steps", "accuracy").info["x"]
    assert linear["4"] - linear["2"] == pytest.approx(2 * (linear["2"] - linear["1"]))


def test_names_are_evenly_spaced_in_the_order_given_and_long_ones_still_fit():
    names = ["mlp:128,128,128:tanh", "logistic", "mlp:16,16,16:sigmoid", "mlp:4", "mlp:64,64:relu", "softmax",
             "mlp:8,8:linear", "mlp:2"]
    drawn = picture([run(n, 0, 0.9, 0.8) for n in names], "model", "accuracy")
    x = [drawn.info["x"][n] for n in names]
    assert np.allclose(np.diff(x), np.diff(x)[0]) and np.diff(x)[0] > 0
    assert drawn.width <= 1500


def test_failed_runs_are_left_out_and_said_below_the_plot():
    results = [run(1.0, 0, 0.9, 0.8), {"value": 1.0, "seed": 1, "error": "diverged"},
               {"value": 10.0, "seed": 0, "error": "diverged"}, run(100.0, 0, 0.6, float("nan"))]
    drawn = picture(results, "lr", "accuracy")
    image = pixels(drawn)
    left, top, width, height = drawn.info["plot"]
    column = drawn.info["x"]["10"]
    plot = image[top:top + height, int(column) - 12:int(column) + 13]
    assert not np.any(np.all(plot == TRAIN, axis=-1)) and not np.any(np.all(plot == TEST, axis=-1))
    assert at(image, drawn, "100", 0.6, -DODGE) == TRAIN                  # its train number is there, its test not
    below = image[top + height + 70:]
    assert np.count_nonzero(np.all(below < 80, axis=-1)) > 200            # two lines of notes under the value name


def test_a_sweep_without_test_rows_draws_train_only():
    drawn = picture([{"value": v, "seed": 0, "train": {"mse": v}, "test": {}} for v in (1, 2, 3)], "steps", "mse")
    image = pixels(drawn)
    assert np.any(np.all(image == TRAIN, axis=-1))
    assert not np.any(np.all(image == TEST, axis=-1)) and not np.any(np.all(image == tint(TEST), axis=-1))


def test_a_metric_no_run_has_is_one_clear_error():
    with pytest.raises(ValueError, match="no run has a number for 'f1' on its train or test rows"):
        picture(TWO, "l2", "f1")


def test_save_writes_the_picture_as_png(tmp_path):
    path = tmp_path / "sweep.png"
    save(TWO, "l2", "accuracy", path)
    assert np.array_equal(pixels(Image.open(path)), pixels(picture(TWO, "l2", "accuracy")))


def ridge(l2, seed):
    """A stand-in for a training run: ridge regression on noisy y = 2x, judged on held-out rows."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, 40)
    y = 2 * x + rng.normal(0, 0.3, 40)
    w = x[:30] @ y[:30] / (x[:30] @ x[:30] + l2 * 30)
    return {part: {"mse": float(np.mean((w * x[rows] - y[rows]) ** 2))}
            for part, rows in (("train", slice(0, 30)), ("test", slice(30, 40)))}


def test_a_real_sweep_draws_its_means(tmp_path):
    results = sweep(ridge, [0, 0.1, 10], [0, 1], workers=1)
    drawn = picture(results, "l2", "mse")
    image = pixels(drawn)
    for value, text in ((0, "0"), (0.1, "0.1"), (10, "10")):
        train = np.mean([r["train"]["mse"] for r in results if r["value"] == value])
        assert at(image, drawn, text, train, -DODGE) == TRAIN
    # a strong penalty shrinks w towards 0: train error grows (the picture's claim, checked in numbers)
    assert results[-1]["train"]["mse"] > results[0]["train"]["mse"]


def test_the_sweep_picture_needs_no_qt():
    from tests.helpers import gui_modules_loaded_by
    assert gui_modules_loaded_by("import explorer.cli.sweep_picture, explorer.core.sweep_axis") == []
