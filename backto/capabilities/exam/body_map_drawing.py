"""The body map's drawing: the shape of each of the 70 catalogue regions and a read-only picture.

The shapes are data (`body_map_shapes.json`, next to this module), drawn by this project on a
child-proportioned outline: a large head and short limbs, front and back, each view in a box of
100 x 220 units. In the front view the child's right is on the viewer's left; in the back view the
child's left is. Each region is a polygon of [x, y] points; the catalogue of what each region is
and where it counts stays in `backto.clinical.body_map`.

`body_map_svg` draws an inline SVG picture (role="img", a <title>) with each region filled by an
intensity from 0 to 1 (a share of maps, a marked region), using plain SVG only (polygons, fills,
strokes, text) so that WeasyPrint draws it in the PDF reports too. The form control built on the
same shapes is `body_map_widget.BodyMapField`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy, pgettext_lazy

from backto.clinical.body_map import body_map_catalogue

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

View = Literal["front", "back"]
VIEWS: Final[tuple[View, ...]] = ("front", "back")
VIEW_LABELS: Final[Mapping[View, StrOrPromise]] = {
    "front": pgettext_lazy("body map view", "Front"),
    "back": pgettext_lazy("body map view", "Back"),
}
# The child's own sides, as the picture names them above each view.
SIDE_WORDS: Final[Mapping[str, StrOrPromise]] = {
    "left": pgettext_lazy("the child's side", "Left"),
    "right": pgettext_lazy("the child's side", "Right"),
}
SHAPES_FILE: Final = Path(__file__).resolve().parent / "body_map_shapes.json"

# The smallest square (in drawing units) every region holds: at the phone's full width (a 100-unit
# view drawn 328 CSS px wide on a 360 px screen) 7.5 units are 24.6 px, WCAG 2.2's target size.
MIN_TARGET_UNITS: Final = 7.5
# The form control draws each view cropped to the body (x from 10 to 90; the full height), so that
# on a phone a view's 80 units fill the width: 7.5 units are then over 24 CSS px even in a card.
FIGURE_BOX: Final = (10.0, 0.0, 80.0, 220.0)

OUTLINE: Final = "#111111"
UNMARKED: Final = "#ffffff"
# The fill of a marked region runs from LIGHTEST (a little) to DARKEST (every time); both keep at
# least 3:1 contrast against the outline (tests/exam/test_body_map_drawing.py checks the scale).
LIGHTEST: Final = (0xFD, 0xDC, 0xB5)
DARKEST: Final = (0xC2, 0x41, 0x0C)


@dataclass(frozen=True)
class Shape:
    """One region's polygon in its view, with its bounding box and a point to aim a tap at."""

    region_id: str
    view: View
    points: tuple[tuple[float, float], ...]

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) in drawing units."""
        xs = [x for x, _ in self.points]
        ys = [y for _, y in self.points]
        return min(xs), min(ys), max(xs), max(ys)

    def contains(self, x: float, y: float) -> bool:
        """Whether the point is inside the polygon (even-odd rule; edges count as inside)."""
        inside = False
        points = self.points
        for index, (x1, y1) in enumerate(points):
            x2, y2 = points[index - 1]
            if _on_segment(x, y, x1, y1, x2, y2):
                return True
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                inside = not inside
        return inside

    def holds_square(self, left: float, top: float, size: float, *, step: float = 0.5) -> bool:
        """Whether the square of this size at (left, top) lies inside the polygon (sampled)."""
        count = int(size / step)
        return all(
            self.contains(left + i * step, top + j * step)
            for i in range(count + 1)
            for j in range(count + 1)
        )

    def target(self, size: float = MIN_TARGET_UNITS) -> tuple[float, float] | None:
        """The centre of a square of `size` units inside the region (the most central one found),
        or None if none fits. Where a browser test aims a tap and checks the target size."""
        left, top, right, bottom = self.box
        centre_x, centre_y = (left + right) / 2, (top + bottom) / 2
        found: list[tuple[float, float, float]] = []
        y = top
        while y + size <= bottom + 1e-9:
            x = left
            while x + size <= right + 1e-9:
                if self.holds_square(x, y, size):
                    mid_x, mid_y = x + size / 2, y + size / 2
                    found.append(((mid_x - centre_x) ** 2 + (mid_y - centre_y) ** 2, mid_x, mid_y))
                x += 0.5
            y += 0.5
        if not found:
            return None
        _, x, y = min(found)
        return x, y


def _on_segment(x: float, y: float, x1: float, y1: float, x2: float, y2: float) -> bool:
    cross = (x - x1) * (y2 - y1) - (y - y1) * (x2 - x1)
    if abs(cross) > 1e-9:
        return False
    return (
        min(x1, x2) - 1e-9 <= x <= max(x1, x2) + 1e-9
        and min(y1, y2) - 1e-9 <= y <= max(y1, y2) + 1e-9
    )


@lru_cache(maxsize=1)
def _drawing() -> dict:
    return json.loads(SHAPES_FILE.read_text(encoding="utf-8"))


def view_box() -> tuple[float, float]:
    """The width and height of one view in drawing units."""
    width, height = _drawing()["view_box"]
    return float(width), float(height)


@lru_cache(maxsize=1)
def body_map_shapes() -> dict[str, Shape]:
    """Every region's shape by region id, in the order a person reads the body: front then back,
    head to feet, the viewer's left to right. The catalogue's regions and these are the same."""
    raw = _drawing()["shapes"]
    shapes = [
        Shape(
            region_id=region_id,
            view=data["view"],
            points=tuple((float(x), float(y)) for x, y in data["points"]),
        )
        for region_id, data in raw.items()
    ]
    shapes.sort(key=lambda s: (VIEWS.index(s.view), s.box[1], s.box[0]))
    return {shape.region_id: shape for shape in shapes}


def region_labels(language: str | None = None) -> Mapping[str, str]:
    """Each catalogue region's plain label by id, in `language` (by default the active one: a
    family's page names the regions in the family's language)."""
    return _labels_in(language or get_language() or "en")


@cache
def _labels_in(language: str) -> Mapping[str, str]:
    """Worked out once per language: the catalogue is fixed."""
    return MappingProxyType(
        {region.id: region.label_in(language) for region in body_map_catalogue().regions}
    )


RETIRED = gettext_lazy("%(region)s (region no longer on the map)")


def region_label(region_id: str, labels: Mapping[str, str] | None = None) -> str:
    """The region's plain label; for an id stored under an older catalogue that this one no
    longer has, the id itself with "(region no longer on the map)", so a stored map always shows
    all it holds. `labels`: `region_labels()` already read, for a loop."""
    known = region_labels() if labels is None else labels
    return known.get(region_id) or RETIRED % {"region": region_id}


def shapes_in_view(view: View) -> list[Shape]:
    """The shapes of one view, in reading order."""
    return [shape for shape in body_map_shapes().values() if shape.view == view]


def _mix(intensity: float) -> str:
    red, green, blue = (
        round(low + (high - low) * intensity) for low, high in zip(LIGHTEST, DARKEST, strict=True)
    )
    return f"#{red:02x}{green:02x}{blue:02x}"


def fill_colour(intensity: float) -> str:
    """The fill for an intensity: plain white at 0, then from light peach to dark orange at 1.
    An intensity outside 0..1 is refused (a caller's bug, not a person's input)."""
    if not 0 <= intensity <= 1:
        raise ValueError(f"a body map intensity must be from 0 to 1, not {intensity!r}")
    if intensity == 0:
        return UNMARKED
    return _mix(intensity)


def _percent_words(name: str, percent: int) -> str:
    """A filled region's tooltip: its name and its share as a percent."""
    return gettext("%(region)s: %(percent)s%%") % {"region": name, "percent": percent}


