"""`landscape-explorer export`: frames, a GIF or an MP4 of a scene's animation, without the window.

Ctrl-C (SIGINT) or SIGTERM stops it cleanly: rendering stops after the frame in hand, the temporary
is removed and the command exits 130 or 143 with one line. The Qt event loop must not swallow the
signal, so the Python handlers only raise a flag that the export reads between frames; a second
signal (for a stage that is slow to come up) removes the temporary and exits at once. A lost X
connection (xvfb-run's server ended by the same Ctrl-C) stops it the same way, with status 1.
"""
from __future__ import annotations

import os
import signal
import sys

from explorer.cli.arguments import (UsageError, add_params_option, number, parameters_for, point, whole_number)
from explorer.cli.method_options import method_settings
from explorer.core.expression import parse
from explorer.core.field_expression import is_field_text
from explorer.core.methods import LEAST_SQUARES, METHODS
from explorer.ui.export.checks import MAX_STEPS, VIEWS

EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}
DEFAULT_STEPS = 50      # the steps of a scene made from EXPR when --steps is not given
LINES = {signal.SIGINT: "landscape-explorer: interrupted", signal.SIGTERM: "landscape-explorer: terminated"}
LOST_DISPLAY = "display"   # not a signal: Qt said that the connection to the X server broke
EXIT_CODES_AFTER = {**EXIT_CODES, LOST_DISPLAY: 1}
LINES[LOST_DISPLAY] = "landscape-explorer: error: the connection to the X server broke during the export; nothing was written"
X_BROKE = "The X11 connection broke"   # what Qt's xcb plugin says (then it may end the process at once)


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "export", help="render a scene's animation to PNG frames, a GIF or an MP4",
        description="Render one frame per step: the paths so far and a caption. --out ending in / is a folder of "
                    "numbered PNGs, .gif a GIF, .mp4 a video, .png one picture, .svg or .pdf one picture of one "
                    "2D pane (--view map, loss or slice) in vectors. Needs an X server for OpenGL: "
                    "on a machine without a screen, run it under xvfb-run -a.")
    p.add_argument("expression", metavar="EXPR", nargs="?",
                   help="the function, or a field (u, v) solved by newton (or give --scene)")
    p.add_argument("--scene", metavar="FILE", help="a scene file saved by the window")
    p.add_argument("--method", metavar="NAME[,NAME...]", help=f"with EXPR: one or more of {', '.join(METHODS)}")
    p.add_argument("--start", metavar="X,Y", help="with EXPR: the start point (default 1,1)")
    p.add_argument("--steps", metavar="N",
                   help=f"steps to render, 0 to {MAX_STEPS:,} (default: the scene's max steps, or {DEFAULT_STEPS} "
                        "with EXPR); a scene's runs stop at its max steps")
    p.add_argument("--lr", metavar="V")
    p.add_argument("--momentum", metavar="B")
    p.add_argument("--set", action="append", metavar="NAME=VALUE")
    p.add_argument("--x", metavar="A:B", help="with EXPR: x range (default -3:3)")
    p.add_argument("--y", metavar="C:D", help="with EXPR: y range (default -3:3)")
    add_params_option(p)
    p.add_argument("--view", default="both", choices=VIEWS,
                   help="both (the default: 3D view, map, loss plot and slice), or one pane: 3d, map (also called "
                        "contour), loss, or slice (the lens of a field, the data of a fit)")
    p.add_argument("--note", action="store_true", help="the scene's lecture note above the caption")
    p.add_argument("--size", default="1280x720", metavar="WxH")
    p.add_argument("--fps", default="10", metavar="F", help="frames per second, 0.1 to 120 (default 10)")
    p.add_argument("--out", required=True, metavar="PATH")
    p.set_defaults(run=run)


