from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backto.capabilities.goals.actions import GOAL_FIELDS, STEP_MAX_CHARS, steps_problem
from backto.capabilities.goals.models import FAMILY_LEVEL_WORDS, LEVEL_CHOICES, Goal
from backto.core.forms import ParameterForm, SwitchField


class GoalForm(forms.ModelForm):
    steps = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Small steps toward it (one per line)",
        help_text="For example: walk to the mailbox; walk around the block; walk to school with a friend.",
    )

    # The words a family reads: written in the family's language (GoalForm.for_family).
    WORDING = ("title", "level_minus_2", "level_minus_1", "level_0", "level_plus_1", "level_plus_2")

    def for_family(self, language: str) -> "GoalForm":
        """Mark the wording inputs with the family's language (spelling checks follow it)."""
        for name in (*self.WORDING, "steps"):
            if name in self.fields:
                self.fields[name].widget.attrs["lang"] = language
        return self

    def clean_steps(self) -> str:
        text: str = self.cleaned_data["steps"]
        if problem := steps_problem(text.splitlines()):
            raise forms.ValidationError(problem)
        return text

    class Meta:
        model = Goal
        fields = [name for name in GOAL_FIELDS if name != "status"]
        labels = {"title": "What does the child want to get back to?"}
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"})}

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (data.get("importance") is None) != (data.get("difficulty") is None):
            self.add_error("difficulty", "Rate both importance and difficulty, or neither.")
        return data


class GoalEditForm(GoalForm):
    class Meta(GoalForm.Meta):
        fields = [*GoalForm.Meta.fields, "status"]


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        choices=LEVEL_CHOICES, coerce=int, widget=forms.RadioSelect, label=_("Where is it now?")
    )
    rated_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        label=_("Review date"),
        initial=timezone.localdate,
    )
    note = forms.CharField(max_length=500, required=False, label=_("Note (optional)"))

    def __init__(self, *args: object, family_goal: Goal | None = None, **kwargs: object) -> None:
        """For a family (`family_goal`): each level in plain words with the goal's own words,
        instead of the scale's numbers."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if family_goal is not None:
            level = self.fields["level"]
            assert isinstance(level, forms.TypedChoiceField)
            level.choices = [
                (value, f"{FAMILY_LEVEL_WORDS[value]}: {text}")
                for value, text in reversed(family_goal.levels)
            ]

    def clean_rated_on(self) -> date:
        day: date = self.cleaned_data["rated_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The review date cannot be in the future."))
        return day


class StepForm(forms.Form):
    text = forms.CharField(max_length=STEP_MAX_CHARS, label="New small step")

    def __init__(self, *args: Any, language: str = "", **kwargs: Any) -> None:
        """`language`: the family's, on the input (a step is in the family's words)."""
        super().__init__(*args, **kwargs)
        if language:
            self.fields["text"].widget.attrs["lang"] = language


class StepMarkForm(ParameterForm):
    """A step marked done (`done=1`) or not done (`0`); anything else once undid the step."""

    done = SwitchField()
