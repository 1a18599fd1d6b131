"""A pyqtgraph axis that writes its numbers as the rest of the window does: −5·10¹⁰, not -5e+10."""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF

from explorer.core.ticks import MINUS, format_tick, superscript


class NumberAxis(pg.AxisItem):
    """Linear ticks through `gl_ticks.format_tick` (true minus signs, ·10ⁿ); log ticks as powers of ten."""

    def tickStrings(self, values, scale, spacing):
        if self.logMode:
            return self.logTickStrings(values, scale, spacing)
        magnitude = max((abs(v * scale) for v in values), default=0.0)   # one style for the whole axis
        return [format_tick(v * scale, spacing * scale, magnitude) for v in values]

    def logTickStrings(self, values, scale, spacing):
        """A log axis's ticks (at log10 of the value) in one style: 1, 10, 10⁻⁴, 3·10⁻⁴ (pyqtgraph mixes
        0.0001 with 10⁻⁶); between decades only the labels that have room (pyqtgraph writes 20…90 over
        each other on a short axis)."""
        height = QFontMetricsF(self.style["tickFont"] or self.font()).height()
        shown = between_decades(self._pixels_per_decade(), height)
        return [power_of_ten(v) if decade_and_mantissa(v)[1] in shown else "" for v in values]

    def _pixels_per_decade(self) -> float:
        low, high = self.range
        length = self.width() if self.orientation in ("top", "bottom") else self.height()
        return length / (high - low) if high > low else 0.0


def between_decades(pixels_per_decade: float, text_height: float) -> tuple[int, ...]:
    """The mantissas labelled between decades (1 is the decade itself): every one where even 9 and 10 stand
    apart, 2 and 5 where the gap 1 to 2 (0.3 of a decade) holds a label, else none."""
    room = 1.2 * text_height
    if pixels_per_decade * math.log10(10 / 9) >= room:
        return tuple(range(1, 10))
    return (1, 2, 5) if pixels_per_decade * math.log10(2) >= room else (1,)


def decade_and_mantissa(exponent: float) -> tuple[int, int]:
    """(n, m) with 10**exponent ≈ m·10ⁿ, m a whole number 1…9 (log ticks sit at such values)."""
    decade = int(round(exponent)) if abs(exponent - round(exponent)) < 1e-6 else math.floor(exponent)
    mantissa = round(10 ** (exponent - decade))
    return (decade + 1, 1) if mantissa == 10 else (decade, mantissa)


def power_of_ten(exponent: float) -> str:
    """10**exponent as a log axis writes it: 1, 10, 10ⁿ, or m·10ⁿ between decades."""
    decade, mantissa = decade_and_mantissa(exponent)
    if decade in (0, 1):
        return str(mantissa * 10 ** decade)
    power = f"10{superscript(str(decade).replace('-', MINUS))}"
    return power if mantissa == 1 else f"{mantissa}·{power}"


TICK_PT, NAME_PT, TITLE_PT = 10, 11, 10   # a small plot's tick numbers, axis names and title, at scale 1


def scale_plot_text(plot, title, names: dict[str, str], scale: float) -> None:
    """A small plot's ticks, axis names ({side: name}) and `title` label at `scale`× their size (presentation
    mode, big exports)."""
    scale_ticks_and_title(plot, title, scale, tuple(names))
    for side, name in names.items():
        plot.setLabel(side, name, **{"font-size": f"{NAME_PT * scale:.3g}pt", "color": "#222222"})


def scale_ticks_and_title(plot, title, scale: float, sides=("left", "bottom")) -> None:
    """A plot's tick numbers on `sides` and its `title` label at `scale`× their size."""
    scale_ticks((plot,), scale, sides)
    scale_labels((title,), TITLE_PT, scale)


def scale_ticks(plots, scale: float, sides=("left", "bottom"), pt: float = TICK_PT) -> None:
    """The tick numbers of `plots` on `sides` at `scale`× `pt` points."""
    font = QFont("Sans")
    font.setPointSizeF(pt * scale)
    for plot in plots:
        for side in sides:
            plot.getAxis(side).setTickFont(font)


def scale_labels(labels, pt: float, scale: float) -> None:
    """Text `labels` (their own font family) at `scale`× `pt` points."""
    for label in labels:
        font = QFont(label.font())
        font.setPointSizeF(pt * scale)
        label.setFont(font)


def small_plot(grid: float = 0.2) -> pg.PlotWidget:
    """A plot pane as the window's small plots have it: NumberAxis axes in dark text without "(x0.001)"
    prefixes, no keyboard focus (the window's keys step the runs), a light grid of opacity `grid`."""
    plot = pg.PlotWidget(background="#f7f7f7", axisItems={side: NumberAxis(side) for side in ("left", "bottom")})
    plot.setFocusPolicy(Qt.NoFocus)
    plot.showGrid(x=True, y=True, alpha=grid)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setTextPen("#222222")
        axis.enableAutoSIPrefix(False)
    return plot
