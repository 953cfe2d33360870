"""The body map in the physician letter and the discharge summary (issue #19): the first and
latest pictures side by side (the allodynia territory, the family's map), the allodynia area
before and after with its rule, drawn in the PDF itself; the discharge summary stops at the
discharge; the query count does not grow with the exams or maps."""

from datetime import timedelta
from html import unescape
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backto.readers.progress.reports import REPORTS, render_report, report_context
from tests.conftest import TODAY
from tests.exam.exam_rows import RIGHT_FOOT, RIGHT_LOWER_LEG_AND_FOOT, pain_map, sensory_exam
from tests.progress.test_reports import pdf_pages

FIRST = TODAY - timedelta(weeks=7)
LATEST = TODAY - timedelta(weeks=1)


def examined(episode: Any, pat: Any, gina: Any, first: Any = FIRST, latest: Any = LATEST) -> Any:
    sensory_exam(episode, pat, first, RIGHT_LOWER_LEG_AND_FOOT)  # 9.5 %
    sensory_exam(episode, pat, first + (latest - first) / 2, None)  # allodynia not tested
    sensory_exam(episode, pat, latest, RIGHT_FOOT)  # 3.5 %
    pain_map(episode, gina, first, [*RIGHT_LOWER_LEG_AND_FOOT, "lower-back"])
    pain_map(episode, gina, latest, RIGHT_FOOT, timepoint="discharge", label="Discharge")
    return episode


def printed(pdf: bytes) -> str:
    return " ".join(" ".join(text.split()) for _, text in pdf_pages(pdf))


def paths_on_pages(pdf: bytes) -> list[int]:
    """The number of drawn shapes on each page: a body map picture is some 140 polygons."""
    document = pypdfium2.PdfDocument(pdf)
    return [
        sum(1 for o in page.get_objects(max_depth=8) if o.type == pdfium_c.FPDF_PAGEOBJ_PATH)
        for page in document
    ]


def test_the_physician_letter_draws_the_first_and_latest_maps_side_by_side(
    running: Any, pat: Any, gina: Any
) -> None:
    examined(running, pat, gina)
    report = REPORTS["physician"]
    html, pdf = render_report(report, report_context(report, running))
    text = unescape(html)
    section = text[text.index("<h2>Body map</h2>") :]
    assert "9.5% on" in section and "3.5% on" in section and "(−6 points, smaller)" in section
    assert section.count('class="body-map-picture"') == 4  # two territories, two family maps
    assert f"First exam, {FIRST.day} {FIRST:%b %Y}: 9.5% of body surface" in section
    assert "Baseline" in section and "3 painful regions, WPI 2 of 19" in section
    assert "Discharge" in section and "1 painful region, WPI 0 of 19" in section
    # The rules are named where the numbers come from.
    sources = text[text.index("Where the numbers come from") :]
    assert "Lund and Browder" in sources and "Age band used: 10 to 14 years" in sources
    assert "Wolfe et al." in sources and "Body map catalogue version 1" in sources
    words = printed(pdf)
    assert "Body map" in words and "Allodynia territory: first and latest exam" in words
    assert "Lund and Browder" in words
    assert sum(paths_on_pages(pdf)) > 4 * 70  # the four pictures are drawn, region by region


def test_the_discharge_summary_stops_the_body_map_at_the_discharge(
    discharged: Any, pat: Any, gina: Any
) -> None:
    ended = discharged.discharge.discharged_on
    examined(discharged, pat, gina, ended - timedelta(weeks=7), ended - timedelta(days=2))
    sensory_exam(discharged, pat, ended + timedelta(weeks=10), RIGHT_LOWER_LEG_AND_FOOT)
    report = REPORTS["discharge"]
    html, pdf = render_report(report, report_context(report, discharged))
    section = unescape(html)[html.index("<h2>Body map</h2>") :]
    assert "(−6 points, smaller)" in section  # the follow-up exam's 9.5 % is left out
    assert "Body map" in printed(pdf)


def test_a_report_without_an_exam_or_a_map_has_no_body_map(running: Any) -> None:
    report = REPORTS["physician"]
    html, _ = render_report(report, report_context(report, running))
    assert "Body map" not in html and "Lund and Browder" not in html


def test_the_report_reads_the_body_map_in_a_fixed_number_of_queries(
    running: Any, pat: Any, gina: Any
) -> None:
    report = REPORTS["physician"]
    examined(running, pat, gina)
    with CaptureQueriesContext(connection) as few:
        report_context(report, running)
    for weeks in range(2, 7):
        day = FIRST + timedelta(weeks=weeks) - timedelta(days=1)
        sensory_exam(running, pat, day, RIGHT_FOOT)
        pain_map(running, gina, day, RIGHT_FOOT, timepoint="weekly", label=f"Week {weeks}")
    with CaptureQueriesContext(connection) as many:
        context = report_context(report, running)
    assert len(context["body_map"].allodynia.points) == 7
    assert len(many) == len(few)


def test_one_exam_and_no_map_prints_one_picture(running: Any, pat: Any) -> None:
    sensory_exam(running, pat, LATEST, RIGHT_FOOT)
    report = REPORTS["physician"]
    html, _ = render_report(report, report_context(report, running))
    section = unescape(html)[html.index("<h2>Body map</h2>") :]
    assert section.count('class="body-map-picture"') == 1
    assert f"Latest exam, {LATEST.day} {LATEST:%b %Y}: 3.5% of body surface" in section
    assert "Where it hurt" not in section and "Wolfe et al." not in unescape(html)


def test_the_letters_period_starts_at_the_referral_when_it_shows_results_from_before_the_program(
    pat: Any, gina: Any, maya: Any, cora: Any
) -> None:
    from backto.access.patients import actions
    from tests.conftest import start_program

    referred = TODAY - timedelta(weeks=2)
    episode = actions.episode_open(by=cora, patient=maya, referral_date=referred)
    actions.care_team_add(by=cora, episode=episode, clinician=pat, discipline="pt", lead=True)
    sensory_exam(episode, pat, referred + timedelta(days=1), RIGHT_FOOT)  # at intake
    start_program(episode, pat)  # the program starts today
    report = REPORTS["physician"]
    context = report_context(report, episode, today=TODAY)
    assert context["period"] == (referred, TODAY)
    html, _ = render_report(report, context)
    text = unescape(html)
    assert (
        f"period {referred:%-d %B %Y} (referral) to {TODAY:%-d %B %Y} · program from "
        f"{TODAY:%-d %B %Y}"
    ) in text
    assert f"on {referred + timedelta(days=1):%-d %b %Y}" in text  # the exam it reports
