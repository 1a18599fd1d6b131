"""Special files as every input and output: nothing but a regular file is replaced, read or waited on.

A named pipe, a device node (made in the test folder when run as root, else a second pipe), a
folder and a link to each: every writer refuses them in one line naming the target and leaves them
as they were; every reader refuses them at once (a pipe opened for reading would wait for ever).
"""
import os
import stat

import numpy as np
import pytest

from explorer.core.data import DataError, read_csv
from explorer.core.files import AtomicWrite, WriteError, write_bytes, write_with
from explorer.core.reading import ReadError, read_regular
from explorer.core.scene import Scene, SceneError, load_scene, save_scene

SPECIAL = ("pipe", "device", "folder", "link-to-pipe", "link-to-device", "link-to-folder")


def make_special(folder, kind: str):
    """The special file `kind` in `folder`, and (mode, rdev) to check it is unchanged afterwards."""
    path = folder / kind
    real = folder / ("real-" + kind.removeprefix("link-to-")) if kind.startswith("link-to-") else path
    what = kind.removeprefix("link-to-")
    if what == "pipe" or (what == "device" and os.geteuid() != 0):
        os.mkfifo(real)
    elif what == "device":
        os.mknod(real, 0o644 | stat.S_IFCHR, os.makedev(1, 3))   # what /dev/null is, here in a test folder
    else:
        real.mkdir()
    if real != path:
        path.symlink_to(real)
    return path, _identity(real)


def _identity(path):
    info = os.lstat(path)
    return stat.S_IFMT(info.st_mode), info.st_rdev, info.st_ino


def _unchanged(path, identity):
    real = path.parent / os.readlink(path) if path.is_symlink() else path
    assert _identity(real) == identity
    names = sorted(os.listdir(path.parent))
    assert not any(".tmp" in n for n in names), names          # no temporary left beside it


WRITERS = {
    "write_bytes": lambda path: write_bytes(path, b"data"),
    "write_with": lambda path: write_with(path, lambda f: np.savez(f, z=np.zeros(2))),
    "AtomicWrite": lambda path: AtomicWrite(path).commit(),
}


@pytest.mark.parametrize("kind", SPECIAL)
@pytest.mark.parametrize("writer", WRITERS)
def test_no_writer_replaces_a_special_file(tmp_path, kind, writer):
    path, identity = make_special(tmp_path, kind)
    with pytest.raises(WriteError) as caught:
        WRITERS[writer](path)
    line = str(caught.value)
    assert line.startswith(f"cannot write '{path}': ") and "\n" not in line
    assert "folder" in kind or "not a regular file, so it is left as it is" in line
    _unchanged(path, identity)


@pytest.mark.parametrize("kind", SPECIAL)
def test_saving_a_scene_onto_a_special_file_is_one_line(tmp_path, kind):
    path, identity = make_special(tmp_path, kind)
    with pytest.raises(SceneError, match=rf"^scene file: cannot write '{path}': [^\n]+$"):
        save_scene(Scene("x^2 + y^2"), path)
    _unchanged(path, identity)


@pytest.mark.parametrize("kind", ("pipe", "device", "link-to-pipe", "link-to-device"))
def test_a_folder_of_frames_is_not_put_in_place_of_a_special_file(tmp_path, kind):
    path, identity = make_special(tmp_path, kind)
    with pytest.raises(WriteError, match="not a regular file"):
        AtomicWrite(path, folder=True)
    _unchanged(path, identity)


def test_a_special_file_put_there_while_writing_is_left_alone(tmp_path):
    target = tmp_path / "a.npz"
    w = AtomicWrite(target)
    w.path.write_bytes(b"data")
    os.mkfifo(target)                      # someone puts a pipe there meanwhile
    with pytest.raises(WriteError, match="a named pipe, not a regular file"):
        w.commit()
    assert stat.S_ISFIFO(os.lstat(target).st_mode) and os.listdir(tmp_path) == ["a.npz"]


def test_a_dangling_link_is_written_through(tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "new.json")
    write_bytes(link, b"{}")
    assert (tmp_path / "new.json").read_bytes() == b"{}" and link.is_symlink()


# ---------------------------------------------------------------- reading

READERS = {
    "read_regular": (lambda path: read_regular(path, 100, "a test file"), ReadError),
    "load_scene": (load_scene, SceneError),
    "read_csv": (read_csv, DataError),
}


@pytest.mark.parametrize("kind", SPECIAL)
@pytest.mark.parametrize("reader", READERS)
def test_no_reader_opens_or_waits_on_a_special_file(tmp_path, kind, reader):
    path, identity = make_special(tmp_path, kind)
    read, error = READERS[reader]
    with pytest.raises(error) as caught:   # a pipe opened for reading would wait here for ever
        read(path)
    line = str(caught.value)
    expected = "is a folder, not" if "folder" in kind else "is not a regular file ("
    assert f"'{path}' {expected}" in line and "\n" not in line
    _unchanged(path, identity)


def test_dev_null_as_data_is_named_a_device_not_an_empty_file():
    with pytest.raises(DataError) as caught:
        read_csv("/dev/null")
    assert str(caught.value) == "'/dev/null' is not a regular file (a device), so not a CSV file"


def test_a_regular_file_is_read_up_to_its_limit(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 100)
    assert read_regular(path, 100, "a test file") == b"x" * 100
    with pytest.raises(ReadError, match=r"^'.*a.txt' is too large for a test file \(more than 99 bytes\)$"):
        read_regular(path, 99, "a test file")
    path.write_bytes(b"x" * (2**20 + 1))
    with pytest.raises(ReadError, match=r"too large for a test file \(more than 1 MB\)$"):
        read_regular(path, 2**20, "a test file")
