"""The functional tests on the progress page and in the reports (issue #19): they lead the care
team's page (first, latest, change, a chart each) in a fixed number of queries; the family reads
what the child can do in plain words, never a score or pain; the physician letter and the
discharge summary print first and latest with the rule each number came from."""

from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.access.patients.models import Episode
from backto.capabilities.exam.actions import functional_test_record
from backto.capabilities.exam.queries import progress_series
from backto.readers.progress.functional import number, what_you_can_do
from backto.readers.progress.reports import REPORTS, render_report, report_context
from tests.conftest import TODAY
from tests.progress.test_reports import pdf_pages

FIRST = TODAY - timedelta(weeks=7)
LATEST = TODAY - timedelta(weeks=1)


def url(episode):
    return reverse("progress", args=[episode.pk])


def words(day: date) -> str:
    """A day as the family reads it: "2 March", with its year when the latest test's differs."""
    return f"{day.day} {day:%B}" + (f" {day.year}" if day.year != LATEST.year else "")


@pytest.fixture
def record(pat):
    """record(episode, test_id, day, **inputs): Pat records a test (the episode's referral moved
    back so that the day falls inside it)."""

    def save(episode, test_id, day, **inputs):
        Episode.objects.filter(pk=episode.pk, referral_date__gt=day).update(referral_date=day)
        episode.refresh_from_db()
        return functional_test_record(
            by=pat, episode=episode, test_id=test_id, day=day, inputs=inputs
        )

    return save


@pytest.fixture
def tested(running, record):
    """Maya's walk 380 → 520 m, sit-to-stand 9 → 14, TUG at a comfortable pace 9.2 → 7 s, and one
    fast TUG (a series of its own) and a grip (not on the progress page)."""
    record(running, "6mwt", FIRST, distance_m=Decimal(380), course_length_m=30)
    record(running, "6mwt", LATEST, distance_m=Decimal(520), course_length_m=30)
    record(running, "30s-sts", FIRST, repetitions=9)
    record(running, "30s-sts", LATEST, repetitions=14)
    record(running, "tug", FIRST, seconds=Decimal("9.2"), pace="comfortable")
    record(running, "tug", LATEST, seconds=Decimal(7), pace="comfortable")
    record(running, "tug", LATEST, seconds=Decimal("6.1"), pace="fast")
    record(running, "grip", LATEST, left_kg=[Decimal(20)], right_kg=[Decimal(22)])
    return running


# --- The care team's page ---------------------------------------------------------------------


def test_function_tests_lead_the_care_teams_page_with_first_latest_and_change(as_user, pat, tested):
    page = unescape(as_user(pat).get(url(tested)).content.decode())
    tests = page.index('id="function-tests"')
    # They lead: before the diary's charts and the questionnaires.
    assert tests < page.index('id="chart-function-h"') < page.index('id="measures"')
    section = page[tests : page.index('id="chart-function-h"')]
    assert "380 m" in section and "520 m" in section and "+140 m, better" in section
    assert "9 stands" in section and "14 stands" in section and "+5 stands, better" in section
    # A shorter timed up and go is better; each pace is its own series.
    assert "Timed up and go, comfortable pace" in section and "−2.2 s, better" in section
    assert "Timed up and go, fast pace" in section and "6.1 s" in section
    assert "Grip strength" not in section  # the progress page leads with walk, stand, TUG
    assert reverse("functional_tests", args=[tested.pk]) in section
    assert "What Maya can do" not in page  # the family's words are for the family


def test_each_function_test_has_its_chart_with_a_text_alternative_and_its_numbers(
    as_user, pat, tested
):
    page = as_user(pat).get(url(tested)).content.decode()
    for key, title in (
        ("ft-6mwt-30-m-course", "6-minute walk test, 30 m course over time"),
        ("ft-30s-sts", "30-second sit-to-stand over time"),
        ("ft-tug-comfortable-pace", "Timed up and go, comfortable pace over time"),
    ):
        start = page.index(f'id="chart-{key}-h"')
        card = page[start : page.index("</section>", start)]
        assert "<svg" in card and f">{title}</title>" in card and "<desc" in card
        assert "Show the numbers" in card
    walk = page[page.index('id="chart-ft-6mwt-30-m-course-h"') :]
    assert f'<th scope="row">{FIRST:%Y-%m-%d}</th><td>380</td><td>30 m course</td>' in walk
    # One fast TUG: its numbers, and no line to draw yet.
    fast = page[page.index('id="chart-ft-tug-fast-pace-h"') :]
    fast = fast[: fast.index("</section>")]
    assert "<svg" not in fast and "<td>6.1</td>" in fast


def test_the_page_reads_the_tests_in_a_fixed_number_of_queries(as_user, pat, running, record):
    client = as_user(pat)
    record(running, "6mwt", FIRST, distance_m=Decimal(380))
    record(running, "tug", FIRST, seconds=Decimal(9), pace="fast")
    client.get(url(running))
    with CaptureQueriesContext(connection) as few:
        client.get(url(running))
    for weeks in range(1, 7):
        day = FIRST + timedelta(weeks=weeks)
        record(running, "6mwt", day, distance_m=Decimal(380 + 20 * weeks))
        record(running, "30s-sts", day, repetitions=9 + weeks)
        record(running, "tug", day, seconds=Decimal(9), pace="comfortable" if weeks % 2 else "fast")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url(running)).content.decode()
    assert "500 m" in page and "comfortable pace" in page
    assert len(many) == len(few)


