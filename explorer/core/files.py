"""Atomic writes: a file (or folder) appears complete under its name, or not at all.

Everything is written to a temporary beside the target (same folder, so the final rename never
crosses a file system), flushed to disk, then `os.replace`d onto the target; any failure removes
the temporary. Scenes, grids and exports all write this way.

    write_bytes(path, data)                      # bytes you already have
    write_with(path, lambda f: np.savez(f, ...)) # an open binary file to fill
    with AtomicWrite(path) as w:                 # a path for another program (PIL, ffmpeg) to write
        render_into(w.path)                      # committed on leaving, removed on an exception

Every failure is a `WriteError`, an OSError whose message is one line naming the target as given.
Only a regular file (or, for a folder, a folder) is ever replaced: a target that is a device, a
named pipe or a socket, after following links, is refused before anything is written and again
just before the rename.

A writer killed outright (SIGKILL, a power cut) cannot remove its temporary: `remove_orphans(folder)`
removes the ones it left, named `.NAME.XXXXXXXX.tmp[.SUFFIX]`, once nothing has touched them for a
minute (a long-running writer calls `touch()` to show it is alive). Nothing else is ever removed.
"""
from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
import stat
import time
from pathlib import Path
from typing import BinaryIO, Callable


ORPHAN_AGE_S = 60.0
# exactly what AtomicWrite._create makes: "." + stem + "." + 8 hex digits + ".tmp" + the target's suffix
_TEMPORARY = re.compile(r"\.(?s:.+)\.[0-9a-f]{8}\.tmp(?:\.[^./\\]+)?")
_FRAME = re.compile(r"frame_\d{5}\.png")   # what a folder temporary holds: an export's PNG frames


class WriteError(OSError):
    """A file that cannot be written: str() is "cannot write 'PATH': reason", one line."""

    def __init__(self, path: str | os.PathLike, reason: str, code: int = 0):
        super().__init__(code, " ".join(str(reason).split()), os.fspath(path))

    @classmethod
    def about(cls, path: str | os.PathLike, err: OSError) -> "WriteError":
        """The same failure, named after the target rather than the temporary the OS saw."""
        if isinstance(err, WriteError):
            return err
        return cls(path, err.strerror or str(err) or type(err).__name__, err.errno or 0)

    def __str__(self) -> str:
        return f"cannot write '{self.filename}': {self.strerror}"

    def __reduce__(self):  # OSError's own would call __init__ with (errno, strerror, filename)
        return type(self), (self.filename, self.strerror, self.errno)


def error_line(err: OSError) -> str:
    """One line for any OSError: what the OS said and, when known, about which path."""
    if isinstance(err, WriteError):
        return str(err)
    reason = " ".join((err.strerror or str(err) or type(err).__name__).split())
    return f"'{err.filename}': {reason}" if err.filename else reason


def _fail(path, code: int) -> WriteError:
    return WriteError(path, os.strerror(code), code)


def special_kind(mode: int) -> str | None:
    """'a named pipe', 'a device', 'a socket' for what is neither a regular file nor a folder, else None."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return "an unknown kind of file"


def refuse_special(target: str | os.PathLike, name: str | os.PathLike) -> None:
    """WriteError unless `target` (links already followed) is absent, a regular file or a folder."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as err:
        raise WriteError.about(name, err) from None
    kind = special_kind(mode)
    if kind is not None:
        raise WriteError(name, f"it is {kind}, not a regular file, so it is left as it is")


