"""The diary calendar: answers in words for everyone in the circle, pain only for those who may
see it, a fixed number of queries, and streaks of doing the program."""

import uuid
from datetime import date, timedelta

from django.urls import reverse

from backto.capabilities.diary.models import DiaryEntry, DiarySettings
from backto.capabilities.diary.queries import diary_streak
from tests.conftest import TODAY
from tests.diary.conftest import CHILD, post


def entry(patient, author, day, respondent="child", **answers):
    return DiaryEntry.objects.create(
        patient=patient,
        day=day,
        respondent=respondent,
        author=author,
        answers=answers or {"activity": 2, "sleep_hours": 8, "mood": 3},
        instrument_id="daily-diary" if respondent == "child" else "parent-diary",
        instrument_version="1.0.0",
        idempotency_key=uuid.uuid4(),
    )


def test_the_calendar_keeps_its_query_count_however_many_entries(
    as_user, pat, maya_teen, gina, maya, episode
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(pat)
    url = reverse("diary_calendar", args=[maya.pk])
    month = {"month": f"{TODAY:%Y-%m}"}
    entry(maya, maya_teen, TODAY)
    with CaptureQueriesContext(connection) as one:
        client.get(url, month)
    for n in range(1, TODAY.day):
        entry(maya, maya_teen, TODAY.replace(day=n))
        entry(maya, gina, TODAY.replace(day=n), respondent="parent")
    with CaptureQueriesContext(connection) as full:
        page = client.get(url, month).content.decode()
    assert page.count("mark mark-child") == TODAY.day + 1  # each day, and the legend
    assert page.count("mark mark-parent") == TODAY.day  # each day but today, and the legend
    assert len(full) == len(one)


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
