"""Every file error on the command line is one clean line and exit status 2, never a traceback.

Tests run as root, where permission bits are not enforced: real OSErrors come from /proc (which
takes no new files) and from paths under a plain file.
"""
import os
import subprocess
import sys

import numpy as np
import pytest

GRID = ["grid", "x^2+y^2", "--x", "-1:1", "--y", "-1:1", "-n", "5"]
EXPORT = ["export", "x^2+y^2", "--method", "gd", "--steps", "3", "--size", "160x120"]


def cli(*argv, cwd=None, umask=None):
    return subprocess.run([sys.executable, "-m", "explorer", *argv], capture_output=True, text=True, timeout=120,
                          cwd=cwd, preexec_fn=None if umask is None else (lambda: os.umask(umask)))


def assert_one_line(done, *words):
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("landscape-explorer: error: "), done.stderr
    assert "Traceback" not in done.stderr and "QThread" not in done.stderr
    for w in words:
        assert w in done.stderr
    assert done.stdout == ""


def test_grid_into_proc():
    assert_one_line(cli(*GRID, "--out", "/proc/g.npz"), "cannot write '/proc/g.npz'")


def test_grid_onto_a_folder(tmp_path):
    (tmp_path / "g.npz").mkdir()
    assert_one_line(cli(*GRID, "--out", str(tmp_path / "g.npz")), f"'{tmp_path / 'g.npz'}'", "Is a directory")
    assert os.listdir(tmp_path) == ["g.npz"] and os.listdir(tmp_path / "g.npz") == []


def test_grid_under_a_file(tmp_path):
    (tmp_path / "somefile.txt").write_text("keep")
    assert_one_line(cli(*GRID, "--out", str(tmp_path / "somefile.txt" / "g.npz")), "is not a folder")
    assert os.listdir(tmp_path) == ["somefile.txt"]


def test_grid_file_has_ordinary_permissions(tmp_path):
    done = cli(*GRID, "--out", "g.npz", cwd=tmp_path, umask=0o022)
    assert done.returncode == 0, done.stderr
    assert os.listdir(tmp_path) == ["g.npz"]
    assert (tmp_path / "g.npz").stat().st_mode & 0o777 == 0o644
    with np.load(tmp_path / "g.npz") as data:
        assert data["z"].shape == (5, 5)


def test_grid_through_a_symlink_writes_its_target(tmp_path):
    (tmp_path / "real.npz").write_bytes(b"old")
    (tmp_path / "link.npz").symlink_to(tmp_path / "real.npz")
    done = cli(*GRID, "--out", "link.npz", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "link.npz").is_symlink() and sorted(os.listdir(tmp_path)) == ["link.npz", "real.npz"]
    with np.load(tmp_path / "real.npz") as data:
        assert data["z"].shape == (5, 5)


@pytest.fixture
def display():
    assert os.environ.get("DISPLAY"), "pytest-xvfb provides an X server for the export tests"


def test_export_into_proc(display):
    assert_one_line(cli(*EXPORT, "--out", "/proc/x.gif"), "cannot write '/proc/x.gif'")


@pytest.mark.parametrize("out", ["somefile.txt/x.gif", "somefile.txt/x.mp4", "somefile.txt/frames/"])
def test_export_under_a_file(display, tmp_path, out):
    (tmp_path / "somefile.txt").write_text("keep")
    assert_one_line(cli(*EXPORT, "--out", out, cwd=tmp_path), "somefile.txt")
    assert os.listdir(tmp_path) == ["somefile.txt"]


def test_export_onto_a_folder(display, tmp_path):
    (tmp_path / "x.gif").mkdir()
    assert_one_line(cli(*EXPORT, "--out", "x.gif", cwd=tmp_path), "'x.gif' is a folder")
    assert os.listdir(tmp_path) == ["x.gif"] and os.listdir(tmp_path / "x.gif") == []


def test_reading_a_scene_that_is_not_there(tmp_path):
    assert_one_line(cli("export", "--scene", "missing.json", "--out", "x.gif", cwd=tmp_path), "missing.json")
    assert os.listdir(tmp_path) == []
