"""The inspector: f, ∇f, H, eigen-pairs, class and condition number at the selected run's point,
the last step's predicted and actual decrease, and which overlays the 3D view shows."""
from __future__ import annotations

import html

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout

from explorer.ui.palette import CLASS_COLOURS
from explorer.ui.run_text import stopped_here


def num(v) -> str:
    return f"{float(v):.6g}"


def vec(v) -> str:
    return "(" + ", ".join(num(c) for c in v) + ")"


class InspectorPanel(QGroupBox):
    def __init__(self, controller, parent=None):
        super().__init__("Inspector", parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        self.text = QLabel()
        self.text.setFont(QFont("Monospace", 12))
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        self.boxes = {}
        for key, label, tip in (("gradient", "gradient arrow", "∇f at the point: the uphill direction"),
                                ("eigenvectors", "Hessian eigenvector axes",
                                 "principal curvature directions (blue: curves up, vermillion: curves down)"),
                                ("quadratic_model", "quadratic model patch",
                                 "the second-order Taylor model f + ∇f·d + ½dᵀHd near the point")):
            box = QCheckBox(label)
            box.setToolTip(tip)
            box.setChecked(controller.overlays[key])
            box.toggled.connect(lambda on, k=key: controller.set_display(**{k: on}))
            layout.addWidget(box)
            self.boxes[key] = box
        layout.addStretch(1)
        for signal in (controller.stepped, controller.runsChanged, controller.selectionChanged,
                       controller.surfaceChanged):
            signal.connect(self.refresh)
        controller.displayChanged.connect(self.show_overlays)

    def show_overlays(self):
        overlays = self.controller.overlays
        for key, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(overlays[key])
            box.blockSignals(False)

    def refresh(self, *_):
        c = self.controller
        run, a = c.selected_run(), c.analysis()
        if run is None or a is None:
            self.text.setText("Add an optimizer to inspect its point.")
            return
        code = a.curvature
        colour = "#%02x%02x%02x" % CLASS_COLOURS[code][1]
        h = a.hessian
        lines = [f"<b>{html.escape(run.method)}</b>, step {run.position}",
                 f"point  {vec(a.point)}",
                 f"f      {num(a.value)}",
                 f"∇f     {vec(a.gradient)}",
                 f"|∇f|   {num(sum(g * g for g in a.gradient) ** 0.5)}",
                 f"H      [{num(h[0, 0]):>10} {num(h[0, 1]):>10}]",
                 f"       [{num(h[1, 0]):>10} {num(h[1, 1]):>10}]"]
        for lam, v in zip(a.eigenvalues, a.eigenvectors.T):
            lines.append(f"λ = {num(lam)}  along {vec(v)}")
        lines.append(f"class  <b style='color:{colour}'>■</b> {a.classification}")
        lines.append(f"cond   {num(a.condition_number)}")
        if 0 < run.position <= len(run.records):
            r = run.records[run.position - 1]
            uphill = "  <b>↑ f increased</b>" if r.uphill else ""
            lines += ["", f"last step  |p| = {num(r.length)}{uphill}",
                      f"predicted (linear)     {num(r.predicted_linear)}",
                      f"predicted (quadratic)  {num(r.predicted_quadratic)}",
                      f"actual decrease        {num(r.actual)}"]
        if stopped_here(run):
            lines += ["", f"stopped: {html.escape(run.summary)}", html.escape(run.reason)]
        self.text.setText("<pre style='margin:0; white-space:pre-wrap'>" + "<br>".join(lines) + "</pre>")
