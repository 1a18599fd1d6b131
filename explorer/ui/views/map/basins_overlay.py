"""Basins of attraction on the map: every start coloured by where the selected run's method ends from it.

Run → Basins of attraction (Ctrl+B) computes `explorer.core.basins` for the selected run's method
and settings over the map's domain (BASIN_GRID × BASIN_GRID starts, all at once) in a worker thread,
with progress and Cancel, then paints the map with one colour per end (minima, saddles, maxima),
white where a start ended nowhere (diverged, step limit, still falling), marks each end and names
it in a key beside the map (never over it). The curvature colours return when it is switched off or anything it depends on
changes (function, parameters, domain, the run's method or settings).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, QTimer
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence

from explorer.core.basins import basins
from explorer.core.basins_methods import METHODS, Cancelled
from explorer.core.colours import BASIN_COLOURS, NO_END, basin_colour, rgb
from explorer.session.kinds import is_optimizer_run
from explorer.ui.control.background import BackgroundCancelled, run_in_background

BASIN_GRID = 100
MAX_STEPS = 1000            # per start: enough for gd on the presets; a bigger step limit is capped here
END_SYMBOLS = {"minimum": "o", "saddle": "+", "maximum": "t", "degenerate": "d"}
KEY_PT = 10
SHORT = {"minimum": "min", "maximum": "max"}   # the key's words: short, so that nine ends fit under a small map
BESIDE, UNDER = (2, 4), (5, 1)   # the key's cell in the plot's layout: right of the map (and of a colour bar),
                                 # or under it (and under a colour bar): where the letter-box leaves room


def basin_rgba(bmap) -> np.ndarray:
    """(nx, ny, 4) ubyte: each start's end colour (explorer.core.colours, cycling past nine ends), NO_END for −1."""
    table = np.array([(*rgb(c), 255) for c in (*BASIN_COLOURS, NO_END)], dtype=np.ubyte)
    index = np.where(bmap.label < 0, len(BASIN_COLOURS), bmap.label % len(BASIN_COLOURS))
    return table[index]


def key_lines(bmap) -> list[tuple[str, str]]:
    """(colour, text) per end, then the starts that ended nowhere: what the key beside the map says."""
    total = bmap.label.size
    lines = []
    for k, (end, kind, count) in enumerate(zip(bmap.ends, bmap.kinds, bmap.counts)):
        where = f"({end[0]:.3g}, {end[1]:.3g})".replace("-", "−")
        lines.append((basin_colour(k), f"{SHORT.get(kind, kind)} {where} {100 * count / total:.0f}%"))
    unfinished = bmap.unfinished()
    if unfinished:
        reasons = ", ".join(f"{n} {why}" for why, n in unfinished.items())
        lines.append((NO_END, f"none: {reasons}"))
    return lines


