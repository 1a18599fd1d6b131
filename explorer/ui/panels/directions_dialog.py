"""Fit → Directions of the map… (Ctrl+Shift+D): the plane a network fit's map shows, L(θ* + a·d₁ + b·d₂).

A small form: the kind of directions (two parameters, as before; filter-normalised random; the Hessian's top
two eigenvectors; the selected run's principal directions; the line between two runs' ends), the random
seed, the span (a and b in [−span, span]), the centre θ* and the two runs. Apply asks the session
(`controller.fit.set_directions`, one undoable command); a refusal is said under the form, which stays open.
"""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout,
                               QLabel, QSpinBox, QVBoxLayout)

from explorer.core.batches import MAX_SEED
from explorer.core.directions import DirectionSpec
from explorer.ui.views.drawing.palette import error_label

KIND_TEXTS = (("params", "Two parameters (the axes)"), ("random", "Random, filter-normalised"),
              ("hessian", "Hessian's top two eigenvectors"), ("pca", "The run's principal directions (PCA)"),
              ("runs", "The line between two runs' ends"))
CENTRE_TEXTS = (("run", "The run's point on show"), ("end", "The run's end"), ("init", "The initial θ"))
TIPS = {"kind": "What d₁ and d₂ are. Random: Gaussian, each neuron's weights scaled to θ*'s own (Li et al. 2018); "
                "Hessian: the two directions of largest curvature at θ*; PCA: the directions the selected run "
                "moved along most (centred on its end); runs: a = −1 at one run's end, +1 at the other's",
        "seed": "The seed of the random directions (and of the runs line's d₂)",
        "span": "The map shows a and b from −span to +span",
        "centre": "θ*, where a = b = 0: the selected run's point on show (the map follows the run), its end, "
                  "or the network's initial θ",
        "runs": "The two runs whose ends the line joins (run numbers as in the runs panel)"}


class DirectionsDialog(QDialog):
    """The plane of a network fit's map (module docstring)."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Directions of the map")
        self.kind, self.centre = QComboBox(), QComboBox()
        for name, text in KIND_TEXTS:
            self.kind.addItem(text, name)
        for name, text in CENTRE_TEXTS:
            self.centre.addItem(text, name)
        self.seed = QSpinBox()
        self.seed.setRange(0, min(MAX_SEED, 2**31 - 1))
        self.span = QDoubleSpinBox()
        self.span.setRange(0.01, 1000.0)
        self.span.setDecimals(2)
        self.span.setSingleStep(0.25)
        self.first_run, self.second_run = QSpinBox(), QSpinBox()
        for box in (self.first_run, self.second_run):
            box.setRange(1, 99)
        runs = QHBoxLayout()
        runs.addWidget(self.first_run)
        runs.addWidget(QLabel("and"))
        runs.addWidget(self.second_run)
        form = QFormLayout()
        for label, widget, tip in (("Directions", self.kind, "kind"), ("Seed", self.seed, "seed"),
                                   ("Span ±", self.span, "span"), ("Centre θ*", self.centre, "centre")):
            widget.setToolTip(TIPS[tip])
            form.addRow(label, widget)
        for box in (self.first_run, self.second_run):
            box.setToolTip(TIPS["runs"])
        form.addRow("Runs", runs)
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.Apply | QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Apply).clicked.connect(self.apply)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._enable)
        self.read()

    def read(self) -> None:
        """The form from the session's plane (two parameters, seed 0, span 1 without one)."""
        spec = self.controller.fit.spec
        spec = (spec.directions if spec is not None else None) or DirectionSpec("params")
        self.kind.setCurrentIndex(self.kind.findData(spec.kind))
        self.centre.setCurrentIndex(self.centre.findData(spec.centre))
        self.seed.setValue(spec.seed)
        self.span.setValue(spec.span)
        self.first_run.setValue(spec.runs[0] + 1)
        self.second_run.setValue(spec.runs[1] + 1)
        self._enable()

    def spec(self) -> DirectionSpec | None:
        """What the form says (None: two parameters)."""
        kind = self.kind.currentData()
        if kind == "params":
            return None
        return DirectionSpec(kind, self.seed.value(), float(self.span.value()), self.centre.currentData(),
                             (self.first_run.value() - 1, self.second_run.value() - 1))

    def apply(self) -> bool:
        why = self.controller.fit.set_directions(self.spec())
        self.error.setText(why)
        return not why

    def _enable(self, *_) -> None:
        kind = self.kind.currentData()
        self.seed.setEnabled(kind in ("random", "runs"))
        self.span.setEnabled(kind != "params")
        self.centre.setEnabled(kind in ("random", "hessian"))
        for box in (self.first_run, self.second_run):
            box.setEnabled(kind == "runs")
