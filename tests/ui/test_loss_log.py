"""The loss plot's log scale is logarithmic: the curves are drawn at log10 of the values and the ticks are the
data's decades. Its settings are the session's (undoable, kept in scenes); y may be the distance to the end."""
import numpy as np
import pytest

from explorer.core.loss_plot_scene import LossPlotSpec

from tests.ui.at_rest import settle


def only_run(c, text, method, settings, start):
    assert c.set_expression(text)
    while c.runs:
        c.remove_run(0)
    c.add_run(method, settings, start)
    assert c.wait_for_surface()


def steps(c, n):
    for _ in range(n):
        c.step()


def major_ticks(plot):
    """The left axis's labelled ticks over the range on show (values in the plot's y coordinates, texts)."""
    axis = plot.getAxis("left")
    low, high = plot.getPlotItem().vb.viewRange()[1]
    spacing, values = axis.tickValues(low, high, axis.height())[0]
    return values, axis.tickStrings(values, 1.0, spacing)


def test_a_geometric_decrease_is_a_straight_line_under_the_data_decades(qtbot, window):
    """gd with lr 0.1 on x² + y² multiplies f by (1 − 0.2)² = 0.64 a step: log10 f falls by 0.194 a step."""
    c, loss = window.controller, window.loss
    only_run(c, "x^2 + y^2", "gd", {"lr": 0.1}, (2.0, 1.0))
    steps(c, 40)
    loss.log.click()
    assert c.setup.loss_plot.log                                    # the session's setting, not the widget's
    xs, ys = loss.lines[0].getData()
    assert xs.tolist() == list(range(41))
    np.testing.assert_allclose(ys, np.log10(5.0) + xs * np.log10(0.64), atol=1e-9)
    low, high = loss.plot.getPlotItem().vb.viewRange()[1]
    assert low < ys.min() and high > ys.max() and high - low < 1.2 * (ys.max() - ys.min())   # framed on the data
    values, texts = major_ticks(loss.plot)
    assert texts[-1] in ("1", "10")                                  # 5 at step 0 …
    assert any(t in texts for t in ("10⁻⁷", "10⁻⁶"))                 # … 5·0.64⁴⁰ = 9·10⁻⁸ at step 40
    assert all(t in ("1", "10") or t.startswith("10⁻") for t in texts), texts


def test_the_lecturers_bowl_reads_from_ten_to_ten_to_the_minus_nine(qtbot, window):
    """The issue's case: gd on x² + 10y², whose f falls from 11 to about 10⁻⁹, was drawn from "10¹¹" to "1"."""
    c, loss = window.controller, window.loss
    only_run(c, "x^2 + 10*y^2", "gd", {"lr": 0.05}, (1.0, 1.0))
    steps(c, 100)
    c.set_display(loss_plot=LossPlotSpec(log=True))
    values = c.runs[0].shown_values()
    assert values[0] == pytest.approx(11.0) and values[-1] < 1e-8
    low, high = loss.plot.getPlotItem().vb.viewRange()[1]
    assert low < np.log10(values[-1]) and high > np.log10(11.0) and -11 < low and high < 2
    assert loss.log.isChecked() and loss.plot.getAxis("left").logMode


def test_the_box_is_one_undo_step_and_undo_draws_the_linear_values_again(qtbot, window):
    c, loss = window.controller, window.loss
    steps(c, 5)
    loss.log.click()
    np.testing.assert_allclose(loss.lines[1].getData()[1], np.log10(c.runs[1].shown_values()))
    c.undo()
    assert not loss.log.isChecked() and not loss.plot.getAxis("left").logMode
    np.testing.assert_array_equal(loss.lines[1].getData()[1], c.runs[1].shown_values())


def test_runs_that_all_sit_at_one_value_are_framed_on_it_not_on_absurd_numbers(qtbot, window):
    """Every run at 7·10⁻⁷ (the minimum): the axis once read ±4·10²¹⁴."""
    c, loss = window.controller, window.loss
    only_run(c, "x^2 + y^2 + 7e-7", "gd", {"lr": 0.1}, (0.0, 0.0))
    c.add_run("momentum", {"lr": 0.1}, (0.0, 0.0))
    steps(c, 5)
    low, high = loss.plot.getPlotItem().vb.viewRange()[1]
    assert 6e-7 < low < 7e-7 < high < 8e-7
    loss.log.click()
    low, high = loss.plot.getPlotItem().vb.viewRange()[1]
    assert np.log10(7e-7) - 1 < low < np.log10(7e-7) < high < np.log10(7e-7) + 1


