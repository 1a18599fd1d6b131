"""A pyqtgraph axis that writes its numbers as the rest of the window does: −5·10¹⁰, not -5e+10."""
from __future__ import annotations

import pyqtgraph as pg

from explorer.ui.gl_ticks import format_tick


class NumberAxis(pg.AxisItem):
    """Linear ticks through `gl_ticks.format_tick` (true minus signs, ·10ⁿ); log ticks as pyqtgraph writes them."""

    def tickStrings(self, values, scale, spacing):
        if self.logMode:
            return self.logTickStrings(values, scale, spacing)
        magnitude = max((abs(v * scale) for v in values), default=0.0)   # one style for the whole axis
        return [format_tick(v * scale, spacing * scale, magnitude) for v in values]
