"""The slice along a step: f(x + α·d) against α, with the linear and quadratic models, the Armijo line,
the α taken and the three decreases — the second-derivative lesson in one picture.

The numbers come from `explorer.core.slice` through the controller (`controller.lessons.step_slice`); this
view only draws them: f and the models as offsets from f(x) (readable ticks where f(x) is large and the
decreases tiny), framed on the step taken (`StepSlice.frame`); the sentence is told from the step taken
(`StepSlice.comparison`, `StepSlice.bends`), so it agrees with the numbers beside it. Colours mean what
they mean on the map: the linear model is the gradient's (−∇f red), the quadratic model the model's
(blue), f along the step the selected run's colour.
"""
from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.ui.views.drawing.axis_numbers import scale_plot_text, small_plot
from explorer.ui.views.drawing.palette import GRADIENT_COLOUR, MODEL_COLOUR
from explorer.ui.control.play_throttle import PlayThrottle

TITLE_LINES = 4
THROTTLE_MS = 200
ARMIJO_COLOUR = "#555555"
AXIS_NAME = "f(x + α·d) − f(x)"   # offsets from where the step starts: readable ticks wherever f(x) is
SIGN = {"zero": "= 0", "positive": "> 0", "negative": "< 0", "undefined": "undefined"}
SHAPE = {"zero": "f is straight", "positive": "f curves up", "negative": "f curves down",
         "undefined": "the curvature is not defined"}
VERDICT = {"more": "it falls more than the gradient predicts", "less": "it falls less than the gradient predicts",
           "agree": "f changes as the gradient predicts (to rounding)",
           "undefined": "the decreases cannot be compared"}


def number(value: float) -> str:
    """Four significant digits (it is a caption), a true minus sign."""
    if not math.isfinite(value):
        return "undefined"
    return f"{value:.4g}".replace("-", "−")


def curving(s) -> str:
    """The sign of φ″ along the step taken, in words: 'φ″ > 0 along the step, f curves up', or where it
    changes: 'φ″ < 0, then > 0 from α = 0.01505'."""
    bends = s.bends or ()
    if not bends:
        return f"φ″ {SIGN[s.curvature_case]} at α = 0, {SHAPE[s.curvature_case]}"
    if len(bends) == 1:
        return f"φ″ {SIGN[bends[0].case]} along the step, {SHAPE[bends[0].case]}"
    parts = [f"φ″ {SIGN[bends[0].case]}"] + [f"then {SIGN[b.case]} from α = {number(b.start)}" for b in bends[1:]]
    return ", ".join(parts)


def verdict(s) -> str:
    """The sentence's claim, from the step taken: actual against linear decrease (core's `comparison`)."""
    return VERDICT[s.comparison]


def describe_short(s, method: str, step: int, colour: str = "#222222") -> str:
    """The title where two lines do not fit (a short pane, presentation mode at 1024×768): one line."""
    d = s.decreases
    word = {"more": "more than", "less": "less than", "agree": "as", "undefined": "?"}[s.comparison]
    return (f"<b>{method} {step}→{step + 1}</b> falls {word} linear: "
            f"<b style='color:{colour}'>{number(d.actual)}</b>, "
            f"<span style='color:{GRADIENT_COLOUR}'>linear {number(d.linear)}</span>, "
            f"<span style='color:{MODEL_COLOUR}'>quadratic {number(d.quadratic)}</span>")


def describe(s, method: str, step: int, colour: str = "#222222") -> str:
    """The view's two-line title, which is also its key: each number in the colour of its line."""
    d = s.decreases
    ratio = "" if not math.isfinite(d.ratio_linear) else f" (÷ linear = {number(d.ratio_linear)})"
    armijo = f" · <span style='color:{ARMIJO_COLOUR}'>Armijo line ···</span>" if s.armijo is not None else ""
    rose = "; this step went uphill" if d.actual < 0 else ""
    case = html.escape(f"{curving(s)}: {verdict(s)}")   # 'φ″ < 0' must not open a tag
    return (f"<b>{method}, step {step} → {step + 1}</b>: {case}{rose}<br>"
            f"f falls by: <span style='color:{GRADIENT_COLOUR}'>linear ╌ {number(d.linear)}</span> · "
            f"<span style='color:{MODEL_COLOUR}'>quadratic ╌· {number(d.quadratic)}</span> · "
            f"<b style='color:{colour}'>actual ━ {number(d.actual)}</b>{ratio}{armijo}")