def scene_from_arguments(args, steps: int | None = None):
    from explorer.cli.arguments import interval
    from explorer.core.document import NO_OVERLAYS, Parameter
    from explorer.core.scene import RunSpec, Scene, load_scene
    if args.scene and args.expression:
        raise UsageError("give either EXPR or --scene, not both")
    if args.scene:
        return load_scene(args.scene.strip())
    if not args.expression:
        raise UsageError("give a function EXPR or --scene FILE")
    if is_field_text(args.expression):
        return field_scene_from_arguments(args, steps)
    expression = parse(args.expression.strip(), ("x", "y"))
    params = parameters_for(expression, args.param)
    names = [n.strip() for n in (args.method or "gd").split(",")]
    for n in names:
        if n in LEAST_SQUARES:   # known, but it steps on residuals: a fit's, not f(x, y)
            raise UsageError(f"--method: {n} needs a fit given as residuals (a scene with \"residual\": true, "
                             f"or run --residual); on f(x, y) choose from {', '.join(METHODS)}")
        if n not in METHODS:
            raise UsageError(f"--method: unknown method '{n}' (choose from {', '.join(METHODS)})")
    start = tuple(point(args.start, "--start")) if args.start else (1.0, 1.0)
    runs = tuple(RunSpec(n, s, start) for n, s in method_settings(names, args))
    return Scene(expression.text, parameters={n: Parameter(v).widened() for n, v in params.items()},
                 x_range=interval(args.x, "--x") if args.x else (-3.0, 3.0),
                 y_range=interval(args.y, "--y") if args.y else (-3.0, 3.0), runs=runs, overlays=NO_OVERLAYS,
                 max_steps=max(DEFAULT_STEPS, steps or 0))   # --steps 60 renders 60 steps, not the default 50


def field_scene_from_arguments(args, steps: int | None = None):
    """A field '(u, v)' as a scene: its runs are Newton–Raphson (--method newton, the default)."""
    from explorer.cli.arguments import interval
    from explorer.core.document import NO_OVERLAYS, Parameter
    from explorer.core.field_scene import FIELD_METHOD, method_refusal, plane_field
    from explorer.core.scene import RunSpec, Scene
    field = plane_field(args.expression.strip())
    params = parameters_for(field, args.param)
    names = [n.strip() for n in (args.method or FIELD_METHOD).split(",")]
    for n in names:
        if n != FIELD_METHOD:
            raise UsageError(f"--method {n}: {method_refusal(n)}")
    for option, given in (("--lr", args.lr), ("--momentum", args.momentum), ("--set", args.set)):
        if given:
            raise UsageError(f"{option}: Newton–Raphson on a field has no such setting")
    start = tuple(point(args.start, "--start")) if args.start else (1.0, 1.0)
    return Scene(field.text, parameters={n: Parameter(v).widened() for n, v in params.items()},
                 x_range=interval(args.x, "--x") if args.x else (-3.0, 3.0),
                 y_range=interval(args.y, "--y") if args.y else (-3.0, 3.0), overlays=NO_OVERLAYS,
                 runs=tuple(RunSpec(FIELD_METHOD, {}, start) for _ in names[:1]),
                 max_steps=max(DEFAULT_STEPS, steps or 0))


class ProgressBar:
    """`export [#########.........] 23/50 frames` on stderr, redrawn in place."""

    WIDTH = 30
    drawn = False

    def end_line(self) -> None:
        """Move below the bar, if one was drawn: an error after it must still be one line of its own."""
        if self.drawn:
            sys.stderr.write("\n")
            self.drawn = False

    def __call__(self, done: int, total: int) -> bool:
        self.drawn = True
        filled = round(self.WIDTH * done / max(total, 1))
        sys.stderr.write(f"\rexport [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} frames")
        sys.stderr.flush()
        return True


