"""Raising and acknowledging safety alerts; every change audited in its own transaction."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.models import Episode, Patient
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.alerts.tasks import send_safety_alert


def safety_alert_raise(
    *,
    by: User,
    patient: Patient,
    episode: Episode | None,
    source: str,
    source_id: int,
    respondent: str,
    items: Sequence[str],
    private: bool = False,
    urgent: bool = False,
) -> SafetyAlert | None:
    """Raise the alert for safety answers newly given (`newly_given`), inside the caller's
    transaction so that the alert exists exactly when the answer does, and queue the email to
    the episode's care team. While an alert on the same form is open, a further safety answer
    joins it (and the team is emailed again) rather than opening a second. Returns the new
    alert, or None. `private`: an answer that raised it is one the teen keeps private, so the
    alert is for the care team only (SafetyAlertQuerySet.visible_to). `urgent`: an answer is one
    the instrument marks urgent (the ASQ's acute positive); the alert says so first."""
    if transaction.get_autocommit():
        raise RuntimeError("safety_alert_raise runs inside the answer's transaction")
    if not items:
        return None
    open_alert = (
        SafetyAlert.objects.select_for_update()
        .filter(source=source, source_id=source_id, acknowledged_at__isnull=True)
        .first()
    )
    if open_alert is not None:
        added = [item for item in items if item not in open_alert.items]
        if added:
            open_alert.items = [*open_alert.items, *added]
            open_alert.private = open_alert.private or private
            open_alert.urgent = open_alert.urgent or urgent
            open_alert.save(update_fields=["items", "private", "urgent"])
            audit(
                by=by,
                action=Action.UPDATE,
                obj=open_alert,
                patient_id=patient.pk,
                detail="answer added",
            )
            send_safety_alert.enqueue(open_alert.pk)
        return None
    alert = SafetyAlert.objects.create(
        patient=patient,
        episode=episode,
        source=source,
        source_id=source_id,
        respondent=respondent,
        items=list(items),
        private=private,
        urgent=urgent,
        raised_by=by,
    )
    audit(by=by, action=Action.CREATE, obj=alert, patient_id=patient.pk, detail=source)
    send_safety_alert.enqueue(alert.pk)
    return alert


def safety_alert_privacy_follow(*, source: str, source_id: int, private: bool) -> None:
    """A teen who keeps the safety answer private after it was given (or no longer does):
    the form's alerts follow, inside the caller's transaction. Changes who may see them, not
    what they say, so no event of its own (the form's update is audited)."""
    SafetyAlert.objects.filter(source=source, source_id=source_id).exclude(private=private).update(
        private=private
    )


@transaction.atomic
def safety_alert_acknowledge(*, by: User, alert: SafetyAlert, note: str) -> SafetyAlert:
    """Close an alert with what the care team did. The note is required."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Write what was done (for example: called the family)."})
    if Permission.ALERT_ACKNOWLEDGE not in by.permissions:
        raise PermissionDenied("Only the care team acknowledges safety alerts.")
    alert = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
    if not alert.is_open:
        raise ValidationError(
            {"note": f"This alert was already acknowledged on {alert.acknowledged_at:%Y-%m-%d}."}
        )
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = by
    alert.note = note
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
    audit(
        by=by, action=Action.UPDATE, obj=alert, patient_id=alert.patient_id, detail="acknowledged"
    )
    return alert
