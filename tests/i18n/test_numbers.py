"""Numbers are written the reader's way. For Spanish that is as Spanish-speaking families in the
United States write them (backto/core/formats/es): a decimal point, a thousands comma."""

from datetime import date
from decimal import Decimal

from django.utils import formats, translation

from backto.core.languages import grouped, language_name
from backto.readers.progress.functional import number


def test_numbers_follow_the_reader_s_language():
    with translation.override("es"):
        assert [number(Decimal(v)) for v in ("480.30", "520.0", "7")] == ["480.3", "520", "7"]
        assert grouped(4000) == "4,000"
        assert formats.date_format(date(2026, 12, 6)) == "6 de diciembre de 2026"
        assert language_name("es-MX") == "español" and language_name("en") == "inglés"
    with translation.override("en"):
        assert [number(Decimal(v)) for v in ("480.30", "520.0", "7")] == ["480.3", "520", "7"]
        assert grouped(4000) == "4,000"
        assert language_name("es") == "Spanish"
