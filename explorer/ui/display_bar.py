"""Above the views: colouring, vertical scale, log scale, and the legend of what the colours mean."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSlider, QWidget

from explorer.ui.palette import CLASS_COLOURS, height_colormap

LEGEND_ORDER = (1, 2, 3, 0, -1)


class Swatch(QWidget):
    """A square of exactly `colour` (what the map draws) with a thin dark frame, as tall as a line of text."""

    def __init__(self, colour: QColor, parent=None):
        super().__init__(parent)
        self.colour = QColor(colour)

    def sizeHint(self) -> QSize:
        side = max(12, self.fontMetrics().height())
        return QSize(side, side)

    minimumSizeHint = sizeHint

    def paintEvent(self, event):
        painter = QPainter(self)
        side = min(self.width(), self.height())
        top = (self.height() - side) // 2
        painter.fillRect(0, top, side, side, self.colour)
        painter.setPen(QColor("#505050"))
        painter.drawRect(0, top, side - 1, side - 1)
        painter.end()


def ramp(width: int, height: int) -> QPixmap:
    """The height colour map (viridis, pyqtgraph's), low f on the left."""
    colours = height_colormap().getLookupTable(nPts=width, alpha=False)
    image = QImage(width, height, QImage.Format_ARGB32)   # not a screen-depth pixmap: 16-bit screens band it
    painter = QPainter(image)
    for i, (r, g, b) in enumerate(colours):
        painter.setPen(QColor(int(r), int(g), int(b)))
        painter.drawLine(i, 0, i, height - 1)
    painter.setPen(QColor("#505050"))
    painter.drawRect(0, 0, width - 1, height - 1)
    painter.end()
    return QPixmap.fromImage(image)


class Legend(QWidget):
    """Swatches of exactly the map's colours: the curvature classes, or the height ramp plus 'undefined'."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.swatches: dict[int | str, QWidget] = {}
        self.names: dict[int | str, QLabel] = {}
        for key in ("height", *LEGEND_ORDER):
            box = QLabel() if key == "height" else Swatch(QColor(*CLASS_COLOURS[key][1]))
            name = QLabel("low f → high f" if key == "height" else CLASS_COLOURS[key][0])
            if key != "height":
                box.setToolTip(f"{CLASS_COLOURS[key][0]}: #%02x%02x%02x" % CLASS_COLOURS[key][1])
            layout.addWidget(box)
            layout.addWidget(name)
            layout.addSpacing(6)
            self.swatches[key], self.names[key] = box, name
        self.colouring = "curvature"
        self.show_colouring("curvature")

    def show_colouring(self, colouring: str) -> None:
        self.colouring = colouring
        side = max(12, self.fontMetrics().height())
        for key, box in self.swatches.items():
            shown = (key == "height") if colouring == "height" else key != "height"
            shown = shown or (colouring == "height" and key == -1)   # undefined has its colour in both
            if key == "height" and shown:
                box.setPixmap(ramp(4 * side, side))
            elif shown:
                box.updateGeometry()   # its side follows the font (presentation mode)
            box.setVisible(shown)
            self.names[key].setVisible(shown)

    def changeEvent(self, event):
        if event.type() == QEvent.FontChange:   # presentation mode: swatches grow with the type
            self.show_colouring(self.colouring)
        super().changeEvent(event)


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
        self.legend = Legend()
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
        self.legend.show_colouring(c.colouring)
