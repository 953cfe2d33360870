"""Writing audit events. Called by actions and permission-checking loaders, inside their
transaction, so an event exists exactly when the thing it records happened."""

from typing import Any

from backto.audit.middleware import current_ip
from backto.audit.models import Action, AuditEvent


def audit(
    *,
    by: Any,
    action: Action,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    patient_id: int | None = None,
    detail: str = "",
    username: str = "",
) -> AuditEvent:
    """Record one event (see `audit_event` for the arguments)."""
    event = audit_event(
        by=by,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        patient_id=patient_id,
        detail=detail,
        username=username,
    )
    event.save()
    return event


def audit_event(
    *,
    by: Any,
    action: Action,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    patient_id: int | None = None,
    detail: str = "",
    username: str = "",
) -> AuditEvent:
    """An unsaved event: `by` is the acting user (or None for an anonymous attempt). Built
    outside a transaction and saved inside it keeps the time a write lock is held short."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
    authenticated = by is not None and getattr(by, "is_authenticated", False)
    return AuditEvent(
        clinic_id=getattr(by, "clinic_id", None) if authenticated else None,
        actor_id=by.pk if authenticated else None,
        actor_username=by.get_username() if authenticated else username[:150],
        actor_kind=getattr(by, "kind", "") if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        patient_id=patient_id,
        ip_address=current_ip.get(),
        detail=detail[:200],
    )
