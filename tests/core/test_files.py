"""The atomic-write helper: a file appears complete under its name, or not at all."""
import errno
import os

import pytest

from explorer.core import files
from explorer.core.files import AtomicWrite, WriteError, error_line, write_bytes, write_with
from explorer.core.scene import Scene, load_scene, save_scene
from tests.helpers import gui_modules_loaded_by


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_bytes_land_under_the_name_with_ordinary_permissions(tmp_path, umask_022):
    out = write_bytes(tmp_path / "a.bin", b"hello")
    assert out == tmp_path / "a.bin" and out.read_bytes() == b"hello"
    assert out.stat().st_mode & 0o777 == 0o644         # not mkstemp's private 0600
    assert os.listdir(tmp_path) == ["a.bin"]


def test_overwriting_keeps_the_old_files_mode(tmp_path, umask_022):
    out = tmp_path / "a.bin"
    out.write_bytes(b"old")
    out.chmod(0o600)
    write_bytes(out, b"new")
    assert out.read_bytes() == b"new" and out.stat().st_mode & 0o777 == 0o600


def test_a_write_that_fails_midway_leaves_no_temporary_and_the_old_file(tmp_path):
    out = tmp_path / "a.bin"
    out.write_bytes(b"old")

    def half_then_crash(f):
        f.write(b"half")
        raise RuntimeError("the program broke")

    with pytest.raises(RuntimeError, match="the program broke"):
        write_with(out, half_then_crash)
    assert os.listdir(tmp_path) == ["a.bin"] and out.read_bytes() == b"old"


def test_an_os_error_midway_names_the_target_not_the_temporary(tmp_path):
    def disk_full(f):
        f.write(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(f.name))

    with pytest.raises(WriteError) as caught:
        write_with(tmp_path / "a.bin", disk_full)
    assert str(caught.value) == f"cannot write '{tmp_path / 'a.bin'}': No space left on device"
    assert caught.value.errno == errno.ENOSPC
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("where, code", [
    ("missing/a.bin", errno.ENOENT),     # no such folder
    ("file.txt/a.bin", errno.ENOTDIR),   # the "folder" is a file
    ("folder", errno.EISDIR),            # a folder where the file should go
])
def test_unwritable_targets_fail_at_once_in_one_line(tmp_path, where, code):
    (tmp_path / "file.txt").write_text("keep")
    (tmp_path / "folder").mkdir()
    with pytest.raises(WriteError) as caught:
        AtomicWrite(tmp_path / where)
    err = caught.value
    assert isinstance(err, OSError) and err.errno == code
    assert str(err) == f"cannot write '{tmp_path / where}': {os.strerror(code)}"
    assert sorted(os.listdir(tmp_path)) == ["file.txt", "folder"] and os.listdir(tmp_path / "folder") == []


def test_a_folder_the_system_refuses(tmp_path):
    # /proc takes no new files, even for root (who ignores permission bits)
    with pytest.raises(WriteError, match=r"^cannot write '/proc/x\.bin': "):
        write_bytes("/proc/x.bin", b"x")


def test_the_temporary_exists_at_once_hidden_beside_the_target_with_its_suffix(tmp_path):
    w = AtomicWrite(tmp_path / "movie.mp4")
    assert w.path.parent == tmp_path and w.path.exists() and w.path.name.startswith(".movie.")
    assert w.path.suffix == ".mp4"                      # ffmpeg picks the container by the suffix
    w.path.write_bytes(b"frames")
    assert w.commit() == tmp_path / "movie.mp4"
    assert os.listdir(tmp_path) == ["movie.mp4"]
    w.abort()                                           # after commit: nothing to do
    assert os.listdir(tmp_path) == ["movie.mp4"]


def test_abort_and_the_context_manager(tmp_path):
    w = AtomicWrite(tmp_path / "a.gif")
    w.abort()
    assert os.listdir(tmp_path) == []
    with pytest.raises(KeyboardInterrupt):
        with AtomicWrite(tmp_path / "a.gif") as w:
            w.path.write_bytes(b"half")
            raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []
    with AtomicWrite(tmp_path / "a.gif") as w:
        w.path.write_bytes(b"whole")
    assert os.listdir(tmp_path) == ["a.gif"] and (tmp_path / "a.gif").read_bytes() == b"whole"


