"""What a person types in a conversation, and every value the messaging pages send."""

import uuid
from typing import Any

from django import forms

from backto.capabilities.messaging.actions import BODY_MAX, REPLY_TIME_MAX, TITLE_MAX
from backto.capabilities.messaging.models import CannedReply
from backto.capabilities.messaging.photos import ALLOWED
from backto.capabilities.messaging.queries import Show
from backto.core.forms import ParameterForm, RecordIdField


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        required=False,
        max_length=BODY_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": f"A message is at most {BODY_MAX:,} characters; "
            "this one has %(show_value)d."
        },
    )
    photo = forms.FileField(
        label="Add a photo (optional)",
        required=False,
        help_text=f"For example of a swollen ankle or a school note: {ALLOWED}. "
        "We remove where and when it was taken before keeping it.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    # Made when the page is shown: the same form sent twice lands once.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    canned_reply = forms.ModelChoiceField(
        queryset=CannedReply.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, clinic: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
        canned = self.fields["canned_reply"]
        assert isinstance(canned, forms.ModelChoiceField)
        if clinic is not None:
            canned.queryset = CannedReply.objects.filter(clinic=clinic, active=True)
        self.fields["canned_reply"].error_messages["invalid_choice"] = (
            "That canned reply is no longer in the clinic's list: write the reply yourself."
        )
        self.fields["idempotency_key"].error_messages["required"] = (
            "This form is missing its sending number: open the conversation again and resend."
        )


class CannedPickForm(ParameterForm):
    """?canned=<id>: the canned reply put in the reply box (the picker works without script)."""

    canned = RecordIdField(required=False)


class InboxForm(forms.Form):
    """The inbox's filter and page; a value it does not send falls back to the default
    (waiting, the first page)."""

    show = forms.ChoiceField(choices=Show.CHOICES, required=False, label="Show")
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)

    def _value(self, name: str) -> Any:
        self.is_valid()
        return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None

    def shown(self) -> str:
        return str(self._value("show") or Show.WAITING)

    def page_number(self) -> int:
        return int(self._value("page") or 1)


class AssignForm(ParameterForm):
    to = RecordIdField(required=False)


class CannedReplyForm(forms.Form):
    title = forms.CharField(label="Title", max_length=TITLE_MAX, help_text="Only staff see it.")
    body = forms.CharField(
        label="Reply",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A team member reads and changes it before sending, under their own name.",
    )
    active = forms.BooleanField(label="Offer this reply", required=False, initial=True)


class CannedEditForm(ParameterForm):
    """?edit=<id> shows that reply in the form; a posted `reply` is the one changed."""

    edit = RecordIdField(required=False)
    reply = RecordIdField(required=False)


class ReplyTimeForm(forms.Form):
    text = forms.CharField(
        label="What families are told about replies",
        max_length=REPLY_TIME_MAX,
        help_text="Shown above every conversation, e.g. “We reply within 2 working days.”",
    )
