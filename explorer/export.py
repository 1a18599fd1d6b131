"""Headless rendering of a scene's animation: PNG frames, an animated GIF or an MP4.

A scene is replayed on a stage of its own (caption + 3D view and/or contour map) at the chosen
size, one frame per step, so the window and the command line produce the same pictures.
Everything is written beside the target and renamed at the end: a failed or cancelled export
leaves no file behind. Needs a QApplication and an X server (OpenGL).
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from explorer.core.files import AtomicWrite, WriteError

VIEWS = ("3d", "contour", "both")
MAX_SIDE = 4096


class ExportError(ValueError):
    """Bad export request (path, size, format): one line saying what is wrong."""


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


def kind_of(out: str) -> str:
    if out.endswith(("/", os.sep)):
        return "frames"
    suffix = Path(out).suffix.lower()
    if suffix in (".gif", ".mp4", ".png"):
        return suffix[1:]
    raise ExportError(f"--out must end in / (a folder of PNG frames), .gif, .mp4 or .png; got '{out}'")


def check_target(out: str, kind: str) -> Path:
    """The target as a Path; refuses what is plainly wrong before anything is rendered."""
    target = Path(out.rstrip("/" + os.sep) if kind == "frames" else out)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"'{folder}' is not a folder" if folder.exists() else f"the folder '{folder}' does not exist")
    if kind != "frames" and target.is_dir():
        raise ExportError(f"'{target}' is a folder, not a file")
    if kind == "frames" and target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ExportError(f"'{target}' exists and is not an empty folder")
    return target


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise ExportError(f"--size needs WIDTHxHEIGHT, like 1280x720; got '{text}'") from None
    if not (64 <= w <= MAX_SIDE and 64 <= h <= MAX_SIDE):
        raise ExportError(f"--size: each side must be between 64 and {MAX_SIDE} pixels; got {w}x{h}")
    return w, h


# ---------------------------------------------------------------- writers
class _Writer:
    """Frames go into a temporary beside the target (made at once, so a bad target fails before any
    rendering); finish() puts it in place, abort() removes it."""

    folder = False

    def __init__(self, target: Path, fps: float):
        self.target, self.fps, self.count = target, fps, 0
        self._atomic = AtomicWrite(target, folder=self.folder)
        self.tmp = self._atomic.path

    def finish(self) -> None:
        self._close(keep=True)
        self._atomic.commit()

    def abort(self) -> None:
        try:
            self._close(keep=False)
        finally:
            self._atomic.abort()

    def _close(self, keep: bool) -> None:
        pass


class FramesWriter(_Writer):
    folder = True

    def add(self, rgb: np.ndarray) -> None:
        from PIL import Image
        Image.fromarray(rgb).save(self.tmp / f"frame_{self.count:05d}.png")
        self.count += 1


class PngWriter(_Writer):
    """A single picture: the last frame given."""

    def add(self, rgb):
        from PIL import Image
        Image.fromarray(rgb).save(self.tmp, format="PNG")
        self.count = 1


class GifWriter(_Writer):
    def __init__(self, target, fps):
        super().__init__(target, fps)
        self.frames = []

    def add(self, rgb):
        from PIL import Image
        # quantised at once: a palette frame is a third of the RGB memory
        self.frames.append(Image.fromarray(rgb).quantize(colors=255, method=Image.Quantize.MEDIANCUT))
        self.count += 1

    def _close(self, keep):
        if self.frames and keep:
            first, rest = self.frames[0], self.frames[1:]
            first.save(self.tmp, format="GIF", save_all=True, append_images=rest,
                       duration=max(20, round(1000 / self.fps)), loop=0)
        self.frames = []


class Mp4Writer(_Writer):
    def __init__(self, target, fps):
        import imageio_ffmpeg  # before the temporary exists: a missing encoder must not leave one
        self._writer = None
        self._ffmpeg = imageio_ffmpeg
        super().__init__(target, fps)

    def add(self, rgb):
        if self._writer is None:
            h, w = rgb.shape[:2]
            if w % 2 or h % 2:
                raise ExportError(f"an MP4 needs an even width and height; got {w}x{h}")
            self._writer = self._ffmpeg.write_frames(str(self.tmp), (w, h), fps=self.fps, codec="libx264",
                                                     pix_fmt_out="yuv420p", quality=8, macro_block_size=1,
                                                     ffmpeg_log_level="error")
            self._writer.send(None)
        self._writer.send(np.ascontiguousarray(rgb))
        self.count += 1

    def _close(self, keep):
        if self._writer is not None:  # ffmpeg must exit either way
            self._writer.close()
            self._writer = None


WRITERS = {"frames": FramesWriter, "gif": GifWriter, "mp4": Mp4Writer, "png": PngWriter}


# ---------------------------------------------------------------- rendering
def qimage_to_rgb(image) -> np.ndarray:
    from PySide6.QtGui import QImage
    image = image.convertToFormat(QImage.Format_RGB888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * h).reshape(h, stride)
    return buffer[:, :w * 3].reshape(h, w, 3).copy()


def export_scene(scene, out: str, view: str = "both", size: tuple[int, int] = (1280, 720), fps: float = 10,
                 steps: int | None = None, progress: Callable[[int, int], bool] | None = None,
                 times: ExportTimes | None = None) -> int:
    """Write the scene's animation (one frame per step, `steps` steps) to `out`; returns the frame count.

    A `.png` target gets one picture of the scene as it stands (its current step).
    `progress(done, total)` is called after every frame; returning False cancels (Cancelled is raised).
    """
    if view not in VIEWS:
        raise ExportError(f"--view must be one of {', '.join(VIEWS)}; got '{view}'")
    if not 0 < fps <= 120:
        raise ExportError(f"--fps must be between 0 and 120; got {fps:g}")
    kind = kind_of(out)
    target = check_target(out, kind)
    total_steps = scene.max_steps if steps is None else int(steps)
    times = times or ExportTimes()
    # the writer's temporary before the stage: a target that cannot be written fails before any OpenGL work
    writer = WRITERS[kind](target, fps)
    try:
        from explorer.ui.export_stage import ExportStage
        stage = ExportStage(scene, view, size, start_at_current=(kind == "png"))
        try:
            frames = 1 if kind == "png" else total_steps + 1
            for k in range(frames):
                t0 = time.perf_counter()
                if k and not stage.step():
                    break  # every run has stopped: no new frames to show
                stage.settle()
                t1 = time.perf_counter()
                rgb = qimage_to_rgb(stage.grab_image())
                t2 = time.perf_counter()
                writer.add(rgb)
                t3 = time.perf_counter()
                times.render += t1 - t0
                times.grab += t2 - t1
                times.encode += t3 - t2
                if progress is not None and progress(k + 1, frames) is False:
                    raise Cancelled()
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
