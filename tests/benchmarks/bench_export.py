"""Export speed at 1280×720: frames per second of GIF and MP4, and where the time goes.

Run: xvfb-run -a -s "-screen 0 1920x1080x24 +extension GLX" python tests/benchmarks/bench_export.py
Per frame: render (a step of every run and the repaint of both views), grab (reading the window
back into an RGB array) and encode (the GIF's palette quantisation and final write, or ffmpeg's
H.264). The floor is the grab, the part no exporter can skip; ratios are against it.
"""
from __future__ import annotations
import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))   # this checkout's explorer, not an installed copy

import sys
import tempfile
import time
from pathlib import Path

STEPS = 40


def main() -> int:
    from explorer.allocator import keep_freed_memory
    from explorer.ui.app import share_gl_contexts

    keep_freed_memory()
    share_gl_contexts()
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    from explorer.core.preset_library import find_preset
    from explorer.core.scene import load_scene
    from explorer.ui.export.render import ExportTimes, export_scene

    scene = load_scene(find_preset("rosenbrock"))
    print(f"{scene.title}: {STEPS} steps, 1280×720, both views\n")
    print(f"{'format':<8}{'frames/s':>10}{'render ms':>12}{'grab ms':>10}{'encode ms':>12}{'total / grab':>14}")
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".gif", ".mp4"):
            times = ExportTimes()
            t = time.perf_counter()
            frames = export_scene(scene, str(Path(folder) / f"bench{suffix}"), "both", (1280, 720), 10, STEPS,
                                  times=times)
            total = time.perf_counter() - t
            per = {k: getattr(times, k) / frames * 1e3 for k in ("render", "grab", "encode")}
            print(f"{suffix[1:]:<8}{frames / total:>10.1f}{per['render']:>12.1f}{per['grab']:>10.1f}"
                  f"{per['encode']:>12.1f}{total / frames * 1e3 / per['grab']:>13.1f}×")
    del app
    print()
    gif_memory()
    return 0


def gif_memory(frames=(200, 2000), size="320x180") -> None:
    """Peak memory of a GIF export of 200 and of 2,000 frames (each in a fresh process): flat in the
    number of frames when frames are streamed to the encoder."""
    import os
    import subprocess
    root = str(Path(__file__).resolve().parents[2])
    print(f"GIF export at {size}: peak resident memory of the exporting process (ffmpeg not counted)")
    peaks = {}
    with tempfile.TemporaryDirectory() as folder:
        for n in frames:
            out = Path(folder) / f"m{n}.gif"
            code = ("import resource, sys; from explorer.cli import main; "
                    # a run that crawls: every one of the n steps is a frame
                    f"code = main(['export', 'x^2 + 10*y^2', '--method', 'gd', '--lr', '1e-6', '--start', '2,1', "
                    f"'--steps', '{n}', '--size', '{size}', '--out', r'{out}']); "
                    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(code)")
            t = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  env=dict(os.environ, PYTHONPATH=root), timeout=1800)
            elapsed = time.perf_counter() - t
            peaks[n] = int(done.stdout.strip().splitlines()[-1]) / 1024
            from PIL import Image
            with Image.open(out) as gif:
                assert gif.n_frames == n + 1, (gif.n_frames, n)
            print(f"  {n:>5} frames: peak {peaks[n]:.0f} MB, {n / elapsed:.1f} frames/s (start-up included)")
    first, last = frames
    print(f"  {last} frames need {peaks[last] - peaks[first]:+.0f} MB more than {first} (flat: within a few MB)")


if __name__ == "__main__":
    sys.exit(main())
