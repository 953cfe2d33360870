"""Attendance from the schedule: which of a child's appointments a session is recorded from, how
the program's appointments went (took place, did not come, cancelled) by discipline, and the
appointments that took place without a session note yet.

A therapy appointment's kind and a session's discipline use the same words (pt, ot,
counseling). Sessions stay the source of the program's minutes (dose.py); the schedule says how
many visits were planned and kept.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients.models import THERAPIES, Episode
from backto.capabilities.appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
)
from backto.core.fixed_sql import fixed_query

THERAPY_KINDS = tuple(d.value for d in THERAPIES)  # appointment kinds that are sessions
# How far back a session may be recorded from an appointment (a note written a week late still
# finds its appointment; older ones are recorded as sessions outside the schedule).
RECENT_DAYS = 14


def kind_of(discipline: str) -> str:
    """The appointment kind of a session's discipline (the same word: PT is pt)."""
    return AppointmentKind(discipline).value


def _program_appointments(patient_id: int, episode_id: int) -> QuerySet[Appointment]:
    """The appointments of this episode's program: booked for the episode, or for the child
    without naming an episode."""
    return Appointment.objects.filter(patient_id=patient_id).filter(
        Q(episode_id=episode_id) | Q(episode__isnull=True)
    )


def _episode_appointments(episode: Episode) -> QuerySet[Appointment]:
    return _program_appointments(episode.patient_id, episode.pk)


def appointments_to_record(episode: Episode, *, now: datetime | None = None) -> list[Appointment]:
    """The child's therapy appointments of the last RECENT_DAYS that have started, were not
    cancelled and have no session yet: the ones a session may be recorded from. One query."""
    now = now or timezone.now()
    return list(
        _episode_appointments(episode)
        .filter(
            kind__in=THERAPY_KINDS,
            session__isnull=True,
            starts_at__lte=now,
            starts_at__gte=now - timedelta(days=RECENT_DAYS),
        )
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("clinician")
        .order_by("-starts_at", "-id")
    )


def took_place_without_note(episode: Episode) -> list[Appointment]:
    """Therapy appointments marked as taken place that no session note names: a to-do for the
    clinician. One query."""
    return list(
        _episode_appointments(episode)
        .filter(
            kind__in=THERAPY_KINDS,
            status=AppointmentStatus.ATTENDED,
            session__isnull=True,
        )
        .select_related("clinician")
        .order_by("starts_at", "id")
    )


NOTES_DAYS = 30  # how far back a clinician's home lists notes still to write
NOTES_SHOWN = 20


@fixed_query
def _notes_to_write(*, clinician_id: int, clinic_id: int, since: datetime) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(
            clinician_id=clinician_id,
            patient__clinic_id=clinic_id,
            kind__in=THERAPY_KINDS,
            status=AppointmentStatus.ATTENDED,
            session__isnull=True,
            episode__isnull=False,
            starts_at__gte=since,
        )
        .select_related("patient")
        .order_by("starts_at", "id")[:NOTES_SHOWN]
    )


def notes_to_write(clinician: User, *, now: datetime | None = None) -> list[Appointment]:
    """This clinician's therapy appointments of the last NOTES_DAYS that took place with no
    session note yet, oldest first (at most NOTES_SHOWN): one query."""
    since = (now or timezone.now()) - timedelta(days=NOTES_DAYS)
    return _notes_to_write(clinician_id=clinician.pk, clinic_id=clinician.clinic_id, since=since)


@dataclass(frozen=True)
class KindAttendance:
    kind: str
    label: str
    so_far: int  # every appointment that was on the schedule up to now, whatever came of it
    took_place: int
    did_not_come: int
    cancelled: int
    not_marked: int  # started, still booked: nobody has said yet whether it took place
    coming: int  # booked, still ahead
    without_note: int  # took place, no session note (therapies only)

    @property
    def rate(self) -> int | None:
        """Percent of the visits that were held (not cancelled) that the child came to."""
        held = self.took_place + self.did_not_come
        return round(100 * self.took_place / held) if held else None


@fixed_query
def _attendance(*, patient_id: int, episode_id: int, now: datetime) -> QuerySet[Any]:
    past = Q(starts_at__lte=now)
    status = AppointmentStatus
    return (
        _program_appointments(patient_id, episode_id)
        .order_by()
        .values("kind")
        .annotate(
            so_far=Count("id", filter=past),
            took_place=Count("id", filter=past & Q(status=status.ATTENDED)),
            did_not_come=Count("id", filter=past & Q(status=status.MISSED)),
            cancelled=Count("id", filter=past & Q(status=status.CANCELLED)),
            not_marked=Count("id", filter=past & Q(status=status.BOOKED)),
            coming=Count("id", filter=~past & Q(status=status.BOOKED)),
            without_note=Count(
                "id",
                filter=Q(status=status.ATTENDED, kind__in=THERAPY_KINDS, session__isnull=True),
            ),
        )
    )


def schedule_attendance(
    episode: Episode, *, now: datetime | None = None
) -> tuple[KindAttendance, ...]:
    """How the program's appointments went so far, one row per kind that has any, in the
    kinds' order. One query however many appointments."""
    rows = {
        row["kind"]: row
        for row in _attendance(
            patient_id=episode.patient_id, episode_id=episode.pk, now=now or timezone.now()
        )
    }
    return tuple(
        KindAttendance(
            kind=kind,
            label=str(label),
            **{k: v for k, v in rows[kind].items() if k != "kind"},
        )
        for kind, label in AppointmentKind.choices
        if kind in rows
    )
