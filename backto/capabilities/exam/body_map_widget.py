"""The body map as a form control: `BodyMapField` and its widget.

Every region is a real `<input type="checkbox">` with its own `<label>`, so the map works without
JavaScript, with a keyboard (Tab, Space) and with a screen reader. Over each view's outline the
checkbox is given the region's shape: it is placed on the region's bounding box and cut to the
polygon with CSS `clip-path` (`appearance: none`), so a tap lands on the region drawn and only
there. The label is visually hidden until its region has focus or a pointer over it, when it shows
as a caption above the figure. A "Show as a list" switch (a checkbox with no name, so nothing is
submitted) lays the same checkboxes out as a plain list with visible labels, for anyone who
prefers it. No JavaScript is needed for any of it.

The placement of each region is CSS generated from the shapes (`region_css()`), kept in
`static/exam/body_map_regions.css` because the site's Content Security Policy allows no inline
style; a test fails when the file and the shapes differ. To regenerate it:
`python -m backto.capabilities.exam.body_map_widget > backto/capabilities/exam/static/exam/body_map_regions.css`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField, Widget
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from backto.capabilities.exam.body_map_drawing import (
    FIGURE_BOX,
    VIEWS,
    body_map_outline_svg,
    body_map_shapes,
    region_labels,
)

VIEW_LEGENDS = {
    "front": gettext_lazy("Front of the body"),
    "back": gettext_lazy("Back of the body"),
}
VIEW_SIDES = {
    "front": gettext_lazy("The body's right side is on the left of the picture."),
    "back": gettext_lazy("The body's left side is on the left of the picture."),
}


def region_choices() -> tuple[tuple[str, str], ...]:
    """The catalogue's regions as (id, label), in the drawing's reading order, named in the
    active language (a family's map is read aloud in the family's language)."""
    return _choices_in(get_language() or "en")


@cache
def _choices_in(language: str) -> tuple[tuple[str, str], ...]:
    """Worked out once per language: the catalogue is fixed."""
    labels = region_labels(language)
    return tuple((region_id, labels[region_id]) for region_id in body_map_shapes())


def _percent(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return f"{text}%"


def region_css() -> str:
    """The CSS that places each region's checkbox on its shape (percentages of its view)."""
    box_left, box_top, width, height = FIGURE_BOX
    lines = [
        "/* Generated from body_map_shapes.json by backto.capabilities.exam.body_map_widget",
        "   (python -m backto.capabilities.exam.body_map_widget); do not edit by hand. */",
    ]
    for region_id, shape in body_map_shapes().items():
        left, top, right, bottom = shape.box
        box_width, box_height = right - left, bottom - top
        polygon = ", ".join(
            f"{_percent((x - left) / box_width * 100)} {_percent((y - top) / box_height * 100)}"
            for x, y in shape.points
        )
        lines.append(
            f".bm-r-{region_id} {{ left: {_percent((left - box_left) / width * 100)}; "
            f"top: {_percent((top - box_top) / height * 100)}; "
            f"width: {_percent(box_width / width * 100)}; "
            f"height: {_percent(box_height / height * 100)}; "
            f"clip-path: polygon({polygon}); }}"
        )
    return "\n".join(lines) + "\n"


# The field's label, handed by the bound field to its widget (never an HTML attribute): a page
# with several maps (the sensory exam has five) names each map's "Show as a list" apart.
FIELD_LABEL = "field_label"


def show_as_list(field_label: str) -> SafeString:
    """The list switch's words, with the map's name visually hidden inside them ("Show Where it
    bothered you as a list") so that a page with several maps names each switch apart."""
    if not field_label:
        return format_html("{}", _("Show as a list"))
    hidden = format_html('<span class="visually-hidden">{} </span>', field_label)
    return format_html(_("Show {field}as a list"), field=hidden)


class BodyMapWidget(forms.CheckboxSelectMultiple):
    """One checkbox per region, laid over the front and back outlines (see the module's note).
    Include `exam/_body_map_styles.html` once on a page that shows it."""

    template_name = "exam/widgets/body_map.html"
    use_fieldset = True

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        field_label = str(attrs.pop(FIELD_LABEL, "") or "")
        context = super().get_context(name, value, attrs)
        context["widget"]["field_label"] = field_label
        context["widget"]["show_as_list"] = show_as_list(field_label)
        options: dict[str, dict[str, Any]] = {}
        for _group, group_options, _index in context["widget"]["optgroups"]:
            for option in group_options:
                options[str(option["value"])] = option
        shapes = body_map_shapes()
        widget_attrs = context["widget"]["attrs"]
        views = []
        for view in VIEWS:
            in_view = [
                options[region_id]
                for region_id, shape in shapes.items()
                if shape.view == view and region_id in options
            ]
            if not in_view:
                continue
            views.append(
                {
                    "view": view,
                    "legend": VIEW_LEGENDS[view],
                    "sides": VIEW_SIDES[view],
                    "outline": body_map_outline_svg(view),
                    "regions": _region_inputs(in_view, disabled=bool(widget_attrs.get("disabled"))),
                }
            )
        context["widget"]["views"] = views
        return context


def _region_inputs(options: list[dict[str, Any]], *, disabled: bool) -> SafeString:
    """The view's checkboxes, each with its label, built here rather than in a template loop: a
    page may show five maps of 70 regions each, and the template engine's lookups made the loop
    most of the sensory exam page's time (bench/RESULTS.md, "Exam pages")."""
    return format_html_join(
        "\n",
        '<li><input type="checkbox" name="{}" value="{}" id="{}" class="bm-region bm-r-{}"{}{}>'
        '<label for="{}" class="bm-name">{}</label></li>',
        (
            (
                o["name"],
                o["value"],
                o["attrs"]["id"],
                o["value"],
                mark_safe(" checked") if o["selected"] else "",
                mark_safe(" disabled") if disabled else "",
                o["attrs"]["id"],
                o["label"],
            )
            for o in options
        ),
    )


class BodyMapBoundField(BoundField):
    """Hands the field's label (as the form shows it) to the widget."""

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: Widget | None = None
    ) -> dict[str, Any]:
        built = super().build_widget_attrs(attrs, widget)
        built[FIELD_LABEL] = str(self.label or "")
        return built


class BodyMapField(forms.MultipleChoiceField):
    """The regions marked on the body map: the cleaned value is a sorted list of region ids.

    Choices are the catalogue's 70 regions (`backto/clinical/body_map_regions.json`). An unknown
    id is refused with a message naming the field and what is allowed. Empty is allowed when
    `required=False` (for example "nowhere right now").
    """

    widget = BodyMapWidget
    bound_field_class = BodyMapBoundField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", region_choices)
        super().__init__(**kwargs)

    def validate(self, value: Iterable[str]) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        known = {region_id for region_id, _label in region_choices()}
        unknown = sorted({str(v) for v in value} - known)
        if unknown:
            label = self.label or _("Body map")
            raise ValidationError(
                _(
                    "%(field)s: %(values)s is not a region of the body map. Choose places on the "
                    "picture, or in its list (“Show as a list”)."
                ),
                code="invalid_choice",
                params={"field": label, "values": ", ".join(repr(v) for v in unknown)},
            )

    def clean(self, value: Any) -> list[str]:
        cleaned = super().clean(value)
        return sorted(set(cleaned))


if __name__ == "__main__":  # pragma: no cover - regenerates the static CSS
    import sys

    sys.stdout.write(region_css())
