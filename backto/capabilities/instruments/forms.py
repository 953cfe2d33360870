"""Form fields built from instrument items, for the diary and the questionnaire pages, and the
upload of an instrument pack."""

from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator

from backto.clinical.instrument_packs import MAX_PACK_BYTES, InstrumentPackError, pack_from_json
from backto.clinical.instrument_packs import InstrumentPack as PackContent
from backto.clinical.instruments import Item


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


def item_field(item: Item) -> forms.Field:
    """The form field for one instrument item: its words and allowed answers come from the file."""
    label = item.text or item.label or item.linkId
    required = bool(item.required)
    if item.type == "choice":
        choices = FixedChoices((option.value, option.label) for option in item.answerOption)
        if item.repeats:
            return forms.TypedMultipleChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                required=required,
                widget=forms.CheckboxSelectMultiple,
            )
        return forms.TypedChoiceField(
            label=label,
            choices=choices,
            coerce=int,
            required=required,
            widget=forms.RadioSelect,
            empty_value=None,
        )
    if item.type in ("decimal", "integer"):
        step = "0.5" if item.type == "decimal" else "1"
        return forms.FloatField(
            label=label,
            required=required,
            min_value=item.minValue,
            max_value=item.maxValue,
            widget=forms.NumberInput(attrs={"step": step, "inputmode": "decimal"}),
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
    """One instrument pack file; valid when it is small enough and reads as a pack
    (`cleaned_data["pack"]` is then its content, and `source_name` the file's name). Whether it
    matches its instrument is checked when it is installed (instruments.actions)."""

    pack = forms.FileField(
        label="Instrument pack file (JSON)",
        help_text="The item wording for one instrument version, from the authors or your licence.",
    )

    def clean_pack(self) -> PackContent:
        file = self.cleaned_data["pack"]
        self.source_name = file.name[:200]
        if file.size > MAX_PACK_BYTES:
            raise forms.ValidationError(
                f"The file is too large: at most {MAX_PACK_BYTES // 1024} KB."
            )
        try:
            return pack_from_json(file.read(MAX_PACK_BYTES + 1), source=self.source_name)
        except InstrumentPackError as error:
            raise forms.ValidationError(str(error)) from None
