"""Form fields built from instrument items, for the diary and the questionnaire pages; the
upload of an instrument pack; and the clinic's wording of a licensed instrument, typed on a page."""

from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as PydanticValidationError

from backto.clinical.fhir_questionnaire import is_fhir_resource, pack_from_upload
from backto.clinical.instrument_packs import (
    MAX_PACK_BYTES,
    MAX_TEXT_CHARS,
    InstrumentPackError,
)
from backto.clinical.instrument_packs import InstrumentPack as PackContent
from backto.clinical.instruments import Instrument, Item
from backto.core.widgets import ChoiceCards, ChoiceCardsMultiple, CountInput, RatingSlider


class FixedChoices(BaseChoiceIterator):
    """An item's answer options, fixed once its instrument file is read. Django deep-copies a
    form's fields for every request; copying the options (and normalizing each copy) was about
    two thirds of reading a submitted diary form, so every copy of a field shares these."""

    def __init__(self, options: Iterable[tuple[Any, str]]) -> None:
        self.options = tuple(options)

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        return iter(self.options)

    def __len__(self) -> int:
        return len(self.options)

    def __copy__(self) -> "FixedChoices":
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> "FixedChoices":
        return self


# A run of whole numbers up to this many options is a rating (the 0-10 pain scale: a slider);
# a longer run is a count (days missed, 0-20: a number box). Fewer options are cards.
RATING_OPTIONS = 11


def _consecutive_whole_numbers(values: list[Any]) -> bool:
    if not values or not all(isinstance(v, int) for v in values):
        return False
    return sorted(values) == list(range(min(values), max(values) + 1))


def choice_widget(item: Item, choices: FixedChoices) -> forms.Widget:
    """The control for a choice item, decided by its options: several answers are tick cards;
    a run of 11 whole numbers (0-10) a slider; a longer run a number box; the rest cards. Each
    posts exactly the option's value, so the scoring reads the same answers."""
    if item.repeats:
        return ChoiceCardsMultiple(choices=choices)
    values = [option.value for option in item.answerOption]
    if _consecutive_whole_numbers(values) and len(values) == RATING_OPTIONS:
        return RatingSlider(choices=list(choices))
    if _consecutive_whole_numbers(values) and len(values) > RATING_OPTIONS:
        return CountInput(int(min(values)), int(max(values)))
    return ChoiceCards(choices=choices)


def _bounds(item: Item) -> Any:
    low = "0" if item.minValue is None else _number(item.minValue)
    if item.maxValue is None:
        return format_lazy(_("{low} up"), low=low)
    return format_lazy(_("{low} to {high}"), low=low, high=_number(item.maxValue))


def _item_name(item: Item) -> str:
    """How an error names its item: the short English label in English; in another language the
    question itself (an instrument's labels are not translated, its questions are)."""
    if (get_language() or "en").startswith("en"):
        return item.label or item.linkId
    return item.text or item.label or item.linkId


