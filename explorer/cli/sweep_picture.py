"""The .png of `landscape-explorer sweep`: a final metric on the train rows and on the test rows against the swept
value, each seed a small dot and the mean over seeds a line with markers, drawn with Pillow (no display needed)."""
from __future__ import annotations

from explorer.cli.basins_picture import FRAME, INK, TEXT_PX, TICK, TITLE_PX, _fitted, _font
from explorer.core.colours import SPLIT_COLOURS, rgb
from explorer.core.sweep import number_at, summarise
from explorer.core.sweep_axis import value_axis, value_text
from explorer.core.ticks import format_tick, nice_ticks

PLOT_W, PLOT_H, MAX_W = 640, 420, 1000     # the plot's size in pixels; many long category names widen it
PAD = 30            # from the frame to the first and last value, so that no mark sits on the frame
DODGE = 6           # train drawn this many pixels left of its value, test right: both stay visible (one part: on it)
GRID = (225, 225, 225)
PARTS = ("train", "test")
MARGIN = 12


def picture(results: list[dict], value_name: str, metric: str, title: str | None = None):
    """A PIL image of `metric` on the train and test rows against `value_name`. image.info["plot"] is the plot's
    (left, top, width, height), info["x"] maps each value to its pixel column and info["y"] is the metric's
    (bottom, top) range, for a reader of the pixels."""
    from PIL import Image, ImageDraw, ImageFont   # Pillow: only the pictures need it

    (title_font, signs), (font, _) = _font(ImageFont, TITLE_PX), _font(ImageFont, TEXT_PX)
    say = (lambda text: text) if signs else (lambda text: text.replace("\u2212", "-"))   # noqa: E731
    seeds = {part: [(r["value"], n) for r in results if (n := number_at(r, (part, metric))) is not None]
             for part in PARTS}
    parts = [part for part in PARTS if seeds[part]]
    if not parts:
        raise ValueError(f"no run has a number for '{metric}' on its train or test rows")
    axis = value_axis([r["value"] for r in results])
    lo, hi = _metric_range([n for part in parts for _, n in seeds[part]])
    y_ticks, y_step = nice_ticks(lo, hi)
    y_texts = [say(format_tick(float(t), y_step, float(max(abs(y_ticks))))) for t in y_ticks]

    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    text_w = lambda text, f=font: measure.textlength(text, font=f)   # noqa: E731
    line = int(TEXT_PX * 1.6)
    axis_ticks = [(p, say(t)) for p, t in axis.ticks]
    x_marks, width, rows = _x_marks(axis, [(p, say(t)) for p, t in axis.labels], axis_ticks, text_w)
    seed_count = len({str(r["seed"]) for r in results})
    key = [(part, f"{part} rows: mean of {seed_count} seeds" if seed_count > 1 else f"{part} rows") for part in parts]
    key += [(None, "dot: one seed")] * (seed_count > 1) + [(None, f"no {part} rows") for part in PARTS
                                                          if part not in parts]
    notes = _missing(results, value_name, metric, parts)
    left = int(max(map(text_w, y_texts)) + TICK + 8 + line + MARGIN)
    top, height = int(TITLE_PX * 2.6), PLOT_H
    bottom = TICK + rows * line + line + 10 + len(notes) * line + MARGIN
    key_w = int(max(text_w(text) for _, text in key) + 40 + 4 * MARGIN)
    image = Image.new("RGB", (left + width + key_w, top + height + bottom), "white")
    draw = ImageDraw.Draw(image)

    def u_of(place: float) -> float:
        return left + PAD + place * (width - 2 * PAD)

    def v_of(number: float) -> float:
        return top + height - (number - lo) / (hi - lo) * height

    for t, text in zip(y_ticks, y_texts):
        v = v_of(float(t))
        draw.line((left, v, left + width, v), fill=GRID)
        draw.line((left - TICK - 1, v, left - 1, v), fill=INK, width=2)
        draw.text((left - TICK - 5, v), text, fill=INK, font=font, anchor="rm")
    draw.rectangle((left - 1, top - 1, left + width, top + height), outline=FRAME)
    if x_marks is axis_ticks:   # the values themselves did not fit as labels: each still has a short mark
        for place in axis.places:
            draw.line((u_of(place), top + height, u_of(place), top + height + TICK / 2), fill=FRAME, width=2)
    for n, (place, text) in enumerate(x_marks):
        u = u_of(place)
        draw.line((u, top + height, u, top + height + TICK), fill=INK, width=2)
        draw.text((u, top + height + TICK + 3 + (n % rows) * line), text, fill=INK, font=font, anchor="ma")
    if axis.gap is not None:      # the break between 0 and the decades, on both edges of the frame
        for v in (top - 1, top + height):
            u = u_of(axis.gap)
            draw.rectangle((u - 5, v - 6, u + 5, v + 6), fill="white")
            for du in (-5, 3):
                draw.line((u + du - 3, v + 7, u + du + 3, v - 7), fill=FRAME, width=2)

    for part in parts:
        colour, tint = rgb(SPLIT_COLOURS[part]), _tint(SPLIT_COLOURS[part])
        shift = 0 if len(parts) == 1 else -DODGE if part == "train" else DODGE
        for value, number in seeds[part]:
            u, v = u_of(axis.place(value)) + shift, v_of(number)
            draw.ellipse((u - 3.5, v - 3.5, u + 3.5, v + 3.5), fill=tint)
        means = sorted((axis.place(row["value"]), row["mean"]) for row in summarise(results, (part, metric)))
        for (p0, m0), (p1, m1) in zip(means, means[1:]):   # a value without a mean leaves a gap in the line
            if m0 is not None and m1 is not None:
                broken = axis.gap is not None and p0 < axis.gap < p1
                _line(draw, (u_of(p0) + shift, v_of(m0)), (u_of(p1) + shift, v_of(m1)), colour,
                      dashed=broken or axis.kind == "categories")
        for p, m in means:
            if m is not None:
                _marker(draw, u_of(p) + shift, v_of(m), part, colour)

    draw.text((left + width / 2, top + height + TICK + rows * line + 8), say(_x_title(value_name, axis)),
              fill=INK, font=font, anchor="ma")
    for n, note in enumerate(notes):
        draw.text((left, top + height + TICK + (rows + 1) * line + 12 + n * line),
                  _fitted(say(note), image.width - left - MARGIN, font, measure), fill=INK, font=font)
    _y_title(image, Image, ImageDraw, font, say(metric), (MARGIN, top + height / 2))
    heading = title or f"Final {metric} on {' and '.join(parts)} rows, by {value_name}"
    draw.text((left, TITLE_PX * 0.7), _fitted(say(heading), image.width - left - MARGIN, title_font, measure),
              fill=INK, font=title_font)
    x0 = left + width + 2 * MARGIN
    for n, (part, text) in enumerate(key):
        v = top + n * line + line / 2
        if part is not None:
            colour = rgb(SPLIT_COLOURS[part])
            draw.line((x0, v, x0 + 32, v), fill=colour, width=3)
            _marker(draw, x0 + 16, v, part, colour)
        elif text.startswith("dot"):
            for du, shown in zip((8, 24) if len(parts) == 2 else (16,), parts):
                draw.ellipse((x0 + du - 3.5, v - 3.5, x0 + du + 3.5, v + 3.5), fill=_tint(SPLIT_COLOURS[shown]))
        draw.text((x0 + 40, v), text, fill=INK, font=font, anchor="lm")

    image.info["plot"] = (left, top, width, height)
    image.info["x"] = {value_text(v): u_of(p) for v, p in zip(axis.values, axis.places)}
    image.info["y"] = (lo, hi)
    return image


