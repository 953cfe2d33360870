"""The questionnaire results table's rows (measures/templatetags/measure_results.py): every
branch of "is the change real?", the links and days, escaping, and locale formatting on or off
as the page around it asks."""

from datetime import timedelta
from decimal import Decimal

from django.template import engines
from django.test import override_settings
from django.utils.safestring import mark_safe

from backto.capabilities.measures.models import Administration
from backto.capabilities.measures.queries import MeasureSeries, Point
from backto.clinical.instrument_registry import instrument_registry
from tests.conftest import TODAY

TABLE = '{% include "measures/_results_table.html" %}'
TABLE_NOT_LOCALIZED = "{% load l10n %}{% localize off %}" + TABLE + "{% endlocalize %}"


def series(
    instrument_id: str, *points: tuple[str, str, str | None], title: str = ""
) -> MeasureSeries:
    """A measure with (timepoint, total, band) points a week apart, ids from 101."""
    instrument = instrument_registry().find(instrument_id, None)
    found = MeasureSeries(
        instrument_id,
        "child",
        title or (instrument.title if instrument else instrument_id),
        instrument,
    )
    for n, (timepoint, total, band) in enumerate(points):
        administration = Administration(
            pk=101 + n,
            instrument_id=instrument_id,
            timepoint=timepoint,
            state="completed",
            due_on=TODAY + timedelta(weeks=n),
        )
        found.points.append(Point(administration, Decimal(total), band))
    return found


def rows(*measures: MeasureSeries, template: str = TABLE, with_charts: bool = False) -> str:
    charts = [mark_safe(f"<svg>{s.instrument_id}</svg>") for s in measures]  # noqa: S308
    return (
        engines["django"]
        .from_string(template)
        .render({"series": list(zip(measures, charts, strict=True)), "with_charts": with_charts})
    )


def test_a_reliable_improvement_shows_its_rule_and_links_each_score_to_its_answers():
    page = rows(series("fdi-child", ("baseline", "30", "severe"), ("week_2", "12", "none/minimal")))
    assert '<a href="/questionnaires/101/">30</a><br><span class="small">severe</span>' in page
    assert f'<br><span class="small muted">{TODAY:%Y-%m-%d}</span>' in page
    assert '<a href="/questionnaires/102/">12</a>' in page
    assert "<td>-18</td>" in page
    assert '<strong class="change-better">reliably improved</strong>' in page
    assert "from SD 11.0 and r 0.9" in page
    assert "<br>Responder: yes" in page and "<br>Recovered: yes" in page
    assert "lower is better" in page and "Trend" not in page


def test_one_score_says_not_yet_and_needs_a_second():
    page = rows(series("fdi-child", ("baseline", "30", None)))
    assert '<span class="muted">not yet</span>' in page
    assert "<td>—</td>" in page and "needs a second score" in page


def test_a_baseline_that_could_not_be_scored_is_replaced_by_the_first_score_and_says_so():
    page = rows(series("fdi-child", ("week_2", "20", None), ("week_6", "24", None)))
    assert "(first score: the baseline could not be scored)" in page
    assert "<td>+4</td>" in page


def test_the_pain_scale_uses_its_minimal_meaningful_change():
    page = rows(series("nrs-pain", ("baseline", "6", None), ("week_2", "5", None)))
    assert '<strong class="change-better">meaningful change: improved</strong>' in page
    assert "17%" in page


def test_a_measure_without_a_rule_says_so_and_its_words_are_escaped():
    page = rows(
        series("retired-scale", ("baseline", "3", None), ("week_2", "4", None), title="<b>Old</b>")
    )
    assert "&lt;b&gt;Old&lt;/b&gt;" in page and "<b>Old" not in page
    assert "no reliable-change rule for this measure" in page


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_numbers_follow_the_locale_unless_the_page_turns_it_off():
    steps = series("step-count", ("baseline", "1234.5", None), ("week_2", "2000", None))
    assert ">1,234.5</a>" in rows(steps) and "<td>+765.5</td>" in rows(steps)
    assert ">1234.5</a>" in rows(steps, template=TABLE_NOT_LOCALIZED)


def test_with_charts_each_row_has_its_trend():
    page = rows(series("fdi-child", ("baseline", "30", None)), with_charts=True)
    assert '<th scope="col">Trend</th>' in page and "<td><svg>fdi-child</svg></td>" in page
