"""Planning a template week's appointments (no database): each slot becomes one appointment a
week at its wall-clock time in the clinic's zone, whatever the zone and the clock changes in the
period; a time the clocks skip is refused by day and time, never moved."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from backto.capabilities.appointments.models import TimetableSlot
from backto.capabilities.appointments.timetable import (
    NoSuchTime,
    local_moment,
    overlapping_slots,
    plan,
)

ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "America/Phoenix", "UTC"]

slots_strategy = st.lists(
    st.builds(
        TimetableSlot,
        weekday=st.integers(0, 6),
        start=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
        minutes=st.integers(5, 480),
        kind=st.sampled_from(["pt", "ot", "counseling"]),
    ),
    min_size=1,
    max_size=6,
)


@given(
    slots=slots_strategy,
    monday=st.dates(date(2026, 1, 5), date(2030, 12, 30)).map(
        lambda d: d - timedelta(days=d.weekday())
    ),
    weeks=st.integers(1, 10),
    zone=st.sampled_from(ZONES),
)
def test_each_slot_keeps_its_wall_clock_time_every_week(slots, monday, weeks, zone):
    tz = ZoneInfo(zone)
    try:
        planned = plan(slots, first_monday=monday, weeks=weeks, zone=tz, clinicians={})
    except NoSuchTime:
        assume(False)
    assert len(planned) == len(slots) * weeks
    for p in planned:
        local = p.starts_at.astimezone(tz)
        assert local.date() == p.day and p.day.weekday() in {s.weekday for s in slots}
        assert monday <= p.day < monday + timedelta(weeks=weeks)
    expected = sorted(
        (monday + timedelta(weeks=w, days=s.weekday), s.start) for w in range(weeks) for s in slots
    )
    got = sorted((p.day, p.starts_at.astimezone(tz).time()) for p in planned)
    assert got == expected


@pytest.mark.parametrize(
    ("zone", "day", "start"),
    [
        ("America/New_York", date(2027, 3, 14), time(2, 30)),
        ("Europe/London", date(2027, 3, 28), time(1, 15)),
        ("Australia/Sydney", date(2027, 10, 3), time(2, 0)),
    ],
)
def test_a_time_the_clocks_skip_is_named(zone, day, start):
    with pytest.raises(NoSuchTime, match=f"{start:%H:%M} does not exist on {day:%A}"):
        local_moment(day, start, ZoneInfo(zone))


def test_in_the_repeated_hour_the_first_is_taken():
    moment = local_moment(date(2026, 11, 1), time(1, 30), ZoneInfo("America/New_York"))
    assert moment.utcoffset() == timedelta(hours=-4)  # still daylight time


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        ([(0, time(9), 60), (0, time(10), 60)], None),  # back to back
        ([(0, time(9), 61), (0, time(10), 60)], (0, 1)),
        ([(1, time(10), 60), (0, time(9), 90), (1, time(9), 90)], (2, 0)),
        ([(0, time(9), 90), (1, time(9), 90)], None),  # other days
    ],
)
def test_overlapping_slots_are_found_on_their_day(slots, expected):
    assert overlapping_slots(slots) == expected
