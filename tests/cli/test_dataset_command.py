"""`dataset NAME --out FILE.csv` writes a built-in dataset exactly; the fitting commands draw one the same way."""
import json
import os

import numpy as np
import pytest

from explorer.core.data import read_csv
from explorer.core.datasets import GENERATORS, generate
from tests.cli.cli_calls import error, output


@pytest.mark.parametrize("name", list(GENERATORS))
def test_the_file_reads_back_as_the_very_same_numbers(capsys, tmp_path, name):
    out = tmp_path / f"{name}.csv"
    assert output(capsys, "dataset", name, "--out", str(out)) == ""
    back = read_csv(out)
    drawn = generate(name)
    assert back.columns == drawn.columns
    np.testing.assert_array_equal(back.values, drawn.values)   # exact, not approximately


def test_rows_noise_seed_and_classes_reach_the_generator(capsys, tmp_path):
    out = str(tmp_path / "blobs.csv")
    output(capsys, "dataset", "blobs", "--rows", "40", "--noise", "0.25", "--data-seed", "6", "--classes", "4",
           "--out", out)
    np.testing.assert_array_equal(read_csv(out).values,
                                  generate("blobs", seed=6, rows=40, noise=0.25, classes=4).values)
    assert sorted(set(read_csv(out).column("Y"))) == [0, 1, 2, 3]


@pytest.mark.parametrize("argv, message", [
    (["mons"], "unknown dataset 'mons' (choose from line, plane"),
    (["moons", "--rows", "1"], "--rows must be between 2 and 100000; got 1"),
    (["moons", "--rows", "many"], "--rows needs a whole number; got 'many'"),
    (["moons", "--noise", "-0.5"], "--noise must be zero or positive; got -0.5"),
    (["moons", "--noise", "inf"], "--noise: inf is not a finite number"),
    (["moons", "--data-seed", "-1"], "--data-seed must be between 0 and 4294967295; got -1"),
    (["moons", "--classes", "3"], "dataset 'moons': its classes are fixed; the number of classes is chosen only "
                                  "for blobs"),
    (["blobs", "--classes", "11"], "--classes must be between 2 and 10; got 11"),
])
def test_bad_input_is_one_line_and_writes_nothing(capsys, tmp_path, argv, message):
    out = tmp_path / "out.csv"
    assert error(capsys, "dataset", *argv, "--out", str(out)).startswith(message)
    assert not out.exists()


def test_the_out_file_must_be_a_csv_file_in_a_folder_that_exists(capsys, tmp_path):
    assert error(capsys, "dataset", "moons", "--out", str(tmp_path / "m.txt")) == \
        f"--out must name a .csv file; got '{tmp_path / 'm.txt'}'"
    assert error(capsys, "dataset", "moons", "--out", str(tmp_path / "no" / "m.csv")) == \
        f"--out: the folder '{tmp_path / 'no'}' does not exist"
    assert "--out" in error(capsys, "dataset", "moons")


LINEAR = ["--loss", "(w1*X1 + w2*X2 + b - Y)^2", "--train", "w1,w2,b", "--method", "gd", "--start", "0,0,0",
          "--steps", "0", "--json"]


def _rows_of_run(capsys, *options):
    """(rows, dataset name, loss at the start) of a fit on the moons the options draw."""
    result = json.loads(output(capsys, "run", "--dataset", "moons", *options, *LINEAR))
    return result["rows"], result["dataset"], result["runs"][0]["values"][0]


def _mean_square_of_y(d):
    return float(np.mean(d.column("Y") ** 2))   # the loss at w = b = 0


def test_a_fit_draws_its_dataset_with_rows_noise_and_the_data_seed(capsys):
    rows, name, loss = _rows_of_run(capsys, "--rows", "30", "--noise", "0.4", "--data-seed", "3")
    assert (rows, name) == (30, "moons (seed 3)")
    assert loss == pytest.approx(_mean_square_of_y(generate("moons", seed=3, rows=30, noise=0.4)))


def test_without_a_data_seed_the_seed_still_draws_the_dataset(capsys):
    assert _rows_of_run(capsys, "--seed", "5")[1] == "moons (seed 5)"
    # with --data-seed, --seed shuffles only the mini-batches
    assert _rows_of_run(capsys, "--data-seed", "2", "--seed", "5", "--batch", "10")[1] == "moons (seed 2)"


def test_drawing_options_are_refused_where_they_mean_nothing(capsys, tmp_path):
    path = tmp_path / "m.csv"
    output(capsys, "dataset", "moons", "--out", str(path))
    assert error(capsys, "run", "--data", str(path), "--noise", "0.3", *LINEAR) == \
        "--noise goes with --dataset NAME (a file's rows are what they are)"
    assert error(capsys, "run", "--dataset", "moons", "--data-seed", "2", "--seed", "5", *LINEAR) == \
        "--seed with --data-seed shuffles mini-batches: give --batch K too (--data-seed draws the dataset)"
    assert error(capsys, "run", "x^2 + y^2", "--method", "gd", "--start", "1,1", "--data-seed", "2") == \
        "--data-seed goes with --loss EXPR or --residual EXPR (the per-row loss, or residual, over the data)"
    assert error(capsys, "run", "--dataset", "wave", "--classes", "3", *LINEAR).startswith(
        "--dataset: dataset 'wave': its classes are fixed")


def test_a_named_pipe_as_the_out_file_is_left_as_it_is(capsys, tmp_path):
    # the CSV goes through the one safe writer: a special file is refused, never replaced or waited on
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    before = os.lstat(pipe)
    assert error(capsys, "dataset", "moons", "--out", str(pipe)) == \
        f"cannot write '{pipe}': it is a named pipe, not a regular file, so it is left as it is"
    assert os.lstat(pipe).st_ino == before.st_ino and os.listdir(tmp_path) == ["pipe.csv"]
