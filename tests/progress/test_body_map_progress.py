"""The body map on the progress page (issue #19): after the function tests, the care team reads
the allodynia area (first against latest, percent of body surface with its rule named) and the
painful regions at the questionnaire points; the family reads only that the area sensitive to
touch got smaller, when it did; the page's query count does not grow with exams or maps."""

from datetime import timedelta
from decimal import Decimal
from html import unescape
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.capabilities.exam.queries import allodynia_series
from backto.clinical.desensitization import Tolerated
from backto.readers.progress.body_map import age_band, allodynia_area, touch_words
from tests.conftest import TODAY
from tests.exam.exam_rows import (
    BOTH_LEGS,
    RIGHT_FOOT,
    RIGHT_LOWER_LEG_AND_FOOT,
    pain_map,
    sensory_exam,
)
from tests.homeprogram.conftest import texture_item  # noqa: F401  (fixture)
from tests.homeprogram.test_desensitization_pages import _practise

FIRST = TODAY - timedelta(weeks=7)
LATEST = TODAY - timedelta(weeks=1)


def url(episode: Any) -> str:
    return reverse("progress", args=[episode.pk])


def section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("</section>", start)]


def day_words(day: Any) -> str:
    return f"{day.day} {day:%B}" + (f" {day.year}" if day.year != LATEST.year else "")


def examined(episode: Any, pat: Any, gina: Any, *, shrinking: bool = True) -> Any:
    """Allodynia over the right lower leg and foot (9.5 %) then the foot alone (3.5 %), or the
    other way round; the child's maps at baseline and week 6, a parent's at week 3, and a
    clinician's at baseline."""
    first, latest = (
        (RIGHT_LOWER_LEG_AND_FOOT, RIGHT_FOOT)
        if shrinking
        else (RIGHT_FOOT, RIGHT_LOWER_LEG_AND_FOOT)
    )
    sensory_exam(episode, pat, FIRST, first)
    sensory_exam(episode, pat, LATEST, latest)
    pain_map(episode, gina, FIRST, [*RIGHT_LOWER_LEG_AND_FOOT, "lower-back", "neck-back"])
    pain_map(
        episode,
        gina,
        FIRST + timedelta(weeks=3),
        RIGHT_FOOT,
        respondent="parent",
        timepoint="weekly",
        label="Week 3",
    )
    pain_map(
        episode, gina, LATEST, RIGHT_FOOT, respondent="child", timepoint="weekly", label="Week 6"
    )
    pain_map(episode, pat, FIRST, RIGHT_LOWER_LEG_AND_FOOT, respondent="clinician")
    return episode


def test_the_care_team_reads_the_allodynia_area_after_the_function_tests(
    as_user: Any, pat: Any, gina: Any, running: Any
) -> None:
    examined(running, pat, gina)
    page = unescape(as_user(pat).get(url(running)).content.decode())
    area = section(page, "allodynia-area")
    assert "First 9.5%" in area and "latest 3.5%" in area and "−6 points, smaller" in area
    # Its rule is named: Lund and Browder, at the age's band.
    assert "Lund and Browder" in area and "Age band used: 10 to 14 years" in area
    chart = section(page, "chart-allodynia-h")
    assert "<svg" in chart and "<desc" in chart and "Show the numbers" in chart
    assert f'<th scope="row">{FIRST:%Y-%m-%d}</th><td>9.5</td><td>10 to 14 years</td>' in chart
    # Before the diary's charts: the exam follows function, the diary comes after.
    assert page.index('id="allodynia-area"') < page.index('id="chart-function-h"')


def test_the_painful_regions_show_the_familys_line_and_a_clinicians_with_the_wpi(
    as_user: Any, pat: Any, gina: Any, running: Any
) -> None:
    examined(running, pat, gina)
    page = unescape(as_user(pat).get(url(running)).content.decode())
    chart = section(page, "chart-painful-regions-h")
    assert "<svg" in chart and "Family's map" in chart and "Clinician's map" in chart
    # Baseline, the child's: right lower leg, right foot, lower back, neck: 4 regions, WPI 3.
    assert (
        f'<th scope="row">{FIRST:%Y-%m-%d}</th><td>Baseline</td><td>Family (child)</td>'
        "<td>4</td><td>3 of 19</td>"
    ) in chart
    assert "<td>Week 3</td><td>Family (parent)</td><td>1</td><td>0 of 19</td>" in chart
    assert "<td>Baseline</td><td>Clinician</td><td>2</td><td>1 of 19</td>" in chart
    assert "Wolfe et al." in chart


def test_the_family_reads_that_the_area_sensitive_to_touch_got_smaller(
    as_user: Any, client: Any, pat: Any, gina: Any, maya_teen: Any, running: Any
) -> None:
    examined(running, pat, gina)
    page = unescape(as_user(gina).get(url(running)).content.decode())
    card = section(page, "can-do")
    smaller = f"skin that is sensitive to touch got smaller since {day_words(FIRST)}."
    assert f"The area of Maya's {smaller}" in card
    for staff_only in (
        "llodynia",
        "3.5%",
        "9.5%",
        "body surface",
        "Painful regions",
        "WPI",
        "Lund",
    ):
        assert staff_only not in page
    client.logout()
    page = unescape(as_user(maya_teen).get(url(running)).content.decode())
    assert f"The area of your {smaller}" in section(page, "can-do")
    assert "pain" not in section(page, "can-do").lower()


