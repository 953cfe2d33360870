"""The same allodynia territory across a Lund and Browder band (a child turning 10 between two
exams): every exam is compared at the latest exam's age, so the caseload does not flag it, the
overview card and the sensory page read "the same", and each page says which age it uses; each
exam keeps the area recorded at its own age."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.urls import reverse

from backto.capabilities.exam.dashboard import allodynia_signals
from backto.core.dashboard import CaseloadChild
from tests.conftest import TODAY
from tests.dashboards.test_caseload_flags import start
from tests.exam.exam_rows import BOTH_LEGS, RIGHT_FOOT, sensory_exam

WEEK = timedelta(weeks=1)


def across_the_band(episode: Any, pat: Any) -> None:
    first = sensory_exam(episode, pat, TODAY - 4 * WEEK, BOTH_LEGS, age=Decimal("9.95"))
    latest = sensory_exam(episode, pat, TODAY - WEEK, BOTH_LEGS, age=Decimal("10.02"))
    assert (first.allodynia_percent, latest.allodynia_percent) == (Decimal("32.9"), Decimal("34.8"))


def test_the_same_territory_after_a_birthday_is_not_flagged_growing(pat: Any, episode: Any) -> None:
    start(episode, pat, 6)
    across_the_band(episode, pat)
    running = CaseloadChild(episode.patient_id, episode.pk, True, 35)
    assert allodynia_signals([running], TODAY, pat) == {}
    # A real spread at the latest age still flags: the foot (3.5 at 10) to both legs.
    sensory_exam(episode, pat, TODAY - 5 * WEEK, RIGHT_FOOT, age=Decimal("9.9"))
    sensory_exam(episode, pat, TODAY, BOTH_LEGS, age=Decimal("10.05"))
    assert set(allodynia_signals([running], TODAY, pat)) == {episode.patient_id}


def test_the_overview_card_compares_both_exams_at_the_latest_age(
    as_user: Any, pat: Any, maya: Any, referred: Any
) -> None:
    across_the_band(referred, pat)
    page = as_user(pat).get(reverse("patient_overview", args=[maya.pk])).content.decode()
    card = page[page.index('id="sensory-exam-summary"') :]
    card = card[: card.index("</section>")]
    assert "34.8% of body surface" in card
    assert "0.0 points, the same" in card and "from 34.8%" in card
    assert "both compared at 10 years, the latest exam's age" in card


def test_the_sensory_page_keeps_each_recorded_area_and_compares_at_the_latest_age(
    as_user: Any, pat: Any, referred: Any
) -> None:
    across_the_band(referred, pat)
    page = as_user(pat).get(reverse("sensory_exam", args=[referred.pk])).content.decode()
    trend = page[page.index('aria-label="Table of the allodynia area by exam"') :]
    trend = trend[: trend.index("</table>")]
    assert "Compared at 10 years" in trend
    assert "32.9% of body surface (age 9.95)" in trend  # as recorded, at its own age
    assert "34.8% of body surface (age 10.02)" in trend
    assert trend.count("<td>34.8%</td>") == 2
    assert "Compared at 10 years, the latest exam" in page
    chart = page[page.index("<svg viewBox=") :]
    assert chart.count("34.8%") >= 2 and "32.9%" not in chart[: chart.index("</svg>")]
