"""Controls sized for a child's thumb, shared by the diary and the questionnaires.

Each is a real form control underneath, so a page works without JavaScript and keeps its
labels, keyboard use and screen-reader text:

- `ChoiceCards` / `ChoiceCardsMultiple`: one choice (radios) or several (checkboxes) drawn as
  big cards, each card a real <input> over its <label>, a tick showing what is chosen.
- `FaceScale`: a single choice drawn as faces (this project's own simple drawings, sad to
  happy in the options' order), each with its words beside it.
- `RatingSlider`: a 0-10 rating as an <input type=range> with the number shown in an <output>,
  the ends in words, and "not answered" kept possible: a slider cannot be empty, so its value
  counts only once the "I'll rate it" box is ticked (controls.js ticks it when the slider moves).
- `CountInput`: a compact number box for counts (days missed, 0-20).

The CSS is backto/static/backto/controls.css, the small script controls.js; the class names
(choice-cards, choice-card, face-scale, face, rating-slider, count-input) are documented on the
design page. The cards and faces are written here in Python, as a page may hold a hundred of
them and a template per card was most of a diary page's time; the slider and the count box use
templates in backto/templates/widgets/, rendered by the project's template engine (the form
renderer's own engine does not read that folder).
"""

import html
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.template import loader
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString, mark_safe


class _ProjectTemplate:
    """Render a widget with the project's templates (backto/templates/widgets/)."""

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: BaseRenderer | None = None
    ) -> SafeString:
        return mark_safe(loader.render_to_string(template_name, context))  # noqa: S308


def _escaped(value: Any) -> str:
    """As the templates write a value (conditional_escape): HTML as it is, anything else as
    escaped text. Without Django's lazy-value wrapper, which a page of cards called hundreds of
    times (a lazy translation is still read: str() evaluates it)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _attrs_html(attrs: Mapping[str, Any]) -> str:
    """A control's attributes as HTML, each with a space before it: a True value as the bare
    name, a False one left out, the rest escaped (widgets/attrs.html, for the templates)."""
    return "".join(
        f" {_escaped(name)}" + ("" if value is True else f'="{html.escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


# The tick a chosen card shows (drawn by CSS; hidden from screen readers, the input says it).
TICK = (
    '<span class="choice-mark" aria-hidden="true"><svg viewBox="0 0 20 20" width="20" height="20" '
    'visibility="hidden" focusable="false"><path d="M4 10.5 L8 14.5 L16 5.5" fill="none" '
    'stroke="currentColor" stroke-width="3"/></svg></span>'
)


class _Cards:
    """The options as cards, written in Python: each an <input> and its <label>, in a
    <div class="choice-card">, inside a <div> of the widget's class."""

    css_class = "choice-cards"

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        cards = "".join(
            f'\n  <div class="choice-card">{self.option_html(option)}</div>'
            for _group, options, _index in widget["optgroups"]
            for option in options
        )
        found = widget["attrs"].get("id")
        div_id = f' id="{_escaped(found)}"' if found else ""
        return mark_safe(f'<div{div_id} class="{self.css_class}">{cards}\n</div>\n')  # noqa: S308

    def option_html(self, option: Mapping[str, Any]) -> str:
        return (
            f"{_input_html(option)}{_label_open(option)}{TICK}"
            f'<span class="choice-words">{_escaped(option["label"])}</span></label>\n'
        )


def _input_html(option: Mapping[str, Any]) -> str:
    value = "" if option["value"] is None else f' value="{html.escape(str(option["value"]))}"'
    return (
        f'<input type="{_escaped(option["type"])}" '
        f'name="{_escaped(option["name"])}"{value}{_attrs_html(option["attrs"])}>'
    )


def _label_open(option: Mapping[str, Any]) -> str:
    return f'<label for="{_escaped(option["attrs"].get("id", ""))}">'


class ChoiceCards(_Cards, forms.RadioSelect):
    """One choice of a few, as full-width cards (56 px tall on a phone)."""


class ChoiceCardsMultiple(_Cards, forms.CheckboxSelectMultiple):
    """Several choices of a list ("pick all you used"), as cards with a tick box."""

    css_class = "choice-cards multiple"