def test_a_failed_rename_removes_the_temporary(tmp_path):
    w = AtomicWrite(tmp_path / "a.bin")
    (tmp_path / "a.bin").mkdir()                        # someone puts a folder there meanwhile
    (tmp_path / "a.bin" / "x").write_text("keep")
    with pytest.raises(WriteError, match="cannot write"):
        w.commit()
    assert os.listdir(tmp_path) == ["a.bin"] and os.listdir(tmp_path / "a.bin") == ["x"]


def test_the_data_is_on_disk_before_the_rename(tmp_path, monkeypatch):
    log = []
    monkeypatch.setattr(files.os, "fsync", lambda fd: log.append("fsync"))
    real_replace = os.replace
    monkeypatch.setattr(files.os, "replace", lambda a, b: (log.append("replace"), real_replace(a, b)))
    write_bytes(tmp_path / "a.bin", b"x")
    assert log[:2] == ["fsync", "replace"]


def test_a_folder_of_files(tmp_path, umask_022):
    with AtomicWrite(tmp_path / "frames", folder=True) as w:
        assert w.path.is_dir() and w.path.name.startswith(".frames.")
        (w.path / "frame_00000.png").write_bytes(b"png")
    assert os.listdir(tmp_path) == ["frames"] and os.listdir(tmp_path / "frames") == ["frame_00000.png"]
    assert (tmp_path / "frames").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "frames" / "frame_00000.png").stat().st_mode & 0o777 == 0o644


def test_a_folder_may_replace_an_empty_one_but_not_a_full_one(tmp_path):
    (tmp_path / "empty").mkdir()
    with AtomicWrite(tmp_path / "empty", folder=True) as w:
        (w.path / "a").write_bytes(b"a")
    assert os.listdir(tmp_path / "empty") == ["a"]
    with pytest.raises(WriteError) as caught:
        AtomicWrite(tmp_path / "empty", folder=True)
    assert caught.value.errno == errno.ENOTEMPTY
    (tmp_path / "file").write_text("keep")
    with pytest.raises(WriteError):
        AtomicWrite(tmp_path / "file", folder=True)
    assert sorted(os.listdir(tmp_path)) == ["empty", "file"]


def test_writing_through_a_symlink_updates_its_target(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.bin").write_bytes(b"old")
    link = tmp_path / "link.bin"
    link.symlink_to(tmp_path / "real" / "a.bin")
    assert write_bytes(link, b"new") == tmp_path / "real" / "a.bin"
    assert link.is_symlink() and link.read_bytes() == b"new"
    assert os.listdir(tmp_path / "real") == ["a.bin"] and sorted(os.listdir(tmp_path)) == ["link.bin", "real"]


def test_saving_a_scene_through_a_symlink_keeps_the_link(tmp_path):
    (tmp_path / "lectures").mkdir()
    real = save_scene(Scene("x"), tmp_path / "lectures" / "week1.json")
    link = tmp_path / "current.json"
    link.symlink_to(real)
    save_scene(Scene("x^2 + y^2"), link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert load_scene(real).text == "x^2 + y^2"
    assert os.listdir(tmp_path / "lectures") == ["week1.json"]


def test_error_lines_for_any_os_error():
    assert error_line(FileNotFoundError(errno.ENOENT, "No such file or directory", "a.csv")) == \
        "'a.csv': No such file or directory"
    assert error_line(OSError("ffmpeg stopped:\nbroken pipe")) == "ffmpeg stopped: broken pipe"
    assert error_line(WriteError("a.gif", "Permission denied", errno.EACCES)) == \
        "cannot write 'a.gif': Permission denied"


def test_the_files_module_needs_no_gui_library():
    assert gui_modules_loaded_by("import explorer.core.files") == []
