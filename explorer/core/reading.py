"""One way to read a file a person names (a scene, a CSV file, a preset): never blocks, never too much.

Only a regular file is read. The path is looked at first, so a named pipe or a device is refused
without being opened; it is then opened with O_NONBLOCK (should a pipe be put in its place meanwhile,
opening still returns at once) and what was opened is checked again (fstat of the open file, not the
path), then at most `limit` bytes are read. Every refusal is a `ReadError`: one line naming the file
as given, never quoting what it holds.
"""
from __future__ import annotations

import os
import stat

from explorer.core.files import special_kind

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class ReadError(ValueError):
    """A file that cannot be read as asked: str() is one line naming it."""


def read_regular(path: str | os.PathLike, limit: int, what: str) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes; `what` ("a scene file") names
    what it should have been in a refusal."""
    name = os.fspath(path)
    limit_text = f"{limit // 2**20} MB" if limit and limit % 2**20 == 0 else f"{limit:,} bytes"
    try:
        _check(os.stat(name), name, limit, what, limit_text)   # before opening: a pipe would wait for a writer
        fd = os.open(name, _FLAGS)
        with os.fdopen(fd, "rb") as f:
            _check(os.fstat(f.fileno()), name, limit, what, limit_text)
            raw = f.read(limit + 1)   # a file that grows meanwhile still stops here
    except OSError as err:
        raise ReadError(f"cannot read '{name}': {' '.join((err.strerror or str(err)).split())}") from None
    if len(raw) > limit:
        raise ReadError(f"'{name}' is too large for {what} (more than {limit_text})")
    return raw


def _check(info: os.stat_result, name: str, limit: int, what: str, limit_text: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise ReadError(f"'{name}' is a folder, not {what}")
    if not stat.S_ISREG(info.st_mode):
        raise ReadError(f"'{name}' is not a regular file ({special_kind(info.st_mode)}), so not {what}")
    if info.st_size > limit:
        raise ReadError(f"'{name}' is too large for {what} (more than {limit_text})")
