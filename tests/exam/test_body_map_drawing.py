"""The body map's drawing: one shape per catalogue region, shapes of a view that do not overlap,
a tap-sized square in every region, a colour scale that keeps 3:1 against the outline, and a
read-only SVG picture that names itself and escapes what it is given."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import weasyprint
from django import forms

from backto.capabilities.exam import body_map_widget
from backto.capabilities.exam.body_map_drawing import (
    DARKEST,
    LIGHTEST,
    MIN_TARGET_UNITS,
    OUTLINE,
    UNMARKED,
    VIEWS,
    Shape,
    body_map_shapes,
    body_map_svg,
    fill_colour,
    region_label,
    shapes_in_view,
    view_box,
)
from backto.capabilities.exam.body_map_widget import BodyMapField, region_css
from backto.clinical.body_map import body_map_catalogue

SVG = "{http://www.w3.org/2000/svg}"


def _luminance(colour: str | tuple[int, int, int]) -> float:
    if isinstance(colour, str):
        colour = (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(a: str | tuple[int, int, int], b: str | tuple[int, int, int]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_catalogue_region_has_a_shape_and_every_shape_a_region() -> None:
    catalogue = {region.id: region for region in body_map_catalogue().regions}
    shapes = body_map_shapes()
    assert set(shapes) == set(catalogue)
    assert len(shapes) == 70
    for region_id, shape in shapes.items():
        assert shape.view == catalogue[region_id].view, region_id


def test_each_shape_lies_in_its_view_box_on_the_childs_side() -> None:
    width, height = view_box()
    catalogue = {region.id: region for region in body_map_catalogue().regions}
    for shape in body_map_shapes().values():
        left, top, right, bottom = shape.box
        assert 0 <= left < right <= width and 0 <= top < bottom <= height, shape.region_id
        side = catalogue[shape.region_id].side
        if side == "midline":
            assert left < width / 2 < right, shape.region_id
            continue
        # Front: the child's right is on the viewer's left; back: the child's left is.
        on_viewers_left = (side == "right") == (shape.view == "front")
        assert (right <= width / 2) if on_viewers_left else (left >= width / 2), shape.region_id


@pytest.mark.parametrize("view", VIEWS)
def test_shapes_of_one_view_do_not_overlap(view: str) -> None:
    """Sampled every half unit: a shared edge touches a few points, a real overlap many more."""
    shapes = shapes_in_view(view)  # type: ignore[arg-type]
    width, height = view_box()
    overlaps: dict[tuple[str, str], int] = {}
    for j in range(int(height * 2)):
        for i in range(int(width * 2)):
            x, y = i / 2 + 0.25, j / 2 + 0.25
            hits = [s.region_id for s in shapes if s.contains(x, y)]
            for pair in itertools.combinations(hits, 2):
                overlaps[pair] = overlaps.get(pair, 0) + 1
    # 4 samples are a quarter of one unit squared at most: an edge, never a region.
    assert {pair: n for pair, n in overlaps.items() if n > 4} == {}


def test_the_overlap_check_finds_an_overlap() -> None:
    a = Shape("a", "front", ((0, 0), (10, 0), (10, 10), (0, 10)))
    b = Shape("b", "front", ((5, 5), (15, 5), (15, 15), (5, 15)))
    assert a.contains(7, 7) and b.contains(7, 7)
    assert not a.contains(12, 12)


def test_every_region_holds_a_tap_sized_square() -> None:
    for shape in body_map_shapes().values():
        target = shape.target()
        assert target is not None, f"{shape.region_id} holds no {MIN_TARGET_UNITS}-unit square"
        x, y = target
        half = MIN_TARGET_UNITS / 2
        assert shape.holds_square(x - half, y - half, MIN_TARGET_UNITS)


def test_a_thin_shape_holds_no_tap_sized_square() -> None:
    thin = Shape("thin", "front", ((0, 0), (30, 0), (30, 5), (0, 5)))
    assert thin.target() is None


def test_the_colour_scale_keeps_3_to_1_against_the_outline() -> None:
    for step in range(1, 101):
        assert _contrast(fill_colour(step / 100), OUTLINE) >= 3, step
    assert _contrast(LIGHTEST, OUTLINE) >= 3 and _contrast(DARKEST, OUTLINE) >= 3
    assert fill_colour(0) == UNMARKED
    assert fill_colour(1) == "#c2410c"


@pytest.mark.parametrize("bad", [-0.1, 1.01])
def test_an_intensity_outside_0_to_1_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="from 0 to 1"):
        fill_colour(bad)


def test_the_picture_is_a_named_image_with_a_polygon_per_region() -> None:
    svg = str(body_map_svg({"knee-left-front": 1.0, "lower-back": 0.5}, title="Maya's map"))
    root = ET.fromstring(svg)  # noqa: S314 - our own SVG
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Maya's map"
    assert root.find(f"{SVG}title").text == "Maya's map"  # type: ignore[union-attr]
    polygons = {p.get("data-region"): p for p in root.iter(f"{SVG}polygon")}
    assert len(polygons) == 70
    assert polygons["knee-left-front"].get("fill") == "#c2410c"
    assert polygons["lower-back"].get("fill") == fill_colour(0.5)
    assert polygons["face"].get("fill") == UNMARKED
    assert polygons["lower-back"].find(f"{SVG}title").text == "Lower back: 50%"  # type: ignore[union-attr]
    # Plain SVG only, so that WeasyPrint draws it: no script, style, filter, image or foreign object.
    assert not re.search(r"<(script|style|filter|image|foreignObject|use)\b", svg)


def test_one_view_draws_only_its_regions() -> None:
    root = ET.fromstring(str(body_map_svg({}, title="Back", views=("back",))))  # noqa: S314 - our own SVG
    regions = {p.get("data-region") for p in root.iter(f"{SVG}polygon")}
    assert regions == {shape.region_id for shape in shapes_in_view("back")}
    assert root.get("viewBox") == "0 0 100 234"


def test_the_title_is_escaped() -> None:
    svg = str(body_map_svg({}, title='<b>"x"</b>'))
    assert "<b>" not in svg
    ET.fromstring(svg)  # noqa: S314 - our own SVG


def test_a_region_no_longer_on_the_map_is_left_out_of_the_picture() -> None:
    """Stored maps keep the ids of the catalogue they were marked with: a picture of one whose
    region has left the catalogue draws the rest instead of failing the page or the PDF."""
    with_old = str(body_map_svg({"old-ankle-zone": 1.0, "face": 1.0}, title="x"))
    assert with_old == str(body_map_svg({"face": 1.0}, title="x"))
    assert "old-ankle-zone" not in with_old
    assert region_label("shin-left") == "shin-left (region no longer on the map)"
    assert region_label("face") == "Face"


def test_unknown_views_and_intensities_are_refused() -> None:
    with pytest.raises(ValueError, match="views must be some of"):
        body_map_svg({}, title="x", views=("side",))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="from 0 to 1"):
        body_map_svg({"face": 2.0}, title="x")


# The control: BodyMapField and its widget.


class _MapForm(forms.Form):
    regions = BodyMapField(label="Where it bothered you", required=False)


def test_the_field_cleans_to_sorted_unique_region_ids() -> None:
    form = _MapForm(data={"regions": ["knee-left-front", "face", "knee-left-front"]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["regions"] == ["face", "knee-left-front"]


def test_an_empty_map_is_an_answer_when_not_required() -> None:
    form = _MapForm(data={})
    assert form.is_valid()
    assert form.cleaned_data["regions"] == []


def test_an_unknown_region_is_refused_naming_the_field() -> None:
    form = _MapForm(data={"regions": ["face", "elbow"]})
    assert not form.is_valid()
    (message,) = [str(error) for error in form.errors["regions"]]
    assert message.startswith("Where it bothered you: 'elbow' is not a region of the body map.")
    assert "“Show as a list”" in message
    assert ".json" not in message and "70" not in message  # plain words for a family


def test_a_required_map_refuses_nothing_marked() -> None:
    class Required(forms.Form):
        regions = BodyMapField(label="Allodynia territory")

    form = Required(data={})
    assert not form.is_valid()
    assert "regions" in form.errors


def test_the_widget_renders_a_labelled_checkbox_per_region_in_two_views() -> None:
    html = str(_MapForm(initial={"regions": ["lower-back"]})["regions"])
    inputs = re.findall(
        r'<input type="checkbox" name="regions" value="([a-z-]+)" id="([^"]+)"', html
    )
    assert sorted(v for v, _ in inputs) == sorted(body_map_shapes())
    for value, input_id in inputs:
        assert f'<label for="{input_id}" class="bm-name">' in html, value
        assert f"bm-r-{value}" in html
    assert re.search(r'value="lower-back" id="[^"]+" class="[^"]+" checked', html)
    assert html.count(" checked") == 1
    assert html.count("<fieldset") == 2
    assert "Front of the body" in html and "Back of the body" in html
    # The list switch has no name, so it is never submitted.
    assert re.search(r'<input type="checkbox" class="bm-as-list" id="[^"]+">', html)
    # Reading order: the front's head first, the back's feet last.
    assert inputs[0][0] == "head-front"
    assert inputs[-1][0].startswith("foot-")


def test_each_maps_list_switch_is_named_after_its_field() -> None:
    """A page with several maps (the sensory exam has five) names each "Show as a list" apart;
    it looks the same: the field's label is visually hidden. The name is never submitted."""

    class TwoMaps(forms.Form):
        brush = BodyMapField(label="Brush allodynia", required=False)
        cold = BodyMapField(label="Cold allodynia", required=False)

    form = TwoMaps()
    names = [
        re.sub(r"<[^>]+>", "", label)
        for label in re.findall(r'class="bm-as-list-label"[^>]*>(.*?)</label>', str(form))
    ]
    assert names == ["Show Brush allodynia as a list", "Show Cold allodynia as a list"]
    html = str(form["brush"])
    assert '<span class="visually-hidden">Brush allodynia </span>' in html
    assert "field_label" not in html


