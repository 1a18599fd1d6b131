"""`python -m explorer.gallery OUT/`: every lecture preset as the window, presentation mode and an export
frame show it, as PNGs and an index.html, so anyone can look at all of them in a minute.

Each preset is shown at its scene's current step (or `--steps`, 20 by default when the scene is at
step 0). Needs an X server for OpenGL (under xvfb-run -a on a machine without a screen). Settings
and the autosave go to a temporary folder: the gallery never touches the person's own.
"""
from __future__ import annotations

import argparse
import html
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

WINDOW_SIZES = ((1600, 950), (1024, 768))
FRAME_SIZES = ((1920, 1080), (1024, 768))
DEFAULT_STEPS = 20
SETTLE_MS = 250      # the map places its labels once a resize settles (150 ms)


def arguments(argv):
    p = argparse.ArgumentParser(prog="python -m explorer.gallery", description=__doc__.splitlines()[0])
    p.add_argument("out", metavar="OUT/", help="folder for the pictures and index.html (made if missing)")
    p.add_argument("--only", action="append", metavar="NAME",
                   help="only presets whose file name contains NAME (repeatable), e.g. --only bowl --only 08")
    p.add_argument("--steps", type=int, metavar="N",
                   help=f"show every preset at step N (default: its saved step, or {DEFAULT_STEPS} at step 0)")
    return p.parse_args(argv)


def chosen_presets(only):
    from explorer.core.preset_library import load_presets
    presets = load_presets()
    if only:
        presets = [(path, scene) for path, scene in presets if any(name in path.stem for name in only)]
    return presets


def shown_step(scene, steps: int | None) -> int:
    if steps is not None:
        return max(0, steps)
    return scene.current_step or min(DEFAULT_STEPS, scene.max_steps)


def settle(ms: int = SETTLE_MS) -> None:
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QThread
    clock = QElapsedTimer()
    clock.start()
    while clock.elapsed() < ms:
        QCoreApplication.processEvents()
        QThread.msleep(5)


def window_pictures(window, scene, step: int, out: Path, stem: str) -> list[tuple[str, str]]:
    """The window at each size, then presentation mode at each frame size: [(kind, file name)]."""
    c = window.controller
    window.presentation.leave()
    window.scenes.show_scene(scene, f"Load {scene.title}")
    if not c.wait_for_surface(60000):
        raise RuntimeError(f"{stem}: the surface was not computed in time")
    c.jump(step)
    c.wait_for_runs(120000)
    settle()
    window.statusBar().clearMessage()   # the last scene's messages (8 s long) are not this picture's
    done = []
    for mode, sizes in (("window", WINDOW_SIZES), ("presentation", FRAME_SIZES)):
        if mode == "presentation":
            window.presentation.enter(full_screen=False)   # the full-screen layout at a size this screen may lack
        for w, h in sizes:
            window.resize(w, h)
            settle()
            name = f"{stem}_{mode}_{w}x{h}.png"
            picture = window.grab()
            if (picture.width(), picture.height()) != (w, h):   # the name says the size: it must be true
                raise RuntimeError(f"{name}: the window would not take {w}×{h}; it is "
                                   f"{picture.width()}×{picture.height()}")
            picture.save(str(out / name))
            done.append((f"{mode} {w}×{h}", name))
    window.presentation.leave()
    return done


def frame_pictures(scene, step: int, out: Path, stem: str) -> list[tuple[str, str]]:
    from explorer.ui.export.render import export_scene
    done = []
    at_step = replace(scene, current_step=min(step, scene.max_steps))
    for w, h in FRAME_SIZES:
        name = f"{stem}_export_{w}x{h}.png"
        export_scene(at_step, str(out / name), view="both", size=(w, h))
        done.append((f"export {w}×{h}", name))
    return done


def write_index(out: Path, rows) -> None:
    """index.html: one row per preset, its pictures side by side, each a link to the full size."""
    from explorer.core.typeset import equation
    from explorer.ui.text.field_text import field_equation_html
    from explorer.core.fit_scene import build_dataset
    from explorer.ui.text.fit_text import fit_equation_html
    parts = ["<!doctype html><meta charset='utf-8'><title>Landscape Explorer gallery</title>",
             "<style>body{font-family:sans-serif;margin:16px} td{vertical-align:top;padding:4px} "
             "img{width:300px;border:1px solid #999} .note{color:#444;max-width:60em}</style>",
             "<h1>Landscape Explorer: the lecture presets</h1><table>"]
    for stem, scene, pictures in rows:
        formula = (field_equation_html(scene.text, scene.gradient_field) if scene.kind == "field" else
                   fit_equation_html(scene.text, scene.fit, build_dataset(scene.fit.data).rows)
                   if scene.kind == "fit" else
                   equation(scene.text).html)
        parts.append(f"<tr><td colspan='{len(pictures)}'><h2>{html.escape(scene.title or stem)}</h2>{formula}"
                     f"<p class='note'>{html.escape(scene.note)}</p></td></tr><tr>")
        for kind, name in pictures:
            parts.append(f"<td><a href='{html.escape(name)}'><img src='{html.escape(name)}' alt='{html.escape(kind)}'>"
                         f"</a><br>{html.escape(kind)}</td>")
        parts.append("</tr>")
    parts.append("</table>")
    (out / "index.html").write_text("\n".join(parts), encoding="utf-8")


def main(argv=None) -> int:
    args = arguments(sys.argv[1:] if argv is None else argv)
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print("gallery: draws with OpenGL and needs a screen: run it under xvfb-run -a", file=sys.stderr)
        return 2
    presets = chosen_presets(args.only)
    if not presets:
        print(f"gallery: no preset matches {', '.join(args.only or [])}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    private = tempfile.mkdtemp(prefix="landscape-gallery-")
    os.environ["XDG_CONFIG_HOME"] = os.path.join(private, "config")   # settings and autosave: not the person's
    os.environ["XDG_DATA_HOME"] = os.path.join(private, "data")
    try:
        return _render(presets, args.steps, out)
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _render(presets, steps, out: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from explorer.ui.app import share_gl_contexts
    share_gl_contexts()
    import pyqtgraph as pg

    from explorer.ui.window.main_window import MainWindow
    pg.setConfigOptions(antialias=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.show()
    rows, start = [], time.perf_counter()
    try:
        for path, scene in presets:
            step = shown_step(scene, steps)
            pictures = window_pictures(window, scene, step, out, path.stem)
            pictures += frame_pictures(scene, step, out, path.stem)
            rows.append((path.stem, scene, pictures))
            print(f"{path.stem}: {len(pictures)} pictures at step {step}", flush=True)
    finally:
        window.close()
        window.deleteLater()   # GL torn down while Qt and PyOpenGL are alive (see explorer.ui.app)
        app.processEvents()
    write_index(out, rows)
    print(f"wrote {sum(len(p) for *_, p in rows)} pictures and index.html to {out} "
          f"in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
