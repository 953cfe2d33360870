"""What the appointment pages read: the booking and change forms (a day and a time in the
clinic's time zone), the status buttons, and the week's address (`?start=YYYY-MM-DD`, and for
those who see the clinic's week `?clinician=`)."""

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy

from backto.capabilities.appointments.actions import MAX_MINUTES, MAX_WEEKS, MIN_MINUTES
from backto.capabilities.appointments.models import AppointmentKind, AppointmentStatus
from backto.capabilities.appointments.queries import local_moment
from backto.core.forms import (
    BoundedDateField,
    DayParameterField,
    ParameterField,
    ParameterForm,
    RecordIdField,
)


class AppointmentFields(forms.Form):
    """The fields of an appointment as staff type them; `starts_at` is made from the day and the
    time in the clinic's zone."""

    kind = forms.ChoiceField(choices=AppointmentKind.choices)
    day = BoundedDateField()
    start = forms.TimeField(
        label="Time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.IntegerField(
        label="Minutes",
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        initial=45,
        error_messages={
            "min_value": f"An appointment lasts {MIN_MINUTES} to {MAX_MINUTES} minutes.",
            "max_value": f"An appointment lasts {MIN_MINUTES} to {MAX_MINUTES} minutes.",
        },
    )
    clinician = forms.ChoiceField(label="With", required=False)
    place = forms.CharField(
        max_length=200, required=False, help_text="A room or an address, as the family will see it."
    )
    video_link = forms.CharField(
        label="Video link",
        max_length=200,
        required=False,
        help_text="For a video visit: an address starting with https://.",
    )
    note_for_family = forms.CharField(
        label="Note for the family",
        max_length=300,
        required=False,
        help_text="What to bring or wear. The family sees it.",
    )

    def __init__(
        self,
        *args: Any,
        zone: ZoneInfo,
        clinicians: list[Any],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.zone = zone
        self.by_id = {c.pk: c for c in clinicians}
        field = self.fields["clinician"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Nobody named")] + [(str(c.pk), c.name) for c in clinicians]

    def clean_clinician(self) -> Any:
        value = self.cleaned_data.get("clinician")
        return self.by_id.get(int(value)) if value else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day: date | None = cleaned.get("day")
        start = cleaned.get("start")
        if day is not None and start is not None:
            moment = local_moment(day, start, self.zone)
            if moment is None:
                self.add_error(
                    "start",
                    "The clocks change that night and skip this time: choose another.",
                )
            cleaned["starts_at"] = moment
        return cleaned


class BookForm(AppointmentFields):
    weeks = forms.IntegerField(
        label="Weeks",
        min_value=1,
        max_value=MAX_WEEKS,
        initial=1,
        help_text=f"Book the same time each week: 1 for once, up to {MAX_WEEKS}.",
        error_messages={
            "min_value": f"Book 1 to {MAX_WEEKS} weeks.",
            "max_value": f"Book 1 to {MAX_WEEKS} weeks.",
        },
    )

    field_order = ["kind", "day", "start", "minutes", "clinician", "place", "video_link"]


class ChangeForm(AppointmentFields):
    """A booked appointment moved or changed: its id as the page sends it, then its fields."""

    appointment = RecordIdField()

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["appointment"].widget = forms.HiddenInput()
        del self.fields["kind"]


class AppointmentIdForm(ParameterForm):
    appointment = RecordIdField()


class StatusField(ParameterField):
    # The values a page sends (AppointmentStatus.values; a test keeps the two in step).
    problem = gettext_lazy("“{name}” must be one of: booked, attended, missed, cancelled.")

    def clean(self, value: Any) -> str:
        value = self.to_python(value)
        if value not in AppointmentStatus.values:
            raise self.refuse()
        return value


class StatusForm(ParameterForm):
    appointment = RecordIdField()
    status = StatusField()


class ClinicianFilterField(ParameterField):
    """Whose week: "" (one's own), "all" (the clinic's), or a staff member's record number."""

    problem = gettext_lazy("“{name}” must be “all” or a record number: digits 0–9 only.")

    def clean(self, value: Any) -> int | str | None:
        value = self.to_python(value)
        if not value:
            return None
        if value == "all":
            return "all"
        if not re.fullmatch(r"[0-9]{1,18}", value):
            raise self.refuse()
        return int(value)


class WeekForm(ParameterForm):
    start = DayParameterField(required=False)
    clinician = ClinicianFilterField(required=False)


def clinician_choice_label(value: int | str | None, clinicians: dict[int, Any]) -> str:
    if value == "all":
        return "everyone"
    if isinstance(value, int) and value in clinicians:
        return clinicians[value].name
    return ""


def initial_for(appointment: Any, zone: ZoneInfo) -> dict[str, Any]:
    """A change form's values: the appointment as it is, its time in the clinic's zone."""
    moment: datetime = appointment.starts_at.astimezone(zone)
    return {
        "appointment": appointment.pk,
        "day": moment.date(),
        "start": moment.time().replace(second=0, microsecond=0),
        "minutes": appointment.minutes,
        "clinician": str(appointment.clinician_id or ""),
        "place": appointment.place,
        "video_link": appointment.video_link,
        "note_for_family": appointment.note_for_family,
    }
