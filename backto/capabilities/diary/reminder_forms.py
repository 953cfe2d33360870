"""The reminder's time of day, and turning it off."""

from django import forms
from django.utils.translation import gettext_lazy


class ReminderForm(forms.Form):
    time_of_day = forms.TimeField(
        label=gettext_lazy("Remind me each day at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": gettext_lazy("Choose a time of day, like 19:30."),
            "invalid": gettext_lazy("Choose a time of day, like 19:30."),
        },
    )


class ReminderSetForm(ReminderForm):
    """The reminder form as posted: its "Turn off" button posts `enabled=0`; any other post
    sets a reminder that is on."""

    enabled = forms.CharField(required=False)

    def clean_enabled(self) -> bool:
        return self.cleaned_data["enabled"] != "0"
