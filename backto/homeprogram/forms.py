from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from backto.homeprogram.actions import ITEM_FIELDS
from backto.homeprogram.models import Exercise, HomeProgramItem


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
        labels = {
            "add_minutes_per_week": "Add minutes each week",
            "progression_note": "Progression, in words (optional)",
        }

    def __init__(self, *args: Any, exercises: QuerySet[Exercise], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"start_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = exercises  # type: ignore[attr-defined]
