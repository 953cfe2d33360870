"""Every write to an intake (see docs/adr/0001-actions-layer.md)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.patients.models import Episode
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.intake.models import Intake
from backto.capabilities.intake.queries import TallySources, family_may_answer, records_intake
from backto.capabilities.intake.summary import intake_summary
from backto.clinical.screening import ScreeningError


def _merged(stored: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """The answers as given, each keeping the clinician's stored note where the form has none
    (the family's form has no notes). An answer the form no longer gives (the painful regions
    cleared) is gone."""
    return {
        key: {**{k: v for k, v in stored.get(key, {}).items() if k == "note"}, **value}
        for key, value in given.items()
    }


@transaction.atomic
def intake_save(
    *,
    by: User,
    episode: Episode,
    history: dict[str, Any],
    screening: dict[str, Any],
    red_flags: dict[str, Any],
    budapest: dict[str, Any] | None = None,
    acr: dict[str, Any] | None = None,
) -> Intake:
    """Save what the family or the clinician recorded. A family's save is marked as theirs and
    waits for a clinician to confirm it; a clinician's later change needs a new confirmation.
    Refused to anyone but the care team once the program runs."""
    if not records_intake(by, episode) and not family_may_answer(by, episode):
        raise PermissionDenied("Your role does not allow this.")
    if not episode.is_open:
        raise ValidationError("This episode of care has ended; its intake can no longer change.")
    intake = Intake.objects.select_for_update().filter(episode=episode).first() or Intake(
        episode=episode
    )
    for name, value in history.items():
        setattr(intake, name, value)
    # A family's save keeps the clinician's notes.
    intake.screening = _merged(intake.screening, screening)
    intake.red_flags = _merged(intake.red_flags, red_flags)
    if budapest is not None:
        intake.budapest = budapest
    if acr is not None:
        intake.acr = acr
    intake.confirmed_at = None  # whoever changed it, a clinician confirms it again
    intake.confirmed_by = None
    if not by.is_staff_member:
        intake.family_submitted_at = timezone.now()
        intake.family_submitted_by = by
    try:
        # The clinical core checks every typed answer: without the exam's numbers (no sources),
        # so that a typed value the exam or the map stands in for is checked too, in no query.
        intake_summary(intake, sources=TallySources())
    except ScreeningError as error:
        raise ValidationError(str(error)) from None
    created = intake.pk is None
    intake.full_clean()
    intake.save()
    audit(
        by=by,
        action=Action.CREATE if created else Action.UPDATE,
        obj=intake,
        patient_id=episode.patient_id,
        detail="by family" if not by.is_staff_member else "",
    )
    return intake


@transaction.atomic
def intake_confirm(*, by: User, intake: Intake) -> Intake:
    """A clinician has reviewed the intake (and any answers the family gave from home)."""
    if intake.pk is None or not records_intake(by, intake.episode):
        raise PermissionDenied("Only the care team confirms an intake.")
    intake.confirmed_at = timezone.now()
    intake.confirmed_by = by
    intake.save(update_fields=["confirmed_at", "confirmed_by"])
    audit(
        by=by,
        action=Action.UPDATE,
        obj=intake,
        patient_id=intake.episode.patient_id,
        detail="confirmed",
    )
    return intake
