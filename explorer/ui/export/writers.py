"""The export's writers: PNG frames into a folder, one PNG, an animated GIF or an MP4 (ffmpeg), or one 2D
pane in vectors (SVG, PDF). Each writes into a temporary beside the target and renames it at the end, so
a failed or cancelled export leaves nothing behind."""
from __future__ import annotations

import secrets
from pathlib import Path

import numpy as np

from explorer.core.colours import BASIN_COLOURS, NO_END
from explorer.core.files import AtomicWrite
from explorer.core.document import RUN_COLOURS
from explorer.ui.export.checks import GIF_MAX_FPS, ExportError

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
    from explorer.ui.views.drawing import palette   # here: it loads Qt, which the command line loads only to draw
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
