"""Every write to appointments and calendar feeds: booking (one, or the same time each week),
moving, recording whether it took place, and making or resetting a person's calendar address.

Each is atomic and writes its audit event in the same transaction; called inside another
transaction (a timetable applied to a child's program books many), each is a savepoint of it,
so the caller's all-or-nothing holds.
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from backto.access.accounts.models import User, UserKind
from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.access.patients.models import Episode, Patient
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    CalendarFeed,
    TimetableTemplate,
)

MIN_MINUTES, MAX_MINUTES = 5, 480
MAX_WEEKS = 26


class _Keep:
    """What a change leaves as it is (a field not passed)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()

# Who may move from which status to which: a booked appointment took place, or did not, or was
# cancelled; a cancelled one is booked again; one recorded wrongly is corrected.
TRANSITIONS: dict[str, frozenset[str]] = {
    AppointmentStatus.BOOKED: frozenset(
        {AppointmentStatus.ATTENDED, AppointmentStatus.MISSED, AppointmentStatus.CANCELLED}
    ),
    AppointmentStatus.ATTENDED: frozenset({AppointmentStatus.MISSED, AppointmentStatus.BOOKED}),
    AppointmentStatus.MISSED: frozenset({AppointmentStatus.ATTENDED, AppointmentStatus.BOOKED}),
    AppointmentStatus.CANCELLED: frozenset({AppointmentStatus.BOOKED}),
}
# Took place or did not come: only once its time has come.
AFTER_THE_START = frozenset({AppointmentStatus.ATTENDED, AppointmentStatus.MISSED})


def _require(by: User, patient: Patient) -> None:
    if not has_permission(by, Permission.APPOINTMENT_EDIT, patient):
        raise PermissionDenied("Your role does not allow booking this child's appointments.")


_https = URLValidator(schemes=["https"])


def _checked(
    *,
    patient: Patient,
    kind: str,
    starts_at: datetime,
    minutes: int,
    place: str,
    video_link: str,
    clinician: User | None,
    note_for_family: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in AppointmentKind.values:
        kinds = ", ".join(str(label).lower() for label in AppointmentKind.labels)
        errors["kind"] = f"Choose the kind of appointment: {kinds}."
    if timezone.is_naive(starts_at):
        errors["starts_at"] = "Give the start with its time zone."
    if not isinstance(minutes, int) or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        errors["minutes"] = f"An appointment lasts {MIN_MINUTES} to {MAX_MINUTES} minutes."
    if len(place) > 200:
        errors["place"] = "Write the place in 200 characters or fewer."
    if video_link:
        try:
            _https(video_link)
        except ValidationError:
            errors["video_link"] = "A video link starts with https:// (a secure address)."
        if len(video_link) > 200:
            errors["video_link"] = "A video link is 200 characters or fewer."
    if clinician is not None and (
        clinician.clinic_id != patient.clinic_id
        or clinician.kind != UserKind.STAFF
        or not clinician.is_active
    ):
        errors["clinician"] = "Choose a clinician of this clinic."
    if len(note_for_family) > 300:
        errors["note_for_family"] = "Write the note in 300 characters or fewer."
    return errors


@transaction.atomic
def appointment_book(
    *,
    by: User,
    patient: Patient,
    kind: str,
    starts_at: datetime,
    minutes: int,
    place: str = "",
    video_link: str = "",
    clinician: User | None = None,
    note_for_family: str = "",
    episode: Episode | None = None,
    timetable: TimetableTemplate | None = None,
) -> Appointment:
    """Book one appointment for the child, in its open episode unless another of the child's
    episodes is named. ValidationError names each field that is not right; nothing is written."""
    _require(by, patient)
    place, video_link, note_for_family = place.strip(), video_link.strip(), note_for_family.strip()
    errors = _checked(
        patient=patient,
        kind=kind,
        starts_at=starts_at,
        minutes=minutes,
        place=place,
        video_link=video_link,
        clinician=clinician,
        note_for_family=note_for_family,
    )
    if episode is None:
        episode = patient.episodes.open().first()
    elif episode.patient_id != patient.pk:
        errors["episode"] = "Choose one of this child's episodes."
    if timetable is not None and timetable.clinic_id != patient.clinic_id:
        errors["timetable"] = "Choose one of this clinic's timetables."
    if errors:
        raise ValidationError(errors)
    appointment = Appointment.objects.create(
        patient=patient,
        episode=episode,
        kind=kind,
        starts_at=starts_at,
        minutes=minutes,
        place=place,
        video_link=video_link,
        clinician=clinician,
        note_for_family=note_for_family,
        timetable=timetable,
        created_by=by,
    )
    audit(by=by, action=Action.CREATE, obj=appointment, patient_id=patient.pk, detail=kind)
    return appointment


@transaction.atomic
def appointment_book_weekly(
    *, weeks: int, starts_at: datetime, **booking: Any
) -> list[Appointment]:
    """The same appointment each week for `weeks` weeks (1 to MAX_WEEKS), at the same local
    time each week (across a daylight-saving change too): all booked, or none."""
    if not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise ValidationError({"weeks": f"Book 1 to {MAX_WEEKS} weeks."})
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "Give the start with its time zone."})
    zone = starts_at.tzinfo
    local_start = starts_at.replace(tzinfo=None)
    return [
        appointment_book(
            starts_at=(local_start + timedelta(weeks=n)).replace(tzinfo=zone), **booking
        )
        for n in range(weeks)
    ]


