"""A study's pseudonyms for a child, both keyed on the study's secret (HMAC-SHA256): the study id
that stands for the child's record id, and the number of days every date of the child moves by.
The same study and child give the same answers in every export; another study gives others, and
without the key neither can be turned back into the record id or the real dates."""

import hashlib
import hmac
from datetime import date, timedelta

SHIFT_DAYS = 180  # a child's dates move by 1 to 180 days, earlier or later: never 0


def _digest(key: str, purpose: str, record_id: int) -> bytes:
    return hmac.new(key.encode(), f"{purpose}:{record_id}".encode(), hashlib.sha256).digest()


def study_id(key: str, record_id: int) -> str:
    """ "S-" and 12 hexadecimal digits (48 bits: a clash between two children of one clinic is
    about one in ten million for a thousand children)."""
    return "S-" + _digest(key, "participant", record_id).hex()[:12]


def date_offset(key: str, record_id: int) -> int:
    """-180..-1 or 1..180 days, evenly: 360 values, 0 left out so that no child keeps real dates."""
    value = int.from_bytes(_digest(key, "date-shift", record_id)[:8], "big") % (2 * SHIFT_DAYS)
    return value - SHIFT_DAYS if value < SHIFT_DAYS else value - SHIFT_DAYS + 1


def shifted(day: date | None, offset: int) -> str:
    """The day moved by the child's offset, as ISO text ("" for no day)."""
    return "" if day is None else (day + timedelta(days=offset)).isoformat()
