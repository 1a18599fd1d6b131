"""The contour map as a lecturer sees it: true scale, smooth level lines, colours that match the legend,
overlays at the selected point, and a loss plot with a legend and sane axes."""
from collections import Counter

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from explorer.session import RUN_COLOURS
from explorer.ui.views.drawing.palette import CLASS_COLOURS, run_styles

from tests.ui.at_rest import settle

BOWL = "x^2 + 10*y^2"


def show(qtbot, window, text, x_range=(-3, 3), y_range=(-3, 3), size=(1500, 760)):
    """The window at a size whose map pane is far from square, showing `text` on the domain."""
    window.resize(*size)
    c = window.controller
    assert c.set_expression(text)
    c.set_domain(x_range, y_range)
    assert c.wait_for_surface()
    settle(qtbot, window)   # the map fits its lines and labels once a resize settles


def device(view, x, y) -> QPointF:
    """Where the data point (x, y) is drawn, in pixels of view.grab()."""
    scene = view.getPlotItem().vb.mapViewToScene(QPointF(x, y))
    return view.mapFromScene(scene).toPointF() + QPointF(view.viewport().pos())


def pixels(view, x_range, y_range) -> list[str]:
    """Colours (#rrggbb) of the map's pixels inside a data rectangle."""
    image = view.grab().toImage()
    a, b = device(view, x_range[0], y_range[0]), device(view, x_range[1], y_range[1])
    cols = range(int(min(a.x(), b.x())) + 1, int(max(a.x(), b.x())))
    rows = range(int(min(a.y(), b.y())) + 1, int(max(a.y(), b.y())))
    return [image.pixelColor(i, j).name() for i in cols for j in rows]


def level_pieces(view) -> list[np.ndarray]:
    x, y = view.levels.major.getData()
    points = np.column_stack([x, y])
    pieces = np.split(points, np.flatnonzero(np.isnan(points[:, 0])))
    return [p[np.isfinite(p[:, 0])] for p in pieces if np.isfinite(p[:, 0]).sum() > 2]


def test_the_bowl_keeps_its_true_shape_in_a_pane_that_is_not_square(qtbot, window):
    show(qtbot, window, BOWL)
    view = window.contour
    assert abs(view.width() / view.height() - 1) > 0.15                    # a pane far from square
    level = 5.0                                                            # x² + 10y² = 5: semi-axes √5 and √0.5
    assert level in window.contour.shown_levels
    (x, y), = [(x, y) for x, y in [view.levels.minor.getData()]]
    pts = np.column_stack([x, y])
    ring = pts[np.isfinite(pts[:, 0]) & np.isclose(pts[:, 0]**2 + 10 * pts[:, 1]**2, level, rtol=1e-3)]
    drawn = np.array([[(p := device(view, *q)).x(), p.y()] for q in ring])
    width, height = np.ptp(drawn, axis=0)
    assert width / height == pytest.approx(np.sqrt(10), rel=0.03)
    assert width > 100                                                     # measured over many pixels
    # the domain is letter-boxed: one of x, y shows more than the domain
    (vx0, vx1), (vy0, vy1) = view.getPlotItem().vb.viewRange()
    assert (vx1 - vx0) > 6.5 or (vy1 - vy0) > 6.5


def test_filling_the_pane_is_a_view_option(qtbot, window):
    show(qtbot, window, BOWL)
    view = window.contour
    menus = {action.text().replace("&", ""): action.menu() for action in window.menuBar().actions()}
    assert view.true_scale_action in menus["View"].actions()
    view.true_scale_action.setChecked(False)
    settle(qtbot, window)
    a, b = device(view, -3, -3), device(view, 3, 3)
    pane_ratio = abs(b.x() - a.x()) / abs(b.y() - a.y())
    assert abs(pane_ratio - 1) > 0.2                                       # the square domain is stretched
    view.set_true_scale(True)
    assert view.true_scale_action.isChecked()
    a, b = device(view, -3, -3), device(view, 3, 3)
    assert abs(b.x() - a.x()) / abs(b.y() - a.y()) == pytest.approx(1, rel=0.01)


