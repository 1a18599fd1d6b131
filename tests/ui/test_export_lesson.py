"""Exports carry what the scene shows (basins, the stability map, the lecture note), one pane alone, and an
SVG or a PDF of one 2D pane."""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from explorer.core.preset_library import find_preset
from explorer.core.document import NO_OVERLAYS
from explorer.core.scene import RunSpec, Scene, load_scene
from explorer.ui.export.checks import ExportError
from explorer.ui.export.render import export_scene, qimage_to_rgb

BOWL = Scene("x^2 + 10*y^2", x_range=(-3, 3), y_range=(-2, 2), resolution=60, overlays=NO_OVERLAYS,
             runs=(RunSpec("gd", {"lr": 0.09}, (-2.5, 1.5)), RunSpec("newton", {}, (-2.5, 1.5))), max_steps=6)


@pytest.fixture
def app(qapp):
    from explorer.ui.app import share_gl_contexts
    share_gl_contexts()
    return qapp


def preset(name: str) -> Scene:
    return load_scene(find_preset(name))


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def share(picture: np.ndarray, colour) -> float:
    """The fraction of the picture's pixels exactly `colour` (a hex string or an RGB triple)."""
    colour = rgb(colour) if isinstance(colour, str) else colour
    return float(np.all(picture == np.array(colour, dtype=np.uint8), axis=-1).mean())


def read_png(path) -> np.ndarray:
    with Image.open(path) as picture:
        return np.asarray(picture.convert("RGB"))


def part(stage, widget) -> np.ndarray:
    """The pixels of the stage's frame where `widget` is drawn."""
    frame = qimage_to_rgb(stage.grab_image())
    corner = widget.mapTo(stage, widget.rect().topLeft())
    return frame[corner.y():corner.y() + widget.height(), corner.x():corner.x() + widget.width()]


# ---------------------------------------------------------------- what the scene shows comes with it
@pytest.mark.parametrize("name, ends", [("himmelblau-basins-gd", 4),        # four minima
                                        ("himmelblau-basins-newton", 9)])   # four minima, four saddles, the maximum
def test_a_basins_preset_exports_its_basins_on_the_map(app, tmp_path, name, ends):
    from explorer.core.colours import BASIN_COLOURS
    out = tmp_path / "map.png"
    assert export_scene(preset(name), str(out), view="map", size=(480, 360)) == 1
    picture = read_png(out)
    # every end's colour covers a visible part of the map (the smallest basin, 5 % of starts, ~2 % of the frame)
    assert [c for c in BASIN_COLOURS if share(picture, c) > 0.005] == list(BASIN_COLOURS[:ends])


def test_a_gif_keeps_every_basin_colour_exact(app, tmp_path):
    from explorer.core.colours import BASIN_COLOURS
    scene = preset("himmelblau-basins-newton")
    export_scene(scene, str(tmp_path / "frames") + "/", size=(640, 480), steps=1)
    export_scene(scene, str(tmp_path / "basins.gif"), size=(640, 480), steps=1)
    png = read_png(tmp_path / "frames" / "frame_00001.png")
    with Image.open(tmp_path / "basins.gif") as gif:
        gif.seek(1)
        frame = np.asarray(gif.convert("RGB"))
    for colour in BASIN_COLOURS:   # none moved to a palette colour beside it (the 3D view's shades crowd them)
        assert share(frame, colour) >= share(png, colour) > 0


def test_basins_switched_off_are_not_exported(app, tmp_path):
    from explorer.core.colours import BASIN_COLOURS
    scene = preset("himmelblau-basins-gd")
    out = tmp_path / "map.png"
    export_scene(replace(scene, overlays={**scene.overlays, "basins": False}), str(out), view="map", size=(480, 360))
    picture = read_png(out)
    assert all(share(picture, c) < 0.005 for c in BASIN_COLOURS)


def test_the_momentum_preset_exports_its_stability_map(app):
    from explorer.ui.export.stage import ExportStage
    from explorer.ui.views.plots.stability_view import OPTIMAL
    stage = ExportStage(preset("momentum-stability"), "both", (960, 540))
    try:
        assert stage.stability is not None and stage.stability.isVisible()
        plane = part(stage, stage.stability.plane).reshape(-1, 3)
        assert len(np.unique(plane, axis=0)) > 30        # the (lr, β) plane shaded by the rate
        assert share(plane, OPTIMAL) * len(plane) > 20   # the fastest settings' star
        assert stage.stability.mapTo(stage, stage.stability.rect().topLeft()).x() > stage.contour.x()
    finally:
        stage.close_stage()


