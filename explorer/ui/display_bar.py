"""Above the views: colouring, vertical scale, log scale, and the legend of what the colours mean."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSlider, QWidget

from explorer.ui.palette import CLASS_COLOURS


class DisplayBar(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.colouring = QComboBox()
        self.colouring.addItems(["curvature", "height"])
        self.colouring.setToolTip("Colour by the signs of the Hessian's eigenvalues, or by f")
        self.colouring.currentTextChanged.connect(lambda mode: controller.set_display(colouring=mode))
        layout.addWidget(QLabel("colour by"))
        layout.addWidget(self.colouring)
        self.scale = QSlider(Qt.Horizontal)
        self.scale.setRange(1, 40)
        self.scale.setValue(10)
        self.scale.setMaximumWidth(140)
        self.scale.setToolTip("Vertical scale of the 3D surface")
        self.scale.valueChanged.connect(lambda v: controller.set_display(vertical_scale=v / 10))
        self.scale.sliderReleased.connect(controller.seal)   # one drag, one undo step
        layout.addWidget(QLabel("height"))
        layout.addWidget(self.scale)
        self.log = QCheckBox("log f")
        self.log.setToolTip("Draw log10(1 + f − min f): for steep functions such as Rosenbrock")
        self.log.toggled.connect(lambda on: controller.set_display(log_scale=on))
        layout.addWidget(self.log)
        layout.addStretch(1)
        self.legend = QLabel()
        self.legend.setToolTip("abs, minimum and maximum have kinks where the Hessian does not exist: "
                               "their curvature shows as zero there")
        layout.addWidget(self.legend)
        controller.displayChanged.connect(self.show_display)
        self.show_display()

    def show_display(self):
        """Every control shows what the session holds (after a scene, a preset or an undo too)."""
        c = self.controller
        for widget, setter, value in ((self.colouring, self.colouring.setCurrentText, c.colouring),
                                      (self.scale, self.scale.setValue, round(c.vertical_scale * 10)),
                                      (self.log, self.log.setChecked, c.log_scale)):
            widget.blockSignals(True)
            setter(value)
            widget.blockSignals(False)
        if c.colouring == "height":
            self.legend.setText("<span style='color:#440154'>■</span> low f → "
                                "<span style='color:#fde725'>■</span> high f")
        else:
            self.legend.setText("  ".join(f"<span style='color:#%02x%02x%02x; font-size:16px'>■</span>{name}"
                                          % rgb for code, (name, rgb) in CLASS_COLOURS.items()))
