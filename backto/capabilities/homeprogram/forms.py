from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from backto.capabilities.homeprogram.actions import DOSE_FIELDS, ITEM_FIELDS
from backto.capabilities.homeprogram.models import Exercise, HomeProgramItem
from backto.core.forms import OpenDayField, ParameterForm, RecordIdField, SwitchField, local_path

DOSE_LABELS = {
    "add_minutes_per_week": "Add minutes each week",
    "max_minutes": "Most minutes (the progression stops there)",
    "progression_note": "Progression, in words (optional)",
}


class ExerciseForm(forms.ModelForm):
    class Meta:
        model = Exercise
        fields = [
            "name",
            "category",
            "instructions",
            "default_sets",
            "default_reps",
            "default_minutes",
            "media",
        ]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3})}


class HomeProgramItemForm(forms.ModelForm):
    class Meta:
        model = HomeProgramItem
        fields = list(ITEM_FIELDS)
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"})}
        labels = DOSE_LABELS

    def __init__(self, *args: Any, exercises: QuerySet[Exercise], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"start_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = exercises  # type: ignore[attr-defined]


class DoseForm(forms.ModelForm):
    """A change to an exercise's dose. The minutes it shows are the dose today, progression
    included: what the family is doing now, and where a new progression counts on from."""

    class Meta:
        model = HomeProgramItem
        fields = list(DOSE_FIELDS)
        labels = {**DOSE_LABELS, "minutes": "Minutes from today"}

    def __init__(
        self, *args: Any, item: HomeProgramItem, minutes_today: int | None, **kwargs: Any
    ) -> None:
        self.item = item
        initial = {name: getattr(item, name) for name in DOSE_FIELDS}
        kwargs["initial"] = {**initial, "minutes": minutes_today}
        kwargs["prefix"] = "edit"  # its fields' ids differ from the add form's
        super().__init__(*args, **kwargs)

    def changes(self) -> dict[str, Any]:
        """Only what the PT changed: a field left as shown is not a new prescription."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class DoseAskedForm(ParameterForm):
    """Which exercise's dose the program page shows a form to change: `?edit=<item>`, if any."""

    edit = RecordIdField(required=False)


class DosePostedForm(ParameterForm):
    """Which exercise's dose the dose form changes: the same `edit`, posted, and required."""

    edit = RecordIdField()


class StopForm(ParameterForm):
    """The program page's "stop" button posts the item it stops."""

    stop = RecordIdField()


class ChecklistDayForm(ParameterForm):
    """The family's checklist is for today or yesterday (`?day=`)."""

    day = OpenDayField()


class TickForm(ParameterForm):
    """A tick on the checklist: the item, done or not, and the page to go back to (a path on this
    site, else the checklist again)."""

    item = RecordIdField()
    done = SwitchField()
    next = forms.CharField(required=False)

    def __init__(self, data: QueryDict, *, host: str) -> None:
        super().__init__(data)
        self.host = host

    def clean_next(self) -> str | None:
        return local_path(self.cleaned_data["next"], host=self.host)
