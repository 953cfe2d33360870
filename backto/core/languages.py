"""The reader's language and a language's name, for pages and messages (settings.LANGUAGES)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import get_language, get_language_info, pgettext_lazy

from backto.clinical.languages import base_language

# As a word inside a sentence ("Answered in Spanish", "respondido en español": Spanish writes the
# names of languages in lower case), for each language BackTo speaks.
NAMES = {
    "en": pgettext_lazy("a language's name, inside a sentence", "English"),
    "es": pgettext_lazy("a language's name, inside a sentence", "Spanish"),
}


def reader_language() -> str:
    """The active language without its region ("es" for "es-MX"): the reader's, in a request."""
    return base_language(get_language())


def language_name(code: str) -> str:
    """The language's name in the reader's language, as a word in a sentence ("Spanish";
    "español" to a Spanish reader); Django's name for another, or the code itself."""
    base = base_language(code)
    if base in NAMES:
        return str(NAMES[base])
    try:
        return str(get_language_info(base)["name_translated"])
    except KeyError:
        return code


def grouped(count: int) -> str:
    """A count with its thousands grouped as the reader writes them: 4,000; 4.000 in Spanish."""
    return str(number_format(count, force_grouping=True))
