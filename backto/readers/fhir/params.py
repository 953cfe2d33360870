"""The search parameters the endpoint takes, read and checked in one place: a value that is not
one we take is a 400 OperationOutcome naming the parameter and saying what is allowed.

- `patient`: a child's id, `123` or `Patient/123`.
- `code`: one or more tokens separated by commas, `system|code` or `code`.
- `date`: repeatable, a prefix (`eq`, `ge`, `le`, `gt`, `lt`; none means `eq`) and a day
  (`2026-06-16`), a month (`2026-06`) or a year (`2026`); all of them together narrow one range.
- `_count`: results per page, 1 to MAX_COUNT (DEFAULT_COUNT when absent).
- `_sort`: `date` or `-date` (newest first).
- `_cursor`: where the next page starts, as the `next` link gave it; opaque to clients.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.http import QueryDict

from backto.readers.fhir.outcomes import FhirError

DEFAULT_COUNT = 20
MAX_COUNT = 100
DATE_PREFIXES = ("eq", "ge", "le", "gt", "lt")
_DATE = re.compile(r"^(eq|ge|le|gt|lt)?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ID = re.compile(r"^(?:Patient/)?(\d{1,18})$")
# Parameters a client may send that change nothing in a JSON answer.
FORMATS = ("json", "application/json", "application/fhir+json")


@dataclass(frozen=True)
class Token:
    system: str | None  # None: any system
    code: str


# A position in a result list: (day as ISO text, "" when the resource has none; the kind of
# resource's rank; the row's id; the resource's number within the row).
Key = tuple[str, int, int, int]


@dataclass
class Search:
    patient: int | None = None
    codes: list[Token] = field(default_factory=list)
    since: date | None = None  # inclusive
    until: date | None = None  # inclusive
    count: int = DEFAULT_COUNT
    newest_first: bool = False
    cursor: Key | None = None
    # The parameters as given (without the cursor), for the next link and the audit detail.
    given: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty_range(self) -> bool:
        return self.since is not None and self.until is not None and self.since > self.until

    def detail(self) -> str:
        """The search as the audit event's detail: ids, codes, dates, never a name."""
        return " ".join(f"{name}={value}" for name, value in self.given)


def parse_search(query: QueryDict, allowed: frozenset[str], *, paged: bool = True) -> Search:
    """The search `query` asks for; `allowed`: the parameters this resource type takes (besides
    `_format`, and `_count` and `_cursor` when its results come in pages)."""
    common = ("_count", "_cursor", "_format") if paged else ("_format",)
    search = Search()
    first = {name: str(query.get(name, "")) for name in query}
    for name in query:
        if name not in allowed and name not in common:
            takes = ", ".join(sorted(allowed | ({"_count"} if paged else set()))) or "_format only"
            raise FhirError(
                400,
                f"Unknown search parameter '{name}': this resource type takes {takes}.",
                expression=name,
                code="not-supported",
            )
    for name, values in query.lists():
        if name != "date" and len(values) > 1:
            raise FhirError(400, f"Give '{name}' once.", expression=name)
        if name != "_cursor":
            search.given.extend((name, value) for value in values)
    if "_format" in query and first["_format"] not in FORMATS:
        raise FhirError(
            400, "This server answers JSON only: '_format' may be json.", expression="_format"
        )
    if "patient" in query:
        match = _ID.match(first["patient"].strip())
        if match is None:
            raise FhirError(
                400, "'patient' must be a child's id: 123 or Patient/123.", expression="patient"
            )
        search.patient = int(match.group(1))
    if "code" in query:
        search.codes = [_token(part) for part in first["code"].split(",")]
    for value in query.getlist("date"):
        _narrow(search, value)
    if "_count" in query:
        search.count = _count(first["_count"])
    if "_sort" in query:
        sort = first["_sort"].strip()
        if sort not in ("date", "-date"):
            raise FhirError(
                400,
                "'_sort' may be 'date' (oldest first) or '-date' (newest first).",
                expression="_sort",
            )
        search.newest_first = sort == "-date"
    if "_cursor" in query:
        search.cursor = read_cursor(first["_cursor"])
    return search


def _token(text: str) -> Token:
    system, bar, code = text.strip().rpartition("|")
    if not code or len(code) > 100:
        raise FhirError(
            400,
            "'code' must be system|code or code, several separated by commas.",
            expression="code",
        )
    return Token(system if bar and system else None, code)


def _narrow(search: Search, value: str) -> None:
    match = _DATE.match(value.strip())
    if match is None:
        raise FhirError(
            400,
            "'date' must be a prefix (eq, ge, le, gt, lt) and a day, month or year: "
            "ge2026-06-01, le2026-06, 2026.",
            expression="date",
        )
    prefix, year, month, day = (
        match.group(1) or "eq",
        int(match.group(2)),
        match.group(3),
        match.group(4),
    )
    try:
        if month is None:
            first, last = date(year, 1, 1), date(year, 12, 31)
        elif day is None:
            m = int(month)
            first = date(year, m, 1)
            last = date(year, m, calendar.monthrange(year, m)[1])
        else:
            first = last = date(year, int(month), int(day))
    except ValueError:
        raise FhirError(
            400, f"'date' {value!r} is not a day of the calendar.", expression="date"
        ) from None
    since: date | None = None
    until: date | None = None
    if prefix in ("eq", "ge"):
        since = first
    if prefix in ("eq", "le"):
        until = last
    if prefix == "gt":
        since = _shift(last, 1)
    if prefix == "lt":
        until = _shift(first, -1)
    if since is not None and (search.since is None or since > search.since):
        search.since = since
    if until is not None and (search.until is None or until < search.until):
        search.until = until


def _shift(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise FhirError(400, "'date' is outside the calendar's range.", expression="date") from None


def _count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_COUNT:
        raise FhirError(
            400, f"'_count' must be a whole number from 1 to {MAX_COUNT}.", expression="_count"
        )
    return count


def write_cursor(key: Key) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_cursor(text: str) -> Key:
    bad = FhirError(
        400,
        "'_cursor' is not one this server gave: follow the Bundle's next link as given.",
        expression="_cursor",
    )
    try:
        raw: Any = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if (
        not isinstance(raw, list)
        or len(raw) != 4
        or not isinstance(raw[0], str)
        or not all(
            isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 2**63 for n in raw[1:]
        )
    ):
        raise bad
    if raw[0]:
        try:
            date.fromisoformat(raw[0])
        except ValueError:
            raise bad from None
    return (raw[0], raw[1], raw[2], raw[3])
