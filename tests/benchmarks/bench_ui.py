"""The window's speed under a real X server (run with `xvfb-run -a -s "-screen 0 1920x1080x24 +extension GLX"`).

Run: xvfb-run -a python tests/benchmarks/bench_ui.py   (not part of the pytest run)
1. Frames per second while four optimizers animate on a 200×200 surface: Play as fast as the event
   loop goes and count the steps drawn (every view follows each step; the loss plot at most 5×/s).
   Floor: a repaint of the same 3D view with nothing changed, in the same run.
2. Milliseconds from a changed expression to the new frame on screen at N = 100, 200, 400.
   Floor: the curvature map alone (the core's share of that time), in the same run.
"""
from __future__ import annotations
import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))   # this checkout's explorer, not an installed copy

import statistics
import sys
import time

FRAMES = 60


def main() -> int:
    from explorer.allocator import keep_freed_memory
    from explorer.ui.app import share_gl_contexts

    keep_freed_memory()
    share_gl_contexts()
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    from explorer.core.calculus import SurfaceCalculus
    from explorer.ui.main_window import MainWindow
    import numpy as np

    window = MainWindow()
    window.resize(1600, 950)
    window.show()
    c = window.controller
    c.set_resolution(200)
    c.set_expression("(1 - x)^2 + 100*(y - x^2)^2")
    for method, settings in (("gd", {"lr": 1e-3}), ("momentum", {"lr": 1e-4}), ("newton", {}), ("bfgs", {})):
        c.add_run(method, settings)
    c.set_max_steps(100_000)   # the runs keep going for the whole benchmark
    assert c.wait_for_surface()
    for _ in range(20):
        app.processEvents()

    def median_ms(action, n):
        times = []
        for _ in range(n):
            t = time.perf_counter()
            action()
            times.append((time.perf_counter() - t) * 1e3)
        return statistics.median(times)

    frames = {"n": 0}
    window.surface.frameSwapped.connect(lambda: frames.__setitem__("n", frames["n"] + 1))

    def wait_for_frame(n, timeout=5.0):
        t = time.perf_counter()
        while frames["n"] == n and time.perf_counter() - t < timeout:
            app.processEvents()

    def frames_per_second(seconds=3.0):
        """Play as fast as the event loop allows; Qt paints each dirty view once per pass."""
        n0, steps0 = frames["n"], c.runs[0].position
        c.set_speed(1000)
        c.play()
        t = time.perf_counter()
        while time.perf_counter() - t < seconds:
            app.processEvents()
        c.pause()
        elapsed = time.perf_counter() - t
        return (frames["n"] - n0) / elapsed, (c.runs[0].position - steps0) / elapsed

    def repaint_surface():
        n = frames["n"]
        window.surface.update()
        wait_for_frame(n)

    bare = median_ms(repaint_surface, FRAMES)
    fps, steps_per_s = frames_per_second()
    print(f"3D view size {window.surface.width()}×{window.surface.height()}, surface 200×200, four runs")
    print(f"floor: a repaint of the unchanged 3D view {bare:.1f} ms ({1000 / bare:.0f} frames/s)")
    # an animation frame is a step drawn: the steps per second are the frames a viewer sees move
    print(f"playing four runs: {steps_per_s:.0f} animation frames/s (steps of all four drawn), "
          f"{fps:.0f} paints/s of the 3D view; a frame takes {1000 / steps_per_s:.1f} ms = "
          f"{1000 / steps_per_s / bare:.1f}× the floor\n")

    def show_expression(text):
        n = frames["n"]
        c.set_expression(text)
        c.wait_for_surface()
        wait_for_frame(n)

    print(f"{'N':>5}{'curvature map':>16}{'expression -> frame':>22}{'ratio':>8}")
    texts = ["sin(x)*cos(y) + 0.1*(x^2 + y^2)", "x^2 + 3*y^2 - x*y", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"]
    for n in (100, 200, 400):
        c.set_resolution(n)
        assert c.wait_for_surface()
        xs, ys = np.linspace(*c.x_range, n), np.linspace(*c.y_range, n)
        core = statistics.median(
            median_ms(lambda t=t: SurfaceCalculus(t).curvature_map(xs, ys), 3) for t in texts)
        samples = []
        for i in range(9):
            text = texts[i % len(texts)]
            t = time.perf_counter()
            show_expression(text)
            samples.append((time.perf_counter() - t) * 1e3)
        latency = statistics.median(samples)
        print(f"{n:>5}{core:>13.1f} ms{latency:>19.1f} ms{latency / core:>7.1f}×")
    window.close()
    window.deleteLater()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
