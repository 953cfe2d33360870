from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients.models import therapy_choices
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

    def clean_date(self) -> date:
        day: date = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("A session is recorded on or after the day it happened.")
        return day


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
