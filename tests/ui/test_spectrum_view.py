"""The spectrum view in the window: the bars count the eigenvalues the session computed (every one for a small
network; Lanczos's ends for a big one, after "computing…"), the title's numbers are numpy's eigvalsh of autograd's
Hessian at the step on show, negative eigenvalues are left of zero, and presentation scales the text."""
import numpy as np
import pytest
from autograd import hessian

from explorer.ui.views.plots.spectrum_view import SpectrumView, number_text, power_label, signed_exp, signed_log
from tests.ui.at_rest import settle
from tests.ui.model_fit_window import open_model_fit


@pytest.fixture
def spectrum_window(qtbot, window):
    return open_model_fit(qtbot, window, "spectrum")


def eigenvalues_on_show(c):
    problem, theta = c.model.problem, c.model.on_show()[0]
    return np.linalg.eigvalsh(hessian(lambda t: problem.network.loss(t, problem.X_train, problem.y_train))(theta))


def test_the_bars_count_every_eigenvalue_and_the_title_gives_the_extremes(qtbot, spectrum_window):
    w, c = spectrum_window, spectrum_window.controller
    c.jump(20)
    settle(qtbot, w)
    view = w.parts["fit"].model_pane.shown_view()
    assert isinstance(view, SpectrumView) and c.session.setup.fit.view == "spectrum"
    qtbot.waitUntil(lambda: view.found is not None and view.found.get("step") == 20, timeout=10000)
    drawn, expected = view.drawn(), eigenvalues_on_show(c)
    assert drawn["counts"]["hessian"].sum() == drawn["counts"]["gauss_newton"].sum() == 17
    assert f"λmax {number_text(expected[-1])} · λmin {number_text(expected[0])}" in drawn["title"]
    assert "at step 20" in drawn["title"]
    negatives = int(np.sum(expected < -1e-8 * np.abs(expected).max()))
    assert negatives > 0 and f"{negatives} negative direction" in drawn["title"]
    # the bars left of the one centred on 0 hold exactly the negative directions the title counts
    centres, width = view.centres, view.centres[1] - view.centres[0]
    assert np.min(np.abs(centres)) < 1e-9 * width
    assert view.counts["hessian"][centres < -width / 2].sum() == negatives
    assert view.counts["gauss_newton"][centres < -width / 2].sum() == 0   # G is positive semi-definite
    assert len(view.bars["hessian"].opts["x"]) == np.count_nonzero(view.counts["hessian"])   # empty bars not drawn
    c.back()
    settle(qtbot, w)
    qtbot.waitUntil(lambda: view.found.get("step") == 19, timeout=10000)
    assert f"λmax {number_text(eigenvalues_on_show(c)[-1])}" in view.drawn()["title"]


def test_the_line_under_g_gives_the_jacobians_singular_values_and_their_tie_to_g(qtbot, spectrum_window):
    from autograd import jacobian
    w, c = spectrum_window, spectrum_window.controller
    c.jump(10)
    settle(qtbot, w)
    view = w.parts["fit"].model_pane.shown_view()
    qtbot.waitUntil(lambda: view.found is not None and view.found.get("step") == 10, timeout=10000)
    problem, theta = c.model.problem, c.model.on_show()[0]
    assert problem.network.task == "binary" and problem.network.l2 == 0
    X, n = problem.X_train, len(problem.y_train)
    p = 1 / (1 + np.exp(-problem.network.logits(theta, X)[:, 0]))
    j = np.sqrt(p * (1 - p))[:, None] * jacobian(lambda t: problem.network.logits(t, X)[:, 0])(theta)
    sigma = np.linalg.svd(j, compute_uv=False)
    text = view.drawn()["jacobian"]
    assert f"({n:,} × {problem.dimension}): σmax {number_text(sigma[0])} · σmin {number_text(sigma[-1])}" in text
    assert "(1/n)·σ² are G's eigenvalues without the penalty" in text and f"n = {n:,} training rows" in text
    g = np.asarray(view.found["gauss_newton_eigenvalues"])
    assert sigma[0] ** 2 / n == pytest.approx(g.max(), rel=1e-8)   # the tie the line states, against G's own


