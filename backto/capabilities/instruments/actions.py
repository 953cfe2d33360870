"""Writes to a clinic's installed questionnaire wording: one transaction each, with its audit
event."""

from typing import Any

from django.db import transaction
from django.db.models import Max
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
    """Validate a pack against its instrument version and store it for the clinic as the next
    revision of that version's wording (older revisions stay, for the answers given with them).

    All or nothing: a pack whose linkIds (or answer values) do not match the instrument exactly
    raises InstrumentPackError before anything is written. A pack identical to the current
    revision changes nothing and returns it. `by` is the acting user, or None from the command
    line, where `username` records who ran it.
    """
    apply_pack_from_registry(pack, source=source_name)
    content = pack.model_dump(mode="json")
    Clinic.objects.select_for_update().filter(pk=clinic.pk).first()  # one revision at a time
    revisions = InstrumentPack.objects.filter(
        clinic=clinic, instrument_id=pack.instrument, version=pack.version
    )
    current = revisions.order_by("-revision").first()
    if current is not None and current.content == content:
        return current
    authenticated = by is not None and getattr(by, "is_authenticated", False)
    row = InstrumentPack.objects.create(
        clinic=clinic,
        instrument_id=pack.instrument,
        version=pack.version,
        revision=(revisions.aggregate(top=Max("revision"))["top"] or 0) + 1,
        content=content,
        source_name=source_name,
        licensed_to=pack.licensed_to or "",
        installed_at=timezone.now(),
        installed_by_id=by.pk if authenticated else None,
        installed_by_username=by.get_username() if authenticated else username[:150],
    )
    audit(
        by=by,
        action=Action.CREATE,
        obj=row,
        detail=f"wording of {pack.instrument} {pack.version}, revision {row.revision}, "
        f"from {source_name}",
        username=username,
    )
    return row
