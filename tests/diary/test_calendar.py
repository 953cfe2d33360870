"""The diary calendar: answers in words for everyone in the circle, pain only for those who may
see it, a fixed number of queries, and streaks of doing the program."""

import uuid
from datetime import date, timedelta

from django.urls import reverse

from backto.capabilities.diary.models import DiaryEntry, DiarySettings
from backto.capabilities.diary.queries import diary_streak
from tests.conftest import TODAY
from tests.diary.conftest import CHILD, post


def test_the_calendar_keeps_its_query_count_however_long_the_history(
    as_user, pat, maya_teen, maya, episode
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(pat)
    url = reverse("diary_calendar", args=[maya.pk])
    with CaptureQueriesContext(connection) as short:
        client.get(url, {"weeks": 1})
    answers = {
        "activity": 2,
        "school": 9,
        "sleep_hours": 8,
        "sleep_quality": 2,
        "mood": 2,
        "home_program": 1,
    }
    for n in range(30):
        DiaryEntry.objects.create(
            patient=maya,
            day=TODAY - timedelta(days=n),
            respondent="child",
            author=maya_teen,
            answers=answers,
            instrument_id="daily-diary",
            instrument_version="1.0.0",
            idempotency_key=uuid.uuid4(),
        )
    with CaptureQueriesContext(connection) as long:
        response = client.get(url, {"weeks": 8})
    assert response.content.count(b"Hours of sleep") == 30
    assert len(long) == len(short)


def test_streaks_count_days_of_doing_the_program():
    today = date(2026, 11, 24)
    days = {today - timedelta(days=n) for n in (1, 2, 3, 5)}
    streak = diary_streak(days, today=today)
    assert (streak.days_in_a_row, streak.total_days, streak.milestone) == (3, 4, 3)
    assert diary_streak(days | {today}, today=today).days_in_a_row == 4
    assert diary_streak(set(), today=today).days_in_a_row == 0


def test_the_calendar_shows_a_guardian_the_childs_pain_only_when_the_team_allows(
    as_user, client, maya_teen, gina, pat, maya, episode
):
    post(as_user(maya_teen), maya, dict(CHILD, pain="7"))
    client.logout()
    calendar = reverse("diary_calendar", args=[maya.pk])
    assert "Pain" not in as_user(gina).get(calendar).content.decode().split("<main")[1]
    client.logout()
    assert "Pain" in as_user(pat).get(calendar).content.decode().split("<main")[1]
    DiarySettings.objects.update_or_create(patient=maya, defaults={"family_sees_pain": True})
    client.logout()
    assert "Pain" in as_user(gina).get(calendar).content.decode().split("<main")[1]


def test_a_teen_sees_no_pain_in_the_calendar_not_even_the_parents_rating(
    as_user, client, maya_teen, gina, maya, episode
):
    assert post(as_user(gina), maya, dict(CHILD, pain="6"), **{"as": "parent"}).status_code == 302
    client.logout()
    calendar = reverse("diary_calendar", args=[maya.pk])
    DiarySettings.objects.update_or_create(patient=maya, defaults={"family_sees_pain": True})
    assert "Pain" in as_user(gina).get(calendar).content.decode().split("<main")[1]
    client.logout()
    assert "Pain" not in as_user(maya_teen).get(calendar).content.decode().split("<main")[1]
