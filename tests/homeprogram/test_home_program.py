from datetime import timedelta

import pytest
from django.urls import reverse

from backto.capabilities.homeprogram import actions
from backto.capabilities.homeprogram.models import Exercise, ExerciseLog, HomeProgramItem
from backto.capabilities.homeprogram.queries import adherence_by_week
from tests.conftest import TODAY, audited
from tests.core.test_uploads import picture


@pytest.fixture
def walk(clinic):
    actions.starter_library_load(clinic=clinic)
    return Exercise.objects.get(clinic=clinic, name="Daily walk")


@pytest.fixture
def item(pat, episode, walk):
    return actions.home_program_add(
        by=pat,
        episode=episode,
        exercise=walk,
        minutes=10,
        add_minutes_per_week=5,
        start_date=TODAY - timedelta(days=14),
        times_per_day=1,
        days_per_week=7,
    )


def test_the_starter_library_loads_once(clinic):
    first = actions.starter_library_load(clinic=clinic)
    assert first >= 12
    assert actions.starter_library_load(clinic=clinic) == 0


def test_the_library_page_adds_the_starter_exercises(as_user, pat, clinic):
    response = as_user(pat).post(reverse("exercise_library_starter"), follow=True)
    assert response.redirect_chain == [(reverse("exercise_library"), 302)]
    assert b"starter exercises added" in response.content
    assert Exercise.objects.filter(clinic=clinic, name="Daily walk").exists()


def test_it_returns_403_to_a_guardian_adding_the_starter_exercises(as_user, gina, clinic):
    assert as_user(gina).post(reverse("exercise_library_starter")).status_code == 403
    assert not Exercise.objects.filter(clinic=clinic).exists()


