"""The family records textures with a desensitization tick on the checklist (with and without
htmx, and from the diary); the care team sees the log by week but cannot tick; the family reads
the week in plain words."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.capabilities.homeprogram import actions
from backto.capabilities.homeprogram.models import DesensitizationLog, ExerciseLog
from backto.capabilities.homeprogram.queries import desensitization_progress
from backto.clinical.desensitization import Tolerated, week_start
from tests.conftest import TODAY


def tick_url(episode):
    return reverse("exercises_today", args=[episode.pk])


def test_a_family_ticks_a_texture_rub_with_its_textures(as_user, gina, episode, texture_item):
    client = as_user(gina)
    page = client.get(tick_url(episode)).content.decode()
    assert f'id="id_textures{texture_item.pk}_texture_1"' in page
    assert "Which textures did you use, and for how long?" in page
    response = client.post(
        tick_url(episode),
        {
            "item": texture_item.pk,
            "done": "1",
            "texture_1": "cotton_ball",
            "minutes_1": "8",
            "texture_2": "other",
            "minutes_2": "2",
            "other_2": "sponge",
        },
    )
    assert response.status_code == 302 and response["Location"] == tick_url(episode)
    assert list(DesensitizationLog.objects.values_list("stimulus", "minutes", "other")) == [
        ("cotton_ball", 8, ""),
        ("other", 2, "sponge"),
    ]
    page = client.get(tick_url(episode)).content.decode()
    assert "Textures: Cotton ball, 8 minutes; sponge, 2 minutes." in page
    assert f'id="id_textures{texture_item.pk}_texture_1"' not in page  # done: only the undo


def test_ticking_through_htmx_returns_the_checklist_with_the_textures(
    as_user, maya_teen, episode, texture_item
):
    response = as_user(maya_teen).post(
        tick_url(episode),
        {"item": texture_item.pk, "done": "1", "texture_1": "fleece", "minutes_1": "4"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert "1 of 1 done" in page and "Textures: Fleece, 4 minutes." in page


def test_a_tick_may_leave_the_textures_empty(as_user, gina, episode, texture_item):
    response = as_user(gina).post(tick_url(episode), {"item": texture_item.pk, "done": "1"})
    assert response.status_code == 302
    assert ExerciseLog.objects.filter(item=texture_item).exists()
    assert not DesensitizationLog.objects.exists()


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"texture_1": "silk", "minutes_1": "75"}, "minutes_1", "Give whole minutes from 1 to 60."),
        (
            {"texture_1": "silk", "minutes_1": "2.5"},
            "minutes_1",
            "Give whole minutes from 1 to 60.",
        ),
        ({"texture_1": "silk"}, "minutes_1", "How many minutes? Give whole minutes from 1 to 60."),
        ({"minutes_1": "5"}, "texture_1", "Choose the texture these minutes were for."),
        (
            {"texture_1": "sandpaper", "minutes_1": "5"},
            "texture_1",
            "Choose a texture from the list, or “Something else”.",
        ),
        ({"texture_2": "other", "minutes_2": "3"}, "other_2", "Say in a word what the"),
        (
            {"texture_1": "silk", "minutes_1": "3", "texture_3": "silk", "minutes_3": "4"},
            "texture_3",
            "This texture is already in row 1",
        ),
    ],
)
def test_a_wrong_texture_row_is_shown_beside_its_field_and_nothing_is_ticked(
    as_user, gina, episode, texture_item, posted, field, message
):
    client = as_user(gina)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(
            tick_url(episode), {"item": texture_item.pk, "done": "1", **posted}, headers=headers
        )
        page = response.content.decode()
        assert response.status_code == 200
        error_id = f"id_textures{texture_item.pk}_{field}_error"
        assert f'<ul class="errorlist" id="{error_id}"><li>{message}' in page
        assert not ExerciseLog.objects.exists() and not DesensitizationLog.objects.exists()


def test_a_repeat_submission_keeps_the_first_record(as_user, gina, episode, texture_item):
    client = as_user(gina)
    for minutes in ("5", "7"):
        client.post(
            tick_url(episode),
            {"item": texture_item.pk, "done": "1", "texture_1": "corduroy", "minutes_1": minutes},
        )
    assert ExerciseLog.objects.filter(item=texture_item).count() == 1
    assert list(DesensitizationLog.objects.values_list("minutes", flat=True)) == [5]


def test_other_exercises_take_no_textures(as_user, gina, episode, walk_item):
    client = as_user(gina)
    page = client.get(tick_url(episode)).content.decode()
    assert "texture_1" not in page
    client.post(
        tick_url(episode),
        {"item": walk_item.pk, "done": "1", "texture_1": "silk", "minutes_1": "3"},
    )
    assert ExerciseLog.objects.filter(item=walk_item).count() == 1
    assert not DesensitizationLog.objects.exists()


def test_the_diary_page_offers_the_texture_fields_too(as_user, gina, maya, episode, texture_item):
    page = as_user(gina).get(reverse("diary_today", args=[maya.pk])).content.decode()
    assert f'id="id_textures{texture_item.pk}_minutes_1"' in page


def test_the_care_team_sees_the_textures_but_cannot_tick(as_user, gina, pat, episode, texture_item):
    actions.exercise_tick(
        by=gina, item=texture_item, day=TODAY, done=True, tolerated=[Tolerated("brush", 2)]
    )
    client = as_user(pat)
    page = client.get(tick_url(episode)).content.decode()
    assert "Textures: Brush, 2 minutes." in page
    assert "Mark done" not in page and "tap to undo" not in page
    undo = client.post(tick_url(episode), {"item": texture_item.pk, "done": "0"})
    assert undo.status_code == 403
    assert DesensitizationLog.objects.count() == 1


def test_another_family_gets_404(as_user, otto, episode, texture_item):
    client = as_user(otto)
    assert client.get(tick_url(episode)).status_code == 404
    response = client.post(
        tick_url(episode),
        {"item": texture_item.pk, "done": "1", "texture_1": "silk", "minutes_1": "3"},
    )
    assert response.status_code == 404
    assert not ExerciseLog.objects.exists()


def _practise(gina, item, days_ago, tolerated):
    """A tick some days ago, as the family made it then (ticks are written for today or
    yesterday only)."""
    log = ExerciseLog.objects.create(item=item, day=TODAY - timedelta(days=days_ago), by=gina)
    DesensitizationLog.objects.bulk_create(
        DesensitizationLog(log=log, stimulus=t.code, other=t.other, minutes=t.minutes)
        for t in tolerated
    )


def test_the_family_reads_this_week_and_last_week_in_plain_words(
    as_user, gina, maya_teen, episode, texture_item
):
    this_monday = week_start(TODAY)
    last_week = (TODAY - this_monday).days + 3
    _practise(gina, texture_item, last_week, [Tolerated("soft_towel", 3)])
    _practise(gina, texture_item, 0, [Tolerated("rough_towel", 5), Tolerated("vibration", 2)])
    page = as_user(gina).get(tick_url(episode)).content.decode()
    assert (
        "This week Maya went up to a rough towel for 5 minutes, and also tried vibration, "
        "on 1 day." in page
    )
    assert "Last week Maya went up to a soft towel for 3 minutes, on 1 day." in page
    teen = as_user(maya_teen).get(tick_url(episode)).content.decode()
    assert "This week you went up to a rough towel for 5 minutes" in teen
    assert "pain" not in teen.split('id="touch-practice"')[1].split("</section>")[0].lower()


def test_the_progress_reads_in_one_query(django_assert_num_queries, gina, episode, texture_item):
    for weeks_ago in range(4):
        _practise(gina, texture_item, 7 * weeks_ago, [Tolerated("silk", 2 + weeks_ago)])
    with django_assert_num_queries(1):
        weeks = desensitization_progress(episode.pk)
    assert len(weeks) == 4
    assert [w.roughest_minutes for w in weeks] == [5, 4, 3, 2]


def test_the_program_page_shows_the_log_by_week_in_a_fixed_number_of_queries(
    as_user, gina, pat, episode, texture_item
):
    client = as_user(pat)
    url = reverse("home_program", args=[episode.pk])
    _practise(gina, texture_item, 0, [Tolerated("fleece", 3)])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for weeks_ago in range(1, 7):
        _practise(
            gina,
            texture_item,
            7 * weeks_ago,
            [Tolerated("silk", 2), Tolerated("warm_water", 4), Tolerated("other", 1, "sponge")],
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    assert "Desensitization log by week" in page
    assert "Fleece (step 3 of 8)" in page and "3 min" in page
    assert "sponge, warm water" in page
    assert page.count("Silk or satin (step 1 of 8)") == 6


def test_the_program_page_has_no_log_without_desensitization(as_user, pat, episode, walk_item):
    page = as_user(pat).get(reverse("home_program", args=[episode.pk])).content.decode()
    assert "Desensitization log by week" not in page


def test_the_familys_page_reads_a_fixed_number_of_queries(as_user, gina, episode, texture_item):
    client = as_user(gina)
    _practise(gina, texture_item, 0, [Tolerated("fleece", 3)])
    with CaptureQueriesContext(connection) as few:
        client.get(tick_url(episode))
    for days_ago in range(1, 14):
        _practise(gina, texture_item, days_ago, [Tolerated("silk", 2), Tolerated("lotion", 1)])
    with CaptureQueriesContext(connection) as many:
        page = client.get(tick_url(episode)).content.decode()
    assert len(many) == len(few)
    assert "Last week Maya went up to silk for 2 minutes, and also tried lotion massage" in page
