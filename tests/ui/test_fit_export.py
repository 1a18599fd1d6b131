"""`export` renders fit scenes: the landscape's slice (moving with the run), the fit view and the loss plot."""
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from explorer.core.preset_library import find_preset
from explorer.core.scene import load_scene
from explorer.ui.export.render import export_scene


@pytest.fixture
def app(qapp):
    from explorer.ui.app import share_gl_contexts
    share_gl_contexts()
    return qapp


def test_a_fit_exports_one_frame_per_step_with_the_slice_of_that_step(app, tmp_path):
    scene = load_scene(find_preset("multiple-regression"))
    from explorer.ui.export.stage import ExportStage
    stage = ExportStage(scene, "both", (960, 540))
    try:
        c = stage.controller
        assert type(stage.slice).__name__ == "FitView" and stage.slice.kind == "predicted"
        assert stage.formula.text().startswith("L(a, b, c, d) = ")
        for _ in range(3):
            assert stage.step()
        gd = c.runs[0]
        held = gd.current.point
        cmap = c.cmap                                  # this frame's slice: c and d where the run is at step 3
        assert gd.position == 3
        assert cmap.z[10, 20] == pytest.approx(c.fit.problem.value([cmap.x[10], cmap.y[20], *held[2:]]), rel=1e-12)
        assert stage.slice_note.shown_text() == (f"Slice at c = {held[2]:.4g}, d = {held[3]:.4g}: gd's step 3, "
                                                 "moving with it").replace("-", "−")
        predicted = stage.slice.predictions()
        assert predicted == pytest.approx(c.fit.problem.dataset.values[:, :3] @ held[:3] + held[3])
    finally:
        stage.close_stage()
    out = tmp_path / "frames/"
    assert export_scene(scene, str(out) + "/", size=(480, 320), steps=3) == 4
    assert sorted(p.name for p in out.iterdir()) == [f"frame_{k:05d}.png" for k in range(4)]


def test_the_exported_picture_shows_the_data_and_the_fitted_line(app, tmp_path):
    scene = load_scene(find_preset("linear-regression"))
    out = tmp_path / "line.png"
    from dataclasses import replace
    export_scene(replace(scene, current_step=151), str(out), size=(1280, 720))
    with Image.open(out) as picture:
        rgb = np.asarray(picture.convert("RGB")).astype(int)
    h = rgb.shape[0]
    bottom = rgb[int(h * 0.66):]                              # the loss plot and the fit view
    grey = np.all(np.abs(bottom - 0x8c) <= 6, axis=-1)       # the data's filled points
    assert grey.sum() > 200


def test_the_command_line_exports_a_fit_preset(tmp_path):
    out = tmp_path / "plane.gif"
    done = subprocess.run([sys.executable, "-m", "explorer", "export", "--scene", "multiple-regression", "--steps", "2",
                           "--size", "320x240", "--out", str(out)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    with Image.open(out) as gif:
        assert gif.n_frames == 3


@pytest.mark.slow   # over 10 s: a gallery program started and six pictures rendered
def test_the_gallery_renders_a_fit_preset_with_its_formula(tmp_path):
    done = subprocess.run([sys.executable, "-m", "explorer.gallery", str(tmp_path), "--only", "25-", "--steps", "3"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(list(tmp_path.glob("25-linear-regression_*.png"))) == 6
    index = (tmp_path / "index.html").read_text()
    assert "L(w, b) = " in index and "mean over the 50 rows of" in index
