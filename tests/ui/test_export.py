import subprocess
import sys

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from explorer.core.document import NO_OVERLAYS
from explorer.core.scene import RunSpec, Scene
from explorer.ui.export.checks import ExportError
from explorer.ui.export.render import Cancelled, export_scene

BOWL = Scene("x^2 + 10*y^2", x_range=(-3, 3), y_range=(-2, 2), resolution=80, overlays=NO_OVERLAYS,
             runs=(RunSpec("gd", {"lr": 0.09}, (-2.5, 1.5)), RunSpec("newton", {}, (-2.5, 1.5))), max_steps=6)


@pytest.fixture
def app(qapp):
    from explorer.ui.app import share_gl_contexts
    share_gl_contexts()
    return qapp


def test_gif_has_one_frame_per_step_and_the_size_asked(app, tmp_path):
    out = tmp_path / "bowl.gif"
    assert export_scene(BOWL, str(out), size=(320, 240), steps=6) == 7
    with Image.open(out) as gif:
        assert gif.size == (320, 240) and gif.n_frames == 7
        first = np.asarray(gif.convert("RGB"), dtype=int)
        gif.seek(6)
        last = np.asarray(gif.convert("RGB"), dtype=int)
    assert np.abs(first - last).sum() > 0            # the paths moved between the frames
    assert [p.name for p in tmp_path.iterdir()] == ["bowl.gif"]
    assert out.stat().st_mode & 0o044 == 0o044         # readable by others, like any file the user saves


def test_mp4_frames_and_size(app, tmp_path):
    out = tmp_path / "bowl.mp4"
    assert export_scene(BOWL, str(out), view="3d", size=(320, 240), fps=5, steps=4) == 5
    frames, _ = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert frames == 5
    probe = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(out)], capture_output=True,
                           text=True)
    assert "320x240" in probe.stderr and "h264" in probe.stderr


def test_png_frames_folder(app, tmp_path):
    out = tmp_path / "frames"
    assert export_scene(BOWL, str(out) + "/", view="contour", size=(200, 160), steps=3) == 4
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"frame_{k:05d}.png" for k in range(4)]
    for n in names:
        with Image.open(out / n) as frame:
            assert frame.size == (200, 160)


def test_a_run_that_stops_ends_the_animation(app, tmp_path):
    newton_only = Scene("x^2 + y^2", runs=(RunSpec("newton", {}, (1.0, 1.0)),), resolution=40, x_range=(-3, 3),
                        y_range=(-3, 3), max_steps=200, overlays=NO_OVERLAYS)
    out = tmp_path / "n.gif"
    assert export_scene(newton_only, str(out), size=(160, 120), steps=20) == 2   # the start and one step


def test_single_picture(app, tmp_path):
    out = tmp_path / "now.png"
    assert export_scene(BOWL, str(out), size=(400, 300)) == 1
    with Image.open(out) as picture:
        assert picture.size == (400, 300)


@pytest.mark.parametrize("suffix", [".gif", ".mp4", "/"])
def test_cancel_leaves_nothing_behind(app, tmp_path, suffix):
    out = str(tmp_path / "cancelled") + suffix
    with pytest.raises(Cancelled):
        export_scene(BOWL, out, size=(160, 120), steps=6, progress=lambda done, total: done < 3)
    assert list(tmp_path.iterdir()) == []


def test_bad_requests_are_refused_before_any_rendering(app, tmp_path):
    with pytest.raises(ExportError, match="must end in"):
        export_scene(BOWL, str(tmp_path / "a.avi"))
    with pytest.raises(ExportError, match="does not exist"):
        export_scene(BOWL, str(tmp_path / "missing" / "a.gif"))
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("keep")
    with pytest.raises(ExportError, match="not an empty folder"):
        export_scene(BOWL, str(tmp_path / "full") + "/")
    with pytest.raises(ExportError, match="--view"):
        export_scene(BOWL, str(tmp_path / "a.gif"), view="top")


