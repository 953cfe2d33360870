from datetime import date

from django import forms
from django.utils import timezone

from backto.careplan.actions import SESSION_FIELDS
from backto.careplan.models import TherapySession


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
