"""Run → Point calculator: g of any named variables typed in, its gradient and Hessian read from the dialog."""
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explorer.ui.panels.point_calculator import PointCalculator


def numbers_after(label: str, text: str) -> list[float]:
    """The numbers on the line that starts with `label` (the label's own digits left out)."""
    line = next(line for line in text.splitlines() if line.startswith(label))
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", line[len(label):])]


def type_into(qtbot, box, text: str) -> None:
    box.selectAll()
    qtbot.keyClicks(box, text)


@pytest.fixture
def calculator(qtbot):
    dialog = PointCalculator()
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_typed_g_of_x_y_z_shows_its_gradient_and_hessian_by_hand(qtbot, calculator):
    type_into(qtbot, calculator.function, "x*y*z")
    type_into(qtbot, calculator.variables, "x, y, z")
    type_into(qtbot, calculator.point, "1, 2, 3")
    text = calculator.reading()
    assert calculator.problem() == ""
    # ∇(xyz) = (yz, xz, xy) = (6, 3, 2) at (1, 2, 3): ∂g/∂z is there, not a slider
    assert [numbers_after(f"∂g/∂{v}", text) for v in "xyz"] == [[6], [3], [2]]
    assert numbers_after("g ", text) == [6]
    lines = text.splitlines()
    h = lines.index(next(line for line in lines if line.startswith("H ")))
    assert lines[h].split() == ["H", "x", "y", "z"]   # the columns named
    assert [numbers_after(f"{'':<12}{v} [", lines[h + 1 + k]) for k, v in enumerate("xyz")] == [
        [0, 3, 2], [3, 0, 1], [2, 1, 0]]
    assert numbers_after("class", text) == [] and "saddle" in text


def test_four_variables_and_a_point_of_theirs(qtbot, calculator):
    type_into(qtbot, calculator.variables, "x, y, z, w")
    type_into(qtbot, calculator.point, "1, 2, 3, 4")
    type_into(qtbot, calculator.function, "x*y*z + w^2")
    text = calculator.reading()
    assert [numbers_after(f"∂g/∂{v}", text) for v in "xyzw"] == [[6], [3], [2], [8]]
    assert "at (x, y, z, w) = (1, 2, 3, 4)" in text and "λ₄" in text


@pytest.mark.parametrize("box, typed, message", [
    ("function", "x*y*", "g: expected an expression after '*' at column 4"),
    ("function", "x*y*q", "g: 'q' is not a variable and has no value: add it to the variables (x, y, z)"),
    ("variables", "x, y, x", "variables: the variable 'x' is named twice"),
    ("point", "1, 2", "at: give 3 numbers, one per variable (x, y, z), like 1, -2, 0.5; got '1, 2'"),
    ("point", "1, two, 3", "at: y = 'two' is not a finite number"),
])
def test_a_mistake_is_one_line_and_the_last_reading_stays(qtbot, calculator, box, typed, message):
    type_into(qtbot, calculator.function, "x*y*z")
    good = calculator.reading()
    getattr(calculator, box).setText(typed)   # at once: typed key by key, "x*y" would be read on the way
    assert calculator.problem() == message and "\n" not in message
    assert calculator.reading() == good   # headed by the g and point it belongs to


def test_the_window_opens_it_from_the_run_menu_with_its_shortcut(qtbot, window):
    action = window.point_calculator_action
    assert action.shortcut().toString() == "Ctrl+Shift+P" and "Hessian" in action.toolTip()
    assert action in next(m for m in window.menuBar().actions() if m.text() == "&Run").menu().actions()
    qtbot.keyClick(window, Qt.Key_P, Qt.ControlModifier | Qt.ShiftModifier)
    calculator = window.point_calculator
    qtbot.waitUntil(calculator.isVisible)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is calculator.function)   # ready to type into
    qtbot.keyClicks(calculator.function, "x^2 + 3*y*z")
    assert [numbers_after(f"∂g/∂{v}", calculator.reading()) for v in "xyz"] == [[2], [9], [6]]
    # the window's own function is untouched
    assert window.controller.text == "(1 - x)^2 + 100*(y - x^2)^2"


def test_the_keyboard_help_names_it(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    window._help()
    assert "Ctrl+Shift+P: the point calculator" in shown[0]
