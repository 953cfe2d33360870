"""Reads of appointments: a child's list, a clinician's (or the clinic's) week, the family's
coming days, and the moments a day or a week covers in the clinic's time zone.

Times are kept in UTC and shown in the clinic's time zone (Clinic.time_zone). A day is from its
local midnight to the next one, so a week across a daylight-saving change has one day of 23 or
25 hours and every appointment still falls on its own local day at its own local time.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from backto.access.accounts.models import User, UserKind
from backto.access.patients.access import patients_for
from backto.access.patients.models import Guardianship, Patient
from backto.capabilities.appointments.models import Appointment, AppointmentStatus
from backto.core.fixed_sql import fixed_query


def zone_of(clinic: Any) -> ZoneInfo:
    return ZoneInfo(clinic.time_zone)


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """The aware moment of a wall-clock time on a day in the zone; None for a time the clock
    skips (2:30 on the spring-forward night). An hour the clock repeats is its first time."""
    moment = datetime.combine(day, at, tzinfo=zone)
    back = moment.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if (back.date(), back.time()) != (day, at.replace(tzinfo=None)):
        return None
    return moment


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The local midnight that starts the day (midnight exists in every zone we serve; should a
    zone skip it, the first moment after)."""
    return datetime.combine(day, time(0), tzinfo=zone)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def span(first: date, days: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """From the local start of `first` to the local start of the day `days` later."""
    return day_start(first, zone), day_start(first + timedelta(days=days), zone)


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    return timezone.localtime(moment, zone)


def with_people() -> QuerySet[Appointment]:
    return Appointment.objects.select_related("clinician")


@dataclass(frozen=True)
class ChildAppointments:
    upcoming: list[Appointment]
    past: list[Appointment]


def child_appointments(
    patient: Patient, *, now: datetime, past_days: int = 90
) -> ChildAppointments:
    """A child's appointments: those still to come (soonest first) and those of the last
    `past_days` days (latest first). Two queries whatever the number."""
    rows = with_people().filter(patient=patient)
    upcoming = list(rows.filter(starts_at__gte=now).order_by("starts_at", "pk"))
    past = list(
        rows.filter(starts_at__lt=now, starts_at__gte=now - timedelta(days=past_days)).order_by(
            "-starts_at", "-pk"
        )
    )
    return ChildAppointments(upcoming, past)


@dataclass(frozen=True)
class WeekDay:
    day: date
    appointments: list[Any]  # Appointment, with `in_circle` for the staff week


def week_days(first: date, appointments: Iterable[Appointment], zone: ZoneInfo) -> list[WeekDay]:
    """Seven days from `first`, each with its appointments by local day."""
    by_day: dict[date, list[Appointment]] = defaultdict(list)
    for appointment in appointments:
        by_day[local(appointment.starts_at, zone).date()].append(appointment)
    days = [first + timedelta(days=n) for n in range(7)]
    return [WeekDay(day, by_day.get(day, [])) for day in days]


def staff_week(
    *, viewer: Any, monday: date, clinician_id: int | None, zone: ZoneInfo
) -> list[Appointment]:
    """The week's appointments of one clinician (`clinician_id`), or of the whole clinic (None),
    with the child; each marked `in_circle` when the child is in the viewer's circle (a name
    is shown only then). One query."""
    start, end = span(monday, 7, zone)
    rows = (
        Appointment.objects.select_related("clinician", "patient")
        .filter(patient__clinic_id=viewer.clinic_id, starts_at__gte=start, starts_at__lt=end)
        .annotate(in_circle=Exists(patients_for(viewer).filter(pk=OuterRef("patient_id"))))
        .order_by("starts_at", "pk")
    )
    if clinician_id is not None:
        rows = rows.filter(clinician_id=clinician_id)
    return list(rows)


def family_children(user: Any) -> list[Patient]:
    """The children whose appointments this family member sees: a guardian's, a teen's own.
    One query."""
    return list(patients_for(user).order_by("legal_name", "pk"))


@fixed_query
def _between(*, patient_ids: list[int], start: datetime, end: datetime) -> QuerySet[Appointment]:
    return (
        with_people()
        .filter(patient_id__in=patient_ids, starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "pk")
    )


def family_appointments(
    patient_ids: Sequence[int], *, start: datetime, end: datetime
) -> dict[int, list[Appointment]]:
    """Each child's appointments from `start` to `end`, soonest first. One query."""
    found: dict[int, list[Appointment]] = {pid: [] for pid in patient_ids}
    for appointment in _between(patient_ids=list(patient_ids), start=start, end=end):
        found[appointment.patient_id].append(appointment)
    return found


def family_member_ids(patient_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each child's family accounts (active guardians, and the teen's own), by child. Two
    queries."""
    ids = set(patient_ids)
    found: dict[int, set[int]] = {pid: set() for pid in ids}
    for patient_id, guardian_id in Guardianship.objects.filter(
        patient_id__in=ids, guardian__is_active=True
    ).values_list("patient_id", "guardian_id"):
        found[patient_id].add(guardian_id)
    for patient_id, teen_id in Patient.objects.filter(
        pk__in=ids, teen_account__isnull=False, teen_account__is_active=True
    ).values_list("pk", "teen_account_id"):
        found[patient_id].add(teen_id)
    return found


def clinic_clinicians(clinic_id: int) -> list[User]:
    """The clinic's active staff, who may be booked as an appointment's clinician."""
    return list(
        User.objects.filter(clinic_id=clinic_id, kind=UserKind.STAFF, is_active=True).order_by(
            "display_name", "username", "pk"
        )
    )


SHOWN_TO_FAMILY = (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED, AppointmentStatus.MISSED)