def test_a_pt_adds_an_exercise_with_a_weekly_progression(as_user, pat, episode, walk):
    response = as_user(pat).post(
        reverse("home_program_add", args=[episode.pk]),
        {
            "exercise": walk.pk,
            "minutes": "10",
            "times_per_day": "1",
            "days_per_week": "5",
            "add_minutes_per_week": "5",
            "start_date": (TODAY - timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    item = HomeProgramItem.objects.get()
    assert item.minutes_on(TODAY, program_end=None) == 15  # one week in: 10 + 5
    assert item.dose_on(TODAY, program_end=None) == "15 minutes, 5 days a week"
    assert audited("create", object_type="homeprogramitem")


def test_a_dose_is_required(as_user, pat, episode, walk):
    response = as_user(pat).post(
        reverse("home_program_add", args=[episode.pk]),
        {
            "exercise": walk.pk,
            "times_per_day": "1",
            "days_per_week": "7",
            "add_minutes_per_week": "0",
            "start_date": TODAY.isoformat(),
        },
    )
    assert b"Give a dose" in response.content
    assert not HomeProgramItem.objects.exists()


def test_a_family_ticks_todays_exercise_once(as_user, gina, episode, item):
    client = as_user(gina)
    page = client.get(reverse("exercises_today", args=[episode.pk])).content.decode()
    assert "Daily walk" in page and "20 minutes" in page  # two weeks in: 10 + 2 x 5
    assert "pain" not in page.split("<main")[1].split("</main>")[0].lower().replace("painful", "")
    for _ in range(2):
        client.post(reverse("exercises_today", args=[episode.pk]), {"item": item.pk, "done": "1"})
    assert ExerciseLog.objects.filter(item=item, day=TODAY).count() == 1
    client.post(reverse("exercises_today", args=[episode.pk]), {"item": item.pk, "done": "0"})
    assert not ExerciseLog.objects.exists()


def test_ticking_through_htmx_returns_the_checklist(as_user, maya_teen, episode, item):
    response = as_user(maya_teen).post(
        reverse("exercises_today", args=[episode.pk]),
        {"item": item.pk, "done": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert b"<html" not in response.content
    assert b"1 of 1 done. All done, well done!" in response.content


def test_adherence_counts_planned_days_against_ticks(pat, episode, item, gina):
    today = TODAY
    monday = today - timedelta(days=today.weekday())
    for n in range(3):
        ExerciseLog.objects.create(
            item=item, day=monday - timedelta(days=7) + timedelta(days=n), by=gina
        )
    weeks = {w.week_start: w for w in adherence_by_week(episode, until=today)}
    last_week = weeks[monday - timedelta(days=7)]
    assert (last_week.done, last_week.planned, last_week.percent) == (3, 7, 43)


def test_it_returns_404_to_another_family(as_user, otto, episode, item):
    assert as_user(otto).get(reverse("exercises_today", args=[episode.pk])).status_code == 404
    assert (
        as_user(otto)
        .post(reverse("exercises_today", args=[episode.pk]), {"item": item.pk, "done": "1"})
        .status_code
        == 404
    )


def test_it_returns_403_to_a_guardian_changing_the_program(as_user, gina, episode, walk):
    response = as_user(gina).post(
        reverse("home_program_add", args=[episode.pk]), {"exercise": walk.pk, "minutes": "5"}
    )
    assert response.status_code == 403


def test_the_sheet_prints_the_program(as_user, gina, episode, item):
    response = as_user(gina).get(reverse("home_program_sheet", args=[episode.pk]))
    assert b"Daily walk" in response.content and b"+5 min each week" in response.content


def test_only_today_or_yesterday_can_be_ticked(gina, item):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.exercise_tick(by=gina, item=item, day=TODAY - timedelta(days=2), done=True)


def test_the_clinic_uploads_an_exercise_picture_that_families_see(
    as_user, client, pat, gina, episode, clinic, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    png = picture("PNG")  # checked by its content (tests/core/test_uploads.py)
    response = as_user(pat).post(
        reverse("exercise_library"),
        {
            "name": "Heel walk",
            "category": "functional",
            "instructions": "Walk on your heels.",
            "default_minutes": "5",
            "media": SimpleUploadedFile("heel.png", png, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    exercise = Exercise.objects.get(name="Heel walk")
    assert exercise.media_kind == "image"
    assert audited("create", object_type="exercise", detail="Heel walk")
    actions.home_program_add(
        by=pat,
        episode=episode,
        exercise=exercise,
        minutes=5,
        start_date=TODAY,
        times_per_day=1,
        days_per_week=7,
    )
    client.logout()
    family = as_user(gina)
    page = family.get(reverse("exercises_today", args=[episode.pk])).content.decode()
    assert reverse("exercise_media", args=[exercise.pk]) in page
    media = family.get(reverse("exercise_media", args=[exercise.pk]))
    assert media.status_code == 200 and b"".join(media.streaming_content) == png


def test_it_refuses_a_file_that_is_not_a_picture_or_video(as_user, pat, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = as_user(pat).post(
        reverse("exercise_library"),
        {
            "name": "Odd",
            "category": "functional",
            "instructions": "x",
            "media": SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream"),
        },
    )
    assert b"Use an image or video file" in response.content
    assert not Exercise.objects.filter(name="Odd").exists()


def test_exercise_media_is_not_served_across_clinics(as_user, elsa, clinic, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    exercise = Exercise.objects.create(
        clinic=clinic, name="Hop", category="functional", instructions="Hop"
    )
    exercise.media.save("hop.png", ContentFile(b"png"))
    assert as_user(elsa).get(reverse("exercise_media", args=[exercise.pk])).status_code == 404


def test_stopping_twice_changes_nothing_and_bad_ids_are_not_found(as_user, pat, episode):
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from backto.capabilities.homeprogram.actions import home_program_stop
    from backto.capabilities.homeprogram.models import Exercise, HomeProgramItem

    exercise = Exercise.objects.filter(
        clinic=episode.patient.clinic
    ).first() or Exercise.objects.create(
        clinic=episode.patient.clinic, name="Walk", category="aerobic", default_minutes=10
    )
    item = HomeProgramItem.objects.create(
        episode=episode,
        exercise=exercise,
        added_by=pat,
        start_date=timezone.localdate(),
        minutes=10,
    )
    earlier = timezone.localdate() - timedelta(days=3)
    home_program_stop(by=pat, item=item, on=earlier)
    with pytest.raises(ValidationError, match="already stopped"):
        home_program_stop(by=pat, item=item)
    item.refresh_from_db()
    assert item.end_date == earlier and not item.active_on(timezone.localdate())
    client = as_user(pat)
    url = reverse("home_program_stop", args=[episode.pk])
    # Not a record number at all: a 400 naming the field (tests/homeprogram/test_bad_input.py).
    assert client.post(url, {"stop": "abc"}).status_code == 400
    assert client.post(url, {"stop": str(item.pk + 1000)}).status_code == 404
