"""What an export may ask for, checked before anything is rendered: the view, the size (64 to 4096 pixels
a side), the frame rate (0.1 to 120 frames/s), the steps (0 to 10,000), the target, a GIF's frames (at most
2 GB at a byte a pixel), and the free space on the target's disk (at least 10 MB, and at least a low
estimate of the output). Qt-free."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

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