def test_the_concave_region_of_a_stretched_gaussian_is_an_ellipse_of_axis_ratio_root_10(qtbot, window):
    # f = exp(−(x² + 10y²)) is concave exactly inside x² + 10y² = ½: semi-axes 0.707 and 0.224
    window.controller.set_display(gradient=False, eigenvectors=False)   # nothing drawn over the region
    show(qtbot, window, "exp(-(x^2 + 10*y^2))", (-4, 4), (-1.2, 1.2))
    view = window.contour
    image = view.grab().toImage()
    concave = QColor(*CLASS_COLOURS[2][1])
    hits = np.array([[i, j] for i in range(image.width()) for j in range(0, image.height(), 1)
                     if image.pixelColor(i, j) == concave])
    width, height = np.ptp(hits, axis=0) + 1
    assert width / height == pytest.approx(np.sqrt(10), rel=0.06)          # 139×463 px when stretched


def test_level_lines_are_smooth_at_any_grid(qtbot, window):
    c = window.controller
    for n in (100, 800):
        c.set_resolution(n)
        show(qtbot, window, "x^2 + y^2")
        pieces = level_pieces(window.contour)
        assert len(pieces) >= 5
        for piece in pieces:
            r = np.hypot(*piece.T)
            assert np.ptp(r) < 0.01 * r.mean()                             # circles, not grid-cell staircases


def test_levels_are_round_labelled_and_not_recomputed_per_step(qtbot, window, monkeypatch):
    show(qtbot, window, BOWL)
    view = window.contour
    labels = [label.toPlainText() for label in view.levels.labels]
    assert 2 <= len(labels) <= 6
    assert set(labels) <= {f"{v:g}" for v in view.shown_levels}
    import explorer.ui.views.map.level_lines as level_lines
    calls = []
    monkeypatch.setattr(level_lines, "spaced_levels", lambda *a, **k: calls.append(1))
    for _ in range(5):
        window.controller.step()
    assert calls == []
    view.labels_action.setChecked(False)
    assert view.levels.labels == []


def test_log_spaced_levels_and_a_colour_bar_with_values_for_rosenbrock(qtbot, window):
    c = window.controller
    c.set_display(colouring="height", log_scale=True)
    show(qtbot, window, "(1 - x)^2 + 100*(y - x^2)^2", (-2, 2), (-1, 3))
    view = window.contour
    levels = view.shown_levels
    assert {20, 50, 100, 200, 500, 1000} <= set(levels.tolist())
    bar = view.colour_bar
    assert bar.isVisible()
    ticks = [text for _, text in bar.axis._tickLevels[0]]
    assert len(ticks) >= 3 and set(ticks) <= {f"{v:g}" for v in levels}
    c.set_display(colouring="curvature")
    assert not any(b.isVisible() for b in view.colour_bars.values())


CENTRE = ((-0.6, 0.6), (-0.6, 0.6))


@pytest.mark.parametrize("text, code, where", [
    (BOWL, 1, CENTRE), ("-x^2 - y^2", 2, CENTRE), ("x^2 - y^2", 3, CENTRE), ("x + y", 0, CENTRE),
    ("log(x) + y^2", -1, ((-2.5, -0.5), (-2, 2)))])
