"""`run ... --start random [--start-seed S]`: each trained parameter ~ N(0, 1), drawn by numpy's default_rng(S)."""
import numpy as np
import pytest

from explorer.core.random_start import random_start
from tests.cli.cli_calls import error, output, strict_json

FIT = ("run", "--dataset", "line", "--loss", "(w*X + b - Y)^2", "--train", "w,b", "--method", "gd", "--lr", "0.1",
       "--steps", "5", "--json")


def test_the_start_is_numpys_standard_normal_of_the_seed(capsys):
    out = strict_json(output(capsys, *FIT, "--start", "random", "--start-seed", "7"))
    drawn = np.random.default_rng(7).standard_normal(2).tolist()
    assert out["start"] == {"random": drawn, "seed": 7}
    assert out["runs"][0]["path"][0] == drawn   # the run begins there


def test_the_same_seed_the_same_start_and_the_default_seed_is_0(capsys):
    first = strict_json(output(capsys, *FIT, "--start", "random"))
    again = strict_json(output(capsys, *FIT, "--start", "random", "--start-seed", "0"))
    other = strict_json(output(capsys, *FIT, "--start", "random", "--start-seed", "1"))
    assert first == again and first["start"]["seed"] == 0
    assert other["start"]["random"] != first["start"]["random"]


def test_every_method_of_a_race_starts_from_the_one_draw(capsys):
    argv = [a if a != "gd" else "gd,adam,bfgs" for a in FIT]
    out = strict_json(output(capsys, *argv, "--start", "random", "--start-seed", "3"))
    assert {tuple(r["path"][0]) for r in out["runs"]} == {tuple(out["start"]["random"])}


def test_one_number_per_trained_parameter_of_a_larger_fit(capsys):
    out = strict_json(output(capsys, "run", "--dataset", "plane", "--loss", "(a*X1 + b*X2 + c*X3 + d - Y)^2",
                             "--train", "a,b,c,d", "--method", "gd", "--lr", "0.01", "--steps", "2", "--json",
                             "--start", "random", "--start-seed", "11"))
    assert out["start"]["random"] == np.random.default_rng(11).standard_normal(4).tolist()


def test_the_table_says_how_the_start_was_drawn(capsys):
    text = output(capsys, *FIT[:-1], "--start", "random", "--start-seed", "2")
    assert "random start (each parameter ~ N(0, 1), seed 2)" in text


def test_the_draw_is_standard_normal():
    # 20,000 draws: mean within 4 standard errors of 0 (4/√20000 ≈ 0.028), variance within 0.05 of 1
    draws = random_start(20_000, seed=5)
    assert abs(draws.mean()) < 0.03 and abs(draws.var() - 1) < 0.05
    assert random_start(3, 5).tolist() == draws[:3].tolist()   # a prefix of the same stream


@pytest.mark.parametrize("argv, message", [
    (("--start", "0,0", "--start-seed", "3"), "--start-seed goes with --start random"),
    (("--start", "random", "--start-seed", "-1"), "--start-seed must be between 0 and 4294967295"),
    (("--start", "random", "--start-seed", "x"), "--start-seed needs a whole number; got 'x'"),
    (("--start", "rand"), "--start needs 2 numbers, one per trained parameter (w, b)"),
])
def test_bad_input_is_one_line(capsys, argv, message):
    assert message in error(capsys, *FIT, *argv)


def test_a_function_of_x_and_y_needs_its_start_as_numbers(capsys):
    assert "--start random draws a fit's trained parameters" in error(
        capsys, "run", "x^2 + y^2", "--method", "gd", "--start", "random")
