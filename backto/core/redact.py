"""One-time links never reach a log. An invitation link (/invite/<token>/), a password-reset link
(/accounts/reset/<uidb64>/<token>/, and the set-password step it leads to) and the clinic's
test-email link (/manage/clinic/email-works/<token>/) each let whoever holds them in, and a
calendar feed's address (/calendar/<token>.ics) lets whoever holds it read a week of
appointments; logs are
kept longer and read by more people than the email they were meant for. Everything that writes a
log line runs it through `redact_secret_paths`: Django's logging (its "Not Found: /invite/…"
lines), gunicorn's access log (backto.core.access_log) and the console email backend
(backto.core.mail)."""

import logging
import re

REDACTED = "[redacted]"
_SLASH = r"(?:/|%2F)"
# The start of a secret-bearing path (in a path, a full URL or a ?next= value, slashes plain or
# percent-encoded), then its secret: everything up to a space, quote, query or fragment. The
# reset flow's fixed page (/accounts/reset/done/) and the feed's reset page (/calendar/reset/)
# hold no secret and are kept.
_SECRET_PATH = re.compile(
    rf"(?P<start>{_SLASH}(?:invite|accounts{_SLASH}reset|manage{_SLASH}clinic{_SLASH}email-works|calendar)"
    rf"{_SLASH})(?!(?:done|reset)(?:{_SLASH}|$))(?P<secret>[^\s\"'<>?#&]+)",
    re.IGNORECASE,
)


def redact_secret_paths(text: str) -> str:
    """`text` with the secret part of every one-time link replaced by [redacted]."""
    if "/" not in text and "%" not in text:
        return text
    return _SECRET_PATH.sub(lambda match: f"{match['start']}{REDACTED}/", text)


class RedactingFormatter(logging.Formatter):
    """The log formatter of settings.LOGGING: the formatted line (message, arguments and any
    traceback) without one-time links."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_secret_paths(super().format(record))
