"""Dragging a run's setting: the time from a slider's new value to the redrawn path, against the floor of one
optimizer step × the path's length (a fresh Run stepped that far), measured in the same run.

Run: xvfb-run -a -s "-screen 0 1920x1080x24 +extension GLX" python tests/benchmarks/bench_sliders.py
                                                                  (not part of the pytest run)
For paths of 100 and 500 steps, with a second run on the map that a drag must leave alone:
  session   a bare session's recompute of the dragged run (set_run_settings with a drag's merge key)
  command   the same command in the window's session: the recompute and every view's update it signals
  window    a slider position set as a drag does, to the window painted (every view follows: the map's path,
            the 3D path, the loss plot, the table), processEvents until nothing is left to do
A ratio near 1 means the drag costs what its steps cost; the rest is the drawing's share.
"""
from __future__ import annotations
import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))   # this checkout's explorer, not an installed copy

import statistics
import sys
import time

ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"
START = (-1.0, 1.0)
REPEATS = 9


def main() -> int:
    from explorer.allocator import keep_freed_memory
    from explorer.ui.app import share_gl_contexts

    keep_freed_memory()
    share_gl_contexts()
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    from explorer.core.expression import parse
    from explorer.core.methods import make_optimizer
    from explorer.core.objective import Objective
    from explorer.core.setting_scales import SCALES
    from explorer.core.trajectory import Run
    from explorer.session import Session
    from explorer.ui.window.main_window import MainWindow

    window = MainWindow()
    window.resize(1600, 950)
    window.show()
    c = window.controller
    c.set_expression(ROSENBROCK)
    c.set_max_steps(5000)
    c.add_run("momentum", {"lr": 1e-4}, START)
    c.add_run("gd", {"lr": 1e-3}, START)   # selected: its sliders are on show
    assert c.wait_for_surface()
    objective = Objective(parse(ROSENBROCK, ("x", "y")), {})
    slider = window.runs_panel.sliders.rows["lr"].slider
    lr = SCALES["lr"]
    position = iter(range(lr.position(1e-4), lr.position(1e-3)))   # a new value every time: nothing cached

    def floor_ms(steps: int) -> float:
        """One gd step × `steps`: a fresh Run stepped that far (the core's work alone)."""
        times = []
        for _ in range(REPEATS):
            t = time.perf_counter()
            run = Run(make_optimizer("gd", objective, lr=lr.value(next(position))), START, max_steps=5000)
            while len(run.states) - 1 < steps and run.step_forward():
                pass
            times.append((time.perf_counter() - t) * 1e3)
        return statistics.median(times)

    bare = Session()
    bare.set_expression(ROSENBROCK)
    bare.set_max_steps(5000)
    bare.add_run("momentum", {"lr": 1e-4}, START)
    bare.add_run("gd", {"lr": 1e-3}, START)

    def session_ms(session) -> float:
        times = []
        for _ in range(REPEATS):
            t = time.perf_counter()
            session.set_run_settings(1, {"lr": lr.value(next(position))}, merge="lr")
            times.append((time.perf_counter() - t) * 1e3)
            app.processEvents()   # the views catch up outside the timing
        c.seal()
        return statistics.median(times)

    def window_ms() -> float:
        times = []
        slider.setSliderDown(True)   # a drag in progress
        for _ in range(REPEATS):
            app.processEvents()
            t = time.perf_counter()
            slider.setSliderPosition(next(position))
            window.contour.viewport().repaint()   # the map's path on screen
            app.processEvents()
            times.append((time.perf_counter() - t) * 1e3)
        slider.setSliderDown(False)
        return statistics.median(times)

    print(f"{'steps':>6} {'floor ms':>9} {'session ms':>11} {'ratio':>6} {'command ms':>11} {'ratio':>6} "
          f"{'window ms':>10} {'ratio':>6}")
    for steps in (100, 500):
        c.session.jump(steps, budget=None)
        bare.jump(steps, budget=None)
        app.processEvents()
        assert len(c.runs[1].states) - 1 == steps, "the path must be that long (lr keeps it from converging)"
        other = c.runs[0]
        floor = floor_ms(steps)
        session = session_ms(bare)
        command = session_ms(c.session)
        shown = window_ms()
        assert c.runs[0] is other, "a drag of the gd run rebuilt the momentum run"
        print(f"{steps:>6} {floor:>9.1f} {session:>11.1f} {session / floor:>6.2f} {command:>11.1f} "
              f"{command / floor:>6.2f} {shown:>10.1f} {shown / floor:>6.2f}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