def test_a_map_with_an_error_is_described_by_its_error_list() -> None:
    form = _MapForm(data={"regions": ["elbow"]})
    assert not form.is_valid()
    assert form["regions"].aria_describedby == "id_regions_error"


def test_the_region_css_file_matches_the_shapes() -> None:
    """Regenerate with: python -m backto.capabilities.exam.body_map_widget > <the file>."""
    path = Path(body_map_widget.__file__).parent / "static" / "exam" / "body_map_regions.css"
    assert path.read_text(encoding="utf-8") == region_css()
    assert region_css().count(".bm-r-") == 70


def test_weasyprint_draws_the_picture_with_its_fills() -> None:
    """The PDF reports embed the picture: WeasyPrint fills each polygon (white, or the scale's
    orange for a marked region) and writes the view names."""

    def fills(svg: str) -> list[str]:
        pdf = weasyprint.HTML(string=f"<html><body>{svg}</body></html>").write_pdf(
            uncompressed_pdf=True
        )
        return re.findall(r"([0-9.]+ [0-9.]+ [0-9.]+) rg", pdf.decode("latin-1"))

    marked = fills(str(body_map_svg({"knee-left-front": 1.0}, title="Maya")))
    assert marked.count("1 1 1") == 69
    assert marked.count("0.760784 0.254902 0.047059") == 1
    plain = fills(str(body_map_svg({}, title="Maya")))
    assert plain.count("1 1 1") == 70