def test_a_big_network_is_computed_off_the_windows_thread(qtbot, spectrum_window):
    w, c = spectrum_window, spectrum_window.controller
    b = w.editor.fit_form.builder
    b.widths.setText("40, 30")
    assert b.apply()
    assert c.wait_for_surface() and c.wait_for_runs()
    view = w.parts["fit"].model_pane.shown_view()
    assert c.model.problem.dimension == 2 * 40 + 40 + 40 * 30 + 30 + 30 + 1
    qtbot.waitUntil(lambda: view.found is not None and "error" not in view.found, timeout=60000)
    assert view.found["complete"] is False and view.drawn()["counts"]["hessian"].sum() == 40
    assert "the 20 smallest and largest eigenvalues of 1,381 (Lanczos)" in view.note.text()
    assert "G drops the term of the model's curvature" in view.note.text()
    assert view.drawn()["jacobian"].startswith("Singular values not computed: the Jacobian would be ")


def test_presentation_scales_the_text(qtbot, spectrum_window):
    view = spectrum_window.parts["fit"].model_pane.shown_view()
    before = (view.title.font().pointSizeF(), view.plots["hessian"].getAxis("bottom").style["tickFont"].pointSizeF())
    view.set_text_scale(2.0)
    after = (view.title.font().pointSizeF(), view.plots["hessian"].getAxis("bottom").style["tickFont"].pointSizeF())
    assert after == pytest.approx((2 * before[0], 2 * before[1])) and view.text_scale == 2.0


def test_the_signed_log_axis_round_trips_and_labels_powers_of_ten():
    values = np.array([-3e2, -1e-3, 0.0, 2e-6, 5.0])
    np.testing.assert_allclose(signed_exp(signed_log(values, 1e-4), 1e-4), values, rtol=1e-12, atol=1e-18)
    assert [power_label(v) for v in (-100.0, 0.01, 1e-5, 0.0)] == ["−100", "0.01", "10⁻⁵", "0"]
    assert [number_text(v) for v in (0.79973, -0.0106, 1.5e-5, 0.0)] == ["0.800", "−0.0106", "1.50·10⁻⁵", "0"]


def test_the_saddle_presets_negative_directions_are_drawn_left_of_zero_in_the_hessians_colour(qtbot, window):
    """Pixels, not items: at the saddle preset H's bars stand on both sides of the zero line, G's only at 0 and
    right of it (G is positive semi-definite), each in its own colour."""
    from explorer.core.colours import SPECTRUM_COLOURS, rgb
    from explorer.core.preset_library import find_preset
    from explorer.core.scene import load_scene
    from PySide6.QtGui import QImage
    window.scenes.show_scene(load_scene(find_preset("41-spectrum-at-a-saddle")))
    settle(qtbot, window)
    view = window.parts["fit"].model_pane.shown_view()
    qtbot.waitUntil(lambda: view.found is not None and view.found.get("negative_count") == 4, timeout=10000)
    settle(qtbot, window)

    def columns_in_colour(name):
        """The t of each pixel column of the plot area where the matrix's colour is drawn."""
        plot = view.plots[name]
        image = plot.grab().toImage().convertToFormat(QImage.Format_RGB888)
        pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
        pixels = pixels[:, :3 * image.width()].reshape(image.height(), image.width(), 3).astype(int)
        box = plot.getViewBox()
        inside = plot.mapFromScene(box.sceneBoundingRect()).boundingRect()   # the plot area, not the axis names
        area = pixels[inside.top() + 2:inside.bottom() - 1, inside.left() + 2:inside.right() - 1]
        drawn = (np.abs(area - np.array(rgb(SPECTRUM_COLOURS[name]))).max(axis=2) <= 12).any(axis=0)
        xs = inside.left() + 2 + np.flatnonzero(drawn)
        return np.array([box.mapSceneToView(plot.mapToScene(int(x), inside.center().y())).x() for x in xs])

    width = view.centres[1] - view.centres[0]
    h, g = columns_in_colour("hessian"), columns_in_colour("gauss_newton")
    assert (h < -width).any() and (h > width).any() and (np.abs(h) < width).any()
    assert not (g < -width).any() and (g > width).any() and (np.abs(g) < width).any()
