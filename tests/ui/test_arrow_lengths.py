"""An arrow's length is a magnitude: −∇f is drawn s·(−∇f) long on the map and on the surface, s the one scale
the map's key states, fixed while stepping; at a minimum (|∇f| ≈ 1e-14) there is no arrow at all."""
import re

import numpy as np
import pytest

from tests.ui.at_rest import settle

SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def stated_scale(key: str) -> float:
    """The s of 'arrow = s·(−∇f)' as the key writes it: 0.002, 5·10⁻⁴ or 10⁻⁴."""
    text = re.search(r"arrow = (.+?)·\(−∇", key).group(1).replace("−", "-")
    power = re.fullmatch(r"(?:(.+)·)?10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)", text)
    if power is None:
        return float(text)
    return float(power.group(1) or 1) * 10.0 ** int(power.group(2).translate(SUPERSCRIPT))


def test_the_key_is_read_as_written():
    assert stated_scale("arrow = 0.002·(−∇f)") == 0.002
    assert stated_scale("arrow = 5·10⁻⁴·(−∇L)") == pytest.approx(5e-4)
    assert stated_scale("arrow = 10⁻⁴·(−∇f)") == pytest.approx(1e-4)
    assert stated_scale("arrow = 20·(−∇f)") == 20 and stated_scale("arrow = 100·(−∇f)") == 100


def map_arrow(window) -> float:
    x, y = window.contour.overlays.gradient.getData()
    return float(np.hypot(x[1] - x[0], y[1] - y[0]))


def surface_arrow(window) -> float:
    """The 3D arrow's length across the plane, in the function's units."""
    pos = np.asarray(window.surface.gradient.pos)
    return float(np.hypot(*(pos[-1, :2] - pos[0, :2]))) / window.surface._map[2]


def test_the_arrows_are_s_times_the_gradient_and_vanish_at_the_minimum(qtbot, window):
    c = window.controller
    c.set_display(gradient=True)
    c.select(1)                                   # Newton on Rosenbrock, from (−1.2, 1): minimum in a few steps
    settle(qtbot, window)
    s = window.contour.arrow_scale()
    assert s > 0 and stated_scale(window.contour.batch.key_text()) == pytest.approx(s, rel=1e-12)
    g = np.linalg.norm(c.lessons.analysis().gradient)
    assert g > 100                                # a long arrow: |∇f| ≈ 232 at the start
    assert window.contour.overlays.gradient.isVisible() and window.surface.gradient.visible()
    assert map_arrow(window) == pytest.approx(s * g, rel=1e-9)
    assert surface_arrow(window) == pytest.approx(s * g, rel=1e-6)
    for _ in range(40):
        if c.selected_run().finished:
            break
        c.step()
    settle(qtbot, window)
    run = c.selected_run()
    assert run.finished
    g = np.linalg.norm(c.lessons.analysis().gradient)
    assert g < 1e-6                                # converged
    assert window.contour.arrow_scale() == s       # the same scale at every step
    assert not window.contour.overlays.gradient.isVisible() and not window.contour.overlays.head.isVisible()
    assert not window.surface.gradient.visible()  # no arrow where rounding would point it
    key = window.contour.batch.key_text()
    assert stated_scale(key) == pytest.approx(s, rel=1e-12) and "|∇f| = " in key