class AtomicWrite:
    """A temporary file (or, with folder=True, an empty folder) beside `path`; commit() puts it in place.

    The temporary exists as soon as the object does, so an unwritable target fails here, before
    any expensive work. Symlinks are followed: saving through a link updates the file it points to.
    """

    def __init__(self, path: str | os.PathLike, folder: bool = False, durable: bool = True):
        self.name = os.fspath(path)            # as the user gave it, for messages
        self.target = Path(os.path.realpath(path))
        self.folder = folder
        self.durable = durable   # False: no fsync; survives the program being killed, not a power cut
        self._open = False
        try:
            self._check()
        except OSError as err:
            raise WriteError.about(self.name, err) from err
        self.path = self._create()
        self._open = True

    def _check(self) -> None:
        """Refuse at once what os.replace would refuse only at the end, and what it must never replace."""
        refuse_special(self.target, self.name)
        if not self.folder and self.target.is_dir():
            raise _fail(self.name, errno.EISDIR)
        if self.folder and self.target.exists() and not self.target.is_dir():
            raise _fail(self.name, errno.ENOTDIR)
        if self.folder and self.target.is_dir() and any(self.target.iterdir()):
            raise _fail(self.name, errno.ENOTEMPTY)

    def _create(self) -> Path:
        stem, suffix = (self.target.name, "") if self.folder else (self.target.stem, self.target.suffix)
        for _ in range(100):
            # the target's suffix stays last: ffmpeg chooses the container by it
            # the stem is cut so a name near the 255-byte limit still leaves room for the additions
            tmp = self.target.with_name(f".{stem[:200]}.{secrets.token_hex(4)}.tmp{suffix}")
            try:
                # 0o666 / 0o777 less the umask: ordinary permissions, not mkstemp's private 0600
                if self.folder:
                    os.mkdir(tmp, 0o777)
                else:
                    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666))
                return tmp
            except FileExistsError:
                continue
            except OSError as err:
                raise WriteError.about(self.name, err) from err
        raise _fail(self.name, errno.EEXIST)

    def commit(self) -> Path:
        """Flush the temporary to disk and rename it onto the target; returns the target."""
        if not self._open:
            return self.target
        try:
            if self.durable:
                _fsync_tree(self.path)
            try:  # overwriting keeps the mode someone gave the old file
                os.chmod(self.path, stat.S_IMODE(os.stat(self.target).st_mode))
            except FileNotFoundError:
                pass
            refuse_special(self.target, self.name)   # put there while the temporary was being written
            if self.folder and os.name == "nt" and self.target.is_dir():
                self.target.rmdir()  # Windows will not rename onto an empty folder; POSIX does it atomically
            os.replace(self.path, self.target)
        except BaseException as err:
            self.abort()
            if isinstance(err, OSError):
                raise WriteError.about(self.name, err) from err
            raise
        self._open = False
        if self.durable:
            _fsync_folder(self.target.parent)
        return self.target

    def touch(self) -> None:
        """Show that the temporary is still being written (its time is what `remove_orphans` reads)."""
        if self._open:
            try:
                os.utime(self.path)
            except OSError:
                pass

    def abort(self) -> None:
        """Remove the temporary; the target is untouched."""
        if not self._open:
            return
        self._open = False
        if self.folder:
            shutil.rmtree(self.path, ignore_errors=True)
        else:
            try:
                self.path.unlink()
            except OSError:
                pass  # already gone, or nothing more can be done

    def __enter__(self) -> "AtomicWrite":
        return self

    def __exit__(self, kind, err, tb) -> None:
        if err is None:
            self.commit()
            return
        self.abort()
        if isinstance(err, OSError) and not isinstance(err, WriteError):
            raise WriteError.about(self.name, err) from err


def write_with(path: str | os.PathLike, fill: Callable[[BinaryIO], object], durable: bool = True) -> Path:
    """Call `fill(f)` with a binary file open on a temporary, then put it at `path`; returns the target."""
    with AtomicWrite(path, durable=durable) as w:
        with open(w.path, "wb") as f:
            fill(f)
    return w.target


def write_bytes(path: str | os.PathLike, data: bytes, durable: bool = True) -> Path:
    """Write `data` to `path` atomically; returns the target (symlinks followed)."""
    return write_with(path, lambda f: f.write(data), durable)


def is_temporary_name(name: str) -> bool:
    """Is `name` one that AtomicWrite gives its temporaries?"""
    return _TEMPORARY.fullmatch(name) is not None


def remove_orphans(folder: str | os.PathLike, older_than_s: float = ORPHAN_AGE_S) -> list[Path]:
    """Remove the temporaries killed writers left in `folder`; returns what was removed. Never raises.

    Only names AtomicWrite makes, not modified for `older_than_s` seconds (a save takes milliseconds,
    an export touches its temporary after every frame), regular files or folders holding nothing but
    exported frames; never a link, never anything inside another folder.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not is_temporary_name(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not now - info.st_mtime >= older_than_s:
                continue
            if stat.S_ISREG(info.st_mode):
                os.unlink(entry.path)
            elif stat.S_ISDIR(info.st_mode) and _only_old_frames(entry.path, now - older_than_s):
                shutil.rmtree(entry.path)
            else:
                continue
        except OSError:
            continue  # gone already, or not ours to remove after all
        removed.append(Path(entry.path))
    return removed


def _only_old_frames(folder: str, before: float) -> bool:
    with os.scandir(folder) as entries:
        for entry in entries:
            info = entry.stat(follow_symlinks=False)
            if not (_FRAME.fullmatch(entry.name) and stat.S_ISREG(info.st_mode) and info.st_mtime <= before):
                return False
    return True


def _fsync_tree(path: Path) -> None:
    """The data must be on disk before the rename makes it visible, or a crash can leave an empty file."""
    if path.is_dir():
        for child in path.iterdir():
            _fsync_tree(child)
        _fsync_folder(path)
        return
    fd = os.open(path, os.O_RDWR if os.name == "nt" else os.O_RDONLY)  # Windows syncs only writable handles
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(path: Path) -> None:
    """Make a rename durable; best effort (some systems cannot open a folder)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
