"""Statistics drawn at build time as inline SVG: horizontal bars, columns (months) and shares.

Every chart is an ``<svg role="img">`` named by its ``<title>`` and described by a ``<desc>``
that repeats every value, and prints every value next to what it draws. The drawing is 320
units wide and scales with the page (``viewBox``), so a 360 px phone shows it at about 1:1:
labels sit above their bars, never beside them, so a long Chinese label has the whole width
to itself and wraps inside it.

No ``style`` attribute or element is written (the site runs under a strict CSP): colours come
from the classes theme/static/css/charts.css styles, in high-contrast mode too; only geometry
and font sizes are presentation attributes. Every text (labels come from clerks) and attribute
value is joined into the markup by ``Markup.format``, which passes it through markupsafe's
``escape`` first: what the functions return is safe to put in a page as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 320  # viewBox width: about 1:1 in a 360 px phone's content column
MARGIN = 4
FONT = 13  # labels
VALUE_FONT = 12  # printed values
LINE = 17  # a label line's height
BAR = 14  # a bar's thickness
GAP = 10  # between rows
VALUE_GAP = 4  # between a bar's end and its value
ASCII_EM = 0.6  # width of a narrow character in em (generous, so text never overruns)
MAX_VALUE_SHARE = 0.45  # values wider than this share of the width go on the label line
MIN_DRAWN = 2.0  # the shortest bar or column a value above zero draws, so it never vanishes

# Monthly columns: 12 slots across the width, values above, months below.
COLUMN_FONT = 11
COLUMN_PLOT = 110  # tallest column
MONTHS = tuple(f"{m}月" for m in range(1, 13))

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")

Number = Decimal | int


@dataclass(frozen=True)
class Bar:
    """One drawn value: ``label`` and ``value``; ``text`` is the value as printed (default: the
    number with thousands separators)."""

    label: str
    value: Number
    text: str = ""

    @property
    def shown(self) -> str:
        return self.text or number_text(self.value)


@dataclass(frozen=True)
class Share:
    """``part`` of ``whole`` (``whole`` 0: no share to draw); ``minimum`` a share the figure is
    judged against (drawn as a mark on the track)."""

    label: str
    part: int
    whole: int
    minimum: Decimal | None = None

    @property
    def fraction(self) -> Decimal | None:
        return Decimal(self.part) / self.whole if self.whole else None

    @property
    def shown(self) -> str:
        fraction = self.fraction
        if fraction is None:
            return "无数据"
        return f"{percent_text(fraction)}（{self.part}/{self.whole}）"


def number_text(value: Number) -> str:
    """12345 → "12,345"; amounts keep two decimals ("12,345.50")."""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def percent_text(fraction: Decimal) -> str:
    """0.8571 → "85.7%"."""
    return f"{fraction * 100:.1f}%"


def text_width(text: str, font: float) -> float:
    """Width in user units: 1 em for a wide (CJK, full-width) character, ``ASCII_EM`` else."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in ("W", "F"))
    return (wide + (len(text) - wide) * ASCII_EM) * font


def wrap(text: str, width: float, font: float) -> list[str]:
    """``text`` in lines no wider than ``width`` (breaking between any two characters, as
    Chinese text does); at least one line."""
    lines: list[str] = []
    line = ""
    for ch in text:
        if line and text_width(line + ch, font) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line]


def _num(value: float) -> str:
    """Coordinates rounded to 0.1 and written the same way every time (deterministic output)."""
    rounded = round(value, 1) + 0.0
    text = f"{rounded:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attrs(attributes: dict[str, str]) -> Markup:
    return Markup("").join(Markup(' {}="{}"').format(k, v) for k, v in attributes.items())


def _text(x: float, y: float, text: str, css: str, **extra: str) -> Markup:
    attributes = {"class": css, "x": _num(x), "y": _num(y), **extra}
    return Markup("<text{}>{}</text>").format(_attrs(attributes), text)


def _rect(x: float, y: float, width: float, height: float, css: str) -> Markup:
    attributes = {"class": css, "x": _num(x), "y": _num(y), "width": _num(width)}
    return Markup('<rect{} height="{}"/>').format(_attrs(attributes), _num(height))


def _length(fraction: Decimal, full: float) -> float:
    """How long ``fraction`` of ``full`` is drawn: at least ``MIN_DRAWN`` when above zero, at
    most ``full`` (a part never outgrows its whole, even in inconsistent data)."""
    if fraction <= 0:
        return 0.0
    return max(MIN_DRAWN, float(min(fraction, Decimal(1))) * full)


def _svg(chart_id: str, kind: str, height: float, title: str, desc: str, body: Markup) -> Markup:
    if not _ID.fullmatch(chart_id):
        raise ValueError(f"not an id for a chart: {chart_id!r}")
    attributes = {
        "xmlns": SVG_NS,
        "id": chart_id,
        "class": f"chart {kind}",
        "viewBox": f"0 0 {WIDTH} {_num(height)}",
        "role": "img",
        "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
        "font-size": str(FONT),
    }
    return Markup(
        '<svg{}><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>'
    ).format(_attrs(attributes), chart_id, title, chart_id, desc, body)


def _description(title: str, items: Sequence[tuple[str, str]], all_zero: bool) -> str:
    listed = "；".join(f"{label}：{shown}" for label, shown in items)
    if not items:
        return f"{title}：无数据。"
    return f"{title}。{listed}。" + ("各项均为 0。" if all_zero else "")


@dataclass(frozen=True)
class _Row:
    label: str
    fraction: Decimal  # of the bar area, 0 … 1
    shown: str
    track: bool = False  # a share: the whole drawn behind the part
    minimum: Decimal | None = None


