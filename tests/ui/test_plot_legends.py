"""A small plot's legend never covers its data: a wrapping row of names above the plot (the loss plot's runs,
the fit view's batch rings, the stability panel's eigendirections), in the window at a lecture room's sizes,
in presentation mode and in an exported frame, and never cut off."""
import pytest
from PySide6.QtCore import QRect

from explorer.core.preset_library import load_presets
from explorer.ui.text.run_text import legend_names

from tests.ui.at_rest import settle

PRESETS = {path.name[:2]: scene for path, scene in load_presets()}


def rect_in(widget, ancestor) -> QRect:
    return QRect(widget.mapTo(ancestor, widget.rect().topLeft()), widget.size())


def assert_beside_the_data(view, frame, legend=None, plot=None):
    """The legend's rectangle and the plot's (its data and axes) do not meet in `view` (the loss plot, the fit
    view; or the `legend` and `plot` given); every entry is whole, inside the legend and inside `frame`."""
    key, chart = legend or view.legend, plot or view.plot
    legend, plot = rect_in(key, frame), rect_in(chart, frame)
    assert key.isVisible() and not legend.intersects(plot), (legend, plot)
    box = chart.getPlotItem().vb
    data = box.mapRectToScene(box.boundingRect()).toRect().translated(plot.topLeft())
    assert not legend.intersects(data)
    for entry in key.entries:
        box = rect_in(entry, frame)
        assert entry.isVisible() and legend.contains(box) and frame.rect().contains(box), entry.key.text
        assert entry.width() >= entry.sizeHint().width(), f"{entry.key.text!r} is cut"
    assert plot.height() > legend.height()   # the data keep more room than the names


@pytest.mark.parametrize("preset", ["14", "31", "33"])
def test_in_the_window_the_legend_sits_above_the_curves_at_both_sizes(qtbot, window, preset):
    c = window.controller
    c.load_scene(PRESETS[preset])
    assert c.wait_for_surface()
    for _ in range(30):
        c.step()
    assert len(c.runs) >= 3
    for size in ((1024, 768), (1600, 950)):
        window.resize(*size)
        settle(qtbot, window)
        assert_beside_the_data(window.loss, window)
        assert len(window.loss.legend.entries) >= 3
        assert window.loss.plot.getPlotItem().vb.height() >= 60, size   # curves to read, not a line of them
        if preset == "31":   # mini-batches: the fit view's key to its ringed rows, under its title
            assert_beside_the_data(window.parts["fit"].pane, window)


def test_in_presentation_mode_the_legend_sits_above_the_curves(qtbot, window):
    c = window.controller
    c.load_scene(PRESETS["14"])
    assert c.wait_for_surface()
    window.presentation.enter(full_screen=False)
    window.resize(1600, 950)
    settle(qtbot, window)
    try:
        assert window.loss.legend.pt > 11                       # presentation mode's larger text
        assert_beside_the_data(window.loss, window)
    finally:
        window.presentation.leave()


@pytest.mark.parametrize("preset", ["31", "33"])
def test_in_an_exported_frame_the_legend_is_whole_and_above_the_curves(qapp, preset):
    from explorer.ui.app import share_gl_contexts
    from explorer.ui.export.stage import ExportStage
    share_gl_contexts()
    stage = ExportStage(PRESETS[preset], "both", (1920, 1080))
    try:
        for _ in range(20):
            stage.step()
        stage.loss.refresh()
        assert_beside_the_data(stage.loss, stage)
        assert_beside_the_data(stage.slice, stage)   # the fit view's key to the batch's rows
        names = legend_names(stage.controller.configs)
        assert stage.loss.legend.texts()[:len(names)] == names
    finally:
        stage.close_stage()


def test_the_stability_panels_key_sits_above_its_error_plot(qtbot, window):
    """Momentum at its fastest settings: both directions' errors fall to the plot's bottom within 60 steps,
    where the old key sat."""
    c, panel = window.controller, window.stability
    c.load_scene(PRESETS["22"])
    assert c.wait_for_surface()
    c.select(0)
    panel.use_optimal.click()
    window.resize(1600, 950)
    settle(qtbot, window)
    rate = panel.analysis.rate
    assert panel.decay_key.texts() == [f"λ = 2: × {rate:.4g}", f"λ = 20: × {rate:.4g}"]
    assert_beside_the_data(panel, window, panel.decay_key, panel.decay)
