"""The shared shape of an action that edits a record's fields."""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db.models import Model

from backto.audit.log import audit
from backto.audit.models import Action

M = TypeVar("M", bound=Model)


def apply_update(
    *,
    by: Any,
    obj: M,
    fields: Mapping[str, Any],
    allowed: Iterable[str],
    patient_id: int | None = None,
) -> M:
    """Set `fields` on `obj`, validate, save, and audit the names that changed. Run inside the
    caller's transaction. The stored row is read (and locked) first: a ModelForm has already
    copied its values onto `obj`, so `obj` itself cannot say what changed."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise TypeError(f"unknown {obj._meta.model_name} fields: {unknown}")
    stored = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    changed = sorted(name for name, value in fields.items() if getattr(stored, name) != value)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    audit(
        by=by,
        action=Action.UPDATE,
        obj=obj,
        patient_id=patient_id,
        detail="changed: " + ", ".join(changed),
    )
    return obj