def face_drawing(position: float) -> dict[str, str]:
    """A face's mouth (and brows) at `position` on the scale, 0 the saddest and 1 the happiest,
    as SVG path data in a 40 x 40 box: the mouth bends from a frown through a straight line to
    a smile, and the two saddest faces lift their brows."""
    bend = max(-1.0, min(1.0, position * 2 - 1))  # -1 frown .. 1 smile
    ends_y = 27 - 2 * min(bend, 0)  # a frown sits a little lower
    control_y = ends_y + 9 * bend
    half = 7 + 2 * abs(bend)  # a big smile or frown is a little wider
    mouth = f"M{20 - half:g} {ends_y:g} Q20 {control_y:g} {20 + half:g} {ends_y:g}"
    brows = "M9 12 L16 9 M31 12 L24 9" if bend < 0 else ""
    return {"mouth": mouth, "brows": brows}


class FaceScale(ChoiceCards):
    """A mood scale: each option a radio with a face drawn beside its words. The options come
    saddest first (the instrument's order); the faces follow that order."""

    css_class = "choice-cards face-scale"

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        count = max(len(list(self.choices)) - 1, 1)
        option.update(face_drawing(index / count))
        return option

    def option_html(self, option: Mapping[str, Any]) -> str:
        lines = "".join(
            f'<path class="face-line" d="{_escaped(option[part])}" fill="none" '
            'stroke="currentColor" stroke-width="2.4" stroke-linecap="round"/>'
            for part in ("brows", "mouth")
            if option[part]
        )
        return (
            f"{_input_html(option)}{_label_open(option)}{FACE_HEAD}{lines}</svg>"
            f'<span class="choice-words">{_escaped(option["label"])}</span>{TICK}</label>\n'
        )


# A face's head and eyes; face_drawing gives its brows and mouth.
FACE_HEAD = (
    '<svg class="face" viewBox="0 0 40 40" width="40" height="40" aria-hidden="true" '
    'focusable="false"><circle class="face-head" cx="20" cy="20" r="17" fill="none" '
    'stroke="currentColor" stroke-width="2"/><circle class="face-eye" cx="14" cy="16" r="2.2" '
    'fill="currentColor"/><circle class="face-eye" cx="26" cy="16" r="2.2" fill="currentColor"/>'
)


class RatingSlider(_ProjectTemplate, forms.Widget):
    """A 0-10 rating (any run of whole-number options): a range input with its number in an
    <output>, the lowest and highest options' words at the ends, and an "I'll rate it" box.

    The form posts `<name>_slider` to say the value came from this control: then the value counts
    only when `<name>_rated` is ticked, so a child who never touched the slider records nothing.
    A post without the marker (an older page, a client posting the value itself) is read as it
    stands."""

    template_name = "widgets/rating_slider.html"
    use_fieldset = True

    def __init__(
        self, choices: Sequence[tuple[Any, str]] = (), attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(attrs)
        self.choices = list(choices)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        values = [int(v) for v, _ in self.choices]
        low, high = min(values), max(values)
        words = {int(v): str(label) for v, label in self.choices}
        answered = value not in (None, "", [])
        widget_attrs = context["widget"]["attrs"]
        if widget_attrs.get("id"):  # the ends' words describe the slider
            ends = f"{widget_attrs['id']}_ends"
            widget_attrs["aria-describedby"] = f"{widget_attrs.get('aria-describedby', '')} {ends}"
            widget_attrs["aria-describedby"] = widget_attrs["aria-describedby"].strip()
        context["widget"].update(
            low=low,
            high=high,
            low_words=_words(words[low], low),
            high_words=_words(words[high], high),
            # unanswered, the thumb rests in the middle and nothing is recorded from it
            position=value if answered else (low + high) // 2,
            answered=answered,
        )
        return context

    def value_from_datadict(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> Any:
        if f"{name}_slider" in data and not data.get(f"{name}_rated"):
            return None
        return data.get(name)

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> bool:
        return name not in data

    def id_for_label(self, id_: str) -> str:
        return id_


def _words(label: str, value: int) -> str:
    """The words of an end label without its number: "0 (no hurt)" -> "no hurt"."""
    text = label.strip()
    number = str(value)
    if text.startswith(number):
        text = text[len(number) :].strip()
    return text.strip("()").strip() or number


class CountInput(_ProjectTemplate, forms.NumberInput):
    """A compact box for a whole-number count (days missed), with its range beside it."""

    template_name = "widgets/count_input.html"

    def __init__(self, low: int, high: int, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "min": low,
                "max": high,
                "step": 1,
                "inputmode": "numeric",
                "class": "count-input",
                **(attrs or {}),
            }
        )
        self.low, self.high = low, high

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(low=self.low, high=self.high)
        return context