def test_no_stability_map_where_f_is_not_a_quadratic(app):
    from explorer.ui.export.stage import ExportStage
    quartic = Scene("x^4 + y^2", resolution=40, runs=(RunSpec("gd", {"lr": 0.05}, (1.0, 1.0)),), x_range=(-3, 3),
                    y_range=(-3, 3), max_steps=200, overlays=NO_OVERLAYS)
    stage = ExportStage(quartic, "both", (640, 360))
    try:
        assert stage.stability is None
        right = stage.contour.mapTo(stage, stage.contour.rect().topRight()).x()
        assert right >= 640 - 2                          # the views take the whole width
    finally:
        stage.close_stage()


def test_the_note_is_drawn_above_the_caption_when_asked(app):
    from explorer.ui.export.stage import ExportStage
    scene = preset("momentum-stability")
    stage = ExportStage(scene, "map", (640, 360), note=True)
    try:
        assert stage.note.isVisible() and stage.note.text() == scene.note
        assert stage.note.geometry().bottom() < stage.caption.geometry().top()
        pixels = part(stage, stage.note).reshape(-1, 3)
        assert share(pixels, "#fff8dc") > 0.5            # the note's pale yellow
        assert (pixels.sum(axis=1) < 3 * 80).sum() > 100  # and its letters
    finally:
        stage.close_stage()
    plain = ExportStage(scene, "map", (640, 360))
    try:
        assert plain.note is None
    finally:
        plain.close_stage()


def test_a_note_asked_of_a_scene_without_one_is_refused(app, tmp_path):
    with pytest.raises(ExportError, match="no lecture note"):
        export_scene(BOWL, str(tmp_path / "x.png"), note=True)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- one pane
@pytest.mark.parametrize("view, shown", [("loss", "loss"), ("slice", "slice"), ("map", "contour")])
def test_one_pane_fills_the_frame_below_the_caption(app, view, shown):
    from explorer.ui.export.stage import ExportStage
    stage = ExportStage(BOWL, view, (480, 360))
    try:
        panes = {name: getattr(stage, name) for name in ("surface", "contour", "loss", "slice", "stability")}
        assert [name for name, pane in panes.items() if pane is not None] == [shown]
        pane = panes[shown]
        assert pane.width() == 480 and pane.height() > 0.75 * 360
        assert (stage.legend is None) == (view != "map")   # the curvature key only over the map's colours
    finally:
        stage.close_stage()


def test_a_loss_export_is_a_picture_of_the_loss_plot(app, tmp_path):
    from explorer.core.colours import method_colour
    from explorer.ui.views.drawing.palette import CLASS_COLOURS
    out = tmp_path / "frames"
    assert export_scene(BOWL, f"{out}/", view="loss", size=(320, 240), steps=4) == 5
    last = read_png(out / "frame_00004.png")
    assert share(last, method_colour("newton")) > 0.001   # newton's curve (gd's is the black one, like the text)
    assert share(last, CLASS_COLOURS[1][1]) == 0           # no map: not one pixel of its convex colour


# ---------------------------------------------------------------- SVG and PDF
def test_an_svg_of_the_map_holds_lines_and_text(app, tmp_path):
    out = tmp_path / "map.svg"
    assert export_scene(BOWL, str(out), view="map", size=(320, 240)) == 1
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox") == "0 0 320 240"
    lines = [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("path", "polyline")]
    assert len(lines) > 20                                 # level lines, axes: lines, not a picture of them
    assert all(e.get("d") for e in lines if e.tag.endswith("}path"))   # no empty path (the runs' one point)
    text = " ".join("".join(e.itertext()) for e in root.iter() if e.tag.endswith("}text"))
    assert "convex" in text and "gd" in text               # the key and the caption as text
    images = [e for e in root.iter() if e.tag.endswith("}image")]
    assert len(images) == 1                                # the curvature colours; the run's marks are shapes
    assert [p.name for p in tmp_path.iterdir()] == ["map.svg"]


