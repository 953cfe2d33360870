"""Demo appointments: a realistic program week for each child in the program (physical therapy
twice, occupational therapy, counseling, one of them by video), last week's, this week's and
next week's (so the family's "this week" is never empty, on a Sunday too), and a school meeting
for one child. Those whose time has passed took place. Booked through the actions, as the coordinator
would; the demo (`backto.demo`) calls `add_demo_appointments` once the children's care teams
exist."""

from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from backto.access.accounts.models import Clinic, StaffRole, User
from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import Episode
from backto.capabilities.appointments.actions import appointment_book, appointment_status_set
from backto.capabilities.appointments.models import AppointmentStatus
from backto.capabilities.appointments.queries import local_moment, monday_of

# (weekday 0 = Monday, hour, minute, kind, the care team's discipline, minutes, place, by video)
WEEK = [
    (0, 9, 0, "pt", "pt", 60, "PT gym", False),
    (1, 14, 0, "ot", "ot", 45, "OT room 3", False),
    (2, 15, 30, "counseling", "counseling", 50, "", True),
    (3, 9, 0, "pt", "pt", 60, "PT gym", False),
]
NOTES = {"pt": "Wear sneakers and bring a water bottle.", "ot": "", "counseling": ""}
SCHOOL = (4, 8, 15, 45, "School library")
MAX_CHILDREN = 12


def add_demo_appointments(*, clinic: Clinic, today: date) -> int:
    """Book last week, this week and next week for the clinic's children in the program; returns
    how many appointments were booked. Those whose time has passed took place."""
    booker = _coordinator(clinic)
    zone = ZoneInfo(clinic.time_zone)
    now = timezone.now()
    episodes = list(
        Episode.objects.filter(patient__clinic=clinic, state=EpisodeState.ACTIVE)
        .select_related("patient")
        .prefetch_related("care_team__clinician")
        .order_by("patient_id")[:MAX_CHILDREN]
    )
    booked = 0
    monday = monday_of(today)
    for n, episode in enumerate(episodes):
        team = {m.discipline: m.clinician for m in episode.care_team.all()}
        by = booker or next(iter(team.values()), None)
        if by is None:
            continue
        slots: list[tuple[date, time, str, Any, int, str, str, str]] = []
        for week in (monday - timedelta(days=7), monday, monday + timedelta(days=7)):
            for weekday, hour, minute, kind, discipline, minutes, place, video in WEEK:
                day = week + timedelta(days=weekday)
                at = time(hour + n % 3, minute)  # children a little apart
                link = f"https://video.example.org/backto-demo-{episode.pk}" if video else ""
                slots.append(
                    (day, at, kind, team.get(discipline), minutes, place, link, NOTES[kind])
                )
        if n == 0:
            weekday, hour, minute, minutes, place = SCHOOL
            slots.append(
                (
                    monday + timedelta(days=weekday),
                    time(hour, minute),
                    "school",
                    team.get("counseling"),
                    minutes,
                    place,
                    "",
                    "With the school counselor: the plan for full days back.",
                )
            )
        for day, at, kind, clinician, minutes, place, link, note in slots:
            starts_at = local_moment(day, at, zone)
            if starts_at is None:
                continue
            appointment = appointment_book(
                by=by,
                patient=episode.patient,
                episode=episode,
                kind=kind,
                starts_at=starts_at,
                minutes=minutes,
                place=place,
                video_link=link,
                clinician=clinician,
                note_for_family=note,
            )
            if starts_at + timedelta(minutes=minutes) <= now:
                appointment_status_set(
                    by=by, appointment=appointment, status=AppointmentStatus.ATTENDED
                )
            booked += 1
    return booked


def _coordinator(clinic: Clinic) -> User | None:
    role = (
        StaffRole.objects.filter(user__clinic=clinic, user__is_active=True, role="coordinator")
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    return role.user if role else None
