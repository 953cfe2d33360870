"""The languages a clinic can show its questionnaires in, for the clinic admin's questionnaires
page (measures/questionnaires.html): read once per page, whatever the number of instruments."""

from typing import Any

from django import template

from backto.capabilities.instruments.queries import WordingLanguage, wording_languages
from backto.clinical.instruments import Instrument

register = template.Library()


@register.simple_tag(takes_context=True)
def clinic_wording_languages(context: Any) -> dict[tuple[str, str], list[WordingLanguage]]:
    """`{% clinic_wording_languages as languages %}`: the signed-in admin's clinic's wording
    languages per instrument version (one query)."""
    return wording_languages(context["request"].user.clinic)


@register.filter
def wording_languages_of(
    languages: dict[tuple[str, str], list[WordingLanguage]], instrument: Instrument
) -> list[WordingLanguage]:
    """`languages|wording_languages_of:instrument`: that instrument version's languages."""
    return languages.get(instrument.key, [])
