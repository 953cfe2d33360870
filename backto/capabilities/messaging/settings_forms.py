"""What a team member chooses on the message-emails page."""

from django import forms

from backto.capabilities.messaging.models import StaffDelivery
from backto.core.widgets import ChoiceCards


class MessagePreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label="When a family writes to a child whose care team you are on",
        choices=StaffDelivery.choices,
        widget=ChoiceCards,
        error_messages={
            "required": "Choose one: an email for each message, one a day, or none.",
            "invalid_choice": "Choose one of the three: an email for each message, one a day, "
            "or none.",
        },
    )
