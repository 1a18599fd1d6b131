"""The .png of `landscape-explorer basins`: the map of ends with axes, a key beside it and a title, drawn with
Pillow in the window's colours (explorer.core.colours), so that it needs no display."""
from __future__ import annotations

import numpy as np

from explorer.core.basins import BasinMap
from explorer.core.colours import NO_END, basin_colour, rgb
from explorer.core.ticks import format_tick, nice_ticks   # Qt-free: round ticks as the window writes them

PICTURE_SIDE = 600          # the map's longer side in pixels, x and y to one scale
MIN_SIDE = 150              # but a very flat domain is drawn at least this tall (or wide)
TITLE_PX, TEXT_PX = 22, 17  # font sizes: readable on a slide
INK, FRAME = (34, 34, 34), (90, 90, 90)
TICK = 7                    # a tick mark's length in pixels
SWATCH = 20


def picture(bmap: BasinMap, title: str):
    """A PIL image: a colour per end, white for none; x to the right, y up, both with ticks; each end marked by
    its kind; beside the map a key (kind, place, share of starts per end); `title` above. image.info["map"]
    is the map's (left, top, width, height) in pixels."""
    from PIL import Image, ImageDraw, ImageFont   # Pillow: only this command needs it

    (title_font, signs), (font, _) = _font(ImageFont, TITLE_PX), _font(ImageFont, TEXT_PX)
    say = (lambda text: text) if signs else (lambda text: text.replace("\u2212", "-"))   # noqa: E731
    nx, ny = bmap.label.shape
    # x and y to one scale (each start's cell centred on it), the longer side PICTURE_SIDE
    dx, dy = (bmap.x[-1] - bmap.x[0]) / (nx - 1), (bmap.y[-1] - bmap.y[0]) / (ny - 1)
    scale = PICTURE_SIDE / max(nx * dx, ny * dy)   # pixels per unit of x and of y
    width, height = max(MIN_SIDE, round(nx * dx * scale)), max(MIN_SIDE, round(ny * dy * scale))
    x_ticks, x_step = nice_ticks(float(bmap.x[0]), float(bmap.x[-1]))
    y_ticks, y_step = nice_ticks(float(bmap.y[0]), float(bmap.y[-1]))
    y_texts = [say(format_tick(v, y_step, float(np.max(np.abs(y_ticks))))) for v in y_ticks]
    x_texts = [say(format_tick(v, x_step, float(np.max(np.abs(x_ticks))))) for v in x_ticks]
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    text_w = lambda text, f=font: measure.textlength(text, font=f)   # noqa: E731
    line = int(TEXT_PX * 1.6)
    left = int(max(map(text_w, y_texts)) + TICK + 14 + line)        # y's tick labels and its name
    top, bottom = int(TITLE_PX * 2.6), int(TICK + 2 * line + 8)
    span = max(nx * dx, ny * dy)
    rows = [(colour, say(text)) for colour, text in key_rows(bmap, max(12, height // line - 1), span)]
    key_w = int(max(text_w(text) for _, text in rows) + SWATCH + 3 * 12)
    image = Image.new("RGB", (left + width + key_w, max(top + height + bottom, top + len(rows) * line + 8)), "white")
    draw = ImageDraw.Draw(image)

    cells = np.array([rgb(basin_colour(k)) for k in range(-1, len(bmap.ends))], dtype=np.uint8)[bmap.label.T[::-1] + 1]
    image.paste(Image.fromarray(np.ascontiguousarray(cells), "RGB").resize((width, height), Image.NEAREST), (left, top))
    draw.rectangle((left - 1, top - 1, left + width, top + height), outline=FRAME)

    def px(value, grid, side):   # the centre of start i is (i + ½) cells from the map's left (or bottom) edge
        return (_fraction(value, grid) + 0.5) * side / len(grid)

    for value, text in zip(x_ticks, x_texts):
        u = left + px(value, bmap.x, width)
        draw.line((u, top + height, u, top + height + TICK), fill=INK, width=2)
        draw.text((u, top + height + TICK + 3), text, fill=INK, font=font, anchor="ma")
    for value, text in zip(y_ticks, y_texts):
        v = top + height - px(value, bmap.y, height)
        draw.line((left - TICK - 1, v, left - 1, v), fill=INK, width=2)
        draw.text((left - TICK - 5, v), text, fill=INK, font=font, anchor="rm")
    draw.text((left + width / 2, top + height + TICK + line + 4), "x", fill=INK, font=font, anchor="ma")
    draw.text((8, top + height / 2), "y", fill=INK, font=font, anchor="lm")
    draw.text((left, TITLE_PX * 0.7), _fitted(title, left + width + key_w - left - 8, title_font, measure),
              fill=INK, font=title_font)

    r = 10.0
    for (ex, ey), kind in zip(bmap.ends, bmap.kinds):
        u, v = left + px(ex, bmap.x, width), top + height - px(ey, bmap.y, height)
        if left <= u <= left + width and top <= v <= top + height:
            _mark(draw, u, v, r, kind)

    image.info["map"] = (left, top, width, height)   # where the starts are drawn (kept in memory, not in the file)
    x0 = left + width + 12
    for n, (colour, text) in enumerate(rows):
        v = top + n * line
        if colour is not None:
            draw.rectangle((x0, v, x0 + SWATCH, v + SWATCH), fill=rgb(colour), outline=FRAME)
        draw.text((x0 + SWATCH + 10, v + SWATCH / 2), text, fill=INK, font=font, anchor="lm")
    return image


def _font(image_font, size: int):
    """DejaVu Sans (it has − and ·), else Pillow's own font; and whether it writes − (U+2212)."""
    try:
        return image_font.truetype("DejaVuSans.ttf", size), True
    except OSError:
        return image_font.load_default(size=size), False


def key_rows(bmap: BasinMap, most: int, span: float) -> list[tuple[str | None, str]]:
    """(colour or None, text): a heading, one row per end, then 'none' in white; past `most` rows, a count.
    A coordinate within a millionth of the domain's `span` of 0 is written 0."""
    total = bmap.label.size
    ends = [(basin_colour(k), f"{kind} ({_number(e[0], span)}, {_number(e[1], span)}) {_share(count, total)}")
            for k, (e, kind, count) in enumerate(zip(bmap.ends, bmap.kinds, bmap.counts))]
    if len(ends) > most - 2:
        rest = len(ends) - (most - 3)
        ends = ends[:most - 3] + [(None, f"… {rest} more ends")]
    nowhere = int(np.count_nonzero(bmap.label < 0))
    return [(None, "end · share of starts"), *ends, (NO_END, f"none {_share(nowhere, total)}")]


def _number(value: float, span: float) -> str:
    return "0" if abs(value) < 1e-6 * span else f"{value:.3g}".replace("-", "−")


def _share(count: int, total: int) -> str:
    share = 100 * count / total
    return f"{share:.0f}%" if share >= 1 or count == 0 else "<1%"


def _fitted(text: str, room: float, font, draw) -> str:
    """`text`, cut with an ellipsis where it is wider than `room` pixels."""
    if draw.textlength(text, font=font) <= room:
        return text
    while text and draw.textlength(text + "…", font=font) > room:
        text = text[:-1]
    return text + "…"


def _fraction(value: float, grid: np.ndarray) -> float:
    """value's position in start indices along an evenly spaced axis (0 at grid[0], n − 1 at grid[-1])."""
    return (value - grid[0]) / (grid[-1] - grid[0]) * (len(grid) - 1)


def _mark(draw, px: float, py: float, r: float, kind: str) -> None:
    """minimum: a ring; saddle: a cross; maximum: a triangle; degenerate: a diamond (black on white)."""
    for colour, width, grow in (((255, 255, 255), 5, 1.25), ((0, 0, 0), 2, 1.0)):
        s = r * grow
        if kind == "minimum":
            draw.ellipse((px - s, py - s, px + s, py + s), outline=colour, width=width)
        elif kind == "saddle":
            draw.line((px - s, py - s, px + s, py + s), fill=colour, width=width)
            draw.line((px - s, py + s, px + s, py - s), fill=colour, width=width)
        elif kind == "maximum":
            draw.polygon([(px, py - s), (px + s, py + 0.8 * s), (px - s, py + 0.8 * s)], outline=colour, width=width)
        else:
            draw.polygon([(px, py - s), (px + s, py), (px, py + s), (px - s, py)], outline=colour, width=width)
