"""Every write to template weeks: save one (its name and slots), deactivate or reactivate it, and
apply it to a child's program, booking every appointment it makes or none."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from backto.access.accounts.models import Clinic, User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.access.patients.models import Episode
from backto.access.patients.program import RUNNING_STATES
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.appointments.actions import (
    MAX_MINUTES,
    MAX_WEEKS,
    MIN_MINUTES,
    appointment_book,
)
from backto.capabilities.appointments.models import (
    Appointment,
    AppointmentKind,
    TimetableSlot,
    TimetableTemplate,
)
from backto.capabilities.appointments.timetable import (
    WEEKDAYS,
    NoSuchTime,
    clashes,
    overlapping_slots,
    plan,
    slots_of,
)


@dataclass(frozen=True)
class SlotData:
    weekday: int
    start: time
    minutes: int
    kind: str
    place: str = ""


def _require(by: User, permission: Permission = Permission.TIMETABLE_MANAGE) -> None:
    if not has_permission(by, permission):
        raise PermissionDenied("Your role does not allow managing template weeks.")


def _check_slots(slots: Sequence[SlotData]) -> None:
    if not slots:
        raise ValidationError({"slots": "Give the week at least one slot."})
    for n, slot in enumerate(slots, start=1):
        if slot.weekday not in dict(WEEKDAYS):
            raise ValidationError({"slots": f"Slot {n}: choose a day from Monday to Sunday."})
        if not MIN_MINUTES <= slot.minutes <= MAX_MINUTES:
            raise ValidationError(
                {"slots": f"Slot {n}: a slot lasts {MIN_MINUTES} to {MAX_MINUTES} minutes."}
            )
        if slot.kind not in AppointmentKind.values:
            raise ValidationError({"slots": f"Slot {n}: choose the kind of appointment."})
        if len(slot.place) > 200:
            raise ValidationError({"slots": f"Slot {n}: write the place in 200 characters."})
    pair = overlapping_slots([(s.weekday, s.start, s.minutes) for s in slots])
    if pair is not None:
        a, b = slots[pair[0]], slots[pair[1]]
        raise ValidationError(
            {
                "slots": f"{dict(WEEKDAYS)[a.weekday]}: the slot at {b.start:%H:%M} starts "
                f"before the one at {a.start:%H:%M} ends."
            }
        )


@transaction.atomic
def timetable_save(
    *,
    by: User,
    clinic: Clinic,
    name: str,
    slots: Sequence[SlotData],
    timetable: TimetableTemplate | None = None,
) -> TimetableTemplate:
    """Make a template week, or change one: its name, and its slots replaced by `slots`.
    Appointments already booked from it stay as they are."""
    _require(by)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the template week a name."})
    if len(name) > 100:
        raise ValidationError({"name": "Write the name in 100 characters or fewer."})
    same_name = TimetableTemplate.objects.filter(clinic=clinic, name__iexact=name)
    if timetable is not None:
        same_name = same_name.exclude(pk=timetable.pk)
    if same_name.exists():
        raise ValidationError({"name": "The clinic has a template week of this name already."})
    _check_slots(slots)
    if timetable is None:
        timetable = TimetableTemplate.objects.create(clinic=clinic, name=name, changed_by=by)
        action = Action.CREATE
    else:
        timetable = TimetableTemplate.objects.select_for_update().get(
            pk=timetable.pk, clinic=clinic
        )
        timetable.name, timetable.changed_by = name, by
        timetable.save()
        TimetableSlot.objects.filter(template=timetable).delete()
        action = Action.UPDATE
    TimetableSlot.objects.bulk_create(
        TimetableSlot(
            template=timetable,
            weekday=s.weekday,
            start=s.start,
            minutes=s.minutes,
            kind=s.kind,
            place=s.place.strip(),
        )
        for s in slots
    )
    audit(by=by, action=action, obj=timetable, detail=f"{len(slots)} slots")
    return timetable


@transaction.atomic
def timetable_set_active(
    *, by: User, timetable: TimetableTemplate, active: bool
) -> TimetableTemplate:
    """Deactivate a template week (no longer offered to apply; kept, with what it booked), or
    make it active again."""
    _require(by)
    timetable = TimetableTemplate.objects.select_for_update().get(pk=timetable.pk)
    if timetable.active != active:
        timetable.active, timetable.changed_by = active, by
        timetable.save(update_fields=["active", "changed_by", "changed_at"])
        audit(
            by=by,
            action=Action.UPDATE,
            obj=timetable,
            detail="active" if active else "deactivated",
        )
    return timetable


@transaction.atomic
def timetable_apply(
    *,
    by: User,
    episode: Episode,
    timetable: TimetableTemplate,
    first_monday: date,
    weeks: int,
    clinicians: Mapping[str, User | None],
) -> list[Appointment]:
    """Book the template week into the child's program from `first_monday` for `weeks` weeks:
    every appointment, or none. Refused, naming the day and time, when one would overlap an
    appointment the child already has booked."""
    episode = Episode.objects.select_related("patient__clinic").get(pk=episode.pk)  # as it stands
    patient = episode.patient
    if not has_permission(by, Permission.TIMETABLE_MANAGE, patient):
        raise PermissionDenied("Your role does not allow applying template weeks.")
    timetable = TimetableTemplate.objects.select_for_update().get(pk=timetable.pk)
    if timetable.clinic_id != patient.clinic_id or not timetable.active:
        raise ValidationError({"timetable": "Choose one of the clinic's active template weeks."})
    if episode.state not in RUNNING_STATES:
        raise ValidationError(
            "The program has ended: a template week is applied to a program still running."
        )
    if first_monday.weekday() != 0:
        raise ValidationError({"first_monday": "Choose a Monday to start from."})
    if not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise ValidationError({"weeks": f"Book 1 to {MAX_WEEKS} weeks."})
    try:
        planned = plan(
            slots_of(timetable),
            first_monday=first_monday,
            weeks=weeks,
            zone=ZoneInfo(patient.clinic.time_zone),
            clinicians=clinicians,
        )
    except NoSuchTime as error:
        raise ValidationError({"first_monday": str(error)}) from error
    found = clashes(episode, planned)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise ValidationError({"first_monday": f"{found[0]}{more} Nothing was booked."})
    booked = [
        appointment_book(
            by=by,
            patient=patient,
            episode=episode,
            kind=p.kind,
            starts_at=p.starts_at,
            minutes=p.minutes,
            place=p.place,
            clinician=p.clinician,
            timetable=timetable,
        )
        for p in planned
    ]
    audit(
        by=by,
        action=Action.CREATE,
        obj=timetable,
        patient_id=patient.pk,
        detail=f"applied to episode {episode.pk}: {len(booked)} appointments from "
        f"{first_monday:%Y-%m-%d}, {weeks} weeks",
    )
    return booked
