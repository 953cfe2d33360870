"""The diary form, built from the instrument's items (the words live in the instrument file), the
diary page's and the calendar's queries, the pain switches, and the reminder time."""

import functools
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.forms import BoundField
from django.http import QueryDict
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy

from backto.access.patients.models import Patient
from backto.access.patients.respondents import Respondent
from backto.capabilities.diary.models import PRIVATE_ABLE, DiaryEntry
from backto.capabilities.diary.queries import diary_instrument, pain_enabled, short_label
from backto.capabilities.instruments.forms import ItemsForm, item_field
from backto.clinical.languages import base_language
from backto.core.forms import OpenDayField, ParameterForm, SwitchField
from backto.core.widgets import ChoiceCardsMultiple, FaceScale


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
    respondent: str, version: str, *, ask_pain: bool, teen: bool, language: str
) -> type[DiaryForm]:
    """The form for one instrument version in one language, built once: its fields come from
    the items, worded in `language` when the instrument file has it (else in English)."""
    instrument = diary_instrument(respondent, language, version)
    fields: dict[str, Any] = {}
    for item in instrument.items:
        if item.linkId == "pain" and not ask_pain:
            continue
        fields[item.linkId] = item_field(item)
        if item.linkId == "mood":
            fields["mood"].widget = FaceScale(choices=fields["mood"].choices)
        if item.linkId.endswith("_hours"):  # "8 hours" on the summary, not "8"
            fields[item.linkId].widget.attrs["data-unit"] = str(HOURS)
    if teen:
        labels = {i.linkId: short_label(i) for i in instrument.items}
        fields["private_fields"] = forms.MultipleChoiceField(
            label=gettext_lazy("Keep these answers between me and my care team"),
            help_text=gettext_lazy("Your parents will not see them. Your care team will."),
            choices=[(name, labels[name]) for name in PRIVATE_ABLE if name in labels],
            required=False,
            widget=ChoiceCardsMultiple,
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
    language = base_language(get_language())
    form_class = diary_form_class(
        respondent,
        diary_instrument(respondent, language).version,
        ask_pain=pain_enabled(patient),
        teen=teen,
        language=language,
    )
    initial = dict(existing.answers, private_fields=existing.private_fields) if existing else {}
    return form_class(data, initial=initial)


# The diary's steps, one per screen on a phone (diary.js; without it every step shows): a title and
# the items it asks. The child's diary takes one thing at a time; the parent's, quicker still,
# puts the few choice groups together. Pain is last, and only where the care team asks it (the
# form then has no pain field and the step is left out).
CHILD_STEPS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (gettext_lazy("What I did"), ("activity", "activity_note")),
    (gettext_lazy("School"), ("school", "school_hours")),
    (gettext_lazy("Sleep"), ("sleep_hours", "sleep_quality")),
    (gettext_lazy("How I felt"), ("mood",)),
    (gettext_lazy("What helped"), ("coping",)),
    (gettext_lazy("My home exercises"), ("home_program",)),
    (gettext_lazy("A win"), ("win",)),
    (gettext_lazy("Pain"), ("pain",)),
)
PARENT_STEPS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (gettext_lazy("The day"), ("activity", "school", "school_hours", "home_program")),
    (gettext_lazy("Sleep and mood"), ("sleep_hours", "sleep_quality", "mood")),
    (gettext_lazy("Skills, a win and pain"), ("coping", "activity_note", "win", "pain")),
)
# The unit after a number of hours on the summary before saving ("8 hours").
HOURS = pgettext_lazy("unit after a number", "hours")


@dataclass(frozen=True)
class DiaryStep:
    title: str
    fields: list[BoundField]


def diary_steps(form: DiaryForm, respondent: str) -> list[DiaryStep]:
    """The form's items in steps, in the respondent's order; an item no step names (a new
    version of the instrument) comes in a last step of its own, so nothing asked is left out."""
    plan = PARENT_STEPS if respondent == Respondent.PARENT else CHILD_STEPS
    placed: set[str] = set()
    steps = []
    for title, names in plan:
        present = [name for name in names if name in form.fields]
        placed.update(present)
        if present:
            steps.append(DiaryStep(str(title), [form[name] for name in present]))
    rest = [name for name in form.item_names if name not in placed]
    if rest:
        steps.append(DiaryStep(str(gettext_lazy("More")), [form[name] for name in rest]))
    return steps


class DiaryPageForm(ParameterForm):
    """Which entry the diary page is for, from its query (or the same names in its form, which
    win): `as`, whose entry (the family member's own by default), and `day`, today or
    yesterday, the only days still open (a value that is neither is a 400 naming it). After a
    save the family home, not this page, says what the save did."""

    day = OpenDayField()

    def __init__(self, request_data: list[QueryDict], *, default_respondent: str) -> None:
        names = ("as", "day")
        super().__init__({n: next((d.get(n) for d in request_data if d.get(n)), "") for n in names})
        self.fields["as"] = forms.CharField(required=False)
        self.default_respondent = default_respondent

    def respondent(self) -> str:
        """Any text: whether this person may write as it is the view's check, made first."""
        return str(self.data["as"]) or self.default_respondent

    def chosen_day(self) -> date:
        day: date = self.checked()["day"]
        return day


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
