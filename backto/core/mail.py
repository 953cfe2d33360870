"""The email backend of `make run` and of any server without BACKTO_EMAIL_BACKEND: Django's
console backend, which prints each email into the server's log, without the one-time links
(backto.core.redact). A printed email that lost a link says where the link comes from instead."""

import copy
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend
from django.core.mail.message import EmailAlternative

from backto.core.redact import redact_secret_paths

WHERE_THE_LINK_IS = """
[BackTo: the one-time link in this email is not written to the log. This server prints emails
instead of sending them (no BACKTO_EMAIL_BACKEND set; docs/deployment.md). The demo's accounts
need no link (make run prints their password); `backto clinic create` prints the new clinic
admin's link itself; anyone else's link arrives once email is set up (Staff or Families page:
resend the invitation; the sign-in page: forgot your password).]"""


class RedactingConsoleBackend(EmailBackend):
    def write_message(self, message: Any) -> None:
        shown: EmailMessage = copy.copy(message)
        body = redact_secret_paths(str(message.body))
        alternatives = [
            EmailAlternative(redact_secret_paths(str(content)), mimetype)
            for content, mimetype in getattr(message, "alternatives", [])
        ]
        if body != message.body or any(
            new.content != old[0]
            for new, old in zip(alternatives, getattr(message, "alternatives", []), strict=True)
        ):
            body += "\n" + WHERE_THE_LINK_IS
        shown.body = body
        if alternatives:
            shown.alternatives = alternatives  # type: ignore[attr-defined]
        super().write_message(shown)
