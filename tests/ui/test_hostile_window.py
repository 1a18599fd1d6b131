"""Nothing typed into the window, or going wrong inside it, takes it down or loses the runs."""
from PySide6.QtCore import Qt

from tests.ui.at_rest import settle

CRASHERS = ["+x^2 + y^2", "x^2/a + y^2", "x + a^b", "(-1)^0.5 + x^2", "x" + "+x" * 199, "-" * 199 + "x",
            "x^2 # comment", "log(x) + y^2", "1/0 + x"]


def test_typing_the_inputs_that_crashed_keeps_the_runs(qtbot, window):
    c = window.controller
    edit = window.editor.edit
    for text in CRASHERS:
        edit.setFocus()
        edit.clear()
        qtbot.keyClicks(edit, text[:60]) if len(text) < 60 else edit.setText(text)
        qtbot.keyClick(edit, Qt.Key_Return)
        for _ in range(3):
            c.step()
        assert [r.method for r in c.runs] == ["gd", "newton"], text     # runs never vanish
        accepted = c.text.strip() == text.strip()
        assert accepted or window.editor.error.text(), text           # refused with a visible message
        assert all(len(r.states) >= 1 for r in c.runs)
    assert c.wait_for_surface()


def test_dragging_a_slider_through_zero(qtbot, window):
    c = window.controller
    window.editor.edit.setText("x^2/a + y^2")
    window.editor.apply()
    row = window.editor.slider_rows["a"]
    for position in range(400, 601, 10):                            # a from -1 to 1, through exactly 0
        row.slider.setValue(position)
        c.step()
    row.slider.sliderReleased.emit()
    assert c.parameter_values()["a"] == 1.0
    assert [r.method for r in c.runs] == ["gd", "newton"]
    assert c.wait_for_surface()
    row.slider.setValue(500)                                        # a = 0: f is undefined, not an error
    assert c.wait_for_surface() and c.parameter_values()["a"] == 0.0
    assert (c.cmap.classes == -1).any()


def test_a_failure_inside_a_step_is_a_message_not_a_crash(qtbot, window, monkeypatch):
    c = window.controller
    before = [r.position for r in c.runs]

    def broken(budget):
        raise RuntimeError("simulated failure")
    monkeypatch.setattr(c.session, "advance", broken)
    qtbot.keyClick(window, Qt.Key_Right)
    assert "Could not take a step: RuntimeError: simulated failure" in window.statusBar().currentMessage()
    monkeypatch.undo()
    assert [r.position for r in c.runs] == before
    qtbot.keyClick(window, Qt.Key_Right)
    assert c.step_index == 1 and [r.position for r in c.runs] == [1, 1]   # the failed step left no trace


def test_a_field_then_a_fit_opened_from_files_draws_without_an_exception(qtbot, window):
    """Preset 16 (a field) and then 26 (a fit of four parameters): the map placed the field's labels
    away from the runs' 4-number points, not from where they are drawn."""
    from explorer.core.preset_library import find_preset
    c = window.controller
    for name in ("polar-to-cartesian", "multiple-regression"):
        assert window.scenes.open_path(find_preset(name), remember=False)
        assert c.wait_for_surface()
        settle(qtbot, window)   # pytest-qt fails the test on an exception in any slot drawn meanwhile
    assert c.kind.name == "fit" and len(c.runs[0].current.point) == 4


def test_a_field_too_large_for_any_axis_keeps_the_lens_as_it_was(qtbot, window):
    c = window.controller
    assert c.set_expression("(1e308*x, 1e308*y)")    # its lens's pictures reach ±2e308: no range holds them
    assert c.wait_for_surface()
    settle(qtbot, window)
    assert c.kind.name == "field"
