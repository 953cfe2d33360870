"""Template weeks (timetables) for intensive programs: reading them, and planning the
appointments one books for a child's program.

A slot is a weekday and a wall-clock time in the clinic's time zone. Applied from a first Monday
for some weeks, each slot becomes one appointment a week at that same local time, across a
daylight-saving change too (10:00 stays 10:00; the UTC moment moves). A time that does not exist
on a day (the hour the clocks skip) is refused, never moved silently.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet, Sum

from backto.access.accounts.models import Clinic, User
from backto.access.patients.models import CareTeamMember, Episode
from backto.capabilities.appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    TimetableSlot,
    TimetableTemplate,
)

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
DEFAULT_WEEKS = 4  # without a care plan saying how long the intensive program runs

# The care team discipline whose member is, by default, the clinician of each kind of visit.
DISCIPLINE_OF_KIND = {
    AppointmentKind.PT: "pt",
    AppointmentKind.OT: "ot",
    AppointmentKind.COUNSELING: "counseling",
    AppointmentKind.PHYSICIAN: "medicine",
    AppointmentKind.SCHOOL: "coordination",
}


def clinic_timetables(clinic: Clinic) -> list[TimetableTemplate]:
    """The clinic's template weeks, active ones first, each with its number of slots and its
    hours a week (`slot_count`, `weekly_hours`): one query however many."""
    found: list[TimetableTemplate] = list(
        TimetableTemplate.objects.filter(clinic=clinic)
        .select_related("changed_by")
        .annotate(slot_count=Count("slots"), weekly_minutes=Sum("slots__minutes"))
        .order_by("-active", "name", "id")
    )
    for timetable in found:
        timetable.weekly_hours = round((timetable.weekly_minutes or 0) / 60, 1)  # type: ignore[attr-defined]
    return found


def active_timetables(clinic: Clinic) -> QuerySet[TimetableTemplate]:
    return TimetableTemplate.objects.filter(clinic=clinic, active=True).order_by("name", "id")


def slots_of(timetable: TimetableTemplate) -> list[TimetableSlot]:
    return list(TimetableSlot.objects.filter(template=timetable).order_by("weekday", "start", "id"))


def care_team_clinicians(episode: Episode) -> dict[str, User]:
    """For each kind of visit, the care team member of its discipline (the lead where there are
    several): the clinician a timetable books by default. One query."""
    by_discipline: dict[str, User] = {}
    for member in (
        CareTeamMember.objects.filter(episode=episode, clinician__is_active=True)
        .select_related("clinician")
        .order_by("-is_lead", "id")
    ):
        by_discipline.setdefault(member.discipline, member.clinician)
    return {
        kind: by_discipline[discipline]
        for kind, discipline in DISCIPLINE_OF_KIND.items()
        if discipline in by_discipline
    }


@dataclass(frozen=True)
class Planned:
    """One appointment a timetable will book."""

    day: date
    starts_at: datetime  # aware, in the clinic's zone
    minutes: int
    kind: str
    place: str
    clinician: User | None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    @property
    def kind_label(self) -> str:
        return str(AppointmentKind(self.kind).label)


class NoSuchTime(ValueError):
    """A slot's wall-clock time does not exist on a day (the clocks skip it)."""

    def __init__(self, day: date, start: time) -> None:
        super().__init__(
            f"{start:%H:%M} does not exist on {day:%A %-d %B %Y} (the clocks change that night): "
            "move the slot or start another week."
        )


def local_moment(day: date, start: time, zone: ZoneInfo) -> datetime:
    """`start` on `day` as a moment in `zone`; NoSuchTime where the clocks skip that time. In the
    hour the clocks repeat, the first of the two."""
    moment = datetime.combine(day, start, tzinfo=zone)
    back = moment.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if (back.date(), back.time()) != (day, start):
        raise NoSuchTime(day, start)
    return moment


def plan(
    slots: Iterable[TimetableSlot],
    *,
    first_monday: date,
    weeks: int,
    zone: ZoneInfo,
    clinicians: Mapping[str, User | None],
) -> list[Planned]:
    """The appointments `slots` make from `first_monday` for `weeks` weeks, in time order."""
    slots = list(slots)
    planned = [
        Planned(
            day=day,
            starts_at=local_moment(day, slot.start, zone),
            minutes=slot.minutes,
            kind=slot.kind,
            place=slot.place,
            clinician=clinicians.get(slot.kind),
        )
        for week in range(weeks)
        for slot in slots
        for day in [first_monday + timedelta(weeks=week, days=slot.weekday)]
    ]
    return sorted(planned, key=lambda p: (p.starts_at, p.kind))


@dataclass(frozen=True)
class Clash:
    planned: Planned
    booked: Appointment

    def __str__(self) -> str:
        start = self.planned.starts_at
        theirs = self.booked.starts_at.astimezone(start.tzinfo)
        return (
            f"{start:%A %-d %B} at {start:%H:%M}: {self.planned.kind_label.lower()} would overlap "
            f"the {self.booked.get_kind_display().lower()} already booked at {theirs:%H:%M}."
        )


def clashes(episode: Episode, planned: list[Planned]) -> list[Clash]:
    """The planned appointments that overlap one of the child's appointments (any but a
    cancelled one: one that took place holds its time too): one query for the whole period
    however many."""
    if not planned:
        return []
    first = min(p.starts_at for p in planned)
    last = max(p.ends_at for p in planned)
    booked = list(
        Appointment.objects.filter(
            patient_id=episode.patient_id,
            starts_at__lt=last,
            starts_at__gte=first - timedelta(minutes=480),  # the longest an appointment lasts
        )
        .exclude(status=AppointmentStatus.CANCELLED)
        .order_by("starts_at", "id")
    )
    found = []
    for p in planned:
        for b in booked:
            if b.starts_at < p.ends_at and p.starts_at < b.starts_at + timedelta(minutes=b.minutes):
                found.append(Clash(p, b))
                break
    return found


def overlapping_slots(slots: list[tuple[int, time, int]]) -> tuple[int, int] | None:
    """Among (weekday, start, minutes), the first two (by index) that overlap on their day."""
    order = sorted(range(len(slots)), key=lambda i: (slots[i][0], slots[i][1]))
    for a, b in pairwise(order):
        day_a, start_a, minutes_a = slots[a]
        day_b, start_b, _ = slots[b]
        end_a = datetime.combine(date.min, start_a) + timedelta(minutes=minutes_a)
        if day_a == day_b and datetime.combine(date.min, start_b) < end_a:
            return a, b
    return None
