"""Values a page posts as switches or days, which were read as "no" or "today" whatever they
held (a tampered or mistyped `done` undid a step, `hidden` showed a page, `day=tomorow` wrote
today's diary): now a 400 naming the field and what is allowed, and nothing is written."""

import pytest
from django.urls import reverse

from backto.capabilities.diary.models import DiaryEntry, DiarySettings
from backto.capabilities.goals.actions import goal_create
from backto.capabilities.goals.models import GoalStep
from tests.goals.conftest import LEVELS


def refused(response, message: str) -> bool:
    return response.status_code == 400 and message in response.content.decode()


def test_a_step_marked_neither_done_nor_undone_stays_as_it_was(as_user, pat, episode):
    goal = goal_create(
        by=pat, episode=episode, title="Walk", discipline="pt", steps=["Mailbox"], **LEVELS
    )
    step = goal.steps.get()
    client = as_user(pat)
    client.post(reverse("goal_step_mark", args=[goal.pk, step.pk]), {"done": "1"})
    response = client.post(reverse("goal_step_mark", args=[goal.pk, step.pk]), {"done": "yes"})
    assert refused(response, "“done” must be 1 (on) or 0 (off).")
    assert GoalStep.objects.get(pk=step.pk).done_on is not None


@pytest.mark.parametrize(
    ("name", "field"),
    [("diary_pain_family", "family_sees_pain"), ("diary_pain_question", "pain_enabled")],
)
def test_a_pain_setting_that_is_neither_on_nor_off_changes_nothing(
    as_user, pat, maya, episode, name, field
):
    response = as_user(pat).post(reverse(name, args=[maya.pk]), {field: "true"})
    assert refused(response, f"“{field}” must be 1 (on) or 0 (off).")
    assert not DiarySettings.objects.filter(patient=maya).exists()


def test_hiding_a_learning_page_takes_1_or_0(as_user, ada):
    url = reverse("learning_page_visibility", args=["parents", "what-is-amps"])
    assert refused(as_user(ada).post(url, {"hidden": "on"}), "“hidden” must be 1 (on) or 0 (off).")


@pytest.mark.parametrize("name", ["diary_today", "exercises_today"])
def test_a_day_other_than_today_or_yesterday_is_named(as_user, gina, maya, active, name):
    args = [maya.pk] if name == "diary_today" else [active.pk]
    response = as_user(gina).get(reverse(name, args=args), {"day": "tomorrow"})
    assert refused(response, "“day” must be “today” or “yesterday”.")


def test_a_diary_posted_for_another_day_is_not_written_for_today(as_user, gina, maya, active):
    response = as_user(gina).post(
        reverse("diary_today", args=[maya.pk]), {"day": "2026-06-20", "activity": "3"}
    )
    assert refused(response, "“day” must be “today” or “yesterday”.")
    assert not DiaryEntry.objects.exists()
