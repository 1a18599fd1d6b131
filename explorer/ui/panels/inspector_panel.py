"""The inspector: f, ∇f, H, eigen-pairs, class and condition number at the selected run's point,
the last step's predicted and actual decrease, and which overlays the 3D view shows; for a fit, how the
run trains (mini-batch and epoch, the lr this step) and, given as residuals, the Gauss–Newton matrix."""
from __future__ import annotations

import html

from PySide6.QtCore import QSignalBlocker, QTimer
from PySide6.QtGui import QFontDatabase, QFontMetrics, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QGroupBox, QPushButton, QStyle, QTextEdit, QVBoxLayout

from explorer.ui.text.field_text import field_rows
from explorer.ui.text.fit_text import fit_rows
from explorer.ui.text.inspector_text import LABEL_WIDTH, as_plain_text, inspector_rows, method_state_rows
from explorer.ui.text.model_text import model_rows
from explorer.ui.control.model_control import SUMMARY_ABOVE
from explorer.ui.views.drawing.palette import CLASS_COLOURS

OVERLAY_KEYS = {"method_state": "Ctrl+Shift+X", "tangent_plane": "Ctrl+Shift+T"}
METHOD_STATE_TIP = ("Ctrl+Shift+X: what the selected run's method carries into its next step, drawn at its point "
                    "in the map's units: momentum's βv and −η∇f head to tail; the η/(√v̂+ε) ellipse of "
                    "AdaGrad, RMSProp and Adam; BFGS's model ellipse (B) beside the true H's; CG's directions "
                    "as diameters of the level ellipse; Newton's and the trust region's step, radius and point")
TANGENT_TIP = "Ctrl+Shift+T: the linear model z = f(x₀) + ∇f·(x − x₀), a translucent patch in the 3D view"
SUMMARY_AFTER_MS = 250   # a network's summary is asked for once the timeline has stood still this long
MIN_LINES = 12   # the inspector's text shows at least this many lines (method, step, point, f, ∇f, H …)