@transaction.atomic
def appointment_change(
    *,
    by: User,
    appointment: Appointment,
    starts_at: Any = KEEP,
    minutes: Any = KEEP,
    place: Any = KEEP,
    video_link: Any = KEEP,
    clinician: Any = KEEP,
    note_for_family: Any = KEEP,
) -> Appointment:
    """Move a booked appointment or change its place, link, clinician or note (what is not
    passed stays). A new time sends a new reminder the day before; the calendars that subscribe
    take the new version."""
    patient = appointment.patient
    _require(by, patient)
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.status != AppointmentStatus.BOOKED:
        raise ValidationError(
            {"status": "Only a booked appointment is changed; book this one again first."}
        )
    new: dict[str, Any] = {
        "starts_at": locked.starts_at if starts_at is KEEP else starts_at,
        "minutes": locked.minutes if minutes is KEEP else minutes,
        "place": locked.place if place is KEEP else place.strip(),
        "video_link": locked.video_link if video_link is KEEP else video_link.strip(),
        "clinician": locked.clinician if clinician is KEEP else clinician,
        "note_for_family": (
            locked.note_for_family if note_for_family is KEEP else note_for_family.strip()
        ),
    }
    errors = _checked(patient=patient, kind=locked.kind, **new)
    if errors:
        raise ValidationError(errors)
    changed = [
        name
        for name, value in new.items()
        if (getattr(locked, name + "_id") if name == "clinician" else getattr(locked, name))
        != (value.pk if name == "clinician" and value is not None else value)
    ]
    if not changed:
        return locked
    for name, value in new.items():
        setattr(locked, name, value)
    if "starts_at" in changed:
        locked.reminded_at = None
    return _save_new_version(locked, by=by, detail="changed " + " ".join(changed))


@transaction.atomic
def appointment_status_set(*, by: User, appointment: Appointment, status: str) -> Appointment:
    """Record that it took place, that the child did not come, that it was cancelled, or book
    it again (see TRANSITIONS)."""
    patient = appointment.patient
    _require(by, patient)
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    allowed = TRANSITIONS.get(locked.status, frozenset())
    if status not in allowed:
        names = ", ".join(sorted(str(AppointmentStatus(s).label).lower() for s in allowed))
        raise ValidationError(
            {"status": f"From “{locked.get_status_display()}” it can become: {names}."}
        )
    if status in AFTER_THE_START and locked.starts_at > timezone.now():
        raise ValidationError({"status": "Record whether it took place once its time has come."})
    before = locked.status
    locked.status = status
    if status == AppointmentStatus.BOOKED:
        locked.reminded_at = None
    return _save_new_version(locked, by=by, detail=f"status {before} to {status}")


def _save_new_version(locked: Appointment, *, by: User, detail: str) -> Appointment:
    """Save a changed appointment as a new version for the calendars that subscribe (SEQUENCE
    one higher), audited in the caller's transaction."""
    locked.sequence = F("sequence") + 1
    locked.save()
    locked.refresh_from_db()
    audit(by=by, action=Action.UPDATE, obj=locked, patient_id=locked.patient_id, detail=detail)
    return locked


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_reset(*, by: User) -> str:
    """Make this person's secret calendar address, or a new one in place of the old (which
    answers 404 from then on). Returns the token, shown once: only its hash is kept."""
    if not has_permission(by, Permission.APPOINTMENT_VIEW):
        raise PermissionDenied("Your role has no calendar of appointments.")
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.update_or_create(
        user=by, defaults={"token_hash": token_hash(token), "last_fetched_at": None}
    )
    audit(
        by=by,
        action=Action.CREATE if created else Action.UPDATE,
        obj=feed,
        detail="calendar address made" if created else "calendar address reset",
    )
    return token


@transaction.atomic
def calendar_feed_fetched(*, feed: CalendarFeed, events: int) -> None:
    """A calendar fetched the feed: a read by the feed's owner, with how many events it held."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
    audit(
        by=feed.user,
        action=Action.VIEW,
        obj=feed,
        detail=f"calendar_ics events={events}",
    )