def item_field(item: Item) -> forms.Field:
    """The form field for one instrument item: its words and allowed answers come from the file;
    errors name the item and say what is allowed, in the reader's language (lazily: a form class
    may be built once and shown in several languages)."""
    label = item.text or item.label or item.linkId
    name = lazy(_item_name, str)(item)
    required = bool(item.required)
    if item.type == "choice":
        choices = FixedChoices((option.value, option.label) for option in item.answerOption)
        widget = choice_widget(item, choices)
        allowed: Any = (
            format_lazy(_("a whole number from {low} to {high}"), low=widget.low, high=widget.high)
            if isinstance(widget, CountInput)
            else _("one of the answers shown")
        )
        messages = {
            "required": format_lazy(_("{name}: please choose an answer."), name=name),
            "invalid_choice": format_lazy(
                _("{name}: %(value)s is not allowed; choose {allowed}."), name=name, allowed=allowed
            ),
        }
        if isinstance(widget, CountInput):
            messages["required"] = format_lazy(
                _("{name}: please type {allowed}."), name=name, allowed=allowed
            )
        if item.repeats:
            return forms.TypedMultipleChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                required=required,
                widget=widget,
                error_messages=messages,
            )
        return forms.TypedChoiceField(
            label=label,
            choices=choices,
            coerce=int,
            required=required,
            widget=widget,
            empty_value=None,
            error_messages=messages,
        )
    if item.type in ("decimal", "integer"):
        step = "0.5" if item.type == "decimal" else "1"
        between = format_lazy(
            _("{name}: type a number from {bounds}."), name=name, bounds=_bounds(item)
        )
        return forms.FloatField(
            label=label,
            required=required,
            min_value=item.minValue,
            max_value=item.maxValue,
            widget=forms.NumberInput(
                attrs={"step": step, "inputmode": "decimal", "class": "count-input"}
            ),
            error_messages={
                "required": format_lazy(_("{name}: please type a number."), name=name),
                "invalid": format_lazy(_("{name}: type a number, like 7 or 7.5."), name=name),
                "min_value": between,
                "max_value": between,
            },
        )
    return forms.CharField(
        label=label,
        required=required,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ItemsForm(forms.Form):
    """A form whose fields are an instrument's items (`item_names`): its answers as stored, a
    whole number kept whole (a number field gives 8.0 for 8)."""

    item_names: tuple[str, ...] = ()

    def answers(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name in self.item_names:
            value = self.cleaned_data.get(name)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            result[name] = value
        return result


class PackUploadForm(forms.Form):
    """One wording file (a pack, or a FHIR Questionnaire); valid when it is small enough and reads
    as one (`cleaned_data["pack"]` is then its content, `source_name` the file's name, and
    `from_fhir` whether it was a Questionnaire). A Questionnaire is checked against its
    instrument as it is read; a pack when it is installed (instruments.actions)."""

    pack = forms.FileField(
        label="Wording file (JSON): a wording pack or a FHIR Questionnaire",
        help_text="The item wording for one instrument version, from the authors or your licence, "
        "or a Questionnaire exported from another FHIR system or a sister clinic's BackTo.",
    )

    def clean_pack(self) -> PackContent:
        file = self.cleaned_data["pack"]
        self.source_name = file.name[:200]
        if file.size > MAX_PACK_BYTES:
            raise forms.ValidationError(
                f"The file is too large: at most {MAX_PACK_BYTES // 1024} KB."
            )
        content = file.read(MAX_PACK_BYTES + 1)
        self.from_fhir = is_fhir_resource(content)  # its licensee is another's (actions)
        try:
            return pack_from_upload(content, source=self.source_name)
        except InstrumentPackError as error:
            raise forms.ValidationError(str(error)) from None


def _number(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class WordingForm(forms.Form):
    """A clinic's wording of one licensed instrument version, typed or pasted on the page: the
    instructions, each item's wording and (where the items share one set of answers) each
    answer's label. The item ids, answer values and scoring are the instrument's and fixed.
    `pack()` is the result as a pack (validated again, against the instrument, when saved)."""

    licensed_to = forms.CharField(
        label="Licensed to",
        required=False,
        max_length=200,
        help_text="Who holds the licence, as the licence names them (shown under the form).",
    )
    instructions = forms.CharField(
        label="Instructions",
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown above the questions, as printed at the top of the licensed form.",
    )

    def __init__(
        self, *args: Any, instrument: Instrument, current: PackContent | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.current = current  # the wording installed now: what the page does not edit stays
        for item in instrument.items:
            self.fields[f"item-{item.linkId}"] = forms.CharField(
                label=f"Item {item.linkId} ({item.label})",
                max_length=MAX_TEXT_CHARS,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": f"Type the wording of item {item.linkId}."},
            )
        self.options = tuple((o.value, o.label) for o in instrument.shared_answers or ())
        for value, label in self.options:
            self.fields[f"option-{_number(value)}"] = forms.CharField(
                label=f"Answer {_number(value)}",
                required=False,
                max_length=MAX_TEXT_CHARS,
                help_text=f"Shipped label: {label}. Leave empty to keep it.",
            )

    @classmethod
    def initial_from(cls, pack: PackContent | None) -> dict[str, str]:
        if pack is None:
            return {}
        initial = {f"item-{link_id}": text for link_id, text in pack.items.items()}
        initial |= {f"option-{value}": text for value, text in (pack.option_labels or {}).items()}
        return initial | {
            "licensed_to": pack.licensed_to or "",
            "instructions": pack.instructions or "",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        labels = {
            _number(value): data.get(f"option-{_number(value)}") or label
            for value, label in self.options
        }
        relabelled = any(data.get(f"option-{_number(value)}") for value, _ in self.options)
        try:
            data["pack"] = PackContent(
                instrument=self.instrument.id,
                version=self.instrument.version,
                licensed_to=data["licensed_to"] or None,
                instructions=data["instructions"] or None,
                items={item.linkId: data[f"item-{item.linkId}"] for item in self.instrument.items},
                option_labels=labels if relabelled else None,
                # what only a pack file sets (the PPST's confirmed subscale, a note) is kept
                subscales=self.current.subscales if self.current else {},
                note=self.current.note if self.current else None,
            )
        except PydanticValidationError as error:
            raise forms.ValidationError([problem["msg"] for problem in error.errors()]) from None
        return data

    def pack(self) -> PackContent:
        """The wording as a pack, once the form is valid."""
        pack: PackContent = self.cleaned_data["pack"]
        return pack


def preview_form_class(instrument: Instrument) -> type[forms.Form]:
    """The instrument's questions as a family will see them, for the wording page's preview."""
    fields = {item.linkId: item_field(item) for item in instrument.asked_items}
    return type("WordingPreviewForm", (forms.Form,), fields)
