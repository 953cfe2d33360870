"""Values a page reads from a request outside a form: a record id in a hidden field, an on/off
switch, the address to go back to. A tampered or mistyped value gets a clear message naming the
field and what is allowed (HTTP 400), never a server error, and is checked before anything is
written."""

import re

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# ASCII digits only (str.isdigit() also accepts "²", which int() refuses), within a 64-bit id.
RECORD_ID = re.compile(r"[0-9]{1,18}")


class BadParameter(BadRequest):
    """A request value that is not one the page sends; the message is safe to show."""


def record_id(value: str, *, field: str) -> int:
    """A record id posted by a page, or BadParameter naming the field."""
    if not RECORD_ID.fullmatch(value):
        raise BadParameter(f"“{field}” must be a record number: digits 0–9 only.")
    return int(value)


def switch(value: str, *, field: str) -> bool:
    """An on/off value a page posts as "1" or "0", or BadParameter naming the field."""
    if value not in ("0", "1"):
        raise BadParameter(f"“{field}” must be 1 (on) or 0 (off).")
    return value == "1"


def open_day(value: str) -> bool:
    """True for `day=yesterday`, False for today (`today`, or no value): the only days a diary
    or a tick is still written for. Another day was taken for today without a word."""
    if value not in ("", "today", "yesterday"):
        raise BadParameter("“day” must be “today” or “yesterday”.")
    return value == "yesterday"


def local_path(request: HttpRequest, value: str) -> str | None:
    """`value` when it is a path on this site (where a form asks to return), else None. Never a
    URL name: a value without a slash is not looked up as one."""
    if not value.startswith("/") or value.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return None
    return value
