"""The diary form, built from the instrument's items (the words live in the instrument file), the
diary page's and the calendar's queries, the pain switches, and the reminder time."""

import functools
import uuid
from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict

from backto.access.patients.models import Patient
from backto.access.patients.respondents import Respondent
from backto.capabilities.diary.models import INSTRUMENT_FOR, PRIVATE_ABLE, DiaryEntry
from backto.capabilities.diary.queries import pain_enabled
from backto.capabilities.instruments.forms import ItemsForm, item_field
from backto.clinical.instrument_registry import instrument_registry
from backto.core.forms import OpenDayField, ParameterForm, SwitchField


class DiaryForm(ItemsForm):
    """Base of the diary forms; `diary_form_class` adds the instrument's items."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def submission(self) -> dict[str, Any]:
        """The action's arguments from a valid form (actions.diary_entry_submit)."""
        return {
            "answers": self.answers(),
            "private_fields": self.cleaned_data.get("private_fields", []),
            "idempotency_key": self.cleaned_data["idempotency_key"],
        }


@functools.cache
def diary_form_class(
    instrument_id: str, version: str, *, ask_pain: bool, teen: bool
) -> type[DiaryForm]:
    """The form for one instrument version, built once: its fields come from the items."""
    instrument = instrument_registry().get(instrument_id, version)
    fields: dict[str, Any] = {}
    for item in instrument.items:
        if item.linkId == "pain" and not ask_pain:
            continue
        fields[item.linkId] = item_field(item)
    if teen:
        labels = {i.linkId: (i.label or i.linkId) for i in instrument.items}
        fields["private_fields"] = forms.MultipleChoiceField(
            label="Keep these answers between me and my care team",
            help_text="Your parents will not see them. Your care team will.",
            choices=[(name, labels[name]) for name in PRIVATE_ABLE if name in labels],
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    names = tuple(name for name in fields if name != "private_fields")
    return type("DiaryItemsForm", (DiaryForm,), {**fields, "item_names": names})


def diary_form(
    patient: Patient,
    respondent: str,
    *,
    teen: bool,
    data: QueryDict | None,
    existing: DiaryEntry | None,
) -> DiaryForm:
    """The respondent's diary form for this child, with the pain question when the care team
    asks it, prefilled with the entry already written (when the page shows one)."""
    instrument = instrument_registry().get(INSTRUMENT_FOR[Respondent(respondent)])
    form_class = diary_form_class(
        instrument.id, instrument.version, ask_pain=pain_enabled(patient), teen=teen
    )
    initial = dict(existing.answers, private_fields=existing.private_fields) if existing else {}
    return form_class(data, initial=initial)


class DiaryPageForm(ParameterForm):
    """Which entry the diary page is for, from its query (or the same names in its form, which
    win): `as`, whose entry (the family member's own by default), `day`, today or yesterday,
    the only days still open (a value that is neither is a 400 naming it), and `saved`, what the
    save before the page did (diary_today's redirect)."""

    day = OpenDayField()

    def __init__(self, request_data: list[QueryDict], *, default_respondent: str) -> None:
        names = ("as", "day", "saved")
        super().__init__({n: next((d.get(n) for d in request_data if d.get(n)), "") for n in names})
        self.fields["as"] = forms.CharField(required=False)
        self.default_respondent = default_respondent

    def saved(self) -> str:
        return str(self.data["saved"])

    def respondent(self) -> str:
        """Any text: whether this person may write as it is the view's check, made first."""
        return str(self.data["as"]) or self.default_respondent

    def chosen_day(self) -> date:
        day: date = self.checked()["day"]
        return day


class CalendarForm(forms.Form):
    """How many weeks the calendar shows (`?weeks=`): 4 unless a number is asked, at least 1
    and at most 26."""

    weeks = forms.IntegerField(required=False)

    def weeks_shown(self) -> int:
        if not self.is_valid() or self.cleaned_data["weeks"] is None:
            return 4
        return max(1, min(26, self.cleaned_data["weeks"]))


class PainSettingForm(ParameterForm):
    """A pain switch, and where to go back to: `next=progress` for the progress page, else the
    diary calendar."""

    next = forms.CharField(required=False)

    def back_to_progress(self) -> bool:
        return self.data.get("next") == "progress"


class PainQuestionForm(PainSettingForm):
    pain_enabled = SwitchField()


class FamilySeesPainForm(PainSettingForm):
    family_sees_pain = SwitchField()
