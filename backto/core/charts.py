"""Charts drawn on the server as SVG: one drawing code for pages and printed reports.

Every chart has a title and a description for screen readers (the page also shows the numbers
in a table), tells its lines apart by dash and legend as well as colour so that it reads in
grayscale and in print, and scales with its box: a viewBox and no fixed size, so it fills the
card it sits in. Text is drawn at 10 units for print; on screen backto.css sets the size by the
width of the screen so that the words stay 11-16 px from a 360-px phone to a wide desktop
(docs/design.md, "Charts").
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import dateformat
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[date, float]]
    dashed: bool = False


WIDTH, HEIGHT = 320, 140
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 14, 20
COLOURS = ("#1f5fa8", "#1d2330")  # brand blue and ink: apart in grayscale too, with the dashes
# Presentation attributes, not CSS: the same SVG draws in the page and in WeasyPrint's PDF.
AXIS = mark_safe('stroke="#4a5263" stroke-width="1"')
BAND = mark_safe('stroke="#9aa3b5" stroke-width="1" stroke-dasharray="2 3"')
# A white outline behind a label keeps it legible where a line runs under it.
HALO = mark_safe('stroke="#ffffff" stroke-width="3" paint-order="stroke"')


def _n(number: float) -> str:
    return f"{number:.1f}"


def _id() -> str:
    """A fresh id per drawing: two charts on a page never share one, whatever their titles."""
    return "chart-" + uuid.uuid4().hex[:12]


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    y_min: float,
    y_max: float,
    bands: Sequence[tuple[float, str]] = (),
) -> SafeString:
    """A small line chart over time. `bands` draws a light rule and label at each cut-off."""
    days = [day for s in series for day, _ in s.points]
    if not days or y_max <= y_min:
        return SafeString("")
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    legend = len(series) > 1
    top = TOP + (12 if legend else 0)

    def x(day: date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span

    def y(value: float) -> float:
        clipped = min(max(value, y_min), y_max)
        return HEIGHT - BOTTOM - (HEIGHT - BOTTOM - top) * (clipped - y_min) / (y_max - y_min)

    # Numbers, constant attributes and escaped words only: the chart is one string of f-strings
    # (format_html for each part cost a page with six charts about a millisecond).
    grey = 'font-size="10" fill="#4a5263"'
    bottom = HEIGHT - BOTTOM
    parts = [
        f'<line x1="{LEFT}" y1="{top}" x2="{LEFT}" y2="{bottom}" {AXIS}/>'
        f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" {AXIS}/>'
        f'<text x="{LEFT - 4}" y="{_n(y(y_max) + 4)}" {grey} text-anchor="end">{y_max:g}</text>'
        f'<text x="{LEFT - 4}" y="{_n(y(y_min))}" {grey} text-anchor="end">{y_min:g}</text>'
        f'<text x="{LEFT}" y="{HEIGHT - 6}" {grey}>{escape(dateformat.format(first, "j M"))}</text>'
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 6}" {grey} text-anchor="end">'
        f"{escape(dateformat.format(last, 'j M Y'))}</text>"
    ]
    for cut, label in bands:
        if y_min < cut < y_max:
            parts.append(
                f'<line x1="{LEFT}" y1="{_n(y(cut))}" x2="{WIDTH - RIGHT}" y2="{_n(y(cut))}" {BAND}/>'
                f'<text x="{WIDTH - RIGHT}" y="{_n(y(cut) - 3)}" {grey} text-anchor="end" {HALO}>'
                f"{escape(label)}</text>"
            )
    for index, s in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        dashes = ' stroke-dasharray="5 3"' if s.dashed else ""
        stroke = f'fill="none" stroke="{colour}" stroke-width="2"{dashes}'
        if legend:
            at = LEFT + index * 140
            parts.append(
                f'<line x1="{at}" y1="8" x2="{at + 18}" y2="8" {stroke}/>'
                f'<text x="{at + 22}" y="11" {grey}>{escape(s.label)}</text>'
            )
        at_points = [(_n(x(d)), _n(y(v))) for d, v in s.points]
        coords = " ".join(f"{cx},{cy}" for cx, cy in at_points)
        parts.append(f'<polyline points="{coords}" {stroke}/>')
        radius = 3 if index == 0 else 2.2
        parts.append(
            "".join(
                f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{colour}"/>'
                for cx, cy in at_points
            )
        )
    ident = _id()
    return mark_safe(  # noqa: S308  (every word above is escaped; the rest is numbers)
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" class="chart" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )


SHADES = ("#dbe6f4", "#7fa3cf", "#1f5fa8", "#17467c", "#1d2330")  # light to dark: grayscale-safe


def stacked_bars(
    bars: Sequence[tuple[str, Sequence[tuple[str, float]]]], *, title: str, description: str
) -> SafeString:
    """One horizontal bar per row, its segments as shares of the row's total, each labelled
    with its percentage; a legend names the segments. Rows with no total are left out."""
    shown = [(label, parts) for label, parts in bars if sum(v for _, v in parts) > 0]
    if not shown:
        return SafeString("")
    names = [name for name, _ in shown[0][1]]
    row_height, left, width = 22, 80, WIDTH - 8
    height = 24 + row_height * len(shown)
    parts = []
    for index, name in enumerate(names):
        at = left + index * 78
        parts.append(
            format_html(
                '<rect x="{}" y="4" width="10" height="10" fill="{}" stroke="#1d2330" '
                'stroke-width="0.5"/><text x="{}" y="13" font-size="10" fill="#4a5263">{}</text>',
                at,
                SHADES[index % len(SHADES)],
                at + 13,
                name,
            )
        )
    for row, (label, segments) in enumerate(shown):
        y = 22 + row * row_height
        total = sum(v for _, v in segments)
        parts.append(
            format_html('<text x="2" y="{}" font-size="10" fill="#1d2330">{}</text>', y + 12, label)
        )
        x = float(left)
        for index, (_, value) in enumerate(segments):
            span = (width - left) * value / total
            if span <= 0:
                continue
            shade = SHADES[index % len(SHADES)]
            ink = "#ffffff" if index >= 2 else "#1d2330"
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="16" fill="{}" stroke="#ffffff" '
                    'stroke-width="1"/>',
                    _n(x),
                    y,
                    _n(span),
                    shade,
                )
            )
            if span > 22:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" font-size="10" fill="{}">{}%</text>',
                        _n(x + 3),
                        y + 11,
                        ink,
                        round(100 * value / total),
                    )
                )
            x += span
    ident = _id()
    return mark_safe(  # noqa: S308  (every part above is built with format_html or escaped)
        f'<svg viewBox="0 0 {WIDTH} {height}" class="chart" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )
