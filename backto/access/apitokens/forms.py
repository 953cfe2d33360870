from django import forms

from backto.access.apitokens.actions import LIFETIMES
from backto.access.apitokens.models import TokenScope


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=80, help_text="What it is for, e.g. “Hospital record feed” or “My R script”."
    )
    scope = forms.ChoiceField(
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text="Read only cannot change anything. Read and write can save what you may save "
        "on the pages, such as a questionnaire entered from paper.",
    )
    days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=[(d, f"{d} days") for d in LIFETIMES],
        initial=90,
    )
