"""On x² − y² the map shows why pure Newton walks onto the saddle and damped Newton does not."""
import numpy as np
import pytest

from explorer.core.preset_library import find_preset
from explorer.core.scene import load_scene


@pytest.fixture
def saddle(window):
    scene = load_scene(find_preset("saddle"))
    assert scene.overlays["quadratic_model"]            # the preset opens with the model on
    window.scenes.show_scene(scene)
    assert window.controller.wait_for_surface()
    return window


def marks(overlays):
    x, y = overlays.marks.getData()
    return np.column_stack([x, y])


def test_pure_newton_lands_on_the_models_saddle(qtbot, saddle):
    c, o = saddle.controller, saddle.contour.overlays
    c.select(0)
    assert c.selected_run().method == "newton"
    np.testing.assert_allclose(marks(o)[0], (0, 0), atol=1e-12)      # x − H⁻¹∇f from (1, 0.3): the origin
    assert "the model's saddle" in o.mark_labels[0].toPlainText()
    assert "pure Newton lands here" in o.mark_labels[0].toPlainText()
    xs, ys = o.step.getData()
    np.testing.assert_allclose([xs, ys], [[1, 0], [0.3, 0]], atol=1e-12)
    assert not o.modified.isVisible()
    c.step()
    np.testing.assert_allclose(c.selected_run().current.point, (0, 0), atol=1e-12)   # and it does


def test_damped_newton_steps_downhill_on_the_absolute_value_bowl(qtbot, saddle):
    c, o = saddle.controller, saddle.contour.overlays
    c.select(1)
    assert c.selected_run().method == "damped-newton"
    # H = diag(2, −2) -> |λ| bowl diag(2, 2): p = −∇f/2 = −(2, −0.6)/2, and the full step is accepted
    np.testing.assert_allclose(marks(o)[1], (0, 0.6), atol=1e-12)
    assert "damped Newton's step, t = 1" in o.mark_labels[1].toPlainText()
    assert o.modified.isVisible()
    c.step()
    np.testing.assert_allclose(c.selected_run().current.point, (0, 0.6), atol=1e-12)
    assert c.selected_run().current.value < 1 - 0.09                   # downhill: f(1, 0.3) = 0.91


def test_the_geometry_goes_with_the_model_overlay(qtbot, saddle):
    c, o = saddle.controller, saddle.contour.overlays
    c.set_display(quadratic_model=False)
    assert not o.marks.isVisible() and not o.step.isVisible()
