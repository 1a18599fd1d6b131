"""The Hessian's spectrum at the state on show, above the Gauss–Newton matrix's: histograms of the eigenvalues on
a signed logarithmic axis, so that small negative eigenvalues stand apart from zero beside large positive ones.

    t(λ) = sign(λ)·log₁₀(1 + |λ|/τ),   τ = NEGATIVE × max|λ|   (linear near 0, logarithmic beyond τ)

τ is the share below which core.model_curvature counts an eigenvalue as zero, not negative: the bar centred
on 0 holds those, and every bar left of it is a negative direction the title counts.

The title line gives λmax, λmin, the condition number and the count of negative directions; a second line says
what the difference between H and G means. The numbers are the session's (session.model_spectrum, computed in a
worker thread the first time a state is shown: "computing…" meanwhile); nothing is computed while hidden.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer.core.colours import SPECTRUM_COLOURS
from explorer.core.model_curvature import NEGATIVE
from explorer.core.ticks import MINUS, superscript
from explorer.ui.control.play_throttle import follow_runs
from explorer.ui.views.drawing.axis_numbers import NumberAxis, scale_labels, scale_ticks, small_plot

BINS = 41             # bars across the axis
TICK_PT, NAME_PT, TITLE_PT, NOTE_PT = 10, 11, 10, 9
THROTTLE_MS = 300
WIDE_RATIO = 1.6      # a pane this many times wider than high puts the two histograms side by side
LEFT_AXIS_PX = 58
NOTE_MIN_HEIGHT = 220   # px (times the text scale): a lower pane hides the explanation line
ZERO_LINE = "#555555"
MATRICES = (("hessian", "H"), ("gauss_newton", "G"))
NAMES = {"hessian": "the loss Hessian H", "gauss_newton": "the Gauss–Newton matrix G"}
EXPLANATION = ("G drops the term of the model's curvature: where they differ, the residuals are large or the model "
               "is far from linear")


def signed_log(values, tau: float) -> np.ndarray:
    """t(λ) = sign(λ)·log₁₀(1 + |λ|/τ) (module docstring)."""
    v = np.asarray(values, dtype=float)
    return np.sign(v) * np.log10(1.0 + np.abs(v) / tau)


def signed_exp(t, tau: float) -> np.ndarray:
    """The inverse of `signed_log`."""
    t = np.asarray(t, dtype=float)
    return np.sign(t) * tau * (10.0 ** np.abs(t) - 1.0)


def histogram(values, tau: float, low: float, high: float) -> tuple[np.ndarray, np.ndarray, float]:
    """(centres, counts, width) of about BINS equal bars over t ∈ [low, high] (low < 0 < high), one of them
    centred on 0, so that no bar mixes negative eigenvalues with positive ones."""
    width = (high - low) / BINS
    k = np.arange(math.floor(low / width - 0.5), math.ceil(high / width - 0.5) + 1)
    edges = (k + 0.5) * width
    counts, _ = np.histogram(np.clip(signed_log(values, tau), edges[0], edges[-1]), bins=edges)
    return 0.5 * (edges[1:] + edges[:-1]), counts, width


def power_label(value: float) -> str:
    """±10ⁿ as the window writes numbers (1, 10, 100, 10³ …, 0.1, 0.01, 10⁻³ …)."""
    if value == 0:
        return "0"
    n = round(math.log10(abs(value)))
    body = f"{10.0 ** n:g}" if -2 <= n <= 2 else f"10{superscript(str(n).replace('-', MINUS))}"
    return (MINUS if value < 0 else "") + body


class SignedLogAxis(NumberAxis):
    """The eigenvalue axis: ticks at 0 and at ±10ⁿ placed by t(λ), labelled with λ (none closer to 0 than 10τ,
    whose labels would overlap 0's)."""

    tau = 1.0

    def set_tau(self, tau: float) -> None:
        self.tau = float(tau)
        self.picture = None   # the ticks again
        self.update()

    def tickValues(self, minVal, maxVal, size):
        if not maxVal > minVal:
            return []
        # labels 1.6 widths apart: pyqtgraph draws no label of a level whose text would fill most of the axis,
        # and none that would stick out of its ends (half a label kept clear at each end)
        label = QFontMetricsF(self.style["tickFont"] or self.font()).horizontalAdvance(f"{MINUS}10⁻⁸") * 1.6
        pixels = size / (maxVal - minVal)   # per unit of t
        low, high = minVal + 0.32 * label / pixels, maxVal - 0.32 * label / pixels   # half a text width
        top = signed_exp(max(abs(low), abs(high)), self.tau)
        kept, last = [], None
        for n in range(math.floor(math.log10(max(top, self.tau))), math.ceil(math.log10(self.tau)) - 1, -1):
            t = float(signed_log(10.0 ** n, self.tau))   # from the largest power down: apart, and from 0's label
            if (last is None or (last - t) * pixels >= label) and t * pixels >= label:
                kept.append(10.0 ** n)
                last = t
        at = [0.0] + [s * float(signed_log(p, self.tau)) for p in kept for s in (-1.0, 1.0)]
        return [(1.0, [t for t in at if low <= t <= high])]

    def tickStrings(self, values, scale, spacing):
        return [power_label(float(signed_exp(v, self.tau))) for v in values]


class SpectrumView(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller, self.reader = controller, controller.model
        self.text_scale, self.found, self.counts = 1.0, None, {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setToolTip("The extreme eigenvalues of the training loss's Hessian at the step on show, its "
                              "condition number λmax/λmin (indefinite when λmin ≤ 0) and its negative directions")
        layout.addWidget(self.title)
        self.note = QLabel(note_text(True))
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.plots, self.bars = {}, {}
        self.row = QBoxLayout(QBoxLayout.TopToBottom)   # side by side when the pane is wide (resizeEvent)
        for name, text in MATRICES:
            plot = small_plot()
            axis = SignedLogAxis("bottom")
            axis.setTextPen("#222222")
            axis.enableAutoSIPrefix(False)
            plot.setAxisItems({"bottom": axis})
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.addItem(pg.InfiniteLine(pos=0.0, angle=90, pen=pg.mkPen(ZERO_LINE, width=1.5, style=Qt.DashLine)))
            colour = SPECTRUM_COLOURS[name]
            self.bars[name] = pg.BarGraphItem(x=[], height=[], width=1.0, brush=pg.mkBrush(colour),
                                              pen=pg.mkPen(colour))
            plot.addItem(self.bars[name])
            plot.setToolTip(f"How many eigenvalues of {NAMES[name]} fall in each bar; the dashed line is 0, negative "
                            "eigenvalues to its left (the axis is logarithmic away from 0 on both sides). "
                            + EXPLANATION)
            self.plots[name] = plot
            self.row.addWidget(plot, 1)
        layout.addLayout(self.row, 1)
        self.jacobian = QLabel()   # one line under G's histogram: the Jacobian G is made of
        self.jacobian.setWordWrap(True)
        self.jacobian.setToolTip("The singular values of the Jacobian J (rows × parameters) that Gauss–Newton is "
                                 "made of: G = c·JᵀJ without the penalty, so c·σ² are G's nonzero eigenvalues")
        layout.addWidget(self.jacobian)
        self.set_text_scale(1.0)
        self.throttled = follow_runs(self, controller, self.refresh, THROTTLE_MS)

    def resizeEvent(self, event) -> None:
        """H above G, or side by side in a wide, low pane (presentation)."""
        super().resizeEvent(event)
        wide = event.size().width() > WIDE_RATIO * event.size().height()
        self.row.setDirection(QBoxLayout.LeftToRight if wide else QBoxLayout.TopToBottom)
        # a low pane keeps its plots: the explanation goes (it stays in the plots' tooltips)
        self.note.setVisible(event.size().height() >= NOTE_MIN_HEIGHT * self.text_scale)

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = float(scale)
        scale_ticks(self.plots.values(), scale, pt=TICK_PT)
        style = {"font-size": f"{NAME_PT * scale:.3g}pt"}
        for name, text in MATRICES:
            plot = self.plots[name]
            plot.setLabel("left", f"{text}: count", color=SPECTRUM_COLOURS[name], **style)
            plot.getAxis("left").setWidth(round(LEFT_AXIS_PX * scale))   # one width: the two zero lines align
            plot.setLabel("bottom", "eigenvalue λ", color="#222222", **style)
        scale_labels((self.title,), TITLE_PT, scale)
        scale_labels((self.note, self.jacobian), NOTE_PT, scale)
        self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    # ---------------------------------------------------------------- drawing
    def refresh(self, *_) -> None:
        if not self.isVisible() or self.reader.problem is None:
            return   # a spectrum costs a dense Hessian or hundreds of products: only when looked at
        found = self.reader.spectrum_or_later(self._ready)
        if found is None:
            self._computing()
        else:
            self._draw(found)

    def _ready(self) -> None:
        if self.isVisible():
            self.refresh()

    def _computing(self) -> None:
        self.found, self.counts = None, {}
        for bars in self.bars.values():
            bars.setOpts(x=[], height=[])
        self.jacobian.setText("")
        self.title.setText(f"Computing the Hessian's spectrum ({self.reader.problem.dimension:,} parameters)…")

    def _draw(self, found: dict) -> None:
        self.found = found
        if "error" in found or found.get("lambda_max") is None:
            self._computing()
            self.found = found
            self.title.setText(found.get("error", "The Hessian is not finite at this step: no spectrum"))
            return
        values = {name: np.asarray(found[f"{name}_eigenvalues"], dtype=float) for name, _ in MATRICES}
        finite = np.concatenate([v[np.isfinite(v)] for v in values.values()])
        tau = NEGATIVE * max(float(np.abs(finite).max()), 1e-300)
        t = signed_log(finite, tau)
        pad = 0.04 * float(t.max() - t.min()) + 0.3
        low, high = min(float(t.min()), 0.0) - pad, max(float(t.max()), 0.0) + pad
        for name, _ in MATRICES:
            centres, counts, width = histogram(values[name][np.isfinite(values[name])], tau, low, high)
            self.counts[name], self.centres = counts, centres
            some = counts > 0   # an empty bar would still draw its outline along the axis
            self.bars[name].setOpts(x=centres[some], height=counts[some], width=0.9 * width)
            self.plots[name].getAxis("bottom").set_tau(tau)
            top = max(1, int(counts.max()))
            self.plots[name].setYRange(0, top * 1.08, padding=0)
            step = max(1, math.ceil(top / 4))   # whole counts only
            self.plots[name].getAxis("left").setTickSpacing(step, step)
        for plot in self.plots.values():
            plot.setXRange(low, high, padding=0)
        self.title.setText(title_text(found))
        self.jacobian.setText(jacobian_text(found))
        self.note.setText(note_text(found["complete"], len(values["hessian"]) // 2, found["dimension"]))

    def drawn(self) -> dict:
        """What a test reads: the bars' counts per matrix and the title's text."""
        return {"counts": {k: np.asarray(v).copy() for k, v in self.counts.items()}, "title": self.title.text(),
                "jacobian": self.jacobian.text()}


def note_text(complete: bool, k: int = 0, dimension: int = 0) -> str:
    """The key to the two colours, what their difference means, and which eigenvalues are drawn."""
    g = SPECTRUM_COLOURS["gauss_newton"]
    part = "" if complete else f" · the {k} smallest and largest eigenvalues of {dimension:,} (Lanczos)"
    return f"<span style='color:{g}'>Gauss–Newton G</span>: {EXPLANATION}{part}"


def jacobian_text(found: dict) -> str:
    """σmax and σmin of the Jacobian Gauss–Newton is made of and how they give G's eigenvalues, or why not formed."""
    if found.get("singular_note"):
        return found["singular_note"][0].upper() + found["singular_note"][1:]
    sigma = found.get("singular_values")
    if not sigma:
        return ""
    g = SPECTRUM_COLOURS["gauss_newton"]
    rows, parameters = found["jacobian_shape"]
    factor = "2/n" if found["jacobian_kind"] == "residuals" else "1/n"
    return (f"<span style='color:{g}'>Jacobian J of the {found['jacobian_kind']}</span> ({rows:,} × {parameters:,}): "
            f"σmax {number_text(sigma[0])} · σmin {number_text(sigma[-1])} · ({factor})·σ² are G's eigenvalues "
            f"without the penalty (n = {found['training_rows']:,} training rows)")


def title_text(found: dict) -> str:
    """λmax, λmin, the condition number and the negative directions, in one line."""
    h = SPECTRUM_COLOURS["hessian"]
    condition = found["condition_number"]
    at_least = "" if found["complete"] else "at least "
    step = "" if found.get("step") is None else f" at step {found['step']}"
    negatives = found["negative_count"]
    return (f"<span style='color:{h}'>Hessian H{step}</span>: λmax {number_text(found['lambda_max'])} · "
            f"λmin {number_text(found['lambda_min'])} · condition number "
            + (number_text(condition) if condition is not None else "indefinite")
            + f" · {at_least}{negatives} negative direction{'' if negatives == 1 else 's'}")


def number_text(value: float) -> str:
    """Three significant digits, trailing zeros kept (0.800, not 0.8); 1.23·10⁻⁵ for the very small or large."""
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e5:
        return f"{value:#.3g}".rstrip(".").replace("-", MINUS)
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{mantissa}·10{superscript(str(int(exponent)).replace('-', MINUS))}".replace("-", MINUS)
