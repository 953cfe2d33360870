"""Reading instruments together with the wording a clinic has installed (its packs)."""

from collections.abc import Iterable

from backto.access.accounts.models import Clinic
from backto.capabilities.instruments.models import InstrumentPack
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument


def installed_packs(clinic: Clinic) -> dict[tuple[str, str], InstrumentPack]:
    """The clinic's current wording (its newest revision) of each instrument version."""
    current: dict[tuple[str, str], InstrumentPack] = {}
    for pack in InstrumentPack.objects.filter(clinic=clinic).order_by("revision"):
        current[(pack.instrument_id, pack.version)] = pack
    return current


def current_pack(clinic: Clinic, instrument: Instrument) -> InstrumentPack | None:
    return (
        InstrumentPack.objects.filter(
            clinic=clinic, instrument_id=instrument.id, version=instrument.version
        )
        .order_by("-revision")
        .first()
    )


def instrument_with_text(
    clinic: Clinic, instrument_id: str, version: str | None = None, revision: int | None = None
) -> Instrument:
    """The instrument (newest version by default) with the wording of the clinic's pack: the
    given revision, else the current one.

    Without a pack the instrument is returned as shipped: neutral labels for licensed
    instruments. Raises UnknownInstrumentError for an unknown id or version.
    """
    instrument = instrument_registry().get(instrument_id, version)
    if revision is None:
        pack = current_pack(clinic, instrument)
    else:
        pack = InstrumentPack.objects.filter(
            clinic=clinic,
            instrument_id=instrument.id,
            version=instrument.version,
            revision=revision,
        ).first()
    return instrument if pack is None else pack.instrument()


def worded_keys(clinic: Clinic) -> frozenset[tuple[str, str]]:
    """The instrument versions (id, version) a family can read in full at this clinic: their
    wording ships with BackTo, or the clinic has installed it. One query."""
    installed = set(
        InstrumentPack.objects.filter(clinic=clinic).values_list("instrument_id", "version")
    )
    return frozenset(
        instrument.key
        for instrument in instrument_registry().all_versions()
        if instrument.text_available or instrument.key in installed
    )


def wording_missing(clinic: Clinic, instrument_ids: Iterable[str]) -> list[Instrument]:
    """Of these instruments (their newest versions), those whose licensed wording the clinic has
    not installed."""
    worded = worded_keys(clinic)
    registry = instrument_registry()
    return [
        instrument
        for instrument_id in instrument_ids
        if (instrument := registry.find(instrument_id)) and instrument.key not in worded
    ]
