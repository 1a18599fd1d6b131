"""Presentation mode: full screen, large type, the formula, the legend, the lecture note and a caption
with every run's outcome; side panels hidden; a clicker (PageDown/PageUp) steps, Ctrl+PageDown/Up
moves to the next/previous lecture preset."""
from __future__ import annotations

import html

from PySide6.QtCore import QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QFontMetricsF, QKeySequence, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QSizePolicy, QWidget

from explorer.core.typeset import MINUS, name_text, superscript
from explorer.ui.panels.display_bar import FlowLayout
from explorer.ui.window.kind_parts import parts_of
from explorer.ui.window.presentation_layout import PresentationLayout
from explorer.ui.text.run_text import legend_names
from explorer.ui.text.run_text import stopped_here

SCALE = 1.6            # every text in presentation mode, against the normal window
CAPTION_SCALE = 1.25   # the caption (bold), the formula and the note against that
FORMULA_SCALE = 1.5
NOTE_SCALE = 1.1
NB_HYPHEN = "\u2011"   # a hyphen a line never breaks at


_normal_font: QFont | None = None   # the application's font while presentation mode has it enlarged


def normal_font() -> QFont:
    """The application's font outside presentation mode (an export from full screen is the same picture)."""
    return QFont(_normal_font if _normal_font is not None else QApplication.font())


def scaled_font(base: QFont, scale: float, bold: bool = False, italic: bool = False) -> QFont:
    font = QFont(base)
    font.setPointSizeF(max(6.0, base.pointSizeF() * scale))
    font.setBold(bold)
    font.setItalic(italic)
    return font


def caption_font(base: QFont, scale: float) -> QFont:
    """Bold, `scale`× 1.25 the base size: a caption read from the back of the room."""
    return scaled_font(base, CAPTION_SCALE * scale, bold=True)


def number_text(value: float) -> str:
    """Four significant digits, powers of ten written as a board would: 3.433·10⁻²⁰."""
    text = f"{value:.4g}"
    mantissa, e, power = text.partition("e")
    if not e:
        return text.replace("-", MINUS)
    power = ("-" if power.startswith("-") else "") + power.lstrip("+-").lstrip("0")
    return f"{mantissa.replace('-', MINUS)}·10{superscript(power.replace('-', MINUS))}"


def caption_cells(controller) -> list[tuple[str, str]]:
    """One piece of HTML per run: its colour, name, step and f, and once it has stopped what its end point is.

    A run's head never breaks across lines (names keep their hyphens: damped‑newton); a line may
    break after the colon, inside the outcome. Each is (head, outcome)."""
    cells = []
    value = controller.kind.value_name
    for name, config, run in zip(legend_names(controller.configs), controller.configs, controller.runs):
        head = (f"<span style='color:{config.colour}'>●</span> {html.escape(name).replace('-', NB_HYPHEN)} · "
                f"step {run.position} · {value} = {number_text(run.current.value)}")
        outcome = f"<span style='font-weight:normal'> {html.escape(run.summary)}</span>" if stopped_here(run) else ""
        cells.append((f"<span style='white-space:nowrap'>{head}{':' if outcome else ''}</span>", outcome))
    return cells


def caption_text(controller, columns: int | None = None) -> str:
    """The runs in one flowing paragraph, or in a table of `columns` columns when they do not fit one line."""
    cells = [head + outcome for head, outcome in caption_cells(controller)]
    if not cells:
        return "Add an optimizer to start"
    if columns is None or columns >= len(cells):
        return "&nbsp;&nbsp;&nbsp; ".join(cells)
    rows = [cells[i:i + columns] for i in range(0, len(cells), columns)]
    width = 100 // columns
    return ("<table cellspacing='0' cellpadding='0' width='100%'>"
            + "".join("<tr>" + "".join(f"<td width='{width}%'>{cell}&nbsp;&nbsp;</td>" for cell in row) + "</tr>"
                      for row in rows) + "</table>")


def html_height(text: str, font: QFont, width: float) -> float:
    """The height `text` (rich text) takes wrapped at `width`."""
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setTextWidth(width)
    doc.setHtml(text)
    return doc.size().height()


def html_width(text: str, font: QFont, plain: bool = False) -> float:
    """The width `text` (rich text, or plain: a note's 'lr < 0.5' is no tag) needs on one line."""
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setPlainText(text) if plain else doc.setHtml(text)
    return doc.idealWidth()


def formula_html(controller) -> str:
    """'f(x, y) = x²/k + y²   (k = 10)': typeset, with the parameters' values."""
    if not controller.text:
        return ""
    values = ", ".join(f"{name_text(n, True)} = {number_text(v)}" for n, (v, _, _) in controller.parameters.items())
    head = parts_of(controller).formula_head(controller)   # f's, a field's F, a fit's mean loss
    return head + (f"&nbsp;&nbsp;&nbsp;<span style='color:#444444'>({values})</span>"
                                             if values else "")


