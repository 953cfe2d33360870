"""Every write to a child's medicine list and to the clinic's list of names. One transaction
each, audited in it; bad input is a ValidationError naming the field, and nothing is written."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backto.access.accounts.models import Clinic, User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.access.patients.models import Patient
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.medicines.models import NAME_MAX, DatePrecision, Medicine, MedicineName
from backto.capabilities.medicines.queries import list_token
from backto.capabilities.medicines.vocabulary import STARTER_NAMES

# The fields a person writes; everything else is the app's.
FIELDS = (
    "name",
    "from_list",
    "purpose",
    "how_often",
    "started_on",
    "started_precision",
    "stopped_on",
    "stopped_precision",
    "reduced_on",
    "helped",
)
LIMITS = {"name": NAME_MAX, "purpose": 200, "how_often": 100, "helped": 300}


def _month(day: date) -> tuple[int, int]:
    return (day.year, day.month)


def _cleaned(values: dict[str, Any]) -> dict[str, Any]:
    """The entry's fields checked together: a dict ready to save, or a ValidationError with a
    message for each field that is wrong."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    found: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    if not found["name"]:
        errors["name"] = _("Write the medicine's name, or choose one from the clinic's list.")
    for field, limit in LIMITS.items():
        if len(found[field]) > limit:
            errors[field] = _("Keep it to %(limit)s characters (this has %(count)s).") % {
                "limit": limit,
                "count": len(found[field]),
            }
    for when in ("started", "stopped"):
        precision = found[f"{when}_precision"] or DatePrecision.DAY
        if precision not in DatePrecision.values:
            errors[f"{when}_precision"] = _("Choose the day, or the month only.")
            continue
        found[f"{when}_precision"] = precision
        day = found[f"{when}_on"]
        if day is None:
            found[f"{when}_precision"] = DatePrecision.DAY
            continue
        if precision == DatePrecision.MONTH:
            day = found[f"{when}_on"] = day.replace(day=1)
        if day > today:
            errors[f"{when}_on"] = _(
                "Choose today or a day before: the list keeps what has happened, not plans."
            )
    started, stopped = found["started_on"], found["stopped_on"]
    if started and stopped and "started_on" not in errors and "stopped_on" not in errors:
        by_month = DatePrecision.MONTH in (found["started_precision"], found["stopped_precision"])
        too_early = _month(stopped) < _month(started) if by_month else stopped < started
        if too_early:
            errors["stopped_on"] = _(
                "This is before the day it started. Check both dates: it stops on or after it "
                "starts."
            )
    reduced = found["reduced_on"]
    if reduced is not None and "reduced_on" not in errors:
        if reduced > today:
            errors["reduced_on"] = _(
                "Choose today or a day before: the list keeps what has happened, not plans."
            )
        elif (
            started
            and "started_on" not in errors
            and (
                _month(reduced) < _month(started)
                if found["started_precision"] == DatePrecision.MONTH
                else reduced < started
            )
        ):
            errors["reduced_on"] = _("This is before the day it started: it was cut down after.")
        elif stopped and "stopped_on" not in errors and reduced > stopped:
            errors["reduced_on"] = _("This is after the day it stopped: it was cut down before.")
    if errors:
        raise ValidationError(errors)
    return found


def _episode(patient: Patient) -> Any:
    return patient.episodes.order_by("-referral_date", "-id").first()


@transaction.atomic
def medicine_add(
    *,
    by: User,
    patient: Patient,
    name: str,
    from_list: bool = False,
    purpose: str = "",
    how_often: str = "",
    started_on: date | None = None,
    started_precision: str = DatePrecision.DAY,
    stopped_on: date | None = None,
    stopped_precision: str = DatePrecision.DAY,
    reduced_on: date | None = None,
    helped: str = "",
) -> Medicine:
    """Write a medicine onto the child's list. It waits for a physician's confirmation."""
    values = _cleaned(
        {
            "name": name,
            "from_list": from_list,
            "purpose": purpose,
            "how_often": how_often,
            "started_on": started_on,
            "started_precision": started_precision,
            "stopped_on": stopped_on,
            "stopped_precision": stopped_precision,
            "reduced_on": reduced_on,
            "helped": helped,
        }
    )
    medicine = Medicine.objects.create(
        patient=patient, episode=_episode(patient), added_by=by, changed_by=by, **values
    )
    audit(by=by, action=Action.CREATE, obj=medicine, patient_id=patient.pk)
    return medicine


