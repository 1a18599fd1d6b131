"""Landscape Explorer: see what gradients, Jacobians and Hessians do."""
from __future__ import annotations

from pathlib import Path

DISTRIBUTION = "landscape-explorer"


def _version() -> str:
    """pyproject.toml's version: the one place it is written.

    In a source tree that file is read directly (an editable install's metadata goes stale when the
    version changes); an installed copy or a frozen bundle reads its distribution's metadata.
    """
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    if pyproject.is_file():
        import tomllib
        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except (OSError, ValueError):
            project = {}
        if project.get("name") == DISTRIBUTION and isinstance(project.get("version"), str):
            return project["version"]
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:   # neither a source tree nor installed (e.g. a bundle built without metadata)
        return "0+unknown"


__version__ = _version()