class WrappingLabel(QLabel):
    """A rich-text label that asks for one line when there is room for it and wraps when there is not."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setContentsMargins(8, 3, 8, 3)   # not a style sheet's padding: sizeHint must know it
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)

    def sizeHint(self) -> QSize:
        m = self.contentsMargins()
        plain = self.textFormat() == Qt.PlainText
        width = int(html_width(self.text(), self.font(), plain)) + 4 + m.left() + m.right() + 2 * self.margin()
        return QSize(width, self.heightForWidth(width))


class Caption(WrappingLabel):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setStyleSheet("background: #ffffff; color: #111111;")
        for signal in (controller.stepped, controller.runsChanged, controller.expressionAccepted):
            signal.connect(self.refresh)
        self.setVisible(False)

    def refresh(self, *_):
        if self.isVisible():
            self.setText(caption_text(self.controller, self.columns()))

    def columns(self) -> int | None:
        """The layout that takes the fewest lines at this width: one flowing paragraph (None), or a table
        of as many columns as the widest run's head allows, or fewer; a tie goes to the aligned table."""
        cells = caption_cells(self.controller)
        room = self.contentsRect().width() - 2 * self.margin()
        if len(cells) < 2 or room <= 0:
            return None
        font = self.font()
        widest = max(html_width(head, font) for head, _ in cells)   # an outcome may wrap in its cell
        most = min(len(cells) - 1, int(room // max(widest + html_width("&nbsp;" * 4, font), 1)))

        def height(columns):
            return html_height(caption_text(self.controller, columns), font, room)

        flowing = height(None)
        tables = [(height(k), -k) for k in range(max(1, most), 0, -1)]
        best, columns = min(tables)
        return -columns if best <= flowing + 0.5 * QFontMetricsF(font).height() else None   # as many lines

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.refresh()

    def minimumSizeHint(self) -> QSize:
        """Not the table's width: a narrower window gets fewer columns (resizeEvent), never a wider minimum."""
        return QSize(min(200, super().minimumSizeHint().width()), self.fontMetrics().height())


class FormulaLabel(WrappingLabel):
    """The function, typeset, with its parameters' values."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setStyleSheet("color: #111111;")
        for signal in (controller.expressionAccepted, controller.parametersChanged):
            signal.connect(self.refresh)
        self.setVisible(False)
        self.refresh()

    def refresh(self, *_):
        self.setText(formula_html(self.controller))
        self.updateGeometry()


class NoteLabel(WrappingLabel):
    """The scene's lecture note (N shows and hides it)."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setStyleSheet("background: #fff8dc; color: #222222;")
        self.setTextFormat(Qt.PlainText)
        controller.metaChanged.connect(self.refresh)
        self.setVisible(False)
        self.refresh()

    def refresh(self, *_):
        self.setText(self.controller.setup.note)

    def has_note(self) -> bool:
        return bool(self.controller.setup.note.strip())


def relayout(window) -> None:
    """The formula and legend row and the sliders laid out again for the larger type, which their layouts
    do not see when the window's size stays the same."""
    for row in (window.display_bar.parentWidget(), window.parameter_bar):
        row.layout().invalidate()
        row.layout().setGeometry(row.contentsRect())


def header_row(formula: QWidget, bar: QWidget) -> QWidget:
    """The formula on the left, the bar (the legend) on the rest of the row, or under it when narrow."""
    row = QWidget()
    FlowLayout(row, spacing=12, last="fill")
    row.layout().addWidget(formula)
    row.layout().addWidget(bar)
    return row


class Presentation:
    """Switches a MainWindow in and out of presentation mode (F11; Esc leaves)."""

    def __init__(self, window):
        self.window = window
        self.active = False
        self.note_shown = True
        self._font = None
        self._hidden = []        # the side panels this mode hid (and shows again)
        self._splits = None      # the views' and the loss plot's heights before
        self.layout = PresentationLayout(window)

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self, full_screen: bool = True) -> None:
        """Large type, the story on screen; `full_screen=False` keeps the window's size (the gallery)."""
        global _normal_font
        w = self.window
        if self.active:
            return
        self.active = True
        app = QApplication.instance()
        self._font = _normal_font = QFont(app.font())
        big = scaled_font(self._font, SCALE)
        app.setFont(big)
        self._hidden = [panel for panel in w.side_panels() if not panel.isHidden()]
        for panel in self._hidden:
            panel.setVisible(False)
        w.update_right_column()   # the stability map stays while it has something to show
        w.menuBar().setVisible(False)
        w.statusBar().setVisible(False)   # the audience's screen: messages are the lecturer's
        w.display_bar.show_controls(False)   # the legend stays
        self._splits = w.centre.sizes()
        w.loss.controls.setVisible(False)
        w.parameter_bar.offer(True)   # the sliders a note says to drag ('drag k up')
        w.caption.setFont(caption_font(big, 1.0))
        w.formula.setFont(scaled_font(big, FORMULA_SCALE))
        w.note.setFont(scaled_font(big, NOTE_SCALE, italic=True))
        for widget in (w.caption, w.formula):
            widget.setVisible(True)
            widget.refresh()
        self.arrange()
        w.contour.set_text_scale(SCALE)
        w.loss.set_text_scale(SCALE)
        w.lr_plot.set_text_scale(SCALE)
        w.stability.set_text_scale(SCALE)   # it stays beside the views while f is a quadratic
        w.basins.set_text_scale(SCALE)
        for parts in w.parts.values():   # each kind's pane (and a fit's slice note over the map)
            parts.set_text_scale(SCALE)
        QTimer.singleShot(0, w, lambda: relayout(w))   # every text is larger: laid out again at the same size
        if full_screen:
            w.showFullScreen()
        w.setFocus()  # keyboard-only control from here

    def arrange(self) -> None:
        """The panes for the window's present size (a full-screen window gets its size after entering)."""
        if self.active:
            self.layout.arrange(self.note_shown)

    def leave(self) -> None:
        global _normal_font
        w = self.window
        if not self.active:
            return
        self.active = False
        QApplication.instance().setFont(self._font)
        _normal_font = None
        for panel in self._hidden:
            panel.setVisible(True)
        w.update_right_column()
        w.menuBar().setVisible(True)
        w.statusBar().setVisible(True)
        if self._splits:
            w.centre.setSizes(self._splits)
        w.display_bar.show_controls(True)
        w.loss.controls.setVisible(True)
        w.parameter_bar.offer(False)
        self.layout.restore()
        for widget in (w.caption, w.formula, w.note):
            widget.setVisible(False)
        w.contour.set_text_scale(1.0)
        w.loss.set_text_scale(1.0)
        w.lr_plot.set_text_scale(1.0)
        w.stability.set_text_scale(1.0)
        w.basins.set_text_scale(1.0)
        for parts in w.parts.values():
            parts.set_text_scale(1.0)
        if w.isFullScreen():
            w.showNormal()

    def swap_stability(self) -> None:
        """V: the stability map in the 3D view's place and back, where the screen has no room for both."""
        if self.active and self.layout.stability_offered():
            self.layout.swapped = not self.layout.swapped
            self.arrange()

    def toggle_note(self) -> None:
        """N: the lecture note on or off (remembered for the next presentation)."""
        if self.active:   # what is on screen changes, even where the note was held back for room
            self.note_shown = self.layout.note_asked = not self.window.note.isVisible()
            self.arrange()
            return
        self.note_shown = not self.note_shown
        if self.window.note.has_note():
            self.window.controller.message.emit("The lecture note will be " + ("shown" if self.note_shown else
                                                                               "hidden") + " in presentation mode")


# ---------------------------------------------------------------- lecture presets without the side panel
def lecture_index(window) -> int | None:
    """Which lecture preset is on show (by its title), or None."""
    titles = [scene.title for scene in window.editor.lectures.values()]
    title = window.controller.setup.title
    return titles.index(title) if title and title in titles else None


def show_lecture(window, index: int) -> None:
    scenes = list(window.editor.lectures.values())
    if not scenes:
        return
    index = max(0, min(index, len(scenes) - 1))
    scene = scenes[index]
    window.scenes.show_scene(scene, f"Load {scene.title}")
    window.controller.message.emit(f"Lecture {index + 1} of {len(scenes)}: {scene.title}")


def step_lecture(window, delta: int) -> None:
    """Ctrl+PageDown / Ctrl+PageUp: the next / previous lecture preset (the first / last from another scene)."""
    scenes = list(window.editor.lectures.values())
    current = lecture_index(window)
    if current is None:
        show_lecture(window, 0 if delta > 0 else len(scenes) - 1)
    elif 0 <= current + delta < len(scenes):
        show_lecture(window, current + delta)
    else:
        window.controller.message.emit("That was the " + ("last" if delta > 0 else "first") + " lecture preset")


def add_lecture_menu(window) -> QMenu:
    """The Lectures menu: every lecture preset, next and previous, and Ctrl+L to pop it up in full screen."""
    menu = window.menuBar().addMenu("&Lectures")
    for text, key, delta in (("&Next lecture preset", "Ctrl+PgDown", 1), ("&Previous lecture preset", "Ctrl+PgUp", -1)):
        action = QAction(text, window, shortcut=QKeySequence(key))
        action.triggered.connect(lambda _=False, d=delta: step_lecture(window, d))
        menu.addAction(action)
    menu.addSeparator()
    for index, scene in enumerate(window.editor.lectures.values()):
        action = QAction(f"{index + 1}. {scene.title}", window)
        action.setToolTip(scene.note)
        action.triggered.connect(lambda _=False, i=index: show_lecture(window, i))
        menu.addAction(action)
    # the menu bar is hidden in full screen: Ctrl+L pops the same menu up over the views
    choose = QAction("Choose a lecture preset", window, shortcut=QKeySequence("Ctrl+L"))
    choose.triggered.connect(lambda: menu.exec(window.mapToGlobal(QPoint(window.width() // 3, window.height() // 4))))
    window.addAction(choose)
    return menu