class StopSignals:
    """SIGINT and SIGTERM while exporting: the first asks the export to stop, a second exits at once."""

    def __init__(self):
        self.signum: int | str | None = None
        self._previous: dict[int, object] = {}
        self._qt_handler = False

    def __enter__(self) -> StopSignals:
        try:
            for signum in EXIT_CODES:
                self._previous[signum] = signal.signal(signum, self._handle)
        except ValueError:  # not the main thread (a test driving main() from a thread): nothing to install
            pass
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()
        if self._qt_handler:
            from PySide6.QtCore import qInstallMessageHandler
            qInstallMessageHandler(None)
            self._qt_handler = False

    def __call__(self) -> bool:
        """Has a signal asked to stop?"""
        return self.signum is not None

    def _handle(self, signum, frame) -> None:
        if self.signum is None:
            self.signum = signum   # read between frames; raising here could land inside a Qt slot
            return
        from explorer.ui.export.writers import abort_unfinished
        abort_unfinished()
        sys.stderr.write("\n" + LINES[self.signum] + "\n")
        sys.stderr.flush()
        os._exit(EXIT_CODES_AFTER[self.signum])

    def display_lost(self) -> None:
        """Stop as after a signal; the temporaries go now, as Qt may end the process right after."""
        if self.signum is None:
            self.signum = LOST_DISPLAY
            from explorer.ui.export.writers import abort_unfinished
            abort_unfinished()

    def listen_to_qt(self) -> None:
        """Qt's message that the X connection broke stops the export; its other messages pass on."""
        from PySide6.QtCore import qInstallMessageHandler

        def handle(kind, context, message):
            if X_BROKE in message:
                self.display_lost()   # said once in our words (report), not once a frame in Qt's
            else:
                sys.stderr.write(message + "\n")
        qInstallMessageHandler(handle)
        self._qt_handler = True

    def report(self) -> int:
        """Say why the export stopped; the exit status (130 for SIGINT, 143 for SIGTERM, 1 for the X server)."""
        print(LINES[self.signum], file=sys.stderr)
        return EXIT_CODES_AFTER[self.signum]


def run(args) -> int:
    with StopSignals() as stop:
        return _export(args, stop)


def _export(args, stop: StopSignals) -> int:
    from explorer.ui.export.checks import ExportError, check_options, check_target, kind_of, parse_size
    from explorer.ui.export.render import export_scene
    out = args.out.strip()
    try:
        kind = kind_of(out)
        check_target(out, kind)  # a bad --out fails before any work
        size = parse_size(args.size.strip())
        fps = number(args.fps, "--fps")
        steps = whole_number(args.steps, "--steps", 0, MAX_STEPS) if args.steps else None
        check_options(args.view, size, fps, 0 if steps is None else steps, kind)
    except ExportError as err:
        raise UsageError(str(err)) from None
    scene = scene_from_arguments(args, steps)
    if args.note and not scene.note.strip():
        raise UsageError("--note: the scene has no lecture note" + ("" if args.scene else " (only a --scene has one)"))
    if steps is None:
        steps = min(scene.max_steps, MAX_STEPS)
    if not scene.runs and kind in ("frames", "gif", "mp4"):
        raise UsageError("the scene has no runs to animate: add --method, or export a .png")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise UsageError("export draws with OpenGL and needs a screen: run it under xvfb-run -a")
    if stop():
        return stop.report()
    from PySide6.QtWidgets import QApplication
    from explorer.ui.app import share_gl_contexts
    share_gl_contexts()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    stop.listen_to_qt()
    bar = ProgressBar()
    try:
        count = export_scene(scene, out, args.view, size, fps, steps, progress=bar, stop=stop, note=args.note)
    except Exception as err:
        bar.end_line()
        if stop():   # whatever broke after a signal (an encoder that got it too) is the signal's doing
            return stop.report()
        if isinstance(err, ExportError):
            raise UsageError(str(err)) from None
        raise
    bar.end_line()
    if stop.signum == LOST_DISPLAY:   # it broke during the last frame: what was drawn is gone
        return stop.report()
    print(f"wrote {count} frame{'s' if count != 1 else ''} to {out}")
    del app
    return 0