def test_an_svg_of_a_fit_draws_each_data_point_as_a_shape(app, tmp_path):
    out = tmp_path / "data.svg"
    scene = preset("linear-regression")
    assert export_scene(scene, str(out), view="slice", size=(320, 240)) == 1
    root = ET.parse(out).getroot()
    assert not [e for e in root.iter() if e.tag.endswith("}image")]
    assert len([e for e in root.iter() if e.tag.endswith("}path")]) >= 50    # the 50 rows, each a circle


def test_a_pdf_of_the_loss_plot_is_one_page_of_the_frame_size(app, tmp_path):
    from PySide6.QtWidgets import QApplication
    out = tmp_path / "loss.pdf"
    assert export_scene(BOWL, str(out), view="loss", size=(320, 240)) == 1
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 1
    box = [float(v) for v in re.search(rb"/MediaBox\s*\[([^\]]*)\]", data).group(1).split()]
    dpi = QApplication.primaryScreen().logicalDotsPerInchX()
    assert box == pytest.approx([0, 0, 320 * 72 / dpi, 240 * 72 / dpi], abs=0.01)


@pytest.mark.parametrize("suffix", [".svg", ".pdf"])
@pytest.mark.parametrize("view", ["3d", "both"])
def test_a_vector_picture_of_the_3d_view_is_refused_before_anything(app, tmp_path, suffix, view):
    with pytest.raises(ExportError, match=r"holds one 2D pane: give --view map, loss or slice"):
        export_scene(BOWL, str(tmp_path / f"x{suffix}"), view=view, size=(320, 240))
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the command line
def test_command_line_exports_one_pane_with_the_note_as_a_pdf(tmp_path):
    out = tmp_path / "loss.pdf"
    done = subprocess.run([sys.executable, "-m", "explorer", "export", "--scene", "momentum-stability", "--view",
                           "loss", "--note", "--size", "320x240", "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "wrote 1 frame" in done.stdout and out.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("argv, words", [
    (["export", "x^2", "--method", "gd", "--view", "3d", "--out", "a.svg"], "an SVG holds one 2D pane"),
    (["export", "x^2", "--method", "gd", "--out", "a.pdf"], "a PDF holds one 2D pane: give --view map, loss or "
                                                            "slice (the 3D view is drawn by OpenGL, in pixels); "
                                                            "got --view both"),
    (["export", "x^2", "--method", "gd", "--note", "--out", "a.png"], "--note: the scene has no lecture note"),
])
def test_command_line_bad_vector_or_note_requests(tmp_path, argv, words):
    done = subprocess.run([sys.executable, "-m", "explorer", *argv], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path)
    assert done.returncode == 2 and words in done.stderr and done.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the window's dialog
def test_the_picture_dialog_offers_svg_and_pdf_of_one_pane(window):
    from explorer.ui.export.dialog import FORMATS, ExportDialog
    dialog = ExportDialog(window, picture_only=True)

    def items(box):
        return [box.itemText(i) for i in range(box.count())]

    assert [FORMATS[f] for f in items(dialog.format)] == [".png", ".svg", ".pdf"]
    assert items(dialog.view) == ["all panes", "3D view", "map", "loss plot", "slice"]
    dialog.view.setCurrentText("loss plot")
    dialog.format.setCurrentIndex(1)                        # SVG: the 2D panes only, the choice kept
    assert items(dialog.view) == ["map", "loss plot", "slice"] and dialog.view_name == "loss"
    assert not dialog.note.isEnabled()                      # Rosenbrock typed in: no lecture note


def test_the_window_exports_the_pane_and_note_chosen(window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from explorer.ui.export import dialog as export_dialog
    window.scenes.show_scene(preset("momentum-stability"))

    def choose(dialog):
        assert dialog.note.isEnabled()
        dialog.format.setCurrentIndex(2)                    # PDF
        dialog.view.setCurrentText("slice")
        dialog.note.setChecked(True)
        return 1

    monkeypatch.setattr(export_dialog.ExportDialog, "exec", choose)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "slice"), "*.pdf"))
    asked = []
    monkeypatch.setattr(export_dialog, "run_export", lambda *args, **kwargs: asked.append((args, kwargs)))
    export_dialog.export_from_window(window, picture_only=True)
    (_, scene, out, view, size, *_), options = asked[0]
    assert (out, view, options) == (str(tmp_path / "slice.pdf"), "slice", {"note": True})
    assert scene.note.startswith("On x² + 10y²")
