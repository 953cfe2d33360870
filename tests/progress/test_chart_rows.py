"""A chart's data table rows (Chart.rows_html) are what the template loop they replace wrote,
inside the progress page's {% localize off %}, in English and in Spanish."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from backto.readers.progress.charts import Chart

LOOP = Template(
    "{% load l10n %}{% localize off %}{% for row in rows %}<tr>{% for cell in row %}"
    '{% if forloop.first %}<th scope="row">{{ cell }}</th>{% else %}<td>{{ cell }}</td>{% endif %}'
    "{% endfor %}</tr>{% endfor %}{% endlocalize %}"
)

ROWS = [
    ("2026-03-01", 3, 2.5, Decimal("1.50"), None),
    ("<b>week & 2</b>", -4, 1234567, Decimal("-0.25"), date(2026, 2, 28)),
    ("", 0, 0.1 + 0.2, True, 'it\'s "quoted"'),
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_rows_are_what_the_template_loop_wrote(language: str) -> None:
    chart = Chart(key="k", title="T", svg="", columns=["a", "b", "c", "d", "e"], rows=ROWS)
    with translation.override(language):
        assert chart.rows_html == LOOP.render(Context({"rows": ROWS}))
    assert "&lt;b&gt;week &amp; 2&lt;/b&gt;" in chart.rows_html
