"""Headless rendering of a scene's animation: PNG frames, an animated GIF or an MP4; or one picture
(a PNG, or an SVG or a PDF of one 2D pane in vectors).

A scene is replayed on a stage of its own (caption + the panes asked for, with what the window shows
over them) at the chosen size, one frame per step, so the window and the command line produce the
same pictures.
Everything is written beside the target and renamed at the end: a failed or cancelled export
leaves no file behind. Needs a QApplication and an X server (OpenGL).

Every request is checked before anything is rendered: the view, the size (64 to 4096 pixels a
side), the frame rate (0.1 to 120 frames/s), the steps (0 to 10,000), the target, a GIF's frames
(at most 2 GB at a byte a pixel), and the free space on its disk (at least 10 MB, and at least a
low estimate of the output); a disk that fills up mid-way leaves nothing and says so. Temporaries that a
killed export left in the target's folder (this program's names only, untouched for a minute) are
removed first.
"""
from __future__ import annotations

import os
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from explorer.core.files import AtomicWrite, WriteError, remove_orphans

VIEWS = ("both", "3d", "map", "contour", "loss", "slice")   # map and contour: the same pane
PLANE_VIEWS = ("map", "contour", "loss", "slice")            # one 2D pane: what an SVG or a PDF can hold
VECTOR_KINDS = ("svg", "pdf")
VECTOR_NAMES = {"svg": "an SVG", "pdf": "a PDF"}
MIN_SIDE, MAX_SIDE = 64, 4096
FPS_RANGE = (0.1, 120.0)        # below 0.1 a GIF frame's delay (1/100 s units, 16 bits) overflows
MAX_STEPS = 10_000              # frames of one export: at ~30 ms a frame, several minutes already
MIN_FREE_BYTES = 10_000_000     # a disk with less than this free is full for practical purposes
# a GIF viewer (a browser, a slide program) holds every frame decoded, at least a byte a pixel: past
# this a GIF is not shown anywhere, so it is refused before drawing (an MP4 has no such limit)
GIF_MAX_BYTES = 2_000_000_000
GIF_MAX_FPS = 50                # a GIF delay below 2/100 s is shown as 1/10 s by browsers: faster is slower
# bytes per pixel per frame, well below what was measured at 1280x720 (PNG 0.1, GIF 0.02, MP4 0.012):
# a low estimate, so the disk check refuses only what plainly cannot fit
LOW_BYTES_PER_PIXEL = {"frames": 0.03, "png": 0.03, "gif": 0.005, "mp4": 0.001, "svg": 0.03, "pdf": 0.03}


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
    if suffix in (".gif", ".mp4", ".png", ".svg", ".pdf"):
        return suffix[1:]
    raise ExportError(f"--out must end in / (a folder of PNG frames), .gif, .mp4, .png, .svg or .pdf; got '{out}'")


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


def check_options(view: str, size: tuple[int, int], fps: float, steps: int, kind: str | None = None) -> None:
    """Refuse an option out of range, before anything is computed or rendered."""
    if view not in VIEWS:
        raise ExportError(f"--view must be one of {', '.join(VIEWS)}; got '{view}'")
    if kind in VECTOR_KINDS and view not in PLANE_VIEWS:
        raise ExportError(f"{VECTOR_NAMES[kind]} holds one 2D pane: give --view map, loss or slice "
                          f"(the 3D view is drawn by OpenGL, in pixels); got --view {view}")
    check_size(size)
    low, high = FPS_RANGE
    if not low <= fps <= high:  # also refuses NaN
        raise ExportError(f"--fps must be between {low:g} and {high:g} frames per second; got {fps:g}")
    if not 0 <= steps <= MAX_STEPS:
        raise ExportError(f"--steps must be between 0 and {MAX_STEPS:,}; got {steps:,}")


def check_gif(size: tuple[int, int], frames: int) -> None:
    """Refuse a GIF of more than GIF_MAX_BYTES of frames (a byte a pixel) before the first frame."""
    w, h = size
    if frames * w * h > GIF_MAX_BYTES:
        raise ExportError(f"a GIF of {frames:,} frames at {w}x{h} would hold {frames * w * h / 1e9:.1f} GB of "
                          f"frames (at most {GIF_MAX_BYTES / 1e9:g} GB): give fewer --steps, a smaller --size, "
                          "or export an MP4")


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


