"""Headless rendering of a scene's animation: PNG frames, an animated GIF or an MP4; or one picture
(a PNG, or an SVG or a PDF of one 2D pane in vectors).

A scene is replayed on a stage of its own (caption + the panes asked for, with what the window shows
over them) at the chosen size, one frame per step, so the window and the command line produce the
same pictures.
Needs a QApplication and an X server (OpenGL). Every request is checked before anything is rendered
(explorer.ui.export.checks); the writers (explorer.ui.export.writers) write beside the target and rename
at the end, so a failed or cancelled export leaves no file behind. Temporaries that a killed export left
in the target's folder (this program's names only, untouched for a minute) are removed first.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from explorer.core.files import WriteError, remove_orphans
from explorer.ui.export.checks import (MAX_STEPS, VECTOR_KINDS, ExportError, check_gif, check_options, check_space,
                                       check_target, kind_of)
from explorer.ui.export.writers import WRITERS


class Cancelled(Exception):
    """The progress callback asked to stop."""


@dataclass
class ExportTimes:
    """Seconds spent in each part, for the benchmark."""

    render: float = 0.0
    grab: float = 0.0
    encode: float = 0.0
    frames: int = 0
    extra: dict = field(default_factory=dict)


def qimage_to_rgb(image) -> np.ndarray:
    from PySide6.QtGui import QImage
    image = image.convertToFormat(QImage.Format_RGB888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * h).reshape(h, stride)
    return buffer[:, :w * 3].reshape(h, w, 3).copy()


def export_scene(scene, out: str, view: str = "both", size: tuple[int, int] = (1280, 720), fps: float = 10,
                 steps: int | None = None, progress: Callable[[int, int], bool] | None = None,
                 times: ExportTimes | None = None, stop: Callable[[], bool] | None = None,
                 note: bool = False) -> int:
    """Write the scene's animation (one frame per step, `steps` steps) to `out`; returns the frame count.

    A `.png`, `.svg` or `.pdf` target gets one picture of the scene as it stands (its current step); an
    SVG or a PDF holds one 2D pane (`view` map, loss or slice). `note`: the scene's lecture note above
    the caption.
    `progress(done, total)` is called after every frame; returning False cancels (Cancelled is raised).
    `stop()` is asked before the stage is built, after it and after every frame; True cancels likewise
    (the command line's SIGINT and SIGTERM). A cancelled export leaves nothing behind.
    """
    total_steps = min(scene.max_steps, MAX_STEPS) if steps is None else int(steps)
    kind = kind_of(out)
    check_options(view, size, fps, total_steps, kind)
    if note and not scene.note.strip():
        raise ExportError("--note: this scene has no lecture note")
    target = check_target(out, kind)
    picture = kind in ("png", *VECTOR_KINDS)   # one picture of the scene as it stands
    frames = 1 if picture else total_steps + 1
    if kind == "gif":
        check_gif(size, frames)
    check_space(target, kind, size, frames)
    times = times or ExportTimes()
    remove_orphans(Path(os.path.realpath(target)).parent)  # what killed exports left beside it

    def cancel_if_asked() -> None:
        if stop is not None and stop():
            raise Cancelled()

    cancel_if_asked()
    # the writer's temporary before the stage: a target that cannot be written fails before any OpenGL work
    writer = WRITERS[kind](target, fps)
    try:
        from explorer.ui.export.stage import ExportStage
        stage = ExportStage(scene, view, size, start_at_current=picture, note=note)
        try:
            cancel_if_asked()
            for k in range(frames):
                t0 = time.perf_counter()
                if k and not stage.step():
                    break  # every run has stopped: no new frames to show
                stage.settle()
                t1 = time.perf_counter()
                if kind in VECTOR_KINDS:
                    t2 = t1
                    cancel_if_asked()
                    writer.draw(stage)
                else:
                    rgb = qimage_to_rgb(stage.grab_image())
                    t2 = time.perf_counter()
                    cancel_if_asked()   # before the writer: a lost X connection has removed its temporary already
                    writer.add(rgb)
                writer.touch()
                t3 = time.perf_counter()
                times.render += t1 - t0
                times.grab += t2 - t1
                times.encode += t3 - t2
                if progress is not None and progress(k + 1, frames) is False:
                    raise Cancelled()
                cancel_if_asked()
        finally:
            stage.close_stage()
        t = time.perf_counter()
        writer.finish()
        times.encode += time.perf_counter() - t
    except OSError as err:  # a full disk or an encoder that died: name the target, not the temporary
        writer.abort()
        raise WriteError.about(target, err) from err
    except BaseException:
        writer.abort()
        raise
    times.frames = writer.count
    return writer.count