@cache
def _points(shape: Shape) -> str:
    """A shape's points as SVG writes them (the shapes are fixed data: worked out once)."""
    return " ".join(f"{x:g},{y:g}" for x, y in shape.points)


def body_map_svg(
    fills: Mapping[str, float],
    *,
    title: str,
    views: Iterable[View] = VIEWS,
) -> SafeString:
    """A read-only inline SVG of the body map with each region filled by its intensity (0..1).

    `fills` maps region ids to intensities; a region not in it is plain. A region id the drawing
    does not have is left out of the picture: `fills` come from stored maps, which keep the ids of
    the catalogue they were marked with (`catalogue_version`), and a page or a PDF must still
    show them (their lists name such ids with `region_label`); a stored id cannot be told apart
    from a caller's typo here, so neither raises. An unknown view, or an intensity outside 0..1,
    is a caller's bug and refused with a ValueError naming it. The picture has
    role="img" and `title` as its accessible name; each region has its own <title> (the label and,
    when filled, its intensity as a percent) for a pointer's tooltip.
    """
    shapes = body_map_shapes()
    fills = {region_id: value for region_id, value in fills.items() if region_id in shapes}
    chosen = list(views)
    bad_views = [view for view in chosen if view not in VIEWS]
    if bad_views or not chosen:
        raise ValueError(f"views must be some of {VIEWS}, not {chosen!r}")
    labels = region_labels()
    width, height = view_box()
    gap, heading = 10.0, 14.0
    total_width = width * len(chosen) + gap * (len(chosen) - 1)
    total_height = height + heading
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="body-map-picture" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {total_width:g} {total_height:g}" '
        f'width="{total_width:g}" height="{total_height:g}" '
        f'preserveAspectRatio="xMidYMin meet">',
        f"<title>{escape(title)}</title>",
    ]
    for index, view in enumerate(chosen):
        offset = index * (width + gap)
        near, far = (
            (SIDE_WORDS["right"], SIDE_WORDS["left"])
            if view == "front"
            else (SIDE_WORDS["left"], SIDE_WORDS["right"])
        )
        parts.append(f'<g transform="translate({offset:g} 0)">')
        parts.append(
            f'<text x="{width / 2:g}" y="10" text-anchor="middle" font-size="9" '
            f'font-family="sans-serif" fill="{OUTLINE}">{escape(VIEW_LABELS[view])}</text>'
        )
        parts.append(
            f'<text x="2" y="10" font-size="6" font-family="sans-serif" fill="{OUTLINE}">'
            f"{escape(near)}</text>"
            f'<text x="{width - 2:g}" y="10" text-anchor="end" font-size="6" '
            f'font-family="sans-serif" fill="{OUTLINE}">{escape(far)}</text>'
        )
        parts.append(f'<g transform="translate(0 {heading:g})">')
        for shape in shapes_in_view(view):
            intensity = float(fills.get(shape.region_id, 0))
            colour = fill_colour(intensity)
            name = labels[shape.region_id]
            if intensity:
                name = _percent_words(name, round(intensity * 100))
            parts.append(
                f'<polygon points="{_points(shape)}" fill="{colour}" stroke="{OUTLINE}" '
                f'stroke-width="0.6" stroke-linejoin="round" data-region="{shape.region_id}">'
                f"<title>{escape(name)}</title></polygon>"
            )
        parts.append("</g></g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above


@cache
def body_map_outline_svg(view: View) -> SafeString:
    """One view's outline with every region plain, hidden from screen readers: the drawing the
    form control (`body_map_widget`) lays its region checkboxes over, cropped to FIGURE_BOX."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
    left, top, width, height = FIGURE_BOX
    polygons = "".join(
        f'<polygon points="{_points(shape)}" fill="{UNMARKED}" stroke="{OUTLINE}" '
        f'stroke-width="0.6" stroke-linejoin="round"/>'
        for shape in shapes_in_view(view)
    )
    return mark_safe(  # noqa: S308 - numbers and constants only
        f'<svg xmlns="http://www.w3.org/2000/svg" class="body-map-outline" aria-hidden="true" '
        f'focusable="false" viewBox="{left:g} {top:g} {width:g} {height:g}" '
        f'preserveAspectRatio="none">{polygons}</svg>'
    )
