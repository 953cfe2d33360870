"""Reading instruments together with the wording a clinic has installed (its packs)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from backto.access.accounts.models import Clinic
from backto.capabilities.instruments.models import InstrumentPack
from backto.clinical.instrument_languages import registered_in_language
from backto.clinical.instrument_registry import instrument_registry
from backto.clinical.instruments import Instrument
from backto.clinical.languages import base_language
from backto.core.fixed_sql import fixed_query
from backto.core.languages import language_name


def installed_packs(clinic: Clinic, language: str = "en") -> dict[tuple[str, str], InstrumentPack]:
    """The clinic's current wording (its newest revision) of each instrument version in
    `language`."""
    current: dict[tuple[str, str], InstrumentPack] = {}
    for pack in InstrumentPack.objects.filter(
        clinic=clinic, language=base_language(language)
    ).order_by("revision"):
        current[(pack.instrument_id, pack.version)] = pack
    return current


def current_pack(
    clinic: Clinic, instrument: Instrument, language: str = "en"
) -> InstrumentPack | None:
    """The clinic's newest wording of this instrument version in `language`, or None."""
    return (
        InstrumentPack.objects.filter(
            clinic=clinic,
            instrument_id=instrument.id,
            version=instrument.version,
            language=base_language(language),
        )
        .order_by("-revision")
        .first()
    )


def instrument_with_text(
    clinic: Clinic,
    instrument_id: str,
    version: str | None = None,
    revision: int | None = None,
    language: str = "en",
) -> Instrument:
    """The instrument (newest version by default) with the wording of the clinic's pack: the
    given revision (whatever its language), else the current one in `language`.

    Without a pack in `language`: the instrument in that language when it ships in it (see
    instrument_languages.py), else its English wording (the clinic's English pack, or as
    shipped: neutral labels for licensed instruments). `Instrument.language` says which language
    the result is in. Raises UnknownInstrumentError for an unknown id or version.
    """
    instrument = instrument_registry().get(instrument_id, version)
    if revision is None:
        pack = current_pack(clinic, instrument, language)
        if pack is None and base_language(language) != "en":
            shipped = registered_in_language(instrument.id, instrument.version, language)
            if shipped.language != instrument.language:
                return shipped
            pack = current_pack(clinic, instrument)
    else:
        pack = InstrumentPack.objects.filter(
            clinic=clinic,
            instrument_id=instrument.id,
            version=instrument.version,
            revision=revision,
        ).first()
    return instrument if pack is None else pack.instrument()


@fixed_query
def _installed(*, clinic_id: int, languages: list[str]) -> QuerySet[Any]:
    return InstrumentPack.objects.filter(clinic_id=clinic_id, language__in=languages).values_list(
        "instrument_id", "version"
    )


def worded_keys(clinic: Clinic, language: str = "en") -> frozenset[tuple[str, str]]:
    """The instrument versions (id, version) a reader of `language` can read in full at this
    clinic: their wording ships with BackTo, or the clinic has installed it in English (the
    language every reader falls back to, see `instrument_with_text`) or in `language`.

    English by default: that is what a questionnaire sent to every family needs. A clinic that
    installed only a Spanish pack has not worded it for English readers, who would be shown the
    shipped neutral labels. One query."""
    languages = {"en", base_language(language)}
    installed = set(_installed(clinic_id=clinic.pk, languages=sorted(languages)))
    return frozenset(
        instrument.key
        for instrument in instrument_registry().all_versions()
        if instrument.text_available or instrument.key in installed
    )


def wording_missing(clinic: Clinic, instrument_ids: Iterable[str]) -> list[Instrument]:
    """Of these instruments (their newest versions), those whose licensed wording the clinic has
    not installed in English (a Spanish pack alone does not word it for every reader)."""
    worded = worded_keys(clinic)
    registry = instrument_registry()
    return [
        instrument
        for instrument_id in instrument_ids
        if (instrument := registry.find(instrument_id)) and instrument.key not in worded
    ]


@dataclass(frozen=True)
class WordingLanguage:
    """A language an instrument version can be shown in at a clinic, and whose words they are."""

    language: str  # "en", "es"
    installed: bool  # the clinic's pack; else shipped with BackTo
    original: bool  # the instrument's own language (no translation)
    validated: bool  # a translation: the holder's validated one (always true for the original)

    @property
    def name(self) -> str:
        """The language's name in the reader's language ("Spanish", "español")."""
        return language_name(self.language)


def wording_languages(clinic: Clinic) -> dict[tuple[str, str], list[WordingLanguage]]:
    """The languages each instrument version (id, version) can be shown in with full wording at
    this clinic, its own language first: its own wording as shipped or the clinic's pack in that
    language; each translation BackTo ships; each language of the clinic's packs, whose newest
    revision words over a shipped translation (as `instrument_with_text` does). An instrument
    without any is listed with none. One query."""
    packs: dict[tuple[str, str, str], bool] = {}
    rows = (
        InstrumentPack.objects.filter(clinic=clinic)
        .order_by("revision")
        .values_list("instrument_id", "version", "language", "content__validated")
    )
    for instrument_id, version, language, validated in rows:
        packs[(instrument_id, version, language)] = bool(validated)  # the newest revision's
    found: dict[tuple[str, str], list[WordingLanguage]] = {}
    for instrument in instrument_registry().all_versions():
        own = instrument.language
        languages: dict[str, WordingLanguage] = {}
        if instrument.text_available or (*instrument.key, own) in packs:
            installed = (*instrument.key, own) in packs
            languages[own] = WordingLanguage(own, installed, original=True, validated=True)
        for language, words in instrument.translations.items():
            languages[language] = WordingLanguage(language, False, False, words.validated)
        for (instrument_id, version, language), validated in packs.items():
            if (instrument_id, version) == instrument.key and language != own:
                languages[language] = WordingLanguage(language, True, False, validated)
        found[instrument.key] = sorted(
            languages.values(), key=lambda w: (w.language != own, w.language)
        )
    return found
