"""`export` renders field scenes: the orientation colours, the lens beside |F|, one frame per Newton–Raphson step."""
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from explorer.core.field_picture import KEPT, REVERSED
from explorer.core.preset_library import find_preset
from explorer.core.scene import load_scene
from explorer.ui.export.render import export_scene
from explorer.ui.views.drawing.field_palette import ORIENTATION_COLOURS


@pytest.fixture
def app(qapp):
    from explorer.ui.app import share_gl_contexts
    share_gl_contexts()
    return qapp


def share_of(rgb: np.ndarray, colour) -> float:
    return float(np.mean(np.all(rgb == np.array(colour, dtype=np.uint8), axis=-1)))


def test_a_field_preset_exports_one_frame_per_step_until_both_roots_are_found(app, tmp_path):
    scene = load_scene(find_preset("two-roots"))
    out = tmp_path / "roots.gif"
    frames = export_scene(scene, str(out), size=(640, 400))
    with Image.open(out) as gif:
        assert gif.n_frames == frames
    assert frames == 6   # step 0 and five Newton–Raphson steps: both runs have found their root by then


def test_the_exported_picture_shows_det_j_in_the_legends_colours_and_the_lens(app, tmp_path):
    scene = load_scene(find_preset("two-roots"))
    out = tmp_path / "roots.png"
    export_scene(scene, str(out), size=(1280, 720))
    with Image.open(out) as picture:
        rgb = np.asarray(picture.convert("RGB"))
    assert share_of(rgb, ORIENTATION_COLOURS[KEPT][1]) > 0.02
    assert share_of(rgb, ORIENTATION_COLOURS[REVERSED][1]) > 0.02
    from explorer.ui.export.stage import ExportStage
    stage = ExportStage(scene, "both", (1280, 720))
    try:
        assert type(stage.slice).__name__ == "LensView" and stage.slice.lens is not None
        assert stage.legend.entries["kept"].isVisibleTo(stage) and "F(x, y) = (" in stage.formula.text()
    finally:
        stage.close_stage()


def test_the_command_line_exports_a_typed_field(tmp_path):
    out = tmp_path / "cli.gif"
    done = subprocess.run([sys.executable, "-m", "explorer", "export", "(x^2 - y, x + y - 2)", "--start", "2,0",
                           "--x", "-4:3", "--y", "-2:6", "--steps", "3", "--size", "320x240", "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with Image.open(out) as gif:
        assert gif.n_frames == 4