def test_the_query_reads_every_progress_test_in_one_query(
    django_assert_num_queries, running, record
):
    for weeks in range(6):
        record(running, "6mwt", FIRST + timedelta(weeks=weeks), distance_m=Decimal(400))
        record(running, "tug", FIRST + timedelta(weeks=weeks), seconds=Decimal(8), pace="fast")
    record(running, "single-leg-stance", LATEST, left_s=Decimal(10), right_s=Decimal(12))
    with django_assert_num_queries(1):
        series = progress_series(running.pk, until=LATEST - timedelta(days=1))
    assert [(s.test_id, len(s.rows)) for s in series] == [("6mwt", 6), ("tug", 6)]


# --- The family's view ------------------------------------------------------------------------


def test_the_family_reads_what_the_child_can_do_in_plain_words(
    as_user, client, gina, maya_teen, tested
):
    walked = f"walked 520 metres in 6 minutes (380 metres on {words(FIRST)})"
    stood = f"stood up from a chair 14 times in 30 seconds (9 times on {words(FIRST)})"
    page = unescape(as_user(gina).get(url(tested)).content.decode())
    assert "What Maya can do" in page and f"Maya {walked}" in page and f"Maya {stood}" in page
    client.logout()
    page = unescape(as_user(maya_teen).get(url(tested)).content.decode())
    assert "What you can do" in page and f"You {walked}" in page and f"You {stood}" in page
    for shown in (page, unescape(as_user(gina).get(url(tested)).content.decode())):
        card = shown[shown.index('id="can-do"') : shown.index("</section>", shown.index("can-do"))]
        assert "pain" not in card.lower()
        # No raw results, changes, references or engine; no timed up and go or grip.
        for staff_only in ("Function tests", "better", "predicted", "engine", "Timed up", "Grip"):
            assert staff_only not in shown
        assert reverse("functional_tests", args=[tested.pk]) not in shown


def test_staff_without_exam_view_see_neither_the_results_nor_the_familys_words(
    as_user, ada, tested
):
    response = as_user(ada).get(url(tested))  # the clinic admin opens the record, not the exam
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="function-tests"' not in page and 'id="can-do"' not in page
    assert "520 m" not in page and "520 metres" not in page  # (not a stray id like /520/)


def test_the_family_sees_nothing_without_results_and_no_comparison_with_one(
    as_user, gina, running, record
):
    page = as_user(gina).get(url(running)).content.decode()
    assert 'id="can-do"' not in page
    record(running, "tug", LATEST, seconds=Decimal(7), pace="fast")  # not for the family
    page = as_user(gina).get(url(running)).content.decode()
    assert 'id="can-do"' not in page
    record(running, "30s-sts", LATEST, repetitions=1)
    page = unescape(as_user(gina).get(url(running)).content.decode())
    assert "Maya stood up from a chair 1 time in 30 seconds." in page


def test_plain_words_name_the_year_of_a_first_result_in_another_year(running, record):
    first = date(TODAY.year - 1, 11, 3)
    record(running, "6mwt", first, distance_m=Decimal("400.4"))
    record(running, "6mwt", LATEST, distance_m=Decimal(450))
    (line,) = what_you_can_do(progress_series(running.pk))
    assert line == f"you walked 450 metres in 6 minutes (400.4 metres on 3 November {first.year})"


def test_numbers_read_as_people_write_them():
    assert [number(Decimal(v)) for v in ("520.0", "480.30", "7", "0.5", "1E+2")] == [
        "520",
        "480.3",
        "7",
        "0.5",
        "100",
    ]


# --- The reports ------------------------------------------------------------------------------


def test_the_physician_letter_prints_the_function_tests_with_their_rule(tested):
    report = REPORTS["physician"]
    html, pdf = render_report(report, report_context(report, tested))
    text = unescape(html)
    assert "<h2>Function tests</h2>" in html
    walk = tested.functional_tests.filter(test_id="6mwt").last()
    tug = tested.functional_tests.filter(test_id="tug", inputs__pace="comfortable").last()
    assert f"6mwt (30 m course) (engine {walk.engine_version}): {walk.result['rule']}." in text
    assert f"tug (comfortable pace) (engine {tug.engine_version}): {tug.result['rule']}" in text
    printed = " ".join(" ".join(page_text.split()) for _, page_text in pdf_pages(pdf))
    assert "Function tests" in printed and "+140 m, better" in printed
    assert f"380 m ({FIRST:%-d %b %Y})" in printed and f"520 m ({LATEST:%-d %b %Y})" in printed
    assert "−2.2 s, better" in printed and "grip" not in text.lower()
    # The source, in the PDF itself.
    assert f"6mwt (30 m course) (engine {walk.engine_version})" in printed


def test_the_discharge_summary_stops_the_tests_at_the_discharge(discharged, record):
    ended = discharged.discharge.discharged_on
    record(discharged, "6mwt", ended - timedelta(weeks=7), distance_m=Decimal(350))
    record(discharged, "6mwt", ended - timedelta(days=2), distance_m=Decimal(500))
    record(discharged, "6mwt", ended + timedelta(weeks=20), distance_m=Decimal(610))  # follow-up
    report = REPORTS["discharge"]
    context = report_context(report, discharged)
    _, pdf = render_report(report, context)
    printed = " ".join(" ".join(page_text.split()) for _, page_text in pdf_pages(pdf))
    assert "Function tests" in printed and "350 m" in printed and "500 m" in printed
    assert "+150 m, better" in printed and "610" not in printed
    assert "6mwt (engine 1.0.0)" in printed


def test_reports_without_tests_print_no_function_section(running):
    report = REPORTS["physician"]
    html, _ = render_report(report, report_context(report, running))
    assert "Function tests" not in html
