"""Calendar feeds: a secret address shown once, kept as a hash, reset so the old one answers 404;
the feed parses with icalendar, has each appointment once with its local times and zone, its
status and sequence, and says no name and no reason; every fetch and every reset is audited."""

import hashlib
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from backto.audit.models import Action, AuditEvent
from backto.capabilities.appointments.actions import (
    appointment_change,
    appointment_status_set,
)
from backto.capabilities.appointments.feeds import build_feed
from backto.capabilities.appointments.models import CalendarFeed
from tests.appointments.conftest import NEW_YORK, at, book
from tests.conftest import TODAY, audited


def address_of(client, name="calendar_feed_reset"):
    page = client.post(reverse(name))
    assert page.status_code == 200
    return page.context["address"]


def fetch(address):
    path = address.split("://", 1)[1].split("/", 1)[1]
    return Client().get("/" + path)


def events_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and "BackTo" in str(calendar["PRODID"])
    return calendar, list(calendar.walk("VEVENT"))


def test_the_address_is_shown_once_and_kept_as_a_hash(as_user, gina, booked):
    client = as_user(gina)
    address = address_of(client)
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=gina)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in client.get(reverse("calendar_feed")).content.decode()
    assert audited(Action.CREATE, object_type="calendarfeed", actor_id=gina.pk)


def test_a_familys_feed_has_its_appointments_in_the_clinics_zone(as_user, gina, pat, maya, booked):
    video = book(
        pat,
        maya,
        kind="counseling",
        starts_at=at(TODAY + timedelta(days=3), 16),
        place="",
        video_link="https://meet.example.org/backto-5",
        minutes=50,
    )
    calendar, events = events_of(fetch(address_of(as_user(gina))))
    assert [str(e["SUMMARY"]) for e in events] == [
        "Physical therapy (BackTo)",
        "Counseling (BackTo)",
    ]
    first, second = events
    assert first.decoded("DTSTART") == at(TODAY + timedelta(days=1), 9)
    assert first.decoded("DTEND") == at(TODAY + timedelta(days=1), 9, 45)
    assert first["DTSTART"].params["TZID"] == "America/New_York"
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert str(first["LOCATION"]) == "Room 2" and str(first["STATUS"]) == "CONFIRMED"
    assert str(second["LOCATION"]) == video.video_link
    host = urlsplit(settings.SITE_URL).hostname
    assert str(first["UID"]) == f"appointment-{booked.pk}@{host}"
    body = b"".join(e.to_ical() for e in events).decode()
    assert "Maya" not in body and "Lindqvist" not in body and "Bring sneakers" not in body


def test_a_change_and_a_cancellation_reach_the_calendar(as_user, gina, pat, booked):
    address = address_of(as_user(gina))
    _, [before] = events_of(fetch(address))
    appointment_change(by=pat, appointment=booked, starts_at=booked.starts_at + timedelta(hours=2))
    appointment_status_set(by=pat, appointment=booked, status="cancelled")
    _, [after] = events_of(fetch(address))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 2
    assert str(after["STATUS"]) == "CANCELLED"
    assert after.decoded("DTSTART").astimezone(NEW_YORK).hour == 11


def test_two_children_are_told_apart_by_an_initial(as_user, gina, pat, maya, booked, leo, cora):
    from backto.access.patients.models import Guardianship

    Guardianship.objects.create(guardian=gina, patient=leo, relationship="mother")
    book(cora, leo, kind="ot", starts_at=at(TODAY + timedelta(days=2), 10))
    _, events = events_of(fetch(address_of(as_user(gina))))
    assert sorted(str(e["SUMMARY"]) for e in events) == [
        "Occupational therapy, L. (BackTo)",
        "Physical therapy, M. (BackTo)",
    ]


def test_a_clinicians_feed_names_children_by_record_number(as_user, pat, maya, booked, cora):
    book(cora, maya, kind="physician", starts_at=at(TODAY + timedelta(days=2), 10))  # not Pat's
    _, events = events_of(fetch(address_of(as_user(pat))))
    assert [str(e["SUMMARY"]) for e in events] == [f"Physical therapy, record #{maya.pk} (BackTo)"]


def test_the_feed_covers_sixty_days_back_and_a_hundred_and_eighty_ahead(
    as_user, gina, pat, maya, episode
):
    for days in (-61, -59, 179, 181):
        book(pat, maya, starts_at=at(TODAY + timedelta(days=days), 12))
    _, events = events_of(fetch(address_of(as_user(gina))))
    assert len(events) == 2


def test_a_reset_address_answers_404(as_user, gina, booked):
    client = as_user(gina)
    old = address_of(client)
    new = address_of(client)
    assert old != new
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200
    assert Client().get("/calendar/not-a-token.ics").status_code == 404
    assert audited(Action.UPDATE, object_type="calendarfeed", detail="calendar address reset")


def test_a_closed_account_has_no_feed(as_user, gina, booked):
    address = address_of(as_user(gina))
    gina.is_active = False
    gina.save()
    assert fetch(address).status_code == 404


def test_every_fetch_is_audited_as_a_read_by_the_owner(as_user, gina, booked):
    address = address_of(as_user(gina))
    fetch(address)
    fetch(address)
    reads = AuditEvent.objects.filter(action=Action.VIEW, object_type="calendarfeed")
    assert reads.count() == 2 and {e.actor_id for e in reads} == {gina.pk}
    assert CalendarFeed.objects.get(user=gina).last_fetched_at is not None


def test_a_feed_across_the_clocks_change(gina, pat, maya, episode):
    sunday = date(2026, 11, 1)
    for day in (sunday - timedelta(days=1), sunday + timedelta(days=1)):
        book(pat, maya, starts_at=at(day, 9))
    # Read at a moment before both: the feed's window is around the moment it is read.
    feed = build_feed(gina, now=at(date(2026, 10, 20), 12))
    events = list(Calendar.from_ical(feed.body).walk("VEVENT"))
    assert [e.decoded("DTSTART").astimezone(NEW_YORK).hour for e in events] == [9, 9]
    assert [e.decoded("DTSTART").utcoffset() for e in events] == [
        timedelta(hours=-4),
        timedelta(hours=-5),
    ]
