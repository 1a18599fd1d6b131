"""Run → Point calculator (Ctrl+Shift+P): type g of any variables you name (x, y, z, w, ... up to 16) and a point,
and read g's value, gradient, Hessian, eigenvalues and class there in all its variables. The window's surface
is a function of x and y (a z becomes a slider); here every variable is differentiated. The reading is
core.named_point's; this dialog only shows its text. A typo is one line under the entries and the last
good reading stays, headed by the g and point it belongs to."""
from __future__ import annotations

from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout

from explorer.core.named_point import MAX_VARIABLES, PointError, coordinates, read_point, variable_names
from explorer.core.syntax_hints import ExpressionError
from explorer.ui.text.inspector_text import as_plain_text
from explorer.ui.text.point_text import point_rows
from explorer.ui.views.drawing.palette import error_label

SHORTCUT = "Ctrl+Shift+P"
FONT_SIZE = 14   # as the function editor's: readable from the back of a lecture room
STALE = "color: gray;"
_ENTRIES = {"variables": "variables", "point": "at", "parameters": "g"}


class PointCalculator(QDialog):
    """g(variables) and a point typed in; `reading()` is the text shown, `problem()` the error line."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Point calculator")
        self.setMinimumSize(560, 520)
        self.resize(660, 720)
        self.setFont(QFont(self.font().family(), FONT_SIZE - 2))   # the labels and the error line, large too
        font = QFont("Monospace", FONT_SIZE)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.function = QLineEdit()
        self.function.setPlaceholderText("e.g. x*y*z + w^2")
        self.function.setToolTip("g of the variables named below: the expression language of the function editor; "
                                 "a name that is not a variable is refused")
        self.variables = QLineEdit("x, y, z")
        self.variables.setToolTip(f"The variables of g, 1 to {MAX_VARIABLES} names separated by commas, "
                                  "e.g. x, y, z, w")
        self.point = QLineEdit("1, 2, 3")
        self.point.setToolTip("The point: one number per variable, in the order of the variables")
        for label, box in (("&g =", self.function), ("&variables", self.variables), ("&at", self.point)):
            box.setFont(font)
            box.textChanged.connect(self.calculate)
            form.addRow(label, box)
        layout.addLayout(form)
        self.error = error_label()
        self.error.setFont(self.font())   # its style sheet would otherwise leave it at the application's size
        layout.addWidget(self.error)
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setFont(font)
        self.view.setLineWrapMode(QPlainTextEdit.NoWrap)   # a Hessian row is never cut in two
        layout.addWidget(self.view, 1)
        note = QLabel("Every derivative comes from autograd, in all the variables at once.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.calculate()

    def reading(self) -> str:
        return self.view.toPlainText()

    def problem(self) -> str:
        return self.error.text()

    def calculate(self) -> None:
        """Read g at the point as typed; on a mistake say what and where, and keep the last good reading."""
        text = self.function.text()
        try:
            names = variable_names(self.variables.text())
            at = coordinates(self.point.text(), names)
            if not text.strip():
                self.error.setText("")
                self.view.setStyleSheet("")
                self.view.setPlainText(f"Type g({', '.join(names)}) above.")
                return
            analysis = read_point(text, names, at)
        except (ExpressionError, PointError) as err:
            entry = "g" if isinstance(err, ExpressionError) else _ENTRIES[err.part]
            self.error.setText(f"{entry}: {err}")
            self.view.setStyleSheet(STALE)   # the last good reading, greyed: not the one typed now
            return
        self.error.setText("")
        self.view.setStyleSheet("")
        head = f"g({', '.join(names)}) = {text.strip()}\nat ({', '.join(names)}) = ({', '.join(f'{v:g}' for v in at)})"
        self.view.setPlainText(head + "\n\n" + as_plain_text(point_rows(names, analysis)))


def add_point_calculator_action(window, menu) -> tuple[PointCalculator, QAction]:
    """Point calculator… in `menu` (Ctrl+Shift+P) on `window`: (the dialog, hidden until asked for; the action),
    for the window to hold."""
    calculator = PointCalculator(window)
    action = QAction("Point &calculator…", window, shortcut=QKeySequence(SHORTCUT))
    action.setToolTip("Value, gradient and Hessian of g(x, y, z, ...) at a point, in every variable you name")
    action.setStatusTip(action.toolTip())

    def show() -> None:
        calculator.show()
        calculator.raise_()
        calculator.activateWindow()
        calculator.function.setFocus()

    action.triggered.connect(lambda _=False: show())
    menu.addAction(action)
    return calculator, action
