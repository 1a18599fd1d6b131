"""Above the views: colouring, vertical scale, log scale, and the legend of what the colours mean.

The controls and the legend flow onto a second row when the window is narrow (a 1024×768
projector); presentation mode hides the controls and keeps the legend.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QSlider, QWidget

from explorer.core.field_picture import COLOURINGS as FIELD_COLOURINGS
from explorer.core.field_picture import HEIGHT_NAMES
from explorer.ui.panels.field_legend import FIELD_ENTRIES, SHOWN, field_entry, magnitude_text
from explorer.ui.views.drawing.field_palette import COLOURING_TIPS
from explorer.ui.views.drawing.flow_layout import FlowLayout, group
from explorer.ui.views.drawing.palette import CLASS_COLOURS, height_colormap

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
    """Swatches of exactly the map's colours: the curvature classes, or the height ramp plus 'undefined';
    for a field, its orientation swatches (or the |det J| / σ₁ ramp) and the curves drawn over them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = FlowLayout(self, spacing=10)
        self.swatches: dict[int | str, QWidget] = {}
        self.names: dict[int | str, QLabel] = {}
        self.entries: dict[int | str, QWidget] = {}
        for key in ("height", *LEGEND_ORDER[:-1], *FIELD_ENTRIES, LEGEND_ORDER[-1]):   # 'undefined' last
            if key in FIELD_ENTRIES:
                box, name = field_entry(key, Swatch)
            else:
                box = QLabel() if key == "height" else Swatch(QColor(*CLASS_COLOURS[key][1]))
                name = QLabel("low f → high f" if key == "height" else CLASS_COLOURS[key][0])
                if key != "height":
                    box.setToolTip(f"{CLASS_COLOURS[key][0]}: #%02x%02x%02x" % CLASS_COLOURS[key][1])
            self.entries[key] = entry = group(box, name)
            layout.addWidget(entry)
            self.swatches[key], self.names[key] = box, name
        self.colouring = "curvature"
        self.show_colouring("curvature")

    def show_colouring(self, colouring: str) -> None:
        self.colouring = colouring
        side = max(12, self.fontMetrics().height())
        field = colouring in FIELD_COLOURINGS
        for key, box in self.swatches.items():
            if field or key in FIELD_ENTRIES:
                shown = field and (key in SHOWN[colouring] or key == -1)
                if key == "magnitude" and shown:
                    box.setPixmap(ramp(4 * side, side))
                    self.names[key].setText(magnitude_text(colouring))
                elif shown:
                    box.updateGeometry()
                self.entries[key].setVisible(shown)
                continue
            shown = (key == "height") if colouring == "height" else key != "height"
            shown = shown or (colouring == "height" and key == -1)   # undefined has its colour in both
            if key == "height" and shown:
                box.setPixmap(ramp(4 * side, side))
            elif shown:
                box.updateGeometry()   # its side follows the font (presentation mode)
            self.entries[key].setVisible(shown)

    def changeEvent(self, event):
        if event.type() == QEvent.FontChange:   # presentation mode: swatches grow with the type
            self.show_colouring(self.colouring)
        super().changeEvent(event)


class DisplayBar(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        layout = FlowLayout(self, last="right")
        layout.setContentsMargins(4, 2, 4, 2)
        self.colouring = QComboBox()
        self.colouring.setSizeAdjustPolicy(QComboBox.AdjustToContents)   # a field's 'orientation' is longer
        self.colouring.addItems(["curvature", "height"])
        self.colouring.setToolTip("Colour by the signs of the Hessian's eigenvalues, or by f")
        self.colouring.currentTextChanged.connect(lambda mode: controller.set_display(colouring=mode))
        self.scale = QSlider(Qt.Horizontal)
        self.scale.setRange(1, 40)
        self.scale.setValue(10)
        self.scale.setMaximumWidth(140)
        self.scale.setToolTip("Vertical scale of the 3D surface")
        self.scale.valueChanged.connect(lambda v: controller.set_display(vertical_scale=v / 10))
        self.scale.sliderReleased.connect(controller.seal)   # one drag, one undo step
        self.log = QCheckBox("log f")
        self.log.setToolTip("Draw log10(1 + f − min f): for steep functions such as Rosenbrock")
        self.log.toggled.connect(lambda on: controller.set_display(log_scale=on))
        self.field_height = QComboBox()
        for key, name in HEIGHT_NAMES.items():
            self.field_height.addItem(name, key)
        self.field_height.setToolTip("What the 3D view raises: |F|, or the component u or v")
        self.field_height.currentIndexChanged.connect(
            lambda i: controller.set_display(field_height=self.field_height.itemData(i)))
        self.height_box = group(QLabel("3D shows"), self.field_height)
        self.controls = (group(QLabel("colour by"), self.colouring), self.height_box, group(QLabel("height"), self.scale),
                         self.log)
        for widget in self.controls:
            layout.addWidget(widget)
        self.legend = Legend()
        self.legend.setToolTip("abs, minimum and maximum have kinks where the Hessian does not exist: "
                               "their curvature shows as zero there")
        layout.addWidget(self.legend)
        controller.displayChanged.connect(self.show_display)
        controller.expressionAccepted.connect(self.show_display)   # a surface became a field, or back
        self._shown_controls = True
        self.show_display()

    def show_controls(self, shown: bool) -> None:
        """Presentation mode shows only the legend."""
        self._shown_controls = shown
        for widget in self.controls:
            widget.setVisible(shown and (widget is not self.height_box or bool(self.controller.kind.heights)))

    def show_display(self, *_):
        """Every control shows what the session holds (after a scene, a preset or an undo too)."""
        c = self.controller
        heights = bool(c.kind.heights)   # a field's 3D view raises |F|, u or v
        choices = list(c.kind.colourings)
        if [self.colouring.itemText(i) for i in range(self.colouring.count())] != choices:
            with QSignalBlocker(self.colouring):
                self.colouring.clear()
                self.colouring.addItems(choices)
                for i, name in enumerate(choices):
                    self.colouring.setItemData(i, COLOURING_TIPS.get(name, ""), Qt.ToolTipRole)
            self.colouring.setToolTip("Colour the map and the 3D view by the orientation of F (sign of det J), "
                                      "|det J| or J's larger singular value" if heights else
                                      "Colour by the signs of the Hessian's eigenvalues, or by f")
            self.log.setText("log 3D" if heights else "log f")
            self.log.setToolTip("Raise log10(1 + h − min h) in the 3D view, h being |F|, u or v" if heights else
                                "Draw log10(1 + f − min f): for steep functions such as Rosenbrock")
        self.show_controls(self._shown_controls)
        with QSignalBlocker(self.field_height):
            self.field_height.setCurrentIndex(max(0, self.field_height.findData(c.field.height)))
        for widget, setter, value in ((self.colouring, self.colouring.setCurrentText, c.colouring),
                                      (self.scale, self.scale.setValue, round(c.vertical_scale * 10)),
                                      (self.log, self.log.setChecked, c.log_scale)):
            with QSignalBlocker(widget):
                setter(value)
        self.legend.show_colouring(c.colouring)
