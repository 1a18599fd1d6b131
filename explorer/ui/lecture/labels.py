"""The large-type parts of a lecture's picture: fonts scaled for the room, the caption with every run's
outcome, the typeset formula and the lecture note; presentation mode and the export stage show the same."""
from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QWidget

from explorer.core.typeset import MINUS, name_text, superscript
from explorer.ui.kinds.parts import parts_of
from explorer.ui.text.run_text import legend_names, stopped_here
from explorer.ui.views.drawing.flow_layout import FlowLayout

SCALE = 1.6            # every text in presentation mode, against the normal window
CAPTION_SCALE = 1.25   # the caption (bold), the formula and the note against that
FORMULA_SCALE = 1.5
NOTE_SCALE = 1.1
NB_HYPHEN = "\u2011"   # a hyphen a line never breaks at


_normal_font: QFont | None = None   # the application's font while presentation mode has it enlarged


def keep_normal_font(font: QFont | None) -> None:
    """Presentation mode keeps the application's normal font here while it has the font enlarged (None: left)."""
    global _normal_font
    _normal_font = font


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


def header_row(formula: QWidget, bar: QWidget) -> QWidget:
    """The formula on the left, the bar (the legend) on the rest of the row, or under it when narrow."""
    row = QWidget()
    FlowLayout(row, spacing=12, last="fill")
    row.layout().addWidget(formula)
    row.layout().addWidget(bar)
    return row
