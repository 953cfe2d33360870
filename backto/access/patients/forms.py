from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backto.access.accounts.models import User
from backto.access.patients.actions import PATIENT_FIELDS
from backto.access.patients.models import Discipline, Episode, Patient


class DateInput(forms.DateInput):
    input_type = "date"


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = list(PATIENT_FIELDS)
        widgets = {"date_of_birth": DateInput()}
        labels = {
            "preferred_name": _("Preferred name (what the child likes to be called)"),
            "family_language": _("Language BackTo uses with this family"),
        }
        help_texts = {
            "family_language": _(
                "Invitations, new family accounts and the family report come in this language. "
                "Each parent or teen can change their own on their account page."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["family_language"].required = False  # left out: unchanged, or English

    def clean_family_language(self) -> str:
        return self.cleaned_data["family_language"] or self.instance.family_language or "en"

    def clean_date_of_birth(self) -> date:
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError("The date of birth cannot be in the future.")
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if not 3 <= age <= 25:
            raise forms.ValidationError(
                "BackTo is for children and young people: enter an age between 3 and 25."
            )
        return born


class ReferralForm(forms.ModelForm):
    class Meta:
        model = Episode
        fields = [
            "referral_date",
            "referral_source",
            "referral_reason",
            "painful_region_count",
            "pain_pattern",
        ]
        widgets = {
            "referral_date": DateInput(),
            "referral_reason": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "referral_source": "Referred by",
            "referral_reason": "Reason for referral (in a sentence or two)",
            "painful_region_count": "Number of painful body regions, if known",
        }

    def clean_referral_date(self) -> date:
        day = self.cleaned_data["referral_date"]
        if day > timezone.localdate():
            raise forms.ValidationError("The referral date cannot be in the future.")
        return day


class TransitionForm(forms.Form):
    target = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class CareTeamAddForm(forms.Form):
    clinician: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Clinician"
    )
    discipline = forms.ChoiceField(choices=Discipline.choices)
    lead = forms.BooleanField(required=False, label="Lead clinician for this episode")

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinician"].queryset = staff  # type: ignore[attr-defined]
