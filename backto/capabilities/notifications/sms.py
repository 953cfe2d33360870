"""SMS through a small backend interface, chosen by the setting BACKTO_SMS_BACKEND (a dotted
path): the console backend for development, which sends nothing and logs only that a text went
to user N (never the number or the words), and Twilio's Messages API.

A backend has one method, `send(*, user_id, to, text)`, that raises SMSError when the text was
not accepted.
"""

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

CONSOLE = "backto.capabilities.notifications.sms.ConsoleSMSBackend"
TWILIO_API = "https://api.twilio.com"


class SMSError(Exception):
    """The provider did not take the text (the message says the status, never the number)."""


class SMSBackend(Protocol):
    def send(self, *, user_id: int, to: str, text: str) -> None: ...


class ConsoleSMSBackend:
    """Development: nothing is sent. The log says only who would have had a text."""

    def send(self, *, user_id: int, to: str, text: str) -> None:
        log.info("SMS to user %s (console backend: not sent)", user_id)


class TwilioSMSBackend:
    """Twilio's Messages resource: POST /2010-04-01/Accounts/{sid}/Messages.json with To, From
    and Body, signed in with the account SID and auth token. Settings: BACKTO_TWILIO_ACCOUNT_SID,
    BACKTO_TWILIO_AUTH_TOKEN, BACKTO_TWILIO_FROM (an E.164 number or a messaging service's
    number) and, for tests, BACKTO_TWILIO_API_URL."""

    timeout = 10

    def __init__(self) -> None:
        self.sid = str(getattr(settings, "BACKTO_TWILIO_ACCOUNT_SID", ""))
        self.token = str(getattr(settings, "BACKTO_TWILIO_AUTH_TOKEN", ""))
        self.sender = str(getattr(settings, "BACKTO_TWILIO_FROM", ""))
        self.api = str(getattr(settings, "BACKTO_TWILIO_API_URL", TWILIO_API)).rstrip("/")
        if not self.api.startswith(("https://", "http://127.0.0.1:", "http://localhost:")):
            raise SMSError("BACKTO_TWILIO_API_URL must be an https address.")
        if not (self.sid and self.token and self.sender):
            raise SMSError(
                "Twilio needs BACKTO_TWILIO_ACCOUNT_SID, BACKTO_TWILIO_AUTH_TOKEN and "
                "BACKTO_TWILIO_FROM."
            )

    def send(self, *, user_id: int, to: str, text: str) -> None:
        url = f"{self.api}/2010-04-01/Accounts/{urllib.parse.quote(self.sid)}/Messages.json"
        body = urllib.parse.urlencode({"To": to, "From": self.sender, "Body": text}).encode()
        credentials = base64.b64encode(f"{self.sid}:{self.token}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            url,
            data=body,
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            error.close()  # the refusal's own connection
            raise SMSError(f"Twilio answered {error.code}") from None
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise SMSError(f"Twilio not reached: {type(error).__name__}") from None
        if answer.get("status") in {"failed", "undelivered"}:
            raise SMSError(f"Twilio refused the text: {answer.get('error_code')}")
        log.info("SMS to user %s accepted by Twilio", user_id)


def backend() -> SMSBackend:
    backend_class = import_string(getattr(settings, "BACKTO_SMS_BACKEND", CONSOLE))
    instance: SMSBackend = backend_class()
    return instance