def test_command_line_export(tmp_path):
    out = tmp_path / "cli.gif"
    done = subprocess.run([sys.executable, "-m", "explorer", "export", "-x^2 - y^2", "--method", "newton,damped-newton",
                           "--start", "0.5,-0.3", "--steps", "3", "--size", "320x240", "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "3/4 frames" in done.stderr or "4/4 frames" in done.stderr     # the progress bar
    with Image.open(out) as gif:
        assert gif.n_frames == 4


@pytest.mark.parametrize("argv, words", [
    (["export", "x^2", "--method", "gd", "--out", "a.avi"], "must end in"),
    (["export", "x^2", "--method", "sgd", "--out", "a.gif"], "unknown method 'sgd'"),
    (["export", "--out", "a.gif"], "give a function EXPR or --scene FILE"),
    (["export", "x^2", "--method", "gd", "--size", "12", "--out", "a.gif"], "--size needs WIDTHxHEIGHT"),
    (["export", "x^2", "--method", "gd", "--steps", "-1", "--out", "a.gif"], "--steps must be between"),
])
def test_command_line_bad_input(tmp_path, argv, words):
    done = subprocess.run([sys.executable, "-m", "explorer", *argv], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path)
    assert done.returncode == 2 and words in done.stderr and done.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_window_export_with_progress_and_cancel(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QProgressDialog

    from explorer.ui.export.dialog import run_export
    scene = window.scenes.scene()
    done = tmp_path / "ok.gif"
    assert run_export(window, scene, str(done), "contour", (320, 240), 10, 3)
    with Image.open(done) as gif:
        assert gif.n_frames == 4
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)   # the user presses Cancel
    assert not run_export(window, scene, str(tmp_path / "cancelled.gif"), "both", (320, 240), 10, 5)
    assert [p.name for p in tmp_path.iterdir()] == ["ok.gif"]


# ---------------------------------------------------------------- file errors: nothing left open, nothing left behind
class FakeStage:
    """Stands in for ExportStage: records that it was built and closed; `fail` names the method that raises."""

    built = []
    fail = None

    def __init__(self, scene, view, size, start_at_current=False, note=False):
        if FakeStage.fail == "init":
            raise RuntimeError("the surface was not computed in time")
        self.size, self.closed = size, False
        FakeStage.built.append(self)

    def step(self):
        if FakeStage.fail == "step":
            raise RuntimeError("step broke")
        return True

    def settle(self):
        pass

    def grab_image(self):
        from PySide6.QtGui import QImage
        image = QImage(*self.size, QImage.Format_RGB888)
        image.fill(0x336699)
        return image

    def close_stage(self):
        self.closed = True


@pytest.fixture
def fake_stage(monkeypatch):
    import types
    FakeStage.built, FakeStage.fail = [], None
    monkeypatch.setitem(sys.modules, "explorer.ui.export.stage", types.SimpleNamespace(ExportStage=FakeStage))
    return FakeStage


def test_an_unwritable_target_fails_before_any_stage_is_built(fake_stage, tmp_path):
    from explorer.core.files import WriteError
    with pytest.raises(WriteError, match=r"^cannot write '/proc/x\.gif': "):
        export_scene(BOWL, "/proc/x.gif", size=(64, 64), steps=2)
    (tmp_path / "somefile.txt").write_text("keep")
    with pytest.raises(ExportError, match="is not a folder"):
        export_scene(BOWL, str(tmp_path / "somefile.txt" / "x.gif"), size=(64, 64), steps=2)
    assert fake_stage.built == []


@pytest.mark.parametrize("suffix, fail", [(suffix, fail) for suffix in (".gif", ".mp4", ".png", "/")
                                           for fail in ("init", "step", "add", "finish")
                                           if not (suffix == ".png" and fail == "step")])   # a picture takes no step
def test_every_failure_closes_the_stage_and_leaves_no_file(fake_stage, tmp_path, monkeypatch, suffix, fail):
    import errno
    import os

    from explorer.ui.export import writers
    from explorer.core.files import WriteError
    fake_stage.fail = fail
    writer = writers.WRITERS["frames" if suffix == "/" else suffix[1:]]

    def disk_full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/somewhere/.tmp")

    if fail in ("add", "finish"):
        monkeypatch.setattr(writer, fail, disk_full)
    out = str(tmp_path / "x") + suffix
    with pytest.raises((RuntimeError, WriteError)) as caught:
        export_scene(BOWL, out, size=(64, 64), steps=2)
    if fail in ("add", "finish"):
        # named after the target, not the temporary the OS saw
        assert str(caught.value) == f"cannot write '{out.rstrip('/')}': No space left on device"
    assert all(stage.closed for stage in fake_stage.built)
    assert len(fake_stage.built) == (0 if fail == "init" else 1)
    assert list(tmp_path.iterdir()) == []


def test_the_window_reports_an_unwritable_target(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from explorer.ui.export.dialog import run_export
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    assert not run_export(window, window.scenes.scene(), "/proc/x.gif", "both", (160, 120), 10, 2)
    (tmp_path / "somefile.txt").write_text("keep")
    assert not run_export(window, window.scenes.scene(), str(tmp_path / "somefile.txt" / "x.gif"), "both",
                          (160, 120), 10, 2)
    assert shown[0].startswith("cannot write '/proc/x.gif': ") and "is not a folder" in shown[1]
    assert all("\n" not in text for text in shown)
    assert list(tmp_path.iterdir()) == [tmp_path / "somefile.txt"]


# ---------------------------------------------------------------- options, disk, stop: checked early, nothing left
@pytest.mark.parametrize("options, words", [
    ({"fps": 0.001}, "--fps must be between 0.1 and 120"),
    ({"fps": 121}, "--fps must be between 0.1 and 120"),
    ({"fps": float("nan")}, "--fps must be between 0.1 and 120"),
    ({"steps": 10_001}, "--steps must be between 0 and 10,000"),
    ({"steps": -1}, "--steps must be between 0 and 10,000"),
    ({"size": (63, 64)}, "--size: each side must be between 64 and 4096"),
    ({"size": (64, 4097)}, "--size: each side must be between 64 and 4096"),
])
def test_an_option_out_of_range_is_refused_before_any_stage(fake_stage, tmp_path, options, words):
    with pytest.raises(ExportError, match=words.replace(".", r"\.")):
        export_scene(BOWL, str(tmp_path / "x.gif"), **({"size": (64, 64), "steps": 2} | options))
    assert fake_stage.built == [] and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fps", [0.1, 120])
def test_the_ends_of_the_fps_range_export(fake_stage, tmp_path, fps):
    assert export_scene(BOWL, str(tmp_path / "x.gif"), size=(64, 64), steps=2, fps=fps) == 3
    with Image.open(tmp_path / "x.gif") as gif:
        # 10 s a frame at 0.1 fps (no overflow); at 120 fps 1/50 s: a browser shows shorter delays as 1/10 s
        assert gif.n_frames == 3
        assert gif.info["duration"] == max(20, round(1000 / fps))


@pytest.mark.parametrize("free, refused", [(9_999_999, True), (10_000_000, False)])
def test_a_disk_without_room_is_refused_before_any_stage(fake_stage, tmp_path, monkeypatch, free, refused):
    import collections

    from explorer.ui.export import checks
    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(checks.shutil, "disk_usage", lambda path: usage(10**12, 10**12 - free, free))
    out = str(tmp_path / "x.mp4")
    if refused:
        with pytest.raises(ExportError, match=r"not enough free space for '.*x\.mp4': 10\.0 MB free, "
                                              r"this export needs at least 10 MB"):
            export_scene(BOWL, out, size=(64, 64), steps=2)
        assert fake_stage.built == [] and list(tmp_path.iterdir()) == []
    else:
        assert export_scene(BOWL, out, size=(64, 64), steps=2) == 3


def test_the_space_needed_grows_with_frames_and_size(fake_stage, tmp_path, monkeypatch):
    import collections

    from explorer.ui.export import checks
    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(checks.shutil, "disk_usage", lambda path: usage(10**12, 0, 200_000_000))
    # 10,001 PNG frames at 1920x1080: at least 0.03 bytes a pixel, about 622 MB
    with pytest.raises(ExportError, match="this export needs at least 622 MB"):
        export_scene(BOWL, str(tmp_path / "frames") + "/", size=(1920, 1080), steps=10_000)
    assert fake_stage.built == [] and list(tmp_path.iterdir()) == []


def test_a_gif_is_streamed_frame_by_frame(tmp_path):
    """GIF frames go to the encoder as they come: the writer holds none of them, so memory stays flat
    however many steps are exported (10,000 are allowed)."""
    import tracemalloc

    from explorer.ui.export.writers import GifWriter
    rng = np.random.default_rng(0)
    colours = rng.integers(0, 255, (6, 3), dtype=np.uint8)
    writer = GifWriter(tmp_path / "x.gif", fps=10)
    frame_bytes = 160 * 120 * 3
    tracemalloc.start()
    try:
        for k in range(120):   # every colour is on the first frame, as a scene's are
            frame = np.broadcast_to(colours[k % 6], (120, 160, 3)).copy()
            frame[:, : 1 + k % 150] = colours[(k + 1) % 6]
            frame[-6:, :60] = colours[np.arange(60) // 10]
            writer.add(frame)
            del frame
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    writer.finish()
    assert peak < 12 * frame_bytes            # a few frames' worth, not 120 (1.9 MB as palette frames)
    with Image.open(tmp_path / "x.gif") as gif:
        assert gif.n_frames == 120 and gif.size == (160, 120)
        gif.seek(7)
        shown = np.asarray(gif.convert("RGB"), dtype=int)
    assert (shown[0, 0] == colours[8 % 6]).all() and (shown[0, -1] == colours[7 % 6]).all()   # exact colours
    assert [p.name for p in tmp_path.iterdir()] == ["x.gif"]                     # the palette is gone too


@pytest.mark.parametrize("suffix", [".gif", ".mp4", ".png", "/"])
@pytest.mark.parametrize("after", [0, 1, 2])
def test_stop_cancels_between_frames_and_leaves_nothing(fake_stage, tmp_path, suffix, after):
    asked = []

    def stop():
        asked.append(1)
        return len(asked) > after

    with pytest.raises(Cancelled):
        export_scene(BOWL, str(tmp_path / "x") + suffix, size=(64, 64), steps=5, stop=stop)
    assert all(stage.closed for stage in fake_stage.built) and list(tmp_path.iterdir()) == []
    assert len(fake_stage.built) == (0 if after == 0 else 1)     # asked first before the stage is built


def test_an_export_removes_what_killed_exports_left_beside_it(fake_stage, tmp_path):
    import os
    import time
    old = time.time() - 120
    orphans = [tmp_path / ".x.0123abcd.tmp.gif", tmp_path / ".frames.89abcdef.tmp"]
    orphans[0].write_bytes(b"GIF89a")
    orphans[1].mkdir()
    (orphans[1] / "frame_00000.png").write_bytes(b"png")
    young = tmp_path / ".y.00000000.tmp.mp4"    # another export still writing: left alone
    young.write_bytes(b"")
    mine = tmp_path / "keep.gif"
    mine.write_bytes(b"GIF89a")
    for path in (*orphans, orphans[1] / "frame_00000.png", mine):
        os.utime(path, (old, old))
    export_scene(BOWL, str(tmp_path / "x.gif"), size=(64, 64), steps=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".y.00000000.tmp.mp4", "keep.gif", "x.gif"]


# ---------------------------------------------------------------- the window's picture, off screen
def test_no_second_window_appears_during_an_export(app, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    def on_screen():
        return [w for w in QApplication.topLevelWidgets() if w.isVisible()
                and not w.testAttribute(Qt.WA_DontShowOnScreen)
                or (w.windowHandle() is not None and w.windowHandle().isExposed())]

    before = set(on_screen())
    stages, seen = [], []

    def progress(done, total):
        seen.append(set(on_screen()) - before)
        stages.extend(w for w in QApplication.topLevelWidgets() if w.windowTitle().endswith("— export"))
        return True

    out = tmp_path / "x.gif"
    assert export_scene(BOWL, str(out), size=(320, 240), steps=3, progress=progress) == 4
    assert stages and seen == [set()] * 4      # the stage existed, and never reached the screen
    with Image.open(out) as gif:
        gif.seek(3)
        frame = np.asarray(gif.convert("RGB"))
    left = frame[40:, :160].reshape(-1, 3)     # the 3D view: the shaded surface drawn by OpenGL
    assert len(np.unique(left, axis=0)) > 20


def test_the_frame_holds_the_formula_legend_and_scaled_text(app):
    from explorer.ui.export.stage import ExportStage
    from explorer.ui.views.drawing.palette import CLASS_COLOURS
    stages = {size: ExportStage(BOWL, "both", size) for size in ((640, 360), (1920, 1080))}
    try:
        small, big = stages[(640, 360)], stages[(1920, 1080)]
        assert big.formula.text().startswith("f(x, y) = x<sup>2</sup> + 10·y<sup>2</sup>")
        image = big.grab_image()
        area = big.formula.geometry()
        dark = [(x, y) for x in range(area.left(), area.right(), 3) for y in range(area.top(), area.bottom(), 2)
                if image.pixelColor(x, y).lightness() < 80]
        assert len(dark) > 50                                  # the formula's letters are drawn
        for code in (1, 2, 3, 0, -1):
            swatch = big.legend.swatches[code]
            assert swatch.isVisible()
            centre = swatch.mapTo(big, swatch.rect().center())
            assert image.pixelColor(centre).name() == "#%02x%02x%02x" % CLASS_COLOURS[code][1]
        # text grows with the frame: a 1920x1080 frame reads like presentation mode
        assert big.contour.text_scale == pytest.approx(1.6) and small.contour.text_scale < 1
        assert big.caption.font().pointSizeF() > 2 * small.caption.font().pointSizeF()
        assert big.font().pointSizeF() > 2 * small.font().pointSizeF()
    finally:
        for stage in stages.values():
            stage.close_stage()


def test_command_line_steps_beyond_the_default_50(tmp_path):
    out = tmp_path / "frames"
    done = subprocess.run([sys.executable, "-m", "explorer", "export", "x^2 + 10*y^2", "--method", "gd", "--lr",
                           "0.001", "--steps", "60", "--size", "96x64", "--view", "contour", "--out", f"{out}/"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(list(out.iterdir())) == 61 and "wrote 61 frames" in done.stdout


def test_the_animation_dialog_offers_the_steps_on_the_timeline(window):
    from explorer.ui.export.dialog import ExportDialog
    c = window.controller
    assert ExportDialog(window).steps.value() == min(c.max_steps, 200)    # at step 0: not 1 frame
    for _ in range(7):
        c.step()
    assert ExportDialog(window).steps.value() == 7


@pytest.mark.parametrize("typed, answer, written", [
    ("x.mp4", "Keep", "x.mp4"),             # its own known format, as typed
    ("x.mp4", "Save as", "x.gif"),          # the chosen format's suffix instead
    ("x.mp4", "Cancel", None),
    ("x", None, "x.gif"),                   # no suffix: the chosen one is added without a question
    ("lecture.v2", None, "lecture.v2.gif"),
    ("x.GIF", None, "x.GIF"),
])
def test_a_name_whose_suffix_disagrees_with_the_format_is_asked_about(qtbot, window, monkeypatch, tmp_path, typed,
                                                                      answer, written):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog

    from explorer.ui.export import dialog as export_dialog
    monkeypatch.setattr(export_dialog.ExportDialog, "exec", lambda self: 1)   # OK with the defaults: a GIF
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / typed), "*.gif"))
    exported, asked = [], []
    monkeypatch.setattr(export_dialog, "run_export", lambda window, scene, out, *rest, **options: exported.append(out))

    def answer_it():
        box = QApplication.activeModalWidget()
        asked.append(box.text())
        next(b for b in box.buttons() if b.text().startswith(answer)).click()

    if answer:
        QTimer.singleShot(50, answer_it)
    export_dialog.export_from_window(window, picture_only=False)
    assert exported == ([str(tmp_path / written)] if written else [])
    assert bool(asked) == bool(answer)
    if asked:
        assert "animated GIF" in asked[0] and "x.mp4" in asked[0]
