"""`landscape-explorer presets`: the lecture library, one `name<TAB>title` line each.

The name is what `landscape-explorer NAME`, `--scene NAME` and `export --scene NAME` accept in place
of a scene file's path (explorer.core.preset_library: how names are made, and scene_file: how one is read).
"""
from __future__ import annotations

from explorer.core.preset_library import load_presets, preset_name


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