def program_colours() -> np.ndarray:
    """(k, 3) the colours the program draws with: white and black, curvature classes, runs, overlays, basins."""
    from explorer.session.setup import RUN_COLOURS
    from explorer.ui.views.drawing import palette
    from explorer.core.colours import BASIN_COLOURS, NO_END
    hexes = ["#ffffff", "#000000", "#222222", palette.OUTSIDE_BACKGROUND, palette.OUTSIDE_HATCH,
             palette.DOMAIN_BORDER, palette.LEVEL_LINE, palette.GRADIENT_COLOUR, palette.MODEL_COLOUR,
             palette.AXIS_COLOUR, *RUN_COLOURS, *palette.CLASS_LINE_COLOURS.values(), *BASIN_COLOURS,
             NO_END]
    rgb = [tuple(int(h[i:i + 2], 16) for i in (1, 3, 5)) for h in hexes]
    rgb += [colour for _, colour in palette.CLASS_COLOURS.values()]
    return np.unique(np.array(rgb, dtype=np.uint8), axis=0)


class GifWriter(_Writer):
    """Frames streamed to ffmpeg as they are rendered (memory flat in the number of frames), each mapped
    to one palette made from the first frame: every colour of a frame (maps, runs, text) is on screen
    from the start, and mapping to a fixed palette is far cheaper than choosing one per frame."""

    def __init__(self, target, fps):
        import imageio_ffmpeg  # before the temporary exists: a missing encoder must not leave one
        self._exe = imageio_ffmpeg.get_ffmpeg_exe()
        self._process = None
        super().__init__(target, fps)
        # named as AtomicWrite names its temporaries, so a killed export's palette is an orphan like the rest
        self._palette = self.tmp.with_name(f".{target.stem[:190]}-palette.{secrets.token_hex(4)}.tmp.png")

    def add(self, rgb):
        if self._process is None:
            self._start(rgb)
        try:
            self._process.stdin.write(np.ascontiguousarray(rgb, dtype=np.uint8).tobytes())
        except (BrokenPipeError, OSError) as err:
            raise ExportError(f"the GIF encoder stopped: {self._error() or err}") from None
        self.count += 1

    def _start(self, rgb) -> None:
        import subprocess

        from PIL import Image
        h, w = rgb.shape[:2]
        self._size = (w, h)
        fixed = program_colours()   # kept exact even where they appear only after the first frame
        colours = Image.fromarray(rgb).quantize(colors=256 - len(fixed), method=Image.Quantize.MEDIANCUT)
        found = np.array(colours.getpalette()[:3 * (256 - len(fixed))], dtype=np.uint8).reshape(-1, 3)
        table = np.vstack([found, fixed])
        table = np.vstack([table, np.repeat(table[-1:], 256 - len(table), axis=0)])   # paletteuse wants 256
        Image.fromarray(table.reshape(16, 16, 3)).save(self._palette)
        cmd = [self._exe, "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
               "-r", f"{min(self.fps, GIF_MAX_FPS):g}", "-i", "-", "-i", str(self._palette),
               "-lavfi", "[0:v][1:v]paletteuse=dither=none", "-loop", "0", "-f", "gif", str(self.tmp)]
        self._process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE)

    def _error(self) -> str:
        try:
            return self._process.stderr.read().decode("utf-8", "replace").strip().splitlines()[-1]
        except (OSError, IndexError, ValueError):
            return ""

    def _close(self, keep):
        process, self._process = self._process, None
        try:
            if process is not None:   # ffmpeg must exit either way
                if keep:
                    process.stdin.close()
                    code = process.wait()
                    if code != 0:
                        self._process = process
                        raise ExportError(f"the GIF encoder failed: {self._error() or f'exit status {code}'}")
                else:
                    process.kill()
                    process.wait()
                    try:
                        process.stdin.close()
                    except OSError:   # the pipe broke when ffmpeg was killed
                        pass
                process.stderr.close()
        finally:
            self._palette.unlink(missing_ok=True)


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


class VectorWriter(_Writer):
    """A single picture of one 2D pane as Qt's painter draws it: lines, text and marks stay vectors (SVG, PDF)."""

    def draw(self, stage) -> None:
        from explorer.ui.export.vector import write_vector
        write_vector(stage, self.tmp, self.target.suffix.lower()[1:])
        self.count = 1


WRITERS = {"frames": FramesWriter, "gif": GifWriter, "mp4": Mp4Writer, "png": PngWriter, "svg": VectorWriter,
           "pdf": VectorWriter}


# ---------------------------------------------------------------- rendering
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
