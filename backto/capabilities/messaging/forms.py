"""What a person types in a conversation, and every value the messaging pages send."""

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backto.capabilities.messaging.actions import BODY_MAX, REPLY_TIME_MAX, TITLE_MAX
from backto.capabilities.messaging.models import CannedReply
from backto.capabilities.messaging.photos import ALLOWED
from backto.capabilities.messaging.queries import Show
from backto.core.forms import ParameterForm, RecordIdField
from backto.core.languages import grouped, language_name


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your message"),
        required=False,
        max_length=BODY_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": format_lazy(
                gettext_lazy("A message is at most {most} characters; this one has {has}."),
                most=lazy(grouped, str)(BODY_MAX),
                has="%(show_value)d",
            )
        },
    )
    photo = forms.FileField(
        label=gettext_lazy("Add a photo (optional)"),
        required=False,
        help_text=format_lazy(
            gettext_lazy(
                "For example of a swollen ankle or a school note: {allowed}. We remove where and "
                "when it was taken before keeping it."
            ),
            allowed=ALLOWED,
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    # Made when the page is shown: the same form sent twice lands once.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    canned_reply = forms.ModelChoiceField(
        queryset=CannedReply.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(
        self, *args: Any, clinic: Any = None, family_language: str = "", **kwargs: Any
    ) -> None:
        """`family_language`: for a team member's reply, the language the family reads BackTo
        in (Patient.family_language); a family other than English is named above the box and
        the box carries its `lang`, so spelling checks use it."""
        super().__init__(*args, **kwargs)
        if family_language:
            body = self.fields["body"]
            body.widget.attrs["lang"] = family_language
            if family_language != settings.LANGUAGE_CODE:
                body.help_text = _(
                    "This family reads BackTo in %(language)s: write your reply in %(language)s."
                ) % {"language": language_name(family_language)}
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
        canned = self.fields["canned_reply"]
        assert isinstance(canned, forms.ModelChoiceField)
        if clinic is not None:
            canned.queryset = CannedReply.objects.filter(clinic=clinic, active=True)
        self.fields["canned_reply"].error_messages["invalid_choice"] = _(
            "That canned reply is no longer in the clinic's list: write the reply yourself."
        )
        self.fields["idempotency_key"].error_messages["required"] = _(
            "This form is missing its sending number: open the conversation again and resend."
        )


class CannedPickForm(ParameterForm):
    """?canned=<id>: the canned reply put in the reply box (the picker works without script)."""

    canned = RecordIdField(required=False)


class InboxForm(forms.Form):
    """The inbox's filter and page; a value it does not send falls back to the default
    (waiting, the first page)."""

    show = forms.ChoiceField(choices=Show.CHOICES, required=False, label=gettext_lazy("Show"))
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
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=TITLE_MAX,
        help_text=gettext_lazy("Only staff see it."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Written in"),
        choices=settings.LANGUAGES,
        required=False,
        initial=settings.LANGUAGE_CODE,
        help_text=gettext_lazy(
            "In a conversation, the replies in the family's language are offered first."
        ),
    )
    body = forms.CharField(
        label=gettext_lazy("Reply"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "A team member reads and changes it before sending, under their own name."
        ),
    )
    active = forms.BooleanField(
        label=gettext_lazy("Offer this reply"), required=False, initial=True
    )

    def clean_language(self) -> str:
        """A post without a language keeps the reply's (its `initial`), English for a new one."""
        chosen: str = self.cleaned_data.get("language") or ""
        return chosen or self.initial.get("language") or settings.LANGUAGE_CODE


class CannedEditForm(ParameterForm):
    """?edit=<id> shows that reply in the form; a posted `reply` is the one changed."""

    edit = RecordIdField(required=False)
    reply = RecordIdField(required=False)


class ReplyTimeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("What families are told about replies"),
        max_length=REPLY_TIME_MAX,
        help_text=gettext_lazy(
            "Shown above every conversation, e.g. “We reply within 2 working days.”"
        ),
    )
