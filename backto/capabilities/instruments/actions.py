"""Writes to installed instrument packs: one transaction each, with its audit event."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from backto.access.accounts.models import Clinic
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.instruments.models import InstrumentPack
from backto.clinical.instrument_packs import InstrumentPack as PackContent
from backto.clinical.instrument_packs import apply_pack_from_registry


@transaction.atomic
def instrument_pack_install(
    *, clinic: Clinic, pack: PackContent, source_name: str, by: Any = None, username: str = ""
) -> InstrumentPack:
    """Validate a pack against its instrument version and store it for the clinic, replacing
    the clinic's older install.

    All or nothing: a pack whose linkIds (or answer values) do not match the instrument exactly
    raises InstrumentPackError before anything is written. `by` is the acting user, or None from
    the command line, where `username` records who ran it.
    """
    apply_pack_from_registry(pack, source=source_name)
    authenticated = by is not None and getattr(by, "is_authenticated", False)
    row, created = InstrumentPack.objects.update_or_create(
        clinic=clinic,
        instrument_id=pack.instrument,
        version=pack.version,
        defaults={
            "content": pack.model_dump(mode="json"),
            "source_name": source_name,
            "licensed_to": pack.licensed_to or "",
            "installed_at": timezone.now(),
            "installed_by_id": by.pk if authenticated else None,
            "installed_by_username": by.get_username() if authenticated else username[:150],
        },
    )
    audit(
        by=by,
        action=Action.CREATE if created else Action.UPDATE,
        obj=row,
        detail=f"instrument pack {pack.instrument} {pack.version} from {source_name}",
        username=username,
    )
    return row