def test_the_family_reads_nothing_about_touch_when_the_area_grew(
    as_user: Any, pat: Any, gina: Any, running: Any
) -> None:
    examined(running, pat, gina, shrinking=False)
    page = as_user(gina).get(url(running)).content.decode()
    assert "sensitive to touch" not in page and 'id="can-do"' not in page
    staff = unescape(as_user(pat).get(url(running)).content.decode())
    assert "+6 points, larger" in section(staff, "allodynia-area")


def test_staff_without_exam_view_see_no_body_map(
    as_user: Any, ada: Any, pat: Any, gina: Any, running: Any
) -> None:
    examined(running, pat, gina)
    page = as_user(ada).get(url(running)).content.decode()
    assert 'id="allodynia-area"' not in page and "chart-painful-regions" not in page
    assert "sensitive to touch" not in page


def test_the_page_reads_the_body_map_in_a_fixed_number_of_queries(
    as_user: Any, pat: Any, gina: Any, running: Any
) -> None:
    client = as_user(pat)
    sensory_exam(running, pat, FIRST, RIGHT_FOOT)
    pain_map(running, gina, FIRST, RIGHT_FOOT)
    client.get(url(running))
    with CaptureQueriesContext(connection) as few:
        client.get(url(running))
    for weeks in range(1, 6):
        day = FIRST + timedelta(weeks=weeks)
        sensory_exam(running, pat, day, RIGHT_LOWER_LEG_AND_FOOT if weeks % 2 else RIGHT_FOOT)
        pain_map(running, gina, day, RIGHT_FOOT, timepoint="weekly", label=f"Week {weeks}")
        pain_map(running, pat, day, RIGHT_FOOT, respondent="clinician", label=f"Week {weeks}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url(running)).content.decode()
    assert "Week 5" in page
    assert len(many) == len(few)


def test_touch_words_only_when_smaller_and_a_band_per_age(pat: Any, running: Any) -> None:
    sensory_exam(running, pat, FIRST, RIGHT_FOOT)
    sensory_exam(running, pat, LATEST, RIGHT_FOOT)
    assert touch_words(allodynia_series(running.pk)) == ""  # the same: nothing to say
    assert touch_words([]) == ""
    assert [age_band(Decimal(a)) for a in ("0.5", "4.99", "5", "12.5", "15", "17.99", "18")] == [
        "under 1 year",
        "1 to 4 years",
        "5 to 9 years",
        "10 to 14 years",
        "15 to 17 years",
        "15 to 17 years",
        "18 years and over",
    ]


def test_the_touch_practice_shows_beside_the_allodynia_area(
    as_user: Any,
    pat: Any,
    gina: Any,
    running: Any,
    texture_item: Any,  # noqa: F811 (the fixture imported above)
) -> None:
    examined(running, pat, gina)
    _practise(gina, texture_item, 8, [Tolerated("soft_towel", 3)])
    _practise(gina, texture_item, 1, [Tolerated("rough_towel", 5), Tolerated("vibration", 2)])
    page = unescape(as_user(pat).get(url(running)).content.decode())
    chart = section(page, "chart-touch-practice-h")
    assert "<svg" in chart and "Soft towel (step 4)" in chart and "Rough towel (step 5)" in chart
    assert "<td>5</td><td>vibration</td>" in chart
    # Beside the area: right after its chart, before the painful regions.
    assert (
        page.index('id="chart-allodynia-h"')
        < page.index('id="chart-touch-practice-h"')
        < page.index('id="chart-painful-regions-h"')
    )
    family = as_user(gina).get(url(running)).content.decode()
    assert "chart-touch-practice" not in family


def test_one_exam_shows_its_area_and_waits_for_a_second_to_draw_a_trend(
    as_user: Any, pat: Any, running: Any
) -> None:
    sensory_exam(running, pat, LATEST, RIGHT_FOOT)
    page = unescape(as_user(pat).get(url(running)).content.decode())
    area = section(page, "allodynia-area")
    assert "3.5%" in area and "the trend starts at the second exam" in area
    assert "<svg" not in section(page, "chart-allodynia-h")
    assert "chart-painful-regions" not in page  # no map yet


def test_the_same_territory_after_a_birthday_reads_no_change_at_the_latest_age(
    django_assert_num_queries: Any, running: Any, pat: Any
) -> None:
    sensory_exam(running, pat, FIRST, BOTH_LEGS, age=Decimal("9.9"))  # 32.9 % at 9
    sensory_exam(running, pat, LATEST, BOTH_LEGS, age=Decimal("10.1"))  # 34.8 % at 10
    with django_assert_num_queries(1):
        points = allodynia_series(running.pk)
    area = allodynia_area(points)
    assert area is not None
    assert (area.first_value, area.latest_value, area.change_words) == (
        "34.8%",
        "34.8%",
        "no change",
    )
    assert area.comparison == (
        "Compared at 10 years, the latest exam's age; the first exam recorded 32.9% at 9 years "
        "(5 to 9 years band)."
    )
    assert [row[1:] for row in area.chart.rows] == [
        ("32.9", "5 to 9 years", "34.8"),
        ("34.8", "10 to 14 years", "34.8"),
    ]
    assert "at 10 years, the latest exam's age" in area.rule
    assert touch_words(points) == ""  # it did not get smaller
