"""The caseload flag "allodynia area growing" (exam/dashboard.py): raised for a running program
whose latest allodynia area grew by more than the rule's margin, filtered on the caseload, read
in one query for every child of the page."""

from datetime import timedelta
from typing import Any

from django.urls import reverse

from backto.access.patients import actions
from backto.capabilities.exam.dashboard import allodynia_signals
from backto.core.dashboard import CaseloadChild
from tests.conftest import TODAY
from tests.dashboards.test_caseload_flags import start
from tests.exam.exam_rows import RIGHT_FOOT, RIGHT_LOWER_LEG_AND_FOOT, sensory_exam

URL = reverse("clinician_home")
WEEK = timedelta(weeks=1)


def child(episode: Any, *, active: bool = True) -> CaseloadChild:
    return CaseloadChild(episode.patient_id, episode.pk, active, 35)


def test_a_spreading_territory_is_flagged_and_a_shrinking_one_is_not(
    as_user: Any, pat: Any, cora: Any, maya: Any, leo: Any, episode: Any
) -> None:
    start(episode, pat, 6)
    sensory_exam(episode, pat, TODAY - 4 * WEEK, RIGHT_FOOT)  # 3.5 %
    sensory_exam(episode, pat, TODAY - WEEK, RIGHT_LOWER_LEG_AND_FOOT)  # 9.5 %
    other = actions.episode_open(by=cora, patient=leo, referral_date=TODAY)
    actions.care_team_add(by=cora, episode=other, clinician=pat, discipline="pt", lead=True)
    start(other, pat, 6)
    sensory_exam(other, pat, TODAY - 4 * WEEK, RIGHT_LOWER_LEG_AND_FOOT)
    sensory_exam(other, pat, TODAY - WEEK, RIGHT_FOOT)
    signals = allodynia_signals([child(episode), child(other)], TODAY, pat)
    assert set(signals) == {maya.pk}
    assert signals[maya.pk].flags == ("allodynia_growing",)
    page = as_user(pat).get(URL, {"flag": "allodynia_growing"}).content.decode()
    assert maya.name in page and leo.name not in page
    assert "Allodynia area growing" in page


def test_a_program_not_running_and_an_exam_after_today_are_not_flagged(
    pat: Any, episode: Any
) -> None:
    sensory_exam(episode, pat, TODAY - 4 * WEEK, RIGHT_FOOT)
    sensory_exam(episode, pat, TODAY - WEEK, RIGHT_LOWER_LEG_AND_FOOT)
    assert allodynia_signals([child(episode, active=False)], TODAY, pat) == {}
    assert allodynia_signals([child(episode)], TODAY - 2 * WEEK, pat) == {}


def test_one_query_for_every_child_of_the_page(
    django_assert_num_queries: Any, pat: Any, cora: Any, clinic: Any, episode: Any
) -> None:
    children = [child(episode)]
    for i in range(8):
        patient = actions.patient_register(
            by=cora,
            clinic=clinic,
            legal_name=f"Child {i}",
            date_of_birth=TODAY - timedelta(days=4000),
        )
        ep = actions.episode_open(by=cora, patient=patient, referral_date=TODAY - 9 * WEEK)
        for weeks in (6, 3, 1):
            sensory_exam(ep, pat, TODAY - weeks * WEEK, RIGHT_FOOT[: 4 - weeks // 2])
        children.append(child(ep))
    with django_assert_num_queries(1):
        allodynia_signals(children, TODAY, pat)
