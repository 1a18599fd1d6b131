"""Memory after many edits: RSS of the window after N parameter edits at grid N = 800 while four runs
play, against the RSS after the first surface (issue 14's goal: within 150 MB once idle).

    xvfb-run -a -s "-screen 0 1920x1080x24 +extension GLX" python tests/benchmarks/bench_memory.py [EDITS]
"""
import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))   # this checkout's explorer, not an installed copy
import os
import sys
import time


def rss_mb() -> float:
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main(edits: int = 500) -> None:
    from explorer.allocator import keep_freed_memory
    keep_freed_memory()   # as the program does at start
    from explorer.ui.app import share_gl_contexts
    share_gl_contexts()
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    from explorer.ui.window.main_window import MainWindow

    def idle(seconds):
        t = time.time()
        while time.time() - t < seconds:
            app.processEvents()
            QThread.msleep(20)

    window = MainWindow()
    window.show()
    c = window.controller
    c.set_expression("a*sin(x)*cos(y) + x^2/10 + y^2/10")
    c.set_domain((-6, 6), (-6, 6))
    c.set_resolution(800)
    for method in ("gd", "momentum", "bfgs", "newton"):
        c.add_run(method)
    c.wait_for_surface(60000)
    idle(1.0)
    start = rss_mb()
    c.play()
    for i in range(edits):
        c.set_parameter("a", 1 + (i % 50) / 25)
        if i % 5 == 4:
            c.wait_for_surface(60000)
    c.wait_for_surface(60000)
    peak = rss_mb()
    c.pause()
    idle(3.5)   # past the idle trim (controller.IDLE_TRIM_MS)
    end = rss_mb()
    print(f"RSS after the first surface {start:.0f} MB; after {edits} edits at N=800 while playing "
          f"{peak:.0f} MB; idle {end:.0f} MB: {end - start:+.0f} MB ({end / start:.2f}x the start)")
    window.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
