"""Charts drawn on the server as SVG: one drawing code for pages and printed reports.

Every chart has a title and a description for screen readers (the page also shows the numbers
in a table), uses marks as well as colour so that it reads in grayscale, and scales with its box.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[date, float]]
    dashed: bool = False


WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_Y = 320, 120, 34, 8, 14


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

    def x(day: date) -> float:
        return PAD_LEFT + (WIDTH - PAD_LEFT - PAD_RIGHT) * (day - first).days / span

    def y(value: float) -> float:
        clipped = min(max(value, y_min), y_max)
        return HEIGHT - PAD_Y - (HEIGHT - 2 * PAD_Y) * (clipped - y_min) / (y_max - y_min)

    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>',
            PAD_LEFT,
            PAD_Y,
            PAD_LEFT,
            HEIGHT - PAD_Y,
        ),
        format_html(
            '<text x="{}" y="{}" class="tick">{}</text>', 2, _n(y(y_max) + 4), f"{y_max:g}"
        ),
        format_html('<text x="{}" y="{}" class="tick">{}</text>', 2, _n(y(y_min)), f"{y_min:g}"),
    ]
    for cut, label in bands:
        if y_min < cut < y_max:
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" class="band"/>'
                    '<text x="{}" y="{}" class="tick">{}</text>',
                    PAD_LEFT,
                    _n(y(cut)),
                    WIDTH - PAD_RIGHT,
                    _n(y(cut)),
                    PAD_LEFT + 2,
                    _n(y(cut) - 2),
                    label,
                )
            )
    for index, s in enumerate(series):
        coords = " ".join(f"{_n(x(d))},{_n(y(v))}" for d, v in s.points)
        parts.append(
            format_html(
                '<polyline points="{}" class="line line-{}{}"/>',
                coords,
                index,
                " dashed" if s.dashed else "",
            )
        )
        for d, v in s.points:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="3" class="dot dot-{}"/>', _n(x(d)), _n(y(v)), index
                )
            )
    return mark_safe(  # noqa: S308  (every part above is built with format_html)
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" class="chart" role="img" '
        f'aria-labelledby="{_id(title)}-t {_id(title)}-d">'
        f'<title id="{_id(title)}-t">{escape(title)}</title>'
        f'<desc id="{_id(title)}-d">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )


def _n(number: float) -> str:
    return f"{number:.1f}"


def _id(text: str) -> str:
    return "chart-" + "".join(c if c.isalnum() else "-" for c in text.lower())[:40]