class BasinsOverlay:
    """The basin map's picture on a ContourView: an image over the curvature colours, the ends, a key beside it."""

    def __init__(self, view):
        self.view = view
        self.bmap = None
        self.text_scale = 1.0
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setZValue(-50)     # above the curvature image (−100), below level lines, paths, overlays
        self.ends = pg.ScatterPlotItem(pxMode=True)
        self.ends.setZValue(19)
        for item in (self.image, self.ends):
            item.setVisible(False)
            view.addItem(item, ignoreBounds=True)
        self.key = pg.LabelItem(justify="left")   # a cell of the plot's layout: outside the data area
        self.key.setVisible(False)
        self.cell, self.columns = None, 0   # where the key is in the layout (None: not there), in how many columns
        view.getPlotItem().vb.sigResized.connect(lambda *_: self._place_key())

    def show(self, bmap) -> None:
        self.bmap = bmap
        x, y = bmap.x, bmap.y
        dx, dy = (x[-1] - x[0]) / max(len(x) - 1, 1), (y[-1] - y[0]) / max(len(y) - 1, 1)
        self.image.setImage(basin_rgba(bmap), levels=None, autoLevels=False)
        # each start's cell centred on it, as the curvature image draws its grid points
        self.image.setRect(float(x[0] - dx / 2), float(y[0] - dy / 2), float(x[-1] - x[0] + dx),
                           float(y[-1] - y[0] + dy))
        self.ends.setData([e[0] for e in bmap.ends], [e[1] for e in bmap.ends],
                          symbol=[END_SYMBOLS.get(k, "o") for k in bmap.kinds], size=15,
                          brush=pg.mkBrush("#222222"), pen=pg.mkPen("#ffffff", width=2))
        for item in (self.image, self.ends):
            item.setVisible(True)
        self._remove_key()   # its text is written anew where it goes
        self._place_key()

    def _place_key(self) -> None:
        """The key beside the map in a wide pane (one column), under it in a tall one (as many columns as fit)."""
        if self.bmap is None:
            return
        v = self.view
        (x0, x1), (y0, y1) = v.controller.x_range, v.controller.y_range
        cell = UNDER if v.true_scale and v.width() * (y1 - y0) < v.height() * (x1 - x0) else BESIDE
        lines = key_lines(self.bmap)
        font = QFont("Sans")
        font.setPointSizeF(KEY_PT * self.text_scale)
        widest = max(QFontMetrics(font).horizontalAdvance(f"■ {text}   ") for _, text in lines)
        # under the map: as many columns as its width holds (nine ends of Newton take five rows, not ten)
        columns = max(1, min(3, int((v.width() - 30) // widest))) if cell == UNDER else 1
        if (cell, columns) == (self.cell, self.columns):
            return
        rows = [f"<td><span style='color:{colour if colour != NO_END else '#999999'}'>"
                f"{'■' if colour != NO_END else '□'}</span> {text}&nbsp;&nbsp;</td>" for colour, text in lines]
        table = "".join(f"<tr>{''.join(rows[i:i + columns])}</tr>" for i in range(0, len(rows), columns))
        self.key.setText(f"<div style='font-size:{KEY_PT * self.text_scale:.3g}pt; color:#222222'>"
                         f"<b>where {self.bmap.method} ends</b><table cellspacing='0'>{table}</table></div>")
        self._remove_key()
        layout = v.getPlotItem().layout
        layout.addItem(self.key, *cell)
        self.cell, self.columns = cell, columns
        self.key.setVisible(True)
        layout.activate()   # placed now, not at the plot's corner until the next layout pass

    def set_text_scale(self, scale: float) -> None:
        """The key's text `scale`× its normal size (presentation mode)."""
        self.text_scale = float(scale)
        if self.bmap is not None:
            self.show(self.bmap)

    def hide(self) -> None:
        self.bmap = None
        self._remove_key()
        for item in (self.image, self.ends):
            item.setVisible(False)

    def _remove_key(self) -> None:
        if self.cell is not None:
            self.view.getPlotItem().layout.removeItem(self.key)
            self.cell = None
        self.key.setVisible(False)

    @property
    def shown(self) -> bool:
        return self.bmap is not None


def basins_work(c, n: int = BASIN_GRID):
    """work(progress) -> the basin map of the selected run's method and settings over the map's domain
    (n × n starts), with what it needs read now; None where there is no surface run of a vectorised method."""
    run = c.selected_run()
    if run is None or c.session.expression is None or run.method not in METHODS:
        return None
    expression, params = c.session.expression, c.setup.parameter_values()
    x, y = np.linspace(*c.x_range, n), np.linspace(*c.y_range, n)
    settings, steps = dict(run.optimizer.settings()), min(int(c.setup.max_steps), MAX_STEPS)
    schedule = run.optimizer.schedule

    def work(report=None):
        return basins(expression, run.method, x, y, params=params, settings=settings, max_steps=steps,
                      progress=report, schedule=schedule)

    return work


def compute_basins(window, n: int = BASIN_GRID):
    """The basin map for the selected run, computed in a worker thread while the window draws;
    None (with a message) if there is no run, its method has no vectorised form, or Cancel was pressed."""
    c = window.controller
    run = c.selected_run()
    if run is None or c.session.expression is None:
        c.message.emit("Basins of attraction: add a run first; its method and settings are used")
        return None
    if run.method not in METHODS:
        c.message.emit(f"Basins of attraction: {run.method} has no vectorised form here; "
                       f"choose a run of {', '.join(METHODS)}")
        return None
    work = basins_work(c, n)
    try:
        return run_in_background(window, "Basins of attraction", work, name="basins",
                                 label=f"Basins of attraction: {n}×{n} starts, {run.method}…")
    except (BackgroundCancelled, Cancelled):
        c.message.emit("Basins of attraction cancelled")
    except Exception as err:  # noqa: BLE001 - reported in the status bar: the window stays as it was
        c.message.emit(f"Basins of attraction could not be computed ({type(err).__name__}: {err})")
    return None


PLURAL = {"minimum": "minima", "saddle": "saddles", "maximum": "maxima", "degenerate": "degenerate ends"}


def summary(bmap) -> str:
    """'Basins of gd from 100×100 starts: 4 minima' — the status line after computing."""
    found = [(kind, bmap.kinds.count(kind)) for kind in PLURAL if kind in bmap.kinds]
    ends = ", ".join(f"{n} {kind if n == 1 else PLURAL[kind]}" for kind, n in found) or "no end at all"
    nx, ny = bmap.label.shape
    return f"Basins of {bmap.method} from {nx}×{ny} starts: {ends}"


def basis_key(c):
    """What a basin map depends on: function, parameters, domain, the selected run's method, settings and
    learning-rate schedule."""
    run = c.selected_run()
    if run is None or not is_optimizer_run(run):
        return None
    return (c.text, tuple(sorted(c.setup.parameter_values().items())), tuple(c.x_range), tuple(c.y_range),
            run.method, tuple(sorted(run.optimizer.settings().items())), run.optimizer.schedule, c.setup.max_steps)


def add_basins_action(window, menu):
    """Run → Basins of attraction (Ctrl+B, checkable) on `window`'s map: (the overlay, the action), for the
    window to hold.

    The display option `basins` (saved in scenes, undoable like the other overlays) says whether the
    map shows them. While it is on they follow what they depend on: a new function, domain, selected
    run or setting computes them anew (in the background, the newest request only); a method without
    a vectorised form, or Cancel, turns the option off."""
    c = window.controller
    overlay = BasinsOverlay(window.contour)
    action = QAction("&Basins of attraction", window, checkable=True, shortcut=QKeySequence("Ctrl+B"))
    action.setToolTip("Colour every start on the map by where the selected run's method ends from it")
    shown_for, computing = [None], []

    def wanted() -> bool:
        return bool(c.overlays.get("basins", False))

    def chosen(on: bool) -> None:
        if on != wanted():
            c.set_display(basins=on)   # the picture follows the option (sync)

    def sync(*_) -> None:
        """The picture and the check mark follow the option and what the basins depend on; a
        computation waits for the event loop, never runs inside the session's change."""
        if overlay.shown and (not wanted() or basis_key(c) != shown_for[0]):
            overlay.hide()
        if wanted() and not overlay.shown:
            QTimer.singleShot(0, compute)
        mark()

    def compute() -> None:
        if not wanted() or overlay.shown or computing or c.cmap is None:
            return   # nothing to do, already at it (it looks again when done), or no surface yet
        key = basis_key(c)
        computing.append(True)
        try:
            bmap = compute_basins(window)
        finally:
            computing.clear()
        if bmap is None:   # refused or cancelled (said in the status bar): the option goes off
            QTimer.singleShot(0, lambda: wanted() and c.set_display(basins=False))
        elif wanted():
            overlay.show(bmap)
            shown_for[0] = key
            c.message.emit(summary(bmap))
            if basis_key(c) != key:   # something changed while it computed: the newest request wins
                overlay.hide()
                QTimer.singleShot(0, compute)
        mark()

    def mark() -> None:
        with QSignalBlocker(action):
            action.setChecked(wanted())

    action.toggled.connect(chosen)
    for signal in (c.displayChanged, c.surfaceChanged, c.runsChanged, c.selectionChanged, c.setupChanged):
        signal.connect(sync)
    menu.addSeparator()
    menu.addAction(action)
    window.addAction(action)
    return overlay, action
