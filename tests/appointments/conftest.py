"""What the appointment tests share: a moment on a day in the clinic's zone, and a booking made
through the action as the care team would."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from backto.capabilities.appointments.actions import appointment_book
from tests.conftest import TODAY

NEW_YORK = ZoneInfo("America/New_York")


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = NEW_YORK) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def book(by: Any, patient: Any, **extra: Any) -> Any:
    """A 45-minute physical therapy appointment tomorrow at 9:00 in Room 2 unless told."""
    fields: dict[str, Any] = {
        "kind": "pt",
        "starts_at": at(TODAY + timedelta(days=1), 9),
        "minutes": 45,
        "place": "Room 2",
    }
    fields.update(extra)
    return appointment_book(by=by, patient=patient, **fields)


@pytest.fixture
def booked(pat: Any, maya: Any, episode: Any) -> Any:
    """Maya's physical therapy with Pat tomorrow at 9:00, Room 2."""
    return book(pat, maya, clinician=pat, note_for_family="Bring sneakers")