class InspectorPanel(QGroupBox):
    def __init__(self, controller, parent=None):
        super().__init__("Inspector", parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        self.text = QTextEdit()
        self.text.setReadOnly(True)   # selectable and copyable, never edited
        font = QFontDatabase.systemFont(QFontDatabase.FixedFont)
        font.setPointSize(11)
        self.text.setFont(font)
        self.text.setLineWrapMode(QTextEdit.NoWrap)   # a tuple or a matrix row is never cut in two
        self.text.setFrameShape(QTextEdit.NoFrame)
        # the stability map below takes the rest of the column, never the inspector's first lines
        margin = round(2 * self.text.document().documentMargin())
        bar = self.text.style().pixelMetric(QStyle.PM_ScrollBarExtent)   # a long matrix row scrolls sideways
        self.text.setMinimumHeight(MIN_LINES * QFontMetrics(font).lineSpacing() + margin + bar)
        self.text.setToolTip("Select to copy part; Copy (Ctrl+Shift+C) copies the whole table as plain text")
        layout.addWidget(self.text, 1)
        self.copy = QPushButton("Copy")
        self.copy.setToolTip("Copy the whole table as plain text (Ctrl+Shift+C)")
        self.copy.clicked.connect(self.copy_table)
        QShortcut(QKeySequence("Ctrl+Shift+C"), self, self.copy_table)
        layout.addWidget(self.copy)
        self.plain = ""
        self.boxes = {}
        for key, label, tip in (("gradient", "−∇f arrow", "−∇f at the point: the direction of steepest descent"),
                                ("eigenvectors", "Hessian eigenvector axes",
                                 "principal curvature directions (blue: curves up, vermillion: curves down)"),
                                ("quadratic_model", "quadratic model patch",
                                 "the second-order Taylor model f + ∇f·d + ½dᵀHd near the point"),
                                ("tangent_plane", "tangent plane (3D)", TANGENT_TIP),
                                ("method_state", "method state (x-ray)", METHOD_STATE_TIP)):
            box = QCheckBox(label)
            box.setToolTip(tip)
            box.setChecked(controller.overlays[key])
            box.toggled.connect(lambda on, k=key: controller.set_display(**{k: on}))
            layout.addWidget(box)
            self.boxes[key] = box
        for key, keys in OVERLAY_KEYS.items():   # a shortcut toggles the box (and so the scene's display option)
            QShortcut(QKeySequence(keys), self, self.boxes[key].toggle)
        for signal in (controller.stepped, controller.runsChanged, controller.selectionChanged,
                       controller.surfaceChanged, controller.lensChanged, controller.fitChanged):
            signal.connect(self.refresh)
        self._settled = False   # the next refresh may ask for a network's summary (the timeline stood still)
        self._summary_timer = QTimer(self, singleShot=True, interval=SUMMARY_AFTER_MS)
        self._summary_timer.timeout.connect(self._summary_due)
        controller.playingChanged.connect(lambda on: None if on else self._summary_timer.start())
        controller.displayChanged.connect(self.show_overlays)

    def _summary_ready(self) -> None:
        """A summary computed in the background is done: show it if the timeline still stands where it was."""
        if not self.controller.playing:
            self._settled = True
            self.refresh()

    def _summary_due(self) -> None:
        if not self.controller.playing:
            self._settled = True
            self.refresh()

    def show_overlays(self):
        overlays = self.controller.overlays
        for key, box in self.boxes.items():
            with QSignalBlocker(box):
                box.setChecked(overlays[key])

    def refresh(self, *_):
        c = self.controller
        for box in self.boxes.values():   # the overlays are a surface's
            box.setVisible(c.kind.minimises)
        f = c.kind.value_name   # a fit's map is the loss L over two parameters
        self.boxes["gradient"].setText(f"−∇{f} arrow")
        self.boxes["gradient"].setToolTip(f"−∇{f} at the point: the direction of steepest descent, drawn to the "
                                          "scale its key states")
        self.boxes["quadratic_model"].setToolTip(f"the second-order Taylor model {f} + ∇{f}·d + ½dᵀHd near the point")
        if not c.kind.minimises:
            self.refresh_field()
            return
        fit = c.kind.has_rows   # a fit: L at the run's θ, its n×n Hessian and condition number
        run = c.selected_run()
        network = c.model.problem if fit else None
        if run is not None and network is not None and network.dimension > SUMMARY_ABOVE:
            # many parameters: norms and H's extreme eigenvalues, not θ and H entry by entry; they cost many
            # passes over the rows, so they are asked for once the timeline has stood still a moment
            settled = self._settled
            self._settled = False
            if not settled:
                self._summary_timer.start()
            summary = c.model.summary_or_later(self._summary_ready) if settled else None
            self.show_rows(model_rows(run, summary, run.current.value, c.model.step_metrics(), network.dimension))
            return
        a = c.kind.reading(c.session, run.current.point) if run is not None else None   # the kind's reading there
        if run is None or a is None:
            self.plain = "Add an optimizer to inspect its point."
            self.text.setPlainText(self.plain)
            return
        rows = (fit_rows(run, a, c.fit.spec.trained, c.training.gauss_newton_reading(a)) if fit else
                inspector_rows(run, a))
        rows += method_state_rows(c.lessons.method_state())
        self.show_rows(rows, CLASS_COLOURS[a.curvature][1])

    def show_rows(self, rows, colour_rgb=None) -> None:
        """The rows as the panel's text (labels padded, key values bold) and as the plain text Copy takes."""
        fit = self.controller.kind.has_rows
        self.plain = as_plain_text(rows)
        colour = "#%02x%02x%02x" % colour_rgb if colour_rgb is not None else "#333333"
        lines = []
        for label, value in rows:
            value = html.escape(value)
            if label == "class":
                value = f"<span style='color:{colour}'>■</span> <b>{value}</b>"
            elif label in ("method", "stopped", "|H−GN|/|H|", "‖∇L‖", "λmin of H", "λmax of H") or \
                    (fit and label == "cond") or \
                    (label == "" and value.startswith("↑")):
                value = f"<b>{value}</b>"
            padded = label.ljust(LABEL_WIDTH) if value else label
            lines.append(html.escape(padded).replace(" ", "&nbsp;") + value)
        self.text.setHtml("<div style='white-space:pre'>" + "<br>".join(lines) + "</div>")

    def refresh_field(self):
        """J, det J, σ, λ at the lens point, whether F is a gradient field, and the selected run's point."""
        c = self.controller
        lens = c.field.lens()
        hessian = c.field.hessian_of_f(lens.center) if lens is not None else None
        run = c.selected_run()
        rows = field_rows(lens, c.field.picture, hessian, run, c.field.analysis() if run is not None else None)
        self.plain = as_plain_text(rows)
        lines = []
        for label, value in rows:
            value = html.escape(value)
            if label in ("method", "stopped", "det J", "gradient?") and value:
                value = f"<b>{value}</b>"
            padded = label.ljust(LABEL_WIDTH) if value else label
            lines.append(html.escape(padded).replace(" ", "&nbsp;") + value)
        self.text.setHtml("<div style='white-space:pre'>" + "<br>".join(lines) + "</div>")

    def copy_table(self):
        QGuiApplication.clipboard().setText(self.plain)
        self.controller.message.emit("Inspector table copied")
