"""Headless rendering of a scene's animation: PNG frames, an animated GIF or an MP4.

A scene is replayed on a stage of its own (caption + 3D view and/or contour map) at the chosen
size, one frame per step, so the window and the command line produce the same pictures.
Everything is written beside the target and renamed at the end: a failed or cancelled export
leaves no file behind. Needs a QApplication and an X server (OpenGL).

Every request is checked before anything is rendered: the view, the size (64 to 4096 pixels a
side), the frame rate (0.1 to 120 frames/s), the steps (0 to 10,000), the target, and the free
space on its disk (at least 10 MB, and at least a low estimate of the output). Temporaries that a
killed export left in the target's folder (this program's names only, untouched for a minute) are
removed first.
"""
from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from explorer.core.files import AtomicWrite, WriteError, remove_orphans

VIEWS = ("3d", "contour", "both")
MIN_SIDE, MAX_SIDE = 64, 4096
FPS_RANGE = (0.1, 120.0)        # below 0.1 a GIF frame's delay (1/100 s units, 16 bits) overflows
MAX_STEPS = 10_000              # frames of one export: at ~30 ms a frame, several minutes already
MIN_FREE_BYTES = 10_000_000     # a disk with less than this free is full for practical purposes
GIF_MAX_BYTES = 2_000_000_000   # a GIF holds every frame (1 byte a pixel) in memory until it is written
# bytes per pixel per frame, well below what was measured at 1280x720 (PNG 0.1, GIF 0.02, MP4 0.012):
# a low estimate, so the disk check refuses only what plainly cannot fit
LOW_BYTES_PER_PIXEL = {"frames": 0.03, "png": 0.03, "gif": 0.005, "mp4": 0.001}


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
    check_size((w, h))
    return w, h


def check_size(size: tuple[int, int]) -> None:
    w, h = size
    if not (MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE):
        raise ExportError(f"--size: each side must be between {MIN_SIDE} and {MAX_SIDE} pixels; got {w}x{h}")


def check_options(view: str, size: tuple[int, int], fps: float, steps: int) -> None:
    """Refuse an option out of range, before anything is computed or rendered."""
    if view not in VIEWS:
        raise ExportError(f"--view must be one of {', '.join(VIEWS)}; got '{view}'")
    check_size(size)
    low, high = FPS_RANGE
    if not low <= fps <= high:  # also refuses NaN
        raise ExportError(f"--fps must be between {low:g} and {high:g} frames per second; got {fps:g}")
    if not 0 <= steps <= MAX_STEPS:
        raise ExportError(f"--steps must be between 0 and {MAX_STEPS:,}; got {steps:,}")


def check_space(target: Path, kind: str, size: tuple[int, int], frames: int) -> None:
    """Refuse a disk that plainly cannot hold the output (where its free space can be known)."""
    try:
        usage = shutil.disk_usage(target.parent if str(target.parent) else ".")
    except OSError:
        return  # not knowable here: the write itself will say
    if usage.total == 0:
        return  # a file system that reports no sizes (/proc, some network mounts): the write will say
    free = usage.free
    needed = max(MIN_FREE_BYTES, round(LOW_BYTES_PER_PIXEL[kind] * size[0] * size[1] * frames))
    if free < needed:
        raise ExportError(f"not enough free space for '{target}': {free / 1e6:.1f} MB free, "
                          f"this export needs at least {needed / 1e6:.0f} MB")


# ---------------------------------------------------------------- writers
_UNFINISHED: set = set()   # writers with a temporary on disk, for `abort_unfinished`


def abort_unfinished() -> None:
    """Remove every export temporary still on disk (a process about to exit at once calls this)."""
    for writer in list(_UNFINISHED):
        try:
            writer.abort()
        except BaseException:  # noqa: BLE001 - the encoder may be mid-frame; the temporary still goes
            writer._atomic.abort()


class _Writer:
    """Frames go into a temporary beside the target (made at once, so a bad target fails before any
    rendering); finish() puts it in place, abort() removes it."""

    folder = False

    def __init__(self, target: Path, fps: float):
        self.target, self.fps, self.count = target, fps, 0
        self._atomic = AtomicWrite(target, folder=self.folder)
        self.tmp = self._atomic.path
        _UNFINISHED.add(self)

    def touch(self) -> None:
        """Mark the temporary as alive, so no `remove_orphans` elsewhere takes it for a killed export's."""
        self._atomic.touch()

    def finish(self) -> None:
        self._close(keep=True)
        self._atomic.commit()
        _UNFINISHED.discard(self)

    def abort(self) -> None:
        _UNFINISHED.discard(self)
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
        h, w = rgb.shape[:2]
        if (self.count + 1) * w * h > GIF_MAX_BYTES:
            raise ExportError(f"a GIF keeps every frame in memory until it is written: {self.count + 1} frames "
                              f"at {w}x{h} would need more than {GIF_MAX_BYTES / 1e9:g} GB; give fewer --steps, "
                              f"a smaller --size, or write .mp4 or a folder of frames")
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
                 times: ExportTimes | None = None, stop: Callable[[], bool] | None = None) -> int:
    """Write the scene's animation (one frame per step, `steps` steps) to `out`; returns the frame count.

    A `.png` target gets one picture of the scene as it stands (its current step).
    `progress(done, total)` is called after every frame; returning False cancels (Cancelled is raised).
    `stop()` is asked before the stage is built, after it and after every frame; True cancels likewise
    (the command line's SIGINT and SIGTERM). A cancelled export leaves nothing behind.
    """
    total_steps = min(scene.max_steps, MAX_STEPS) if steps is None else int(steps)
    check_options(view, size, fps, total_steps)
    kind = kind_of(out)
    target = check_target(out, kind)
    frames = 1 if kind == "png" else total_steps + 1
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
        from explorer.ui.export_stage import ExportStage
        stage = ExportStage(scene, view, size, start_at_current=(kind == "png"))
        try:
            cancel_if_asked()
            for k in range(frames):
                t0 = time.perf_counter()
                if k and not stage.step():
                    break  # every run has stopped: no new frames to show
                stage.settle()
                t1 = time.perf_counter()
                rgb = qimage_to_rgb(stage.grab_image())
                t2 = time.perf_counter()
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
