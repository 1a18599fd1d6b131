"""`landscape-explorer presets`: the lecture library, one `name<TAB>title` line each.

The name is what `landscape-explorer NAME`, `--scene NAME` and `export --scene NAME` accept in place
of a scene file's path (see explorer.core.preset_library for how names are made).
"""
from __future__ import annotations

import os

from explorer.cli.arguments import UsageError
from explorer.core.preset_library import find_preset, load_presets, preset_name


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("presets", help="list the lecture presets: name<TAB>title",
                              description="List the lecture library, one 'name<TAB>title' line per scene, in "
                                          "lecture order. Open one with `landscape-explorer NAME`; export one "
                                          "with `landscape-explorer export --scene NAME --out FILE`.")
    p.set_defaults(run=run)


def run(args) -> int:
    for path, scene in load_presets():
        print(f"{preset_name(path)}\t{scene.title}")
    return 0


def looks_like_a_path(text: str) -> bool:
    return text.lower().endswith(".json") or "/" in text or os.sep in text or (os.altsep or "/") in text


def scene_path(text: str, commands: tuple[str, ...] = ()) -> str:
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
        raise UsageError(f"invalid choice: '{text}' is neither a command ({', '.join(commands)}) nor a scene "
                         "file or a lecture preset (`landscape-explorer presets` lists them)")
    raise UsageError(f"no scene file or preset named '{text}' (`landscape-explorer presets` lists the presets)")
