"""Reading instruments together with the packs a clinic has installed."""

from collections.abc import Iterable

from backto.access.accounts.models import Clinic
from backto.capabilities.instruments.models import InstrumentPack
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument


def installed_packs(clinic: Clinic) -> dict[tuple[str, str], InstrumentPack]:
    return {
        (pack.instrument_id, pack.version): pack
        for pack in InstrumentPack.objects.filter(clinic=clinic)
    }


def instrument_with_text(
    clinic: Clinic, instrument_id: str, version: str | None = None
) -> Instrument:
    """The instrument (newest version by default) with the text of the clinic's pack, if any.

    Without a pack the instrument is returned as shipped: neutral labels for licensed
    instruments. Raises UnknownInstrumentError for an unknown id or version.
    """
    instrument = instrument_registry().get(instrument_id, version)
    pack = InstrumentPack.objects.filter(
        clinic=clinic, instrument_id=instrument.id, version=instrument.version
    ).first()
    return instrument if pack is None else pack.instrument()


def wording_missing(clinic: Clinic, instrument_ids: Iterable[str]) -> list[Instrument]:
    """Of these instruments, those whose licensed wording the clinic has not installed."""
    packs = installed_packs(clinic)
    registry = instrument_registry()
    found = []
    for instrument_id in instrument_ids:
        instrument = registry.find(instrument_id)
        if instrument and not instrument.text_available and instrument.key not in packs:
            found.append(instrument)
    return found
