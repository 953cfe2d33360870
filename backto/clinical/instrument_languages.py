"""An instrument in the language its reader reads.

An instrument file may carry its words in other languages under `translations` (see
`instruments.Translation`): BackTo ships Spanish for the instruments the project wrote, marked as
written by the project, not a validated translation. A licensed instrument's translation is never
shipped; a clinic holding the licence installs the holder's wording as a pack with its `language`
(see `instrument_packs.py`). Scoring never changes with language: only title, recall period,
instructions, item text and answer labels are replaced.
"""

from __future__ import annotations

import functools

from backto.clinical.instrument_registry import (
    InstrumentRegistry,
    instrument_from_data,
    instrument_registry,
)
from backto.clinical.instruments import Instrument
from backto.clinical.languages import base_language


def languages_of(instrument: Instrument) -> tuple[str, ...]:
    """The languages the instrument can be shown in from its file: its own, then its
    translations."""
    return (instrument.language, *sorted(instrument.translations))


def in_language(instrument: Instrument, language: str) -> Instrument:
    """The instrument worded in `language` when it has a version in it, else unchanged.

    The result has `language` set to the language of its words and `wording` saying who wrote
    them and whether they are a validated translation; its `translations` are dropped (it is one
    language's wording). Scoring, linkIds and answer values are the same.
    """
    language = base_language(language)
    words = instrument.translations.get(language)
    if language == instrument.language or words is None:
        return instrument
    data = instrument.model_dump(mode="python")
    data["title"] = words.title
    data["instructions"] = words.instructions
    data["recall_period"] = words.recall_period
    for item in data["items"]:
        item["text"] = words.items[item["linkId"]]
        labels = words.answers.get(item["linkId"], words.option_labels) or {}
        for option in item["answerOption"]:
            option["label"] = labels[str(option["value"])]
    data["language"] = language
    data["translations"] = {}
    data["wording"] = {"source": words.source, "validated": words.validated}
    return instrument_from_data(data, source=f"{instrument.id} {instrument.version} ({language})")


def registered_in_language(instrument_id: str, version: str, language: str) -> Instrument:
    """The registry's instrument version worded in `language` (in_language), built once per
    registry, version and language: rewording re-validates a whole instrument, too slow for
    every page."""
    return _reworded(instrument_registry(), instrument_id, version, base_language(language))


@functools.lru_cache(maxsize=512)
def _reworded(
    registry: InstrumentRegistry, instrument_id: str, version: str, language: str
) -> Instrument:
    return in_language(registry.get(instrument_id, version), language)
