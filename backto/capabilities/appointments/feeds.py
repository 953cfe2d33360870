"""Calendar feeds (.ics): a person's appointments for the calendar on their phone.

A feed leaves BackTo for a calendar provider (Google, Apple, Microsoft), so it says as little as
will do: the kind of visit, the time, the place or video link, and a link back to BackTo for the
rest. Never a diagnosis, never a child's name:

- a family member's feed (a guardian's covers their children, a teen's their own):
  "Physical therapy (BackTo)"; in a family with more than one child in the feed, the child's
  first initial tells them apart: "Physical therapy, M. (BackTo)".
- a clinician's feed (the appointments they are booked for): the child by record number only,
  "Physical therapy, record #17 (BackTo)".

No clinician's name and no note for the family (a note may say what hurts); those are in BackTo.
Its words (the kind of visit, the description, the calendar's name) are in the language of the
feed's owner (User.language): a calendar fetches it without signing in, so nothing else says.
The feed covers the last PAST_DAYS days and the next NEXT_DAYS. Each appointment is one event with
a UID that stays the same, a SEQUENCE raised with every change (a moved or cancelled appointment
replaces the old version in the subscribed calendar), STATUS:CANCELLED once cancelled, and its
times in the clinic's time zone (TZID, with the zone's VTIMEZONE in the feed).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from backto.access.patients.models import Guardianship
from backto.capabilities.appointments.models import Appointment, AppointmentStatus

PAST_DAYS = 60
NEXT_DAYS = 180
PRODID = "-//BackTo//Appointments//EN"


@dataclass(frozen=True)
class Feed:
    body: bytes
    events: int


def feed_appointments(user: Any, *, now: datetime) -> list[Appointment]:
    """The appointments in this person's feed: those they are booked for as the clinician, and
    those of their own children (a guardian's, a teen's own), from PAST_DAYS ago to NEXT_DAYS
    ahead, each marked `family` when it is one of their children's. One query."""
    family = Q(
        Exists(Guardianship.objects.filter(guardian_id=user.pk, patient_id=OuterRef("patient_id")))
    ) | Q(patient__teen_account_id=user.pk)
    return list(
        Appointment.objects.filter(
            Q(clinician_id=user.pk) | family,
            patient__clinic_id=user.clinic_id,
            starts_at__gte=now - timedelta(days=PAST_DAYS),
            starts_at__lt=now + timedelta(days=NEXT_DAYS),
        )
        .annotate(family=family)
        .select_related("patient")
        .order_by("starts_at", "pk")
    )


def summary(appointment: Appointment, *, initials: bool) -> str:
    kind = appointment.get_kind_display()
    if not getattr(appointment, "family", False):
        return _("%(kind)s, record #%(record)s (BackTo)") % {
            "kind": kind,
            "record": appointment.patient_id,
        }
    if initials:
        return _("%(kind)s, %(initial)s. (BackTo)") % {
            "kind": kind,
            "initial": appointment.patient.first_name[:1].upper(),
        }
    return _("%(kind)s (BackTo)") % {"kind": kind}


def build_feed(user: Any, *, now: datetime) -> Feed:
    """The person's calendar as iCalendar bytes, in their language."""
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        return _build_feed(user, now=now)


def _build_feed(user: Any, *, now: datetime) -> Feed:
    zone = ZoneInfo(user.clinic.time_zone)
    rows = feed_appointments(user, now=now)
    children = {a.patient_id for a in rows if getattr(a, "family", False)}
    host = urlsplit(settings.SITE_URL).hostname or "backto"
    link = settings.SITE_URL + reverse("family_week" if children else "week")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("BackTo appointments"))
    calendar.add("x-wr-timezone", user.clinic.time_zone)
    for appointment in rows:
        start = appointment.starts_at.astimezone(zone)
        event = Event()
        event.add("uid", f"appointment-{appointment.pk}@{host}")
        event.add("dtstamp", appointment.changed_at.astimezone(ZoneInfo("UTC")))
        event.add("last-modified", appointment.changed_at.astimezone(ZoneInfo("UTC")))
        event.add("dtstart", start)
        event.add("dtend", appointment.ends_at.astimezone(zone))
        event.add("summary", summary(appointment, initials=len(children) > 1))
        if appointment.place:
            event.add("location", appointment.place)
        elif appointment.video_link:
            event.add("location", appointment.video_link)
        if appointment.video_link:
            event.add("url", appointment.video_link)
        event.add("description", _("Details in BackTo: %(link)s") % {"link": link})
        event.add(
            "status",
            "CANCELLED" if appointment.status == AppointmentStatus.CANCELLED else "CONFIRMED",
        )
        event.add("sequence", appointment.sequence)
        calendar.add_component(event)
    if rows:
        calendar.add_missing_timezones()
    return Feed(calendar.to_ical(), len(rows))
