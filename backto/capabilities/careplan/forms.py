from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients.models import therapy_choices
from backto.capabilities.appointments.models import Appointment
from backto.capabilities.careplan.actions import SESSION_FIELDS
from backto.capabilities.careplan.models import (
    CarePlan,
    DischargeReason,
    Setting,
    TherapySession,
)


class SessionForm(forms.ModelForm):
    class Meta:
        model = TherapySession
        fields = list(SESSION_FIELDS)
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in ("subjective", "objective", "assessment", "plan", "measures")
            },
        }
        labels = {"attended": "The child came to this session"}

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate(), "minutes": 60})
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean_date(self) -> date | None:
        day: date | None = self.cleaned_data["date"]
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError("A session is recorded on or after the day it happened.")
        return day


class AppointmentChoices(forms.RadioSelect):
    """The appointments to record from, each option carrying the date, discipline and minutes it
    fills in (careplan/static/careplan/session_from_appointment.js copies them into the form)."""

    def __init__(self, appointments: dict[str, Appointment]) -> None:
        super().__init__()
        self.appointments = appointments

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        appointment = self.appointments.get(str(value))
        if appointment is not None:
            option["attrs"].update(
                {
                    "data-date": timezone.localtime(appointment.starts_at).date().isoformat(),
                    "data-discipline": appointment.kind,
                    "data-minutes": str(appointment.minutes),
                }
            )
        return option


def appointment_label(appointment: Appointment) -> str:
    start = timezone.localtime(appointment.starts_at)
    who = f" with {appointment.clinician.name}" if appointment.clinician else ""
    return (
        f"{start:%a %-d %b, %H:%M}: {appointment.get_kind_display()}, "
        f"{appointment.minutes} minutes{who} ({appointment.get_status_display().lower()})"
    )


class SessionRecordForm(SessionForm):
    """A new session: from one of the child's recent appointments (which fills its date,
    discipline and minutes) or outside the schedule (everything typed)."""

    FROM_APPOINTMENT = ("date", "discipline", "minutes")

    def __init__(self, *args: Any, appointments: list[Appointment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.appointments = {str(a.pk): a for a in appointments}
        choices = [("", "None: a session outside the schedule")]
        choices += [(pk, appointment_label(a)) for pk, a in self.appointments.items()]
        appointment = forms.ChoiceField(
            choices=choices,
            required=False,
            widget=AppointmentChoices(self.appointments),
            label="The appointment it took place in",
            help_text="Its date, discipline and minutes fill in what you leave empty below.",
        )
        self.fields = {"appointment": appointment, **self.fields}
        for name in self.FROM_APPOINTMENT:
            self.fields[name].required = False

    def clean_appointment(self) -> Appointment | None:
        return self.appointments.get(self.cleaned_data.get("appointment") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("appointment") is None:
            for name in self.FROM_APPOINTMENT:
                if name not in self.errors and data.get(name) in (None, ""):
                    self.add_error(
                        name, "Fill this in, or choose the appointment it took place in."
                    )
        return data

    def session_fields(self) -> dict[str, Any]:
        """The action's arguments: what was typed, leaving to the appointment what was not."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class AddendumForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Addendum")


class PlanForm(forms.Form):
    setting = forms.ChoiceField(choices=Setting.choices)
    program_weeks = forms.IntegerField(min_value=1, max_value=104, label="Program length (weeks)")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, staff: QuerySet[User], plan: CarePlan, **kwargs: Any) -> None:
        doses = {d.discipline: d for d in plan.doses.all()}
        initial = {
            "setting": plan.setting,
            "program_weeks": plan.program_weeks,
            "notes": plan.notes,
        }
        for value, _label in therapy_choices():
            dose = doses.get(value)
            initial[f"{value}_per_week"] = dose.sessions_per_week if dose else None
            initial[f"{value}_minutes"] = dose.minutes_per_session if dose else None
            initial[f"{value}_lead"] = dose.lead_id if dose else None
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for value, label in therapy_choices():
            self.fields[f"{value}_per_week"] = forms.IntegerField(
                min_value=1, max_value=14, required=False, label=f"{label}: sessions a week"
            )
            self.fields[f"{value}_minutes"] = forms.IntegerField(
                min_value=5, max_value=480, required=False, label=f"{label}: minutes a session"
            )
            self.fields[f"{value}_lead"] = forms.ModelChoiceField(
                queryset=staff, required=False, label=f"{label}: lead clinician"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for value, _label in therapy_choices():
            if (data.get(f"{value}_per_week") is None) != (data.get(f"{value}_minutes") is None):
                self.add_error(
                    f"{value}_minutes", "Give both sessions a week and minutes, or neither."
                )
        return data

    def doses(self) -> dict[str, tuple[int, int, Any]]:
        data = self.cleaned_data
        return {
            value: (data[f"{value}_per_week"], data[f"{value}_minutes"], data[f"{value}_lead"])
            for value, _label in therapy_choices()
            if data.get(f"{value}_per_week") is not None
        }


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
        label="Discharge date",
    )
    reason = forms.ChoiceField(choices=DischargeReason.choices)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What changed, what to keep doing at home, who to call.",
    )
