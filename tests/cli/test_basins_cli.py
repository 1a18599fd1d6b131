"""`landscape-explorer basins`: the arrays and the picture it writes, and its one-line errors."""
import numpy as np
import pytest
from PIL import Image

from explorer.cli import COMMAND_NAMES, main
from explorer.cli.basins_picture import picture
from explorer.core.basins import basins
from explorer.core.colours import NO_END, basin_colour, rgb

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


def cell_colour(image, box, shape, i, j):
    """The colour drawn at the centre of start (i, j)'s cell: x to the right, y up."""
    left, top, width, height = box
    nx, ny = shape
    return tuple(image[int(top + height - (j + 0.5) * height / ny), int(left + (i + 0.5) * width / nx)])


def test_the_picture_has_a_colour_per_end_white_for_none_y_up_and_one_scale(capsys, tmp_path):
    # (x − 1)² + y², but undefined beyond x = 3 (log of a negative): starts x = −2, 0, 2, 4 and y = 0, ⅔, 1⅓, 2
    f, argv = "(x-1)^2 + y^2 + log(3 - x)*0", ("--method", "newton", "--x", "-2:4", "--y", "0:2", "-n", "4")
    out = tmp_path / "b.png"
    code, _, _ = run_cli(capsys, "basins", f, *argv, "--out", str(out))
    assert code == 0
    bmap = basins(f, "newton", np.linspace(-2, 4, 4), np.linspace(0, 2, 4))
    drawn = picture(bmap, "t")
    left, top, width, height = box = drawn.info["map"]
    image = np.asarray(Image.open(out).convert("RGB"))
    assert image.shape[1] > left + width and image.shape[0] > top + height   # room for the key, ticks, title
    assert width == 600 and abs(width / height - 8 / (8 / 3)) < 0.02           # cells 2 wide, ⅔ high: x:y = 3:1
    # the title over the map is the one the command wrote; drawn here with "t", so compare the map only
    same = np.asarray(drawn.convert("RGB"))[top:top + height, left:left + width]
    assert np.array_equal(image[top:top + height, left:left + width], same)
    for i in range(4):
        for j in range(4):
            expected = rgb(NO_END) if i == 3 else rgb(basin_colour(0))     # x = 4: log(3 − 4) is undefined
            assert bmap.label[i, j] == (-1 if i == 3 else 0)
            assert cell_colour(image, box, (4, 4), i, j) == expected
    # the minimum (1, 0) is marked with a black ring: x = 1 is 2 cells from the left edge, y = 0 half a cell up
    u, v = int(left + 2 * width / 4), int(top + height - 0.5 * height / 4)
    patch = image[v - 15: v + 15, u - 15: u + 15]
    assert np.any(np.all(patch == 0, axis=-1))
    assert np.any(np.all(image[:top] < 80, axis=-1))               # a title's dark letters above the map
    assert np.any(np.all(image[top:top + height, :left] < 80, axis=-1))          # y's tick labels
    assert np.any(np.all(image[top + height + 5:, left:left + width] < 80, axis=-1))   # x's tick labels


def test_the_key_beside_the_map_shows_each_of_newtons_nine_ends_and_none(capsys, tmp_path):
    out = tmp_path / "nine.png"
    code, _, _ = run_cli(capsys, "basins", HIMMELBLAU, "--method", "newton", "--x", "-5:5", "--y", "-5:5",
                         "-n", "60", "--out", str(out))
    assert code == 0
    bmap = basins(HIMMELBLAU, "newton", np.linspace(-5, 5, 60), np.linspace(-5, 5, 60))
    assert len(bmap.ends) == 9
    left, top, width, height = picture(bmap, "t").info["map"]
    key = np.asarray(Image.open(out).convert("RGB"))[:, left + width + 2:]      # right of the map's frame
    for k in range(9):                                  # a swatch of each end's colour: at least 15 × 15 pixels
        assert np.count_nonzero(np.all(key == rgb(basin_colour(k)), axis=-1)) >= 225, k
    # the white swatch of "none" is framed: a white square with grey corners
    assert np.count_nonzero(np.all(key[top:] == 255, axis=-1)) > 0
    ink = np.argwhere(np.all(key < 80, axis=-1))
    assert len(ink) > 500                               # text: kinds, places and shares


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


def test_the_picture_and_its_colours_need_no_qt():
    from tests.helpers import gui_modules_loaded_by
    assert gui_modules_loaded_by("import explorer.cli.basins, explorer.cli.basins_picture, explorer.core.colours") == []