def save(results: list[dict], value_name: str, metric: str, path, title: str | None = None) -> None:
    """Write the sweep's picture to `path` (a .png)."""
    picture(results, value_name, metric, title).save(path)


def _metric_range(numbers: list[float]) -> tuple[float, float]:
    """The seeds' range with a little room above and below, so that no dot sits on the frame."""
    lo, hi = min(numbers), max(numbers)
    room = 0.08 * (hi - lo) if hi > lo else max(0.05 * abs(hi), 0.05)
    return lo - room, hi + room


def _x_marks(axis, labels, ticks, text_w) -> tuple[list, int, int]:
    """The marks under the plot, its width and how many rows the marks take: the values themselves where they
    fit side by side (else a numeric axis's round ticks); category names widen the plot, then alternate on two
    rows."""
    def fits(marks, width, rows=1):
        us = [(PAD + p * (width - 2 * PAD), text_w(t)) for p, t in marks]
        return all(b[0] - a[0] >= (a[1] + b[1]) / 2 + 14 for a, b in zip(us[::rows], us[rows::rows]))

    if fits(labels, PLOT_W):
        return labels, PLOT_W, 1
    if axis.kind != "categories":
        return ticks, PLOT_W, 1
    need = max(text_w(t) for _, t in labels) + 20
    width = int(min(MAX_W, max(PLOT_W, len(labels) * need)))
    if fits(labels, width):
        return labels, width, 1
    room = 2 * (width - 2 * PAD) / len(labels) - 14        # on two rows a name has two places' width
    return [(p, _fitted(t, room, None, _Measure(text_w))) for p, t in labels], width, 2


