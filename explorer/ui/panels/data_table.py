"""The data table: a fit's rows, read-only, one column per name the loss can use.

A QTableView over a table model that reads the dataset's array on demand, so 100,000 rows cost no
more than the few on screen. Numbers are shown with 6 significant digits (the exact values are in
the tooltip); a standardised column says so in its header's tooltip.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget


class DataModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.dataset = None
        self.standardised: tuple[str, ...] = ()

    def show(self, dataset, standardised=()) -> None:
        self.beginResetModel()
        self.dataset, self.standardised = dataset, tuple(standardised)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if self.dataset is None or parent.isValid() else self.dataset.rows

    def columnCount(self, parent=QModelIndex()):
        return 0 if self.dataset is None or parent.isValid() else len(self.dataset.columns)

    def data(self, index, role=Qt.DisplayRole):
        if self.dataset is None or not index.isValid():
            return None
        value = float(self.dataset.values[index.row(), index.column()])
        if role == Qt.DisplayRole:
            return f"{value:.6g}".replace("-", "−")
        if role == Qt.ToolTipRole:
            return repr(value)
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if self.dataset is None:
            return None
        if orientation == Qt.Horizontal:
            name = self.dataset.columns[section]
            if role == Qt.DisplayRole:
                return name + (" (std.)" if name in self.standardised else "")
            if role == Qt.ToolTipRole:
                return (f"{name}: standardised to mean 0 and standard deviation 1" if name in self.standardised
                        else f"{name}: a name the loss and the model can use")
        elif role == Qt.DisplayRole:
            return str(section + 1)
        return None


class DataTable(QWidget):
    """The rows of the data in use (or of the data chosen in the form, before the fit takes it)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self.model = DataModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)   # read-only
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.view.verticalHeader().setDefaultSectionSize(20)
        self.view.setToolTip("The rows the loss is averaged over (read-only)")
        self.view.setMinimumHeight(120)
        layout.addWidget(self.view, 1)

    def show_dataset(self, dataset, standardised=(), label: str = "") -> None:
        self.model.show(dataset, standardised)
        if dataset is None:
            self.caption.setText("No data")
            return
        self.caption.setText(f"{dataset.rows:,} rows · {label or dataset.name}")
        self.caption.setToolTip(dataset.description)
