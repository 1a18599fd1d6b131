"""The lecture preset library: the scene files shipped in explorer/resources/presets, in lecture order.

Each file is an ordinary scene (see `explorer.core.scene`) named ``NN-short-name.json``; NN gives
the order a lecture would use them in, and ``short-name`` is the preset's name on the command line
(``landscape-explorer rosenbrock``; the whole stem, ``08-rosenbrock``, is accepted too). The files
are package data, found with importlib.resources wherever the package is: a venv, ``--user``,
``--prefix``, ``--target``, an editable install, a source tree or a frozen bundle. Pure Python: no Qt.
"""
from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from importlib.resources import files
from pathlib import Path

from explorer.core.files import write_bytes
from explorer.core.scene import Scene, load_scene

_NUMBERED = re.compile(r"^\d+-")


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
