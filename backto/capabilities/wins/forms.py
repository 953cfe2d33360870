from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backto.capabilities.goals.models import Goal


class WinForm(forms.Form):
    text = forms.CharField(
        max_length=200,
        label=_("The win, in a few words"),
        help_text=_("For example: walked to the mailbox, went to school all day."),
    )
    happened_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
        label=_("When"),
    )
    goal = forms.ModelChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        label=_("Toward a goal (optional)"),
        empty_label=_("No goal in particular"),
    )

    def __init__(
        self, *args: Any, goals: QuerySet[Goal], language: str = "", **kwargs: Any
    ) -> None:
        """`language`: the family's, on the win's input (a win is in the family's words)."""
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        if language:
            self.fields["text"].widget.attrs["lang"] = language

    def clean_happened_on(self) -> date:
        day: date = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A win happens today or before."))
        return day


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=[("cheer", _("Cheer")), ("note", _("Note"))])
    note = forms.CharField(max_length=200, required=False)