def _rows(rows: Sequence[_Row]) -> tuple[Markup, float]:
    """Rows of label line(s) above a bar with its value after it; the markup and its height.
    A value too wide to follow a bar goes at the end of the label line instead."""
    inner = WIDTH - 2 * MARGIN
    widest = max((text_width(r.shown, VALUE_FONT) for r in rows), default=0.0)
    values_after = widest <= inner * MAX_VALUE_SHARE
    area = inner - (widest + VALUE_GAP if values_after else 0)
    parts: list[Markup] = []
    y = MARGIN
    for row in rows:
        group: list[Markup] = []
        room = inner if values_after else inner - text_width(row.shown, VALUE_FONT) - VALUE_GAP
        lines = wrap(row.label, max(room, inner / 2), FONT)
        for number, line in enumerate(lines):
            group.append(_text(MARGIN, y + FONT + number * LINE, line, "chart-label"))
        if not values_after:
            end = {"text-anchor": "end", "font-size": str(VALUE_FONT)}
            group.append(_text(WIDTH - MARGIN, y + FONT, row.shown, "chart-value", **end))
        top = y + len(lines) * LINE + 2
        if row.track:
            group.append(_rect(MARGIN, top, area, BAR, "chart-track"))
        length = _length(row.fraction, area)
        if length > 0:
            group.append(_rect(MARGIN, top, length, BAR, "chart-bar"))
        if row.minimum is not None:
            x = MARGIN + float(row.minimum) * area
            mark = {"class": "chart-minimum", "x1": _num(x), "x2": _num(x)}
            mark |= {"y1": _num(top - 3), "y2": _num(top + BAR + 3)}
            group.append(Markup("<line{}/>").format(_attrs(mark)))
        if values_after:
            value = {"font-size": str(VALUE_FONT)}
            x = MARGIN + (area if row.track else length) + VALUE_GAP
            group.append(_text(x, top + BAR - 3, row.shown, "chart-value", **value))
        parts.append(Markup('<g class="chart-row">{}</g>').format(Markup("").join(group)))
        y = top + BAR + GAP
    return Markup("").join(parts), y - GAP + MARGIN


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar]) -> Markup:
    """Horizontal bars, longest for the largest value; zero draws no bar but prints 0."""
    largest = max((Decimal(b.value) for b in bars), default=Decimal(0))
    rows = [
        _Row(b.label, Decimal(b.value) / largest if largest > 0 else Decimal(0), b.shown)
        for b in bars
    ]
    body, height = _rows(rows)
    desc = _description(title, [(b.label, b.shown) for b in bars], largest == 0 and bool(bars))
    return _svg(chart_id, "chart-bars", height, title, desc, body)


def share_chart(chart_id: str, title: str, shares: Sequence[Share]) -> Markup:
    """Each share as a part of a track standing for the whole, with its percentage and count;
    a minimum it is judged against as a mark across the track."""
    rows = [
        _Row(s.label, s.fraction or Decimal(0), s.shown, track=True, minimum=s.minimum)
        for s in shares
    ]
    body, height = _rows(rows)
    items = [
        (
            s.label + (f"（不低于 {percent_text(s.minimum)}）" if s.minimum is not None else ""),
            s.shown,
        )
        for s in shares
    ]
    return _svg(chart_id, "chart-shares", height, title, _description(title, items, False), body)


def monthly_chart(chart_id: str, title: str, counts: Sequence[int], unit: str = "件") -> Markup:
    """Twelve columns, 1月 … 12月, each with its count above it. Counts too wide for a column
    (four digits and more) are drawn as horizontal bars instead, which stay legible."""
    if len(counts) != len(MONTHS):
        raise ValueError(f"a monthly chart needs 12 counts, not {len(counts)}")
    slot = (WIDTH - 2 * MARGIN) / len(MONTHS)
    if max(text_width(number_text(c), COLUMN_FONT) for c in counts) > slot - 2:
        bars = [Bar(month, count) for month, count in zip(MONTHS, counts, strict=True)]
        return bar_chart(chart_id, title, bars)
    largest = max(counts)
    base = MARGIN + COLUMN_FONT + 4 + COLUMN_PLOT  # the columns' foot
    parts: list[Markup] = []
    for number, (month, count) in enumerate(zip(MONTHS, counts, strict=True)):
        middle = MARGIN + slot * (number + 0.5)
        height = _length(Decimal(count) / largest if largest else Decimal(0), COLUMN_PLOT)
        group: list[Markup] = []
        if height > 0:
            group.append(
                _rect(middle - slot * 0.35, base - height, slot * 0.7, height, "chart-bar")
            )
        small = {"text-anchor": "middle", "font-size": str(COLUMN_FONT)}
        group.append(_text(middle, base - height - 3, number_text(count), "chart-value", **small))
        group.append(_text(middle, base + COLUMN_FONT + 3, month, "chart-label", **small))
        parts.append(Markup('<g class="chart-row">{}</g>').format(Markup("").join(group)))
    axis = {"class": "chart-axis", "x1": _num(MARGIN), "x2": _num(WIDTH - MARGIN)}
    axis |= {"y1": _num(base), "y2": _num(base)}
    body = Markup("<line{}/>{}").format(_attrs(axis), Markup("").join(parts))
    items = [(month, f"{count} {unit}") for month, count in zip(MONTHS, counts, strict=True)]
    desc = _description(title, items, largest == 0)
    return _svg(chart_id, "chart-columns", base + COLUMN_FONT + 3 + MARGIN + 2, title, desc, body)
