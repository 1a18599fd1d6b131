"""Each kind's parts of the window are installed by the window and held in one place: the pane of the kind on
show is the one seen beside the loss plot; presentation mode scales every kind's pane through its parts."""
import pytest

from explorer.ui.kinds.parts import KIND_PARTS, parts_of
from explorer.ui.lecture.labels import SCALE
from tests.ui.fit_steps import to_fit_mode
from tests.ui.test_field_window import SYSTEM, type_field

OUTSIDE_NAMES = ("lens", "fit_view", "slice_note", "fit_text_scale", "follow_action", "residual_action",
                 "gradient_action", "lens_tool_action")


def seen_panes(window):
    return [name for name, parts in window.parts.items() if parts.pane.isVisibleTo(window)]


def test_one_parts_object_per_kind_and_the_pane_of_the_kind_on_show(qtbot, window):
    c = window.controller
    assert list(window.parts) == list(KIND_PARTS) == ["surface", "field", "fit"]
    assert all(window.bottom.indexOf(parts.pane) > 0 for parts in window.parts.values())   # beside the loss plot
    assert not any(hasattr(window, name) for name in OUTSIDE_NAMES)   # nothing set on the window from outside
    assert seen_panes(window) == ["surface"] and window.slice is window.parts["surface"].pane
    type_field(qtbot, window, SYSTEM)
    assert c.kind.name == "field" and seen_panes(window) == ["field"]
    assert parts_of(c) is type(window.parts["field"])
    to_fit_mode(qtbot, window)
    assert seen_panes(window) == ["fit"]
    c.undo()   # back to the field, then to Rosenbrock
    assert c.kind.name == "field" and seen_panes(window) == ["field"]
    type_field(qtbot, window, "x^2 + y^2")
    assert c.kind.name == "surface" and seen_panes(window) == ["surface"]


def test_presentation_scales_every_kinds_pane_and_gives_it_back(qtbot, window):
    lens = window.parts["field"].pane   # hidden all along: a surface is on show
    normal_column, normal_pt = lens.column.width(), lens.font().pointSizeF()
    window.presentation.enter(full_screen=False)
    try:
        assert [parts.pane.text_scale for parts in window.parts.values()] == pytest.approx([SCALE] * 3)
        qtbot.waitUntil(lambda: lens.font().pointSizeF() > normal_pt, timeout=3000)   # the larger type reaches it
    finally:
        window.presentation.leave()
    assert [parts.pane.text_scale for parts in window.parts.values()] == [1.0] * 3
    qtbot.waitUntil(lambda: lens.font().pointSizeF() == normal_pt, timeout=3000)
    assert lens.column.width() == normal_column   # its numbers at the normal size (it was 220 px wide, not 132)
    type_field(qtbot, window, SYSTEM)
    window.resize(1024, 768)                      # so a field's window still fits a 1024×768 projector
    qtbot.waitUntil(lambda: window.size().toTuple() == (1024, 768), timeout=3000)


def test_the_help_names_each_kinds_keys(qtbot, window):
    helps = [parts.help for parts in window.parts.values() if parts.help]
    assert len(helps) == 2 and "Ctrl+G" in helps[0] and "Ctrl+D" in helps[1]
