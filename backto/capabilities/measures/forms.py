"""Questionnaire forms built from the instrument (the whole form, or one item per screen), and
the clinic's choice of questionnaires."""

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.http import QueryDict

from backto.capabilities.instruments.forms import ItemsForm, item_field
from backto.capabilities.measures.schedule import TemplateRow
from backto.clinical.instruments import Instrument, Item


class QuestionnaireForm(ItemsForm):
    """Any item may be left unanswered: the missing-item rule of the scoring engine decides what
    a score can be computed from, and finishing with gaps asks once for confirmation."""


def questionnaire_form_class(
    instrument: Instrument, items: tuple[Item, ...] | None = None
) -> type[QuestionnaireForm]:
    fields: dict[str, forms.Field] = {}
    for item in instrument.asked_items if items is None else items:
        field = item_field(item)
        field.required = False
        if item.text is None:  # staff entering a licensed form whose wording is not installed
            field.help_text = f"Item {item.linkId} of the licensed paper form."
        fields[item.linkId] = field
    return type(
        "QuestionnaireItemsForm", (QuestionnaireForm,), {**fields, "item_names": tuple(fields)}
    )


class NavigationForm(forms.Form):
    """Where a questionnaire page goes from here: `nav` is the button pressed (`back`, `finish`,
    anything else is the next question or "save"), `confirm_missing` the second Finish that
    sends answers with gaps, and `q` the question on screen when there is one per screen (from
    the form, else the address; a number out of range resumes at the first not answered)."""

    q = forms.IntegerField(required=False)
    nav = forms.CharField(required=False)
    confirm_missing = forms.CharField(required=False)

    def __init__(self, post: QueryDict, get: QueryDict) -> None:
        super().__init__(
            {
                "q": post.get("q") or get.get("q") or "",
                "nav": post.get("nav", ""),
                "confirm_missing": post.get("confirm_missing", ""),
            }
        )
        self.is_valid()  # a q that is not a number is no question asked: the others still read

    def question(self, count: int) -> int | None:
        number: int | None = self.cleaned_data.get("q")
        return number if number is not None and 1 <= number <= count else None

    @property
    def finish(self) -> bool:
        return self.cleaned_data["nav"] == "finish"

    @property
    def back(self) -> bool:
        return self.cleaned_data["nav"] == "back"

    @property
    def confirmed(self) -> bool:
        return bool(self.cleaned_data["confirm_missing"])


class ClinicTemplateForm(forms.Form):
    """The clinic's choice of questionnaires: per instrument a `use-<id>` box and an
    `every-<id>` frequency. Only enabled instruments can be chosen; the frequency's range is the
    action's to check (measures.actions.clinic_template_set), so a value that is not a number is
    passed on as -1, out of range."""

    def __init__(self, data: Mapping[str, Any], *, instruments: Sequence[Instrument]) -> None:
        super().__init__(data)
        self.instruments = instruments

    def rows(self) -> list[TemplateRow]:
        rows = []
        for instrument in self.instruments:
            if not self.data.get(f"use-{instrument.id}") or not instrument.enabled:
                continue
            try:
                every = int(self.data.get(f"every-{instrument.id}", "0"))
            except ValueError:
                every = -1
            rows.append(
                TemplateRow(
                    instrument.id,
                    instrument.respondent,
                    every,
                    at_baseline=instrument.at_baseline,
                    at_follow_up=instrument.covers_time_since_last_asked,
                )
            )
        return rows
