"""The loss along the map's two lines through θ*: L(θ* + a·d₁) and L(θ* + a·d₂) over a ∈ [−span, span] (solid),
the test loss along d₁ (dashed, where the fit has a test part), the point on show projected onto each line (dots),
and on the plane of two runs' ends (a = −1 and +1) the barrier between the two minima: a bar from the higher end's
loss up to the highest loss on the segment, said in the title. Without a plane of directions the lines follow the
map's two parameter axes through the held θ (the title says so).

Every number is the session's (session.line_reading, computed in a worker for a big network: "computing…"
meanwhile); nothing is computed while hidden.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.core.colours import LINE_COLOURS
from explorer.ui.control.play_throttle import follow_runs
from explorer.ui.views.drawing.axis_numbers import scale_labels, scale_ticks, small_plot

TICK_PT, NAME_PT, TITLE_PT, NOTE_PT = 10, 11, 10, 9
THROTTLE_MS = 200
KEY_MIN_HEIGHT = 200   # px (times the text scale): a lower pane hides the key line (it stays in the tooltip)
MARKER_PX = 11


class LineView(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller, self.reader = controller, controller.model
        self.text_scale, self.found = 1.0, None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.plot = small_plot()
        self.plot.setMenuEnabled(False)
        self.plot.setToolTip("The training loss along d₁ and d₂ through θ* (solid), the test loss along d₁ (dashed), "
                             "and the point on show projected onto each line (dots). On the line between two runs' "
                             "ends (a = −1, +1) the bar is the barrier: the highest loss between them above the "
                             "higher end")
        layout.addWidget(self.plot, 1)
        self.key = QLabel()
        self.key.setWordWrap(True)
        layout.addWidget(self.key)
        self.curves = {name: self.plot.plot([], [], connect="finite") for name in ("d1", "d2", "test")}
        self.ends_level = self.plot.plot([], [])
        self.barrier_bar = self.plot.plot([], [])
        self.markers = pg.ScatterPlotItem(size=MARKER_PX, pen=pg.mkPen("#1A1A1A", width=1.5))
        self.plot.addItem(self.markers)
        self.set_text_scale(1.0)
        self.throttled = follow_runs(self, controller, self.refresh, THROTTLE_MS, also=(controller.setupChanged,))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.key.setVisible(event.size().height() >= KEY_MIN_HEIGHT * self.text_scale)

    def set_text_scale(self, scale: float) -> None:
        self.text_scale = float(scale)
        scale_ticks((self.plot,), scale, pt=TICK_PT)
        style = {"font-size": f"{NAME_PT * scale:.3g}pt", "color": "#222222"}
        self.plot.setLabel("left", "loss", **style)
        self._bottom_label()
        self.markers.setSize(MARKER_PX * scale)
        c = LINE_COLOURS   # lines as thick as the text is large (presentation, big exports)
        self.curves["d1"].setPen(pg.mkPen(c["d1"], width=2.5 * scale))
        self.curves["d2"].setPen(pg.mkPen(c["d2"], width=2.5 * scale))
        self.curves["test"].setPen(pg.mkPen(c["d1"], width=2 * scale, style=Qt.DashLine))
        self.ends_level.setPen(pg.mkPen(c["barrier"], width=1.5 * scale, style=Qt.DotLine))
        self.barrier_bar.setPen(pg.mkPen(c["barrier"], width=3 * scale))
        scale_labels((self.title,), TITLE_PT, scale)
        scale_labels((self.key,), NOTE_PT, scale)
        self.refresh()

    def _bottom_label(self, axes: bool = False) -> None:
        text = "a: change from the held value" if axes else "a: θ = θ* + a·d"
        self.plot.setLabel("bottom", text, **{"font-size": f"{NAME_PT * self.text_scale:.3g}pt", "color": "#222222"})

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    # ---------------------------------------------------------------- drawing
    def refresh(self, *_) -> None:
        if not self.isVisible() or self.reader.problem is None:
            return
        found = self.reader.line_or_later(self._ready)
        if found is None:
            self._computing()
        else:
            self._draw(found)

    def _ready(self) -> None:
        if self.isVisible():
            self.refresh()

    def _computing(self) -> None:
        self.found = None
        for item in (*self.curves.values(), self.ends_level, self.barrier_bar):
            item.setData([], [])
        self.markers.setData([], [])
        self.title.setText(f"Computing the loss along two lines ({self.reader.problem.dimension:,} parameters)…")

    def _draw(self, found: dict) -> None:
        self.found = found
        a = np.asarray(found["a"])
        for name in ("d1", "d2"):
            self.curves[name].setData(a, np.asarray(found[name], dtype=float))
        test = found["test"]
        if test is not None:
            self.curves["test"].setData(a, np.asarray(test, dtype=float))
        else:
            self.curves["test"].setData([], [])
        spots = [{"pos": found["marker"][name], "brush": pg.mkBrush(LINE_COLOURS[name])} for name in ("d1", "d2")
                 if abs(found["marker"][name][0]) <= found["span"] and np.isfinite(found["marker"][name][1])]
        self.markers.setData(spots)
        b = found["barrier"]
        if b is not None and np.isfinite(b.height) and b.height > 0:
            higher = max(b.ends)
            self.ends_level.setData([-1.0, 1.0], [higher, higher])
            self.barrier_bar.setData([b.at, b.at], [higher, b.highest])
        else:
            self.ends_level.setData([], [])
            self.barrier_bar.setData([], [])
        self._range(found)
        self.title.setText(found["title"])
        first, second = found["names"]
        self._bottom_label(first != "d₁")
        self.key.setText(key_text(first, second, test is not None, b is not None))

    def _range(self, found: dict) -> None:
        """The whole span across, and every finite loss drawn up."""
        values = np.concatenate([np.asarray(found[k], dtype=float) for k in ("d1", "d2", "test")
                                 if found[k] is not None])
        values = values[np.isfinite(values)]
        self.plot.setXRange(-found["span"], found["span"], padding=0.02)
        if values.size:
            low, high = float(values.min()), float(values.max())
            self.plot.setYRange(low, high if high > low else low + 1.0, padding=0.06)

    def drawn(self) -> dict:
        """What a test reads: each curve's data, the dots, the barrier bar and the title."""
        def data_of(item):
            x, y = item.getData()
            return (np.array([]), np.array([])) if x is None else (np.asarray(x, float), np.asarray(y, float))

        data = {name: data_of(item) for name, item in self.curves.items()}
        x, y = self.markers.getData()
        return {**data, "markers": list(zip(np.asarray(x, float).tolist(), np.asarray(y, float).tolist())),
                "barrier": data_of(self.barrier_bar),
                "title": self.title.text()}


def key_text(first: str, second: str, test: bool, barrier: bool) -> str:
    """The key to the curves, in their colours."""
    c = LINE_COLOURS
    parts = [f"<span style='color:{c['d1']}'>— training loss along {first}</span>",
             f"<span style='color:{c['d2']}'>— along {second}</span>"]
    if test:
        parts.append(f"<span style='color:{c['d1']}'>- - test loss along {first}</span>")
    parts.append("● the point on show, projected")
    if barrier:
        parts.append(f"<span style='color:{c['barrier']}'>▮ the barrier above the higher end</span>")
    return " · ".join(parts)
