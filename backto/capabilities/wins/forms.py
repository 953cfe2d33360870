from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from backto.capabilities.goals.models import Goal


class WinForm(forms.Form):
    text = forms.CharField(
        max_length=200,
        label="The win, in a few words",
        help_text="For example: walked to the mailbox, went to school all day.",
    )
    happened_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate, label="When"
    )
    goal = forms.ModelChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        label="Toward a goal (optional)",
        empty_label="No goal in particular",
    )

    def __init__(self, *args: Any, goals: QuerySet[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]

    def clean_happened_on(self) -> date:
        day: date = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("A win happens today or before.")
        return day


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=[("cheer", "Cheer"), ("note", "Note")])
    note = forms.CharField(max_length=200, required=False)