def _x_title(value_name: str, axis) -> str:
    return f"{value_name} (log scale)" if axis.kind == "log" else value_name


def _missing(results: list[dict], value_name: str, metric: str, parts: list[str]) -> list[str]:
    """A line per part that some runs could not give (one line where both parts lack the same runs), naming
    the first such run and why."""
    lacking = {part: [r for r in results if number_at(r, (part, metric)) is None] for part in parts}
    if len(parts) == 2 and lacking["train"] == lacking["test"]:
        lacking = {"train or test": lacking["train"]}
    notes = []
    for part, runs in lacking.items():
        if runs:
            first = runs[0]
            why = first.get("error") or "not a finite number"
            notes.append(f"{len(runs)} of {len(results)} runs gave no {part} {metric}; first: "
                         f"{value_name} = {value_text(first['value'])}, seed {first['seed']}: {why}")
    return notes


class _Measure:
    """basins_picture._fitted's measuring side, for a text-width function."""

    def __init__(self, text_w):
        self.textlength = lambda text, font=None: text_w(text)


def _tint(colour: str) -> tuple[int, int, int]:
    """A seed's dot: its part's colour, paler, so that the means stand out."""
    return tuple(round(c + 0.45 * (255 - c)) for c in rgb(colour))


def _line(draw, a, b, colour, dashed: bool) -> None:
    """A mean line; dashed across a break in the axis or between categories (no values lie between them)."""
    if not dashed:
        draw.line((*a, *b), fill=colour, width=3)
        return
    length = max(1.0, ((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5)
    for s in range(0, int(length), 12):
        t0, t1 = s / length, min(1.0, (s + 7) / length)
        draw.line((a[0] + t0 * (b[0] - a[0]), a[1] + t0 * (b[1] - a[1]),
                   a[0] + t1 * (b[0] - a[0]), a[1] + t1 * (b[1] - a[1])), fill=colour, width=3)


def _marker(draw, u: float, v: float, part: str, colour) -> None:
    """train: a circle; test: a square (told apart without colour too), each ringed in white."""
    r = 6.5
    shape = draw.ellipse if part == "train" else draw.rectangle
    shape((u - r, v - r, u + r, v + r), fill=colour, outline="white", width=2)


def _y_title(image, Image, ImageDraw, font, text: str, at: tuple[float, float]) -> None:
    """The metric's name, turned to read upwards, centred at `at` vertically and starting at its x."""
    w = int(ImageDraw.Draw(Image.new("RGB", (1, 1))).textlength(text, font=font)) + 4
    label = Image.new("L", (w, TEXT_PX + 8), 0)
    ImageDraw.Draw(label).text((2, 2), text, fill=255, font=font)
    label = label.rotate(90, expand=True)
    image.paste(Image.new("RGB", label.size, INK), (int(at[0]), int(at[1] - label.height / 2)), label)
