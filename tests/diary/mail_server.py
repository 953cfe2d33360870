"""A mail server for tests that refuses some addresses, as a real one answers 550: the failure
happens where the email leaves BackTo, not in a function of ours replaced by the test."""

import smtplib
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend


class RefusingEmailBackend(EmailBackend):
    """Delivers to `mail.outbox` like the test backend, except to the addresses in the
    TEST_REFUSED_RECIPIENTS setting, where sending raises as SMTP does."""

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        refused = set(getattr(settings, "TEST_REFUSED_RECIPIENTS", ()))
        for message in messages:
            if refused & set(message.recipients()):
                raise smtplib.SMTPRecipientsRefused(
                    dict.fromkeys(refused & set(message.recipients()), (550, b"refused"))
                )
        return super().send_messages(messages)
