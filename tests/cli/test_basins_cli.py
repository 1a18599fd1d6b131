"""`landscape-explorer basins`: the arrays and the picture it writes, and its one-line errors."""
import numpy as np
import pytest
from PIL import Image

from explorer.cli import COMMAND_NAMES, main
from explorer.cli.basins import NONE_GREY, PALETTE

HIMMELBLAU = "(x^2+y-11)^2+(x+y^2-7)^2"
MINIMA = np.array([[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]])


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_gd_on_himmelblau_writes_four_minima_and_every_start_near_one_lands_in_it(capsys, tmp_path):
    out = tmp_path / "b.npz"
    code, text, err = run_cli(capsys, "basins", HIMMELBLAU, "--method", "gd", "--lr", "0.01", "--x", "-5:5",
                              "--y", "-5:5", "-n", "31", "--out", str(out))
    assert code == 0 and err == ""
    with np.load(out) as d:
        x, y, label, ends, kinds = d["x"], d["y"], d["label"], d["ends"], d["kinds"]
        assert x.tolist() == np.linspace(-5, 5, 31).tolist() and y.shape == (31,)
        assert label.shape == (31, 31) and label.dtype.kind == "i"
        assert ends.shape == (4, 2) and kinds.tolist() == ["minimum"] * 4
        assert d["outcome"].shape == (31, 31) and d["outcomes"][0] == "converged"
    X, Y = np.meshgrid(x, y, indexing="ij")
    for m in MINIMA:
        k = int(np.argmin(np.linalg.norm(ends - m, axis=1)))
        assert np.linalg.norm(ends[k] - m) < 1e-5
        near = np.hypot(X - m[0], Y - m[1]) < 1.0
        assert np.all(label[near] == k)
    assert "4 ends" in text and text.count("minimum") == 4


def test_newton_on_himmelblau_also_finds_the_saddles_and_the_maximum(capsys, tmp_path):
    out = tmp_path / "b.npz"
    code, text, _ = run_cli(capsys, "basins", HIMMELBLAU, "--method", "newton", "--steps", "30", "--x", "-5:5",
                            "--y", "-5:5", "-n", "41", "--out", str(out))
    assert code == 0
    with np.load(out) as d:
        assert d["kinds"].tolist() == ["minimum"] * 4 + ["saddle"] * 4 + ["maximum"]


def test_rows_follow_x_as_in_the_grid_command(capsys, tmp_path):
    # (x² − 1)² + y²: starts left of x = 0 end at (−1, 0), right of it at (1, 0), whatever y is
    args = ["--x", "-2:2", "--y", "1:3", "-n", "5"]
    assert run_cli(capsys, "grid", "(x^2-1)^2 + y^2", *args, "--out", str(tmp_path / "g.npz"))[0] == 0
    assert run_cli(capsys, "basins", "(x^2-1)^2 + y^2", "--method", "gd", "--lr", "0.05", "--steps", "2000", *args,
                   "--out", str(tmp_path / "b.npz"))[0] == 0
    with np.load(tmp_path / "g.npz") as g, np.load(tmp_path / "b.npz") as b:
        np.testing.assert_array_equal(g["x"], b["x"])
        np.testing.assert_array_equal(g["y"], b["y"])
        label, ends = b["label"], b["ends"]
    assert np.all(ends[label[:2]][..., 0] < 0) and np.all(ends[label[3:]][..., 0] > 0)


def test_the_picture_has_a_colour_per_end_grey_for_none_and_y_up(capsys, tmp_path):
    # (x − 1)² + y², but undefined beyond x = 3 (log of a negative): starts x = −2, 0, 2, 4 and y = 0, ⅔, 1⅓, 2
    out = tmp_path / "b.png"
    code, _, _ = run_cli(capsys, "basins", "(x-1)^2 + y^2 + log(3 - x)*0", "--method", "newton", "--x", "-2:4",
                         "--y", "0:2", "-n", "4", "--out", str(out))
    assert code == 0
    image = np.asarray(Image.open(out).convert("RGB"))
    assert image.shape[0] == image.shape[1] >= 600   # 4 × 4 starts, each a square of 150 pixels
    side = image.shape[0] // 4
    # x = 4 is the last column: log(3 − 4) is undefined there, so grey; x = −2 converges to the minimum
    assert tuple(image[side // 2, -side // 4]) == NONE_GREY
    assert tuple(image[side // 4, side // 4]) == PALETTE[0]
    # the minimum (1, 0) is marked: x = 1 lies 1.5 columns from x = −2, y = 0 is the bottom row; the ring is black
    row, col = int(3.5 * side), int((1.5 + 0.5) * side)
    patch = image[row - side // 2: row + side // 2, col - side // 2: col + side // 2]
    assert np.any(np.all(patch == 0, axis=-1))


def test_basins_is_a_command_name_not_a_scene(capsys):
    assert "basins" in COMMAND_NAMES
    with pytest.raises(SystemExit):
        main(["basins", "--help"])
    out = capsys.readouterr().out
    assert "rows follow x" in out and "label" in out


@pytest.mark.parametrize("argv, words", [
    (["--method", "bfgs"], "--method: 'bfgs' has no basins here"),
    (["--method", "gdd"], "--method: 'gdd' has no basins here"),
    (["--method", "newton", "--lr", "0.1"], "--lr: none of newton has a setting 'lr'"),
    (["--method", "gd", "--lr", "-1"], "gd: lr must be positive, not -1"),
    (["--method", "gd", "--set", "beta2=0.5"], "--set beta2: none of gd has a setting 'beta2'"),
    (["--method", "gd", "-n", "1"], "-n must be between 2 and 1000"),
    (["--method", "gd", "--steps", "-3"], "--steps must be between 0"),
    (["--method", "gd", "--tolerance", "-1"], "--tolerance must be zero or positive"),
    (["--method", "gd", "--x", "5:-5"], "--x: the range 5:-5 is empty"),
    (["--method", "gd", "--param", "a=1"], "--param a: the expression has no parameter 'a'"),
])
def test_bad_input_exits_2_with_one_line(capsys, tmp_path, argv, words):
    base = {"--x": "-1:1", "--y": "-1:1", "--out": str(tmp_path / "b.npz")}
    for key in base:
        if key not in argv:
            argv = argv + [key, base[key]]
    code, out, err = run_cli(capsys, "basins", "x^2 + y^2", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("landscape-explorer: error: ") and words in err, err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("out, words", [("b.txt", "--out must name a .npz or .png file"),
                                        ("no/such/folder/b.npz", "does not exist")])
def test_bad_output_paths_are_refused_before_any_work(capsys, tmp_path, out, words):
    code, _, err = run_cli(capsys, "basins", "x^2", "--method", "gd", "--x", "0:1", "--y", "0:1",
                           "--out", str(tmp_path / out))
    assert code == 2 and words in err


def test_a_bad_expression_leaves_no_file(capsys, tmp_path):
    code, _, err = run_cli(capsys, "basins", "foo(x)", "--method", "gd", "--x", "0:1", "--y", "0:1",
                           "--out", str(tmp_path / "b.npz"))
    assert code == 2 and "foo" in err and list(tmp_path.iterdir()) == []
