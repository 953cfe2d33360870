"""Cursor pagination: a page of rows after the last one seen, in a fixed order, with an opaque
cursor for the next page. The query count of a page does not grow with the rows in it or with
how far along the list it is (no OFFSET)."""

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class BadCursor(ValueError):
    pass


def encode_cursor(after: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id a cursor continues after. A cursor is opaque to clients: anything they did not get
    from a `next_cursor` is refused (BadCursor), never guessed at."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data: Any = json.loads(base64.urlsafe_b64decode(padded.encode()))
        after = data["after"]
    except (ValueError, binascii.Error, KeyError, TypeError) as error:
        raise BadCursor("The cursor is not one this API gave; start again without it.") from error
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise BadCursor("The cursor is not one this API gave; start again without it.")
    return after


def page(
    queryset: QuerySet[M], *, cursor: str | None, limit: int
) -> tuple[Sequence[M], str | None]:
    """The rows after the cursor in id order, at most `limit`, and the next page's cursor (None
    on the last page). One query: it asks for one row more than the page to know whether there
    is a next page."""
    if cursor:
        queryset = queryset.filter(pk__gt=decode_cursor(cursor))
    rows = list(queryset.order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1].pk) if more else None
