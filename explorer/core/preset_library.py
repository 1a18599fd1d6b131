"""The lecture preset library: the scene files in resources/presets, in lecture order.

Each file is an ordinary scene (see `explorer.core.scene`) named ``NN-short-name.json``; NN gives
the order a lecture would use them in. Pure Python: no Qt here.
"""
from __future__ import annotations

import sys
from pathlib import Path

from explorer.core.scene import Scene, load_scene

# in a source tree beside the package; in an installed copy where pyproject's data-files put them
_SOURCE = Path(__file__).resolve().parents[2] / "resources" / "presets"
_INSTALLED = Path(sys.prefix) / "share" / "landscape-explorer" / "presets"
PRESET_FOLDER = _SOURCE if _SOURCE.is_dir() else _INSTALLED


def preset_paths() -> list[Path]:
    """The preset scene files, sorted by name (so by their NN prefix)."""
    if not PRESET_FOLDER.is_dir():
        return []
    return sorted(p for p in PRESET_FOLDER.glob("*.json") if p.is_file())


def load_presets() -> list[tuple[Path, Scene]]:
    """Every preset as (path, scene), in order; a broken file raises its SceneError."""
    return [(path, load_scene(path)) for path in preset_paths()]