def test_the_distance_to_the_end_point_on_a_log_scale_leaves_out_the_end_itself(qtbot, window):
    c, loss = window.controller, window.loss
    only_run(c, "x^2 + y^2", "gd", {"lr": 0.1}, (2.0, 1.0))
    steps(c, 10)
    loss.y_choice.setCurrentIndex(loss.y_choice.findData("distance"))
    assert c.setup.loss_plot.y == "distance"
    assert loss.plot.getAxis("left").labelText == "‖x − x<sub>end</sub>‖"
    # gd multiplies x by 0.8 a step: ‖x_t − x_10‖ = √5 · (0.8^t − 0.8^10)
    expected = np.sqrt(5.0) * (0.8 ** np.arange(11) - 0.8 ** 10)
    np.testing.assert_allclose(loss.lines[0].getData()[1], expected, atol=1e-12)
    loss.log.click()
    drawn = loss.lines[0].getData()[1]
    np.testing.assert_allclose(drawn[:-1], np.log10(expected[:-1]), atol=1e-9)
    assert np.isnan(drawn[-1])                                      # a distance of 0 has no place on a log axis


def test_a_scene_opens_with_its_loss_plot_as_it_was_prepared(qtbot, window):
    c, loss = window.controller, window.loss
    scene = c.session.scene()
    c.load_scene(type(scene)(**{**scene.__dict__, "loss_plot": LossPlotSpec(log=True, axis="gradient")}))
    assert loss.log.isChecked() and loss.axis_choice.currentData() == "gradient"
    assert loss.plot.getAxis("left").logMode and loss.plot.getAxis("bottom").labelText == "∇f evaluations"


def test_a_log_axis_writes_every_tick_as_a_power_of_ten():
    """pyqtgraph wrote 10⁻⁶, 0.0001, 0.01, 1 on one axis; one style now, with true minus signs."""
    from explorer.ui.views.drawing.axis_numbers import power_of_ten
    assert [power_of_ten(e) for e in (0, 1, 2, -1, -6)] == ["1", "10", "10²", "10⁻¹", "10⁻⁶"]
    assert [power_of_ten(np.log10(v)) for v in (3e-4, 20, 5, 2e5)] == ["3·10⁻⁴", "20", "5", "2·10⁵"]


def test_the_controls_under_the_plot_are_never_cut(qtbot, window):
    """The x-axis choice was cut to "against iterati…" in a 1024×768 window: the row wraps instead."""
    loss = window.loss
    for size in ((1024, 768), (1600, 950)):
        window.resize(*size)
        settle(qtbot, window)
        for box in (loss.axis_choice, loss.y_choice):
            longest = max(box.fontMetrics().horizontalAdvance(box.itemText(i)) for i in range(box.count()))
            assert box.isVisible() and box.width() >= box.sizeHint().width() and box.width() > longest
            corner = box.mapTo(window, box.rect().bottomRight())
            assert corner.x() <= window.width() and corner.y() <= window.height()
        assert loss.log.width() >= loss.log.sizeHint().width()


def test_a_fields_norm_goes_through_the_same_log_scale(qtbot, window):
    """Newton–Raphson on F = (x² − 4, y) from (3, 1): |F| falls quadratically; the log box draws log10 |F|."""
    c, loss = window.controller, window.loss
    assert c.set_expression("(x^2 - 4, y)") and c.kind.name == "field"
    c.add_run("newton", start=(3.0, 1.0))
    assert c.wait_for_surface()
    steps(c, 4)
    loss.log.click()
    values = c.runs[-1].shown_values()
    assert values[0] == pytest.approx(np.hypot(5.0, 1.0)) and np.all(values > 0) and values[-1] < 1e-6
    assert loss.plot.getAxis("left").labelText == "|F|" and loss.plot.getAxis("left").logMode
    np.testing.assert_allclose(loss.lines[-1].getData()[1], np.log10(values))
