"""x² + 10y² keeps its axis ratio √10 in presentation mode and in exported frames, not only in the window.

The concave region of f = exp(−(x² + 10y²)) is exactly the inside of x² + 10y² = ½ (semi-axes 0.707
and 0.224): its drawn extent in pixels must have the ratio √10 ≈ 3.16 whatever the frame's shape.
"""
import numpy as np
import pytest
from PIL import Image
from PySide6.QtGui import QImage

from explorer.core.document import NO_OVERLAYS
from explorer.core.scene import Scene
from explorer.ui.export.render import export_scene
from explorer.ui.views.drawing.palette import CLASS_COLOURS

from tests.ui.at_rest import settle

STRETCHED = Scene("exp(-(x^2 + 10*y^2))", x_range=(-4, 4), y_range=(-1.2, 1.2), resolution=200,
                  runs=(), max_steps=1, overlays=NO_OVERLAYS)
CONCAVE = np.array(CLASS_COLOURS[2][1])


def concave_extent(rgb: np.ndarray) -> tuple[int, int]:
    """Width and height in pixels of the largest patch painted exactly in the concave colour
    (the largest: the legend's concave swatch is a small patch of its own)."""
    from scipy import ndimage
    patches, count = ndimage.label(np.all(rgb[..., :3] == CONCAVE, axis=-1))
    assert count > 0, "no concave region drawn"
    largest = 1 + np.argmax(ndimage.sum_labels(np.ones_like(patches), patches, range(1, count + 1)))
    rows, cols = np.nonzero(patches == largest)
    assert rows.size > 500, "the concave region is too small to measure"
    return cols.max() - cols.min() + 1, rows.max() - rows.min() + 1


@pytest.fixture
def app(qapp):
    from explorer.ui.app import share_gl_contexts
    share_gl_contexts()
    return qapp


@pytest.mark.parametrize("size, view", [((900, 900), "contour"), ((1920, 1080), "both"), ((1024, 768), "both")])
def test_an_exported_frame_keeps_the_ratio(app, tmp_path, size, view):
    out = tmp_path / "frame.png"
    export_scene(STRETCHED, str(out), view=view, size=size)
    with Image.open(out) as image:
        rgb = np.asarray(image.convert("RGB"), dtype=int)
    if view == "both":            # the map is the right half; the 3D view shades its concave faces
        rgb = rgb[:, rgb.shape[1] // 2:]
    width, height = concave_extent(rgb)
    assert width / height == pytest.approx(np.sqrt(10), rel=0.06), (width, height)
    assert width > 60


def test_presentation_mode_keeps_the_ratio(qtbot, window):
    c = window.controller
    c.set_display(gradient=False, eigenvectors=False)
    assert c.set_expression(STRETCHED.text)
    c.set_domain(STRETCHED.x_range, STRETCHED.y_range)
    assert c.wait_for_surface()
    window.presentation.enter(full_screen=False)
    settle(qtbot, window)
    try:
        image = window.contour.grab().toImage().convertToFormat(QImage.Format_RGB888)
        rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
        rgb = rows[:, :image.width() * 3].reshape(image.height(), image.width(), 3).astype(int)
        width, height = concave_extent(rgb)
        assert width / height == pytest.approx(np.sqrt(10), rel=0.06), (width, height)
    finally:
        window.presentation.leave()