class SliceView(QWidget):
    """φ(α) = f(x + α·d) along the selected run's last step (the next one at step 0); follows Step, Back and
    the selected run."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.slice = None
        self.text_scale = 1.0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setToolTip("The function along the step, f(x + α·d), against α (α = 0 is where the step "
                              "starts). Where it curves up the step achieves less than the gradient promised; "
                              "where it curves down, more.")
        layout.addWidget(self.title)
        self.plot = small_plot()
        layout.addWidget(self.plot, 1)
        item = self.plot.getPlotItem()
        self.curves = {
            "f": item.plot(pen=pg.mkPen("#222222", width=4)),
            "linear": item.plot(pen=pg.mkPen(GRADIENT_COLOUR, width=2, style=Qt.DashLine)),
            "quadratic": item.plot(pen=pg.mkPen(MODEL_COLOUR, width=2, style=Qt.DashDotLine)),
            "armijo": item.plot(pen=pg.mkPen(ARMIJO_COLOUR, width=1.5, style=Qt.DotLine)),
        }
        self.taken = pg.InfiniteLine(angle=90, pen=pg.mkPen("#222222", width=1, style=Qt.DashLine))
        item.addItem(self.taken)
        self.start_level = pg.InfiniteLine(angle=0, pen=pg.mkPen("#888888", width=1, style=Qt.DotLine))
        item.addItem(self.start_level)   # f where the step starts: the decreases are measured down from it
        # the three decreases as bars down from f(x) at the α taken, side by side: linear, quadratic, actual
        self.bars = [item.plot(pen=pg.mkPen(colour, width=6)) for colour in (GRADIENT_COLOUR, MODEL_COLOUR, "#222222")]
        self.set_text_scale(1.0)
        self.throttled = PlayThrottle(self, controller, self.refresh, THROTTLE_MS)   # while playing
        controller.pathsChanged.connect(self.throttled)
        controller.surfaceChanged.connect(self.refresh)

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = float(scale)
        scale_plot_text(self.plot, self.title, {"bottom": "α (step length along d)", "left": AXIS_NAME}, scale)
        self.refresh()

    def refresh(self, *_) -> None:
        c = self.controller
        run = c.selected_run()
        s = c.lessons.step_slice() if run is not None else None
        self.slice = s
        if s is None or not np.isfinite(s.value):
            for curve in self.curves.values():
                curve.setData([], [])
            for bar in self.bars:
                bar.setData([], [])
            self.taken.setVisible(False)
            self.start_level.setVisible(False)
            self._texts = None
            self.title.setText("No step from the point on show (the run has stopped there)" if run is not None
                               else "Add a run to see the slice along its step")
            return
        colour = c.configs[c.selected].colour
        step = max(run.position - 1, 0)
        self._texts = (describe(s, run.method, step, colour), describe_short(s, run.method, step, colour))
        self.title.setText(self._texts[0])
        self._fit_title()
        f0 = s.value   # everything is drawn as an offset from f(x): AXIS_NAME
        self.curves["f"].setData(s.alpha, s.phi - f0, pen=pg.mkPen(colour, width=4))
        self.curves["linear"].setData(s.alpha, s.linear - f0)
        self.curves["quadratic"].setData(s.alpha, s.quadratic - f0)
        self.curves["armijo"].setData(*(() if s.armijo is None else (s.alpha, s.armijo - f0)))
        self.taken.setValue(s.taken)
        self.taken.setVisible(True)
        self.start_level.setValue(0.0)
        self.start_level.setVisible(True)
        self.plot.setXRange(float(s.alpha[0]), float(s.alpha[-1]), padding=0.02)
        self.plot.setYRange(*s.frame(), padding=0)
        width = 0.012 * float(s.alpha[-1] - s.alpha[0])
        for k, (bar, mark) in enumerate(zip(self.bars, s.marks)):
            at = mark.alpha + (k - 1) * 1.6 * width
            bar.setData([at, at], [0.0, -mark.decrease])
        self.bars[2].setPen(pg.mkPen(colour, width=6))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_title()

    def _fit_title(self) -> None:
        """The title keeps every line it wraps to; the plot below gives up the height (a splitter does not).
        At most TITLE_LINES lines' worth, and nothing while the view is too narrow to say (being laid out)."""
        width = self.title.width()
        if width < 200:
            self.title.setMinimumHeight(0)
            return
        texts = getattr(self, "_texts", None)
        if texts is not None:   # the full title while it takes at most a third of the view, else one line
            self.title.setText(texts[0])
            if self.title.heightForWidth(width) > self.height() / 3:
                self.title.setText(texts[1])
        most = TITLE_LINES * self.title.fontMetrics().lineSpacing()
        self.title.setMinimumHeight(min(self.title.heightForWidth(width), most))
