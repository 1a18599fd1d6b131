"""Temporaries that killed writers left behind are removed; nothing else ever is."""
import os
import subprocess
import sys
import time

from explorer.core.files import AtomicWrite, is_temporary_name, remove_orphans


def aged(path, seconds: float = 120.0):
    old = time.time() - seconds
    os.utime(path, (old, old), follow_symlinks=False)
    return path


def test_the_pattern_is_exactly_the_writers_names(tmp_path):
    with AtomicWrite(tmp_path / "lecture.json") as w:
        assert is_temporary_name(w.path.name)          # .lecture.XXXXXXXX.tmp.json
    folder = AtomicWrite(tmp_path / "frames", folder=True)
    assert is_temporary_name(folder.path.name)          # .frames.XXXXXXXX.tmp
    folder.abort()
    assert is_temporary_name(".autosave.json.0123abcd.tmp")   # what older versions wrote
    for name in ("lecture.json", ".lecture.json", ".x.0123abc.tmp.gif", ".x.0123ABCD.tmp.gif",
                 ".x.0123abcd.tmp.gif.keep", "x.0123abcd.tmp.gif", ".x.0123abcd.tmpx", ".bashrc", ".x.tmp"):
        assert not is_temporary_name(name), name


def old_file(path, content: str = "x"):
    path.write_text(content)
    return aged(path)


def test_old_temporaries_go_and_everything_else_stays(tmp_path):
    keep = ["scene.json", ".hidden", "notes.tmp", ".x.0123abcd.tmp.gif.keep", "frame_00000.png"]
    for name in keep:
        old_file(tmp_path / name, "mine")
    orphan = old_file(tmp_path / ".scene.0123abcd.tmp.json", "{")
    young = tmp_path / ".scene.fedcba98.tmp.json"
    young.write_text("{")                                # a save in progress elsewhere: too young to touch
    frames = tmp_path / ".frames.00112233.tmp"          # a frames export killed mid-way
    frames.mkdir()
    for i in range(3):
        old_file(frames / f"frame_{i:05d}.png")
    aged(frames)
    odd = tmp_path / ".other.44556677.tmp"                # our name, but someone's file inside: left alone
    odd.mkdir()
    old_file(odd / "thesis.tex")
    aged(odd)
    link = tmp_path / ".link.8899aabb.tmp.json"           # a link with our name: never followed, never removed
    link.symlink_to(tmp_path / "scene.json")
    aged(link)

    removed = remove_orphans(tmp_path)
    assert sorted(removed) == [frames, orphan]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(keep + [young.name, odd.name, link.name])
    assert (tmp_path / "scene.json").read_text() == "mine" and (odd / "thesis.tex").exists()


def test_a_missing_or_unreadable_folder_is_not_an_error(tmp_path):
    assert remove_orphans(tmp_path / "nowhere") == []
    (tmp_path / "file").write_text("x")
    assert remove_orphans(tmp_path / "file") == []


def test_a_writer_that_touches_its_temporary_is_not_taken_for_an_orphan(tmp_path):
    w = AtomicWrite(tmp_path / "long.gif")
    aged(w.path)
    w.touch()
    assert remove_orphans(tmp_path) == [] and w.path.exists()
    w.abort()


def test_a_save_killed_mid_way_is_cleaned_up_later(tmp_path):
    # a child process killed while its temporary exists, as SIGKILL during a save would leave it
    code = ("import os, sys\nfrom explorer.core.files import AtomicWrite\n"
            "w = AtomicWrite(sys.argv[1])\nprint(w.path, flush=True)\nos.kill(os.getpid(), 9)\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "autosave.json")], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == -9
    leftover = tmp_path / os.path.basename(done.stdout.strip())
    assert leftover.exists()
    assert remove_orphans(tmp_path) == []                # younger than a minute: could still be in use
    aged(leftover)
    assert remove_orphans(tmp_path) == [leftover] and list(tmp_path.iterdir()) == []
