"""Writes to a clinic's installed questionnaire wording: one transaction each, with its audit
event."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from backto.access.accounts.models import Clinic
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.instruments.models import InstrumentPack
from backto.clinical.instrument_packs import InstrumentPack as PackContent
from backto.clinical.instrument_packs import InstrumentPackError, apply_pack_from_registry


@transaction.atomic
def instrument_pack_install(
    *,
    clinic: Clinic,
    pack: PackContent,
    source_name: str,
    by: Any = None,
    username: str = "",
    own_licensee: bool = False,
) -> InstrumentPack:
    """Validate a pack against its instrument version and store it for the clinic as the next
    revision of that version's wording (older revisions stay, for the answers given with them).

    All or nothing: a pack whose linkIds (or answer values) do not match the instrument exactly,
    or an English one for an instrument whose wording ships with BackTo (the ASQ is read as NIMH
    publishes it), raises InstrumentPackError before anything is written. A pack in another
    language (the holder's Spanish GAD-7, say) is that language's wording, a revision of its own. A pack identical to the current
    revision changes nothing and returns it. `by` is the acting user, or None from the command
    line, where `username` records who ran it. `own_licensee`: the file may name another holder
    of the licence (a FHIR Questionnaire from a sister clinic or another system), so the clinic
    keeps its own statement of who holds it (its current revision's), never the file's.
    """
    languages = dict(settings.LANGUAGES)
    if pack.language not in languages:
        raise InstrumentPackError(
            f"{source_name}: language {pack.language!r} is not one BackTo is offered in "
            f"({', '.join(languages)})"
        )
    worded = apply_pack_from_registry(pack, source=source_name)
    if worded.licence.text_ships and pack.language == "en":
        raise InstrumentPackError(
            f"{source_name}: {worded.title} ships its own wording with BackTo "
            f"({worded.licence.holder}), to be used as published; a clinic does not replace it"
        )
    Clinic.objects.select_for_update().filter(pk=clinic.pk).first()  # one revision at a time
    revisions = InstrumentPack.objects.filter(
        clinic=clinic, instrument_id=pack.instrument, version=pack.version
    )
    current = revisions.filter(language=pack.language).order_by("-revision").first()
    if own_licensee:
        pack = pack.model_copy(
            update={"licensed_to": current.licensed_to or None if current else None}
        )
    content = pack.model_dump(mode="json")
    if current is not None and current.content == content:
        return current
    authenticated = by is not None and getattr(by, "is_authenticated", False)
    row = InstrumentPack.objects.create(
        clinic=clinic,
        instrument_id=pack.instrument,
        version=pack.version,
        revision=(revisions.aggregate(top=Max("revision"))["top"] or 0) + 1,
        language=pack.language,
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
        detail=f"wording of {pack.instrument} {pack.version} ({pack.language}), revision "
        f"{row.revision}, "
        f"from {source_name}",
        username=username,
    )
    return row
