"""The fit form's target and features: the column the model predicts and those it predicts from.

Left alone, both are read from what was typed (the target is the column the loss subtracts, the features
the model's columns; `explorer.core.fit_target`), and the boxes say what was read. A choice is sent with
the rest of the form.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox, QLineEdit

AUTOMATIC = ""   # the target box's first item: read from the loss


class ColumnChoice:
    """The target box (read from the loss, or a column) and the features box (empty: the model's columns)."""

    def __init__(self, features: QLineEdit, changed: Callable[[], object]):
        self.target = QComboBox()
        self.target.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.target.setMinimumContentsLength(8)
        self.target.setToolTip("The column the model predicts: the fit view draws it against the features "
                               "(first item: the column the loss subtracts)")
        self.target.activated.connect(lambda _: changed())
        self.features = features
        features.setToolTip("The columns the model predicts from, e.g. Hours; empty: the columns the model uses")

    def show(self, fit, problem) -> None:
        """The session's choice, with what is read from the loss and the model where nothing is chosen."""
        columns = problem.dataset.columns if problem is not None else ()
        read = problem.target if problem is not None and fit.target is None else None
        with QSignalBlocker(self.target):
            self.target.clear()
            self.target.addItem(f"{read} (from the loss)" if read else "from the loss", AUTOMATIC)
            for column in columns:
                self.target.addItem(column, column)
            self.target.setCurrentIndex(max(0, self.target.findData(fit.target or AUTOMATIC)))
        used = ", ".join(problem.features) if problem is not None and not fit.features else ""
        self.features.setPlaceholderText(f"{used} (the model's)" if used else "the model's columns")
        if not self.features.hasFocus() and self.features.text().strip() != ", ".join(fit.features):
            self.features.setText(", ".join(fit.features))

    def values(self) -> dict[str, str]:
        """What set_fit takes: the target ('' read from the loss) and the features ('' the model's)."""
        return {"target": self.target.currentData() or AUTOMATIC, "features": self.features.text()}

    def clear(self) -> None:
        """Both read from what is typed again (a suggested model brings its own target)."""
        self.target.setCurrentIndex(0)
        self.features.setText("")
