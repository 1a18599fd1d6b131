"""The lecture preset library: the scene files shipped in explorer/resources/presets, in lecture order.

Each file is an ordinary scene (see `explorer.core.scene`) named ``NN-short-name.json``; NN gives
the order a lecture would use them in, and ``short-name`` is the preset's name on the command line
(``landscape-explorer rosenbrock``; the whole stem, ``08-rosenbrock``, is accepted too). The files
are package data, found with importlib.resources wherever the package is: a venv, ``--user``,
``--prefix``, ``--target``, an editable install, a source tree or a frozen bundle. Pure Python: no Qt.
"""
from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from importlib.resources import files
from pathlib import Path

from explorer.core.files import write_bytes
from explorer.core.scene import Scene, load_scene

_NUMBERED = re.compile(r"^\d+-")


class UnknownScene(LookupError):
    """A scene argument that names neither a file nor a preset: one line saying so."""


def _preset_folder() -> Path:
    """The presets' folder: where the package is, or (a zipped package) a copy made once per process."""
    folder = files("explorer.resources") / "presets"
    if isinstance(folder, Path):
        return folder
    copy = Path(tempfile.mkdtemp(prefix="landscape-explorer-presets-"))
    atexit.register(shutil.rmtree, copy, ignore_errors=True)
    for item in folder.iterdir():
        if item.name.endswith(".json") and item.is_file():
            write_bytes(copy / item.name, item.read_bytes())
    return copy


PRESET_FOLDER = _preset_folder()


def preset_paths() -> list[Path]:
    """The preset scene files, sorted by name (so by their NN prefix)."""
    if not PRESET_FOLDER.is_dir():
        return []
    return sorted(p for p in PRESET_FOLDER.glob("*.json") if p.is_file())


def preset_name(path: Path) -> str:
    """The name a person types: the file's stem without its lecture number (08-rosenbrock -> rosenbrock)."""
    return _NUMBERED.sub("", Path(path).stem, count=1)


def find_preset(name: str) -> Path | None:
    """The preset file called `name` (its short name or its whole stem, any case), or None."""
    wanted = name.strip().lower()
    for path in preset_paths():
        if wanted in (preset_name(path).lower(), path.stem.lower()):
            return path
    return None


def load_presets() -> list[tuple[Path, Scene]]:
    """Every preset as (path, scene), in order; a broken file raises its SceneError."""
    return [(path, load_scene(path)) for path in preset_paths()]


def looks_like_a_path(text: str) -> bool:
    return text.lower().endswith(".json") or "/" in text or os.sep in text or (os.altsep or "/") in text


def scene_file(text: str, commands: tuple[str, ...] = ()) -> str:
    """A scene argument as a file to open: an existing file as it is, else the preset of that name.

    Anything that looks like a path (a folder in it, or .json) stays a path, so a mistyped file is
    reported as a missing file, never swapped for a preset of a similar name. `commands`: the word
    stood where a sub-command could (`landscape-explorer WORD`), so it may have been a mistyped one.
    """
    text = text.strip()
    if os.path.exists(text) or looks_like_a_path(text):
        return text
    found = find_preset(text)
    if found is not None:
        return str(found)
    if commands:
        raise UnknownScene(f"invalid choice: '{text}' is neither a command ({', '.join(commands)}) nor a scene "
                           "file or a lecture preset (`landscape-explorer presets` lists them)")
    raise UnknownScene(f"no scene file or preset named '{text}' (`landscape-explorer presets` lists the presets)")
