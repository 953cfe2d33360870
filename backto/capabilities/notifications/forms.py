"""What a family member sets for their reminders: channels, the mobile number, quiet hours, and
a device's push subscription (posted as JSON by push.js)."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")
PHONE_HELP = gettext_lazy("With the country code, like +15551234567.")


def normalize_phone(value: str) -> str:
    """+1 (555) 123-4567 -> +15551234567: spaces, dots, dashes and brackets are only for eyes."""
    return re.sub(r"[\s().-]", "", value)


class ChannelsForm(forms.Form):
    email_enabled = forms.BooleanField(label=gettext_lazy("Email me reminders"), required=False)
    sms_enabled = forms.BooleanField(label=gettext_lazy("Text me reminders (SMS)"), required=False)
    phone = forms.CharField(
        label=gettext_lazy("Mobile number for texts"),
        required=False,
        max_length=30,
        help_text=PHONE_HELP,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["phone"])
        if phone and not E164.match(phone):
            raise forms.ValidationError(
                _(
                    "Write the mobile number with a plus and the country code, like "
                    "+15551234567 (8 to 15 digits)."
                )
            )
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sms_enabled") and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Give a mobile number to get texts, like +15551234567."))
        return data


class QuietHoursForm(forms.Form):
    quiet_from = forms.TimeField(
        label=gettext_lazy("Quiet from"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": gettext_lazy("Choose a time, like 21:00."),
            "invalid": gettext_lazy("Choose a time, like 21:00."),
        },
    )
    quiet_until = forms.TimeField(
        label=gettext_lazy("Quiet until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": gettext_lazy("Choose a time, like 07:00."),
            "invalid": gettext_lazy("Choose a time, like 07:00."),
        },
    )


class PushSubscriptionForm(forms.Form):
    """A device's subscription as the browser gives it (PushSubscription.toJSON()): the push
    service's https endpoint and the two keys that encrypt for this device."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.CharField(max_length=200)
    auth = forms.CharField(max_length=100)

    def clean_endpoint(self) -> str:
        endpoint: str = self.cleaned_data["endpoint"]
        if not endpoint.startswith("https://"):
            raise forms.ValidationError("The push service's address must start with https://.")
        return endpoint

    def _key(self, name: str) -> str:
        value: str = self.cleaned_data[name]
        if not BASE64URL.match(value):
            raise forms.ValidationError(f"“{name}” must be a base64url key.")
        return value

    def clean_p256dh(self) -> str:
        return self._key("p256dh")

    def clean_auth(self) -> str:
        return self._key("auth")


class PushEndpointForm(forms.Form):
    endpoint = forms.URLField(max_length=1000, assume_scheme="https")


def subscription_data(payload: Any) -> dict[str, Any]:
    """The flat form data of a posted subscription: {"endpoint", "keys": {"p256dh", "auth"}}."""
    if not isinstance(payload, dict):
        return {}
    found = payload.get("keys")
    keys: dict[str, Any] = found if isinstance(found, dict) else {}
    return {
        "endpoint": payload.get("endpoint"),
        "p256dh": keys.get("p256dh") or payload.get("p256dh"),
        "auth": keys.get("auth") or payload.get("auth"),
    }