@transaction.atomic
def medicine_edit(*, by: User, medicine: Medicine, **changes: Any) -> Medicine:
    """Change an entry (any of FIELDS). A change takes back the physician's confirmation: the
    entry waits for it again. Saving the same words changes nothing and writes nothing."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"medicine_edit() got fields it does not keep: {sorted(unknown)}")
    medicine = Medicine.objects.select_for_update().get(pk=medicine.pk)
    values = _cleaned({f: changes.get(f, getattr(medicine, f)) for f in FIELDS})
    changed = [f for f in FIELDS if getattr(medicine, f) != values[f]]
    if not changed:
        return medicine
    for field in changed:
        setattr(medicine, field, values[field])
    medicine.changed_by = by
    medicine.confirmed_at = None
    medicine.confirmed_by = None
    medicine.save()
    audit(
        by=by,
        action=Action.UPDATE,
        obj=medicine,
        patient_id=medicine.patient_id,
        detail=" ".join(changed),
    )
    return medicine


@transaction.atomic
def medicine_stop(
    *, by: User, medicine: Medicine, stopped_on: date, stopped_precision: str = DatePrecision.DAY
) -> Medicine:
    """Write down that the child no longer takes it (the date, or only the month)."""
    if medicine.stopped_on is not None:
        raise ValidationError(
            {"stopped_on": _("This one is already marked as stopped. Edit it to change the date.")}
        )
    return medicine_edit(
        by=by, medicine=medicine, stopped_on=stopped_on, stopped_precision=stopped_precision
    )


@transaction.atomic
def medicines_confirm(*, by: User, patient: Patient, shown: str) -> int:
    """A physician confirms the child's list as they saw it (`shown`: its list_token then):
    every entry waiting for confirmation is confirmed. Refused when the list changed since they
    opened it. Returns how many entries were confirmed."""
    if not has_permission(by, Permission.MEDICINE_LIST_CONFIRM, patient):
        raise PermissionDenied("A physician on the child's care team confirms the list.")
    entries = list(Medicine.objects.select_for_update().filter(patient=patient))
    if shown != list_token(entries):
        raise ValidationError(
            {"shown": _("The list changed after you opened it. Read it again, then confirm.")}
        )
    waiting = [m for m in entries if m.confirmed_at is None]
    if not waiting:
        raise ValidationError(
            {"shown": _("Every medicine on the list is confirmed already: nothing has changed.")}
        )
    now = timezone.now()
    Medicine.objects.filter(pk__in=[m.pk for m in waiting]).update(
        confirmed_at=now, confirmed_by=by
    )
    for medicine in waiting:
        audit(
            by=by,
            action=Action.UPDATE,
            obj=medicine,
            patient_id=patient.pk,
            detail="confirmed",
        )
    return len(waiting)


# --- The clinic's list of names ------------------------------------------------------------------


def _may_edit_names(by: User, clinic: Clinic) -> None:
    if not has_permission(by, Permission.MEDICINE_NAMES_EDIT) or by.clinic_id != clinic.pk:
        raise PermissionDenied("Your role does not keep the clinic's medicine names.")


def _start_list(by: User, clinic: Clinic) -> None:
    """Copy the starter names into the clinic's own list, the first time it changes."""
    if MedicineName.objects.filter(clinic=clinic).exists():
        return
    for starter in STARTER_NAMES:
        made = MedicineName.objects.create(clinic=clinic, name=starter, changed_by=by)
        audit(by=by, action=Action.CREATE, obj=made, detail="starter")


def _checked_name(clinic: Clinic, name: str, *, keeping: MedicineName | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Write the medicine's name.")})
    if len(name) > NAME_MAX:
        raise ValidationError(
            {"name": _("A name is at most %(limit)s characters.") % {"limit": NAME_MAX}}
        )
    twin = MedicineName.objects.filter(clinic=clinic, name__iexact=name)
    if keeping is not None:
        twin = twin.exclude(pk=keeping.pk)
    if twin.exists():
        raise ValidationError({"name": _("“%(name)s” is on the list already.") % {"name": name}})
    return name


@transaction.atomic
def medicine_name_add(*, by: User, clinic: Clinic, name: str) -> MedicineName:
    """Add a name to the clinic's list (the starter names are copied in first)."""
    _may_edit_names(by, clinic)
    _start_list(by, clinic)
    made = MedicineName.objects.create(
        clinic=clinic, name=_checked_name(clinic, name), changed_by=by
    )
    audit(by=by, action=Action.CREATE, obj=made)
    return made


@transaction.atomic
def medicine_names_start(*, by: User, clinic: Clinic) -> list[MedicineName]:
    """Keep the starter names as the clinic's own list, to change it from there."""
    _may_edit_names(by, clinic)
    _start_list(by, clinic)
    return list(MedicineName.objects.filter(clinic=clinic))


@transaction.atomic
def medicine_name_save(
    *, by: User, name: MedicineName, new_name: str, active: bool
) -> MedicineName:
    """Rename a name on the clinic's list, or stop (or start again) offering it. A child's list
    keeps the name it was written with."""
    _may_edit_names(by, name.clinic)
    row = MedicineName.objects.select_for_update().get(pk=name.pk)
    new_name = _checked_name(row.clinic, new_name, keeping=row)
    if (row.name, row.active) == (new_name, active):
        return row
    row.name, row.active, row.changed_by = new_name, active, by
    row.save()
    audit(by=by, action=Action.UPDATE, obj=row, detail="" if active else "hidden")
    return row
