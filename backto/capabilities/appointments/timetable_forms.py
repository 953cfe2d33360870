"""What a coordinator types on the template-week pages: the week's name and slots, and how it is
applied to a child's program."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet

from backto.access.accounts.models import User, UserKind
from backto.capabilities.appointments.actions import MAX_MINUTES, MAX_WEEKS, MIN_MINUTES
from backto.capabilities.appointments.models import (
    AppointmentKind,
    TimetableSlot,
    TimetableTemplate,
)
from backto.capabilities.appointments.timetable import WEEKDAYS
from backto.capabilities.appointments.timetable_actions import SlotData
from backto.core.forms import BoundedDateField


class TimetableForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="For example “Intensive program, weeks 1 to 3”."
    )


class SlotForm(forms.Form):
    # A blank first choice, so that an empty row sends nothing and is left out.
    weekday = forms.TypedChoiceField(
        choices=[("", "Choose a day"), *WEEKDAYS], coerce=int, empty_value=None, label="Day"
    )
    start = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        label="Starts at",
        help_text="In the clinic's time, for example 09:30.",
    )
    minutes = forms.IntegerField(min_value=MIN_MINUTES, max_value=MAX_MINUTES)
    kind = forms.ChoiceField(
        choices=[("", "Choose a kind"), *AppointmentKind.choices], label="Kind of appointment"
    )
    place = forms.CharField(max_length=200, required=False, help_text="A room, optional.")

    def slot(self) -> SlotData:
        data = self.cleaned_data
        return SlotData(
            weekday=data["weekday"],
            start=data["start"],
            minutes=data["minutes"],
            kind=data["kind"],
            place=data.get("place", ""),
        )


class BaseSlotFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this slot"

    def slots(self) -> list[SlotData]:
        """The filled rows not marked for removal (blank extra rows are left out)."""
        return [
            f.slot() for f in self.forms if f.has_changed() and not f.cleaned_data.get("DELETE")
        ]


SlotFormSet: type[BaseSlotFormSet] = forms.formset_factory(  # type: ignore[assignment]
    SlotForm, formset=BaseSlotFormSet, extra=3, can_delete=True, max_num=60, validate_max=True
)


def slot_initial(slots: list[TimetableSlot]) -> list[dict[str, Any]]:
    return [
        {
            "weekday": s.weekday,
            "start": s.start,
            "minutes": s.minutes,
            "kind": s.kind,
            "place": s.place,
        }
        for s in slots
    ]


def next_monday(today: date) -> date:
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


class ApplyForm(forms.Form):
    """Which template week, from which Monday, for how many weeks, and who sees the child for
    each kind of visit. Sent by GET for the preview and by POST to book."""

    timetable = forms.ModelChoiceField(
        queryset=TimetableTemplate.objects.none(), label="Template week", empty_label=None
    )
    first_monday = BoundedDateField(label="First Monday")
    weeks = forms.IntegerField(min_value=1, max_value=MAX_WEEKS, label="Number of weeks")

    def __init__(
        self,
        *args: Any,
        timetables: QuerySet[TimetableTemplate],
        staff: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timetable"].queryset = timetables  # type: ignore[attr-defined]
        for kind, label in AppointmentKind.choices:
            self.fields[f"clinician_{kind}"] = forms.ModelChoiceField(
                queryset=staff,
                required=False,
                label=f"{label}: clinician",
                empty_label="Nobody named yet",
            )

    def clean_first_monday(self) -> date:
        day: date = self.cleaned_data["first_monday"]
        if day.weekday() != 0:
            raise forms.ValidationError(f"{day:%A %-d %B %Y} is not a Monday: choose a Monday.")
        return day

    def clinicians(self) -> dict[str, User | None]:
        return {kind: self.cleaned_data.get(f"clinician_{kind}") for kind in AppointmentKind}


def clinic_staff(clinic_id: int) -> QuerySet[User]:
    return User.objects.filter(clinic_id=clinic_id, kind=UserKind.STAFF, is_active=True).order_by(
        "display_name", "username"
    )
