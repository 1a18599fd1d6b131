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


# ---------------------------------------------------------------- special files as every input and output
def _special(tmp_path, kind, suffix=".npz"):
    """A named pipe, a link to one, or a device (made here when root; else another pipe)."""
    real = tmp_path / f"real{suffix}"
    if kind == "device" and os.geteuid() == 0:
        os.mknod(real, 0o644 | 0o020000, os.makedev(1, 3))   # a character device, what /dev/null is
    else:
        os.mkfifo(real)
    if kind == "link":
        (tmp_path / f"link{suffix}").symlink_to(real)
        return tmp_path / f"link{suffix}", os.lstat(real)
    return real, os.lstat(real)


OUTPUTS = {"grid": [*GRID, "--out"],
           "basins": ["basins", "x^2+y^2", "--method", "gd", "--x", "-1:1", "--y", "-1:1", "-n", "4", "--out"]}


def _kind(kind):
    return "a device" if kind == "device" and os.geteuid() == 0 else "a named pipe"


def _unchanged(tmp_path, before):
    after = os.lstat(next(tmp_path.glob("real*")))
    assert (after.st_mode, after.st_rdev, after.st_ino) == (before.st_mode, before.st_rdev, before.st_ino)
    assert not [n for n in os.listdir(tmp_path) if ".tmp" in n]


@pytest.mark.parametrize("kind", ["pipe", "link", "device"])
@pytest.mark.parametrize("command", OUTPUTS)
def test_no_command_replaces_a_special_file(capsys, tmp_path, kind, command):
    from tests.cli.cli_calls import error
    path, before = _special(tmp_path, kind)
    assert error(capsys, *OUTPUTS[command], str(path)) == \
        f"cannot write '{path}': it is {_kind(kind)}, not a regular file, so it is left as it is"
    _unchanged(tmp_path, before)


INPUTS = {"run --data": ["run", "--loss", "(w*X + b - Y)^2", "--train", "w,b", "--method", "gd", "--start", "0,0",
                         "--data"],
          "inspect --data": ["inspect", "--loss", "(w*X + b - Y)^2", "--train", "w,b", "--at", "0,0", "--data"],
          "export --scene": ["export", "--out", "x.gif", "--scene"]}


@pytest.mark.parametrize("kind", ["pipe", "link", "device"])
@pytest.mark.parametrize("command", INPUTS)
def test_no_command_waits_on_a_special_file_it_reads(capsys, tmp_path, kind, command):
    """A pipe opened for reading would wait for a writer for ever: each is refused at once."""
    from tests.cli.cli_calls import error
    path, before = _special(tmp_path, kind)
    line = error(capsys, *INPUTS[command], str(path))
    assert f"'{path}' is not a regular file ({_kind(kind)}), so not a" in line
    _unchanged(tmp_path, before)


def test_dev_null_as_data_is_a_device_and_no_file_is_quoted(capsys, tmp_path):
    from tests.cli.cli_calls import error
    assert error(capsys, *INPUTS["run --data"], "/dev/null") == \
        "--data: '/dev/null' is not a regular file (a device), so not a CSV file"
    secret = tmp_path / "secret.csv"
    secret.write_text("root:$6$saltsaltsalt$hashhashhash:19000:0:99999:7:::\n", encoding="utf-8")
    line = error(capsys, *INPUTS["run --data"], str(secret))
    assert "secret.csv" in line and "salt" not in line and "root" not in line