def test_legend_swatches_are_exactly_the_colours_on_the_map(qtbot, window, text, code, where):
    show(qtbot, window, text)
    c = window.controller
    c.set_display(gradient=False, eigenvectors=False, quadratic_model=False)
    settle(qtbot, window)
    on_map = Counter(pixels(window.contour, *where))
    legend = window.display_bar.legend
    swatch = legend.swatches[code]
    assert swatch.isVisible()
    image = swatch.grab().toImage()
    in_legend = image.pixelColor(image.width() // 2, image.height() // 2).name()
    drawn = on_map.most_common(1)[0][0]
    assert drawn == in_legend == "#%02x%02x%02x" % CLASS_COLOURS[code][1]


def test_undefined_looks_different_from_degenerate_and_from_outside_the_domain(qtbot, window):
    show(qtbot, window, "log(x) + y^2")
    view = window.contour
    undefined = Counter(pixels(view, (-2.5, -0.5), (-2.5, 2.5))).most_common(1)[0][0]
    degenerate = "#%02x%02x%02x" % CLASS_COLOURS[0][1]
    (vx0, vx1), (vy0, vy1) = view.getPlotItem().vb.viewRange()
    assert undefined != degenerate
    # letter-boxed: beyond the domain on one side, hatched (two colours), none of them a class colour
    if vy1 - vy0 > vx1 - vx0:
        outside = set(pixels(view, (-2, 2), (3 + 0.3 * (vy1 - 3), vy1 - 0.05)))
    else:
        outside = set(pixels(view, (3 + 0.3 * (vx1 - 3), vx1 - 0.05), (-2, 2)))
    classes = {"#%02x%02x%02x" % rgb for _, rgb in CLASS_COLOURS.values()}
    assert len(outside) >= 2 and not outside & classes


def test_the_map_shows_the_overlays_at_the_selected_point(qtbot, window):
    show(qtbot, window, BOWL)
    c = window.controller
    c.set_display(gradient=True, eigenvectors=True, quadratic_model=True)
    c.select(0)
    c.step()
    a = c.lessons.analysis()
    overlays = window.contour.overlays
    assert overlays.gradient.isVisible() and overlays.head.isVisible()
    x, y = overlays.gradient.getData()
    arrow = np.array([x[1] - x[0], y[1] - y[0]])
    descent = -a.gradient / np.linalg.norm(a.gradient)
    assert arrow / np.linalg.norm(arrow) == pytest.approx(descent, abs=1e-9)
    # eigen axes scaled by curvature: λ = 2 and 20, so lengths 1 : 10
    lengths = []
    for _, line in overlays.axes:
        x, y = line.getData()
        lengths.append(np.hypot(x[1] - x[0], y[1] - y[0]))
    assert max(lengths) / min(lengths) == pytest.approx(10, rel=1e-6)
    # a quadratic is its own quadratic model: the model's level sets lie on the bowl's level sets
    x, y = overlays.model.getData()
    q = (x**2 + 10 * y**2)[np.isfinite(x)]
    shown = np.union1d(window.contour.shown_levels, [a.value])
    assert q.size > 20
    assert np.min(np.abs(q[:, None] - shown[None, :]), axis=1).max() < 0.05 * shown.max()
    c.set_display(gradient=False, eigenvectors=False, quadratic_model=False)
    assert not overlays.gradient.isVisible() and not overlays.model.isVisible()


def test_a_point_that_left_the_domain_waits_on_its_edge(qtbot, window):
    c = window.controller
    c.set_domain((-2, 2), (-1, 3))
    assert c.wait_for_surface()
    c.set_run_start(0, 1.9, 2.9)
    c.set_run_settings(0, {"lr": 0.01})                                    # gd diverges on Rosenbrock
    for _ in range(6):
        c.step()
    end = c.runs[0].current.point
    assert not (-2 <= end[0] <= 2 and -1 <= end[1] <= 3)
    _, dot = window.contour.paths[0]
    (x,), (y,) = dot.getData()
    assert -2 <= x <= 2 and -1 <= y <= 3


def test_no_method_colour_is_taken_by_an_overlay():
    from explorer.ui.views.drawing.field_palette import LENS_COLOUR, ZERO_U, ZERO_V
    from explorer.ui.views.drawing.palette import AXIS_COLOUR, GRADIENT_COLOUR, MODEL_COLOUR
    from tests.colour_difference import delta_e
    for overlay in (GRADIENT_COLOUR, MODEL_COLOUR, AXIS_COLOUR, LENS_COLOUR):
        for colour in RUN_COLOURS:
            assert delta_e(QColor(overlay).getRgb()[:3], QColor(colour).getRgb()[:3]) >= 12, (overlay, colour)
    for line in (ZERO_U, ZERO_V):                        # on a field: the lens is not a zero line either
        assert delta_e(QColor(LENS_COLOUR).getRgb()[:3], QColor(line[1]).getRgb()[:3]) >= 12, line


def test_runs_of_one_method_differ_in_dash_and_marker():
    assert len(set(RUN_COLOURS)) == len(RUN_COLOURS) >= 9        # a colour per method
    colours = list(RUN_COLOURS) + [RUN_COLOURS[0]] * 5 + [RUN_COLOURS[1]]
    styles = run_styles(colours)
    assert len({(c, s) for c, s in zip(colours, styles)}) == len(colours)
    six = [s for c, s in zip(colours, styles) if c == RUN_COLOURS[0]]   # six runs of gd: six looks
    assert len({s.symbol for s in six}) == 6 and len({s.dash for s in six}) == 5


def test_loss_plot_at_step_0_has_a_legend_and_a_sane_axis(qtbot, window):
    c = window.controller
    c.reset()
    loss = window.loss
    loss.refresh()
    (x0, x1), _ = loss.plot.getPlotItem().vb.viewRange()
    assert x0 <= 0 < x1 and x0 > -1 and x1 >= 5                            # no negative iterations
    assert loss.plot.getAxis("bottom").autoSIPrefixScale == 1.0            # no "iteration (x0.001)"
    assert loss.legend.texts() == ["gd", "newton"]
    for key, config in zip(loss.legend.keys, c.configs):
        assert key.colour == config.colour                                   # the names in their runs' colours


def test_a_legend_of_many_runs_names_seven_and_counts_the_rest(qtbot, window):
    c = window.controller
    for i in range(10):
        c.add_run("gd", {"lr": 1e-3 * (i + 1)})
    loss = window.loss
    texts = loss.legend.texts()
    assert len(c.runs) == 12
    # two gd runs share lr 0.001 (the first and the first added): settings cannot tell them apart, numbers do
    assert [r.optimizer.settings().get("lr") for r in c.runs].count(0.001) == 2
    assert texts[:2] == ["gd 1", "newton"] and len(texts) == 8
    assert texts[-1] == "… 5 more"
    assert loss.legend.height() < 0.5 * loss.plot.height()   # beside the plot, and no taller than half of it


def test_loss_axis_numbers_are_written_as_the_caption_writes_them(qtbot, window):
    """A diverging run's loss reaches −10¹¹: the ticks say −5·10¹⁰, not -5e+10."""
    axis = window.loss.plot.getAxis("left")
    assert axis.tickStrings([-1e11, -5e10, 0.0], 1.0, 5e10) == ["−10¹¹", "−5·10¹⁰", "0"]
    assert axis.tickStrings([-1.0, -0.5, 0.5], 1.0, 0.5) == ["−1.0", "−0.5", "0.5"]


def test_a_legend_in_a_small_loss_plot_takes_smaller_text_to_leave_the_curves_room(qtbot, window):
    from explorer.ui.views.plots.loss_plot import LEGEND_MIN_PT, LEGEND_PT
    c, loss = window.controller, window.loss
    for lr in (1e-2, 1e-4, 1e-5):
        c.add_run("gd", {"lr": lr})   # five runs, long names ('gd, lr 0.0001'): one a row in a narrow plot

    def sizes():
        settle(qtbot, window)
        return {entry.pt for entry in loss.legend.entries}

    window.resize(1600, 950)
    assert sizes() == {LEGEND_PT}
    room = loss.plot.height()
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: loss.plot.height() < room)
    small = sizes()
    assert len(small) == 1 and LEGEND_MIN_PT <= small.pop() < LEGEND_PT
