"""The progress page: function first, pain by viewer, numbers behind every chart, fixed queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backto.capabilities.diary.models import DiarySettings
from backto.readers.progress.charts import progress_charts
from backto.readers.progress.queries import episode_progress
from tests.conftest import audited


def url(episode):
    return reverse("progress", args=[episode.pk])


def test_weeks_follow_the_diary(running):
    progress = episode_progress(running, until=timezone.localdate())
    assert progress.weeks_in_program == 8
    first, last = progress.weeks[0], progress.weeks[-1]
    assert first.activity == 1 and first.pain == 8 and first.school == 100
    assert last.activity == 4.0 and last.pain < first.pain
    assert first.diary_days == 7


def test_the_care_team_sees_function_then_pain_with_the_numbers(as_user, pat, running):
    page = as_user(pat).get(url(running)).content.decode()
    assert "Function and pain by week" in page
    assert page.index("Function and pain by week") < page.index("School attendance by week")
    assert "Show the numbers" in page and '<th scope="col">Pain (0 to 10)</th>' in page
    assert "<desc id=" in page
    assert audited("view", object_type="episode", patient_id=running.patient_id)


def test_the_childs_own_view_shows_no_pain(as_user, maya_teen, running):
    page = as_user(maya_teen).get(url(running)).content.decode()
    assert "My progress" in page and "Activity by week" in page
    main = page.split("<main")[1].split("</main>")[0].lower()
    assert "pain" not in main


def test_guardians_see_pain_only_when_the_care_team_allows(as_user, client, gina, pat, running):
    assert "Pain (0 to 10)" not in as_user(gina).get(url(running)).content.decode()
    client.logout()
    as_user(pat).post(
        reverse("diary_pain_family", args=[running.patient_id]),
        {"family_sees_pain": "1", "next": "progress"},
    )
    assert DiarySettings.objects.get(patient_id=running.patient_id).family_sees_pain
    assert audited("update", object_type="diarysettings", patient_id=running.patient_id)
    client.logout()
    assert "Pain (0 to 10)" in as_user(gina).get(url(running)).content.decode()


def test_outside_the_circle_is_404(as_user, olive, otto, elsa, running):
    for person in (olive, otto, elsa):
        assert as_user(person).get(url(running)).status_code == 404


def test_its_query_count_does_not_grow_with_the_weeks(as_user, pat, running):
    from tests.progress.conftest import child_diary

    client = as_user(pat)
    client.get(url(running))
    with CaptureQueriesContext(connection) as before:
        client.get(url(running))
    # Twenty more weeks of history before the program's recorded start change nothing here,
    # and neither do more entries inside it: count with a longer program instead.
    from datetime import timedelta

    from backto.access.patients.models import EpisodeTransition

    transition = EpisodeTransition.objects.get(episode=running, target="active")
    earlier = transition.at - timedelta(weeks=20)
    EpisodeTransition.objects.filter(pk=transition.pk).update(at=earlier)
    child_diary(
        running.patient,
        running.patient.teen_account,
        earlier.date(),
        20 * 7,
        activity=lambda n: 1,
        pain=lambda n: 8,
    )
    with CaptureQueriesContext(connection) as after:
        page = client.get(url(running)).content.decode()
    assert "week 28" in page
    assert len(after) == len(before)


def test_charts_are_left_out_until_there_is_something_to_draw(episode):
    progress = episode_progress(episode, until=timezone.localdate())
    assert progress_charts(progress, with_pain=True, child_view=False) == []


def test_the_diary_settings_come_with_the_child_when_read_with_it(running):
    from backto.access.patients.models import Episode
    from backto.capabilities.diary.queries import settings_of

    def with_settings():
        return Episode.objects.select_related("patient__diary_settings").get(pk=running.pk)

    DiarySettings.objects.filter(patient_id=running.patient_id).delete()
    episode = with_settings()
    with CaptureQueriesContext(connection) as none_yet:
        assert settings_of(episode.patient) is None
    DiarySettings.objects.create(patient_id=running.patient_id, family_sees_pain=True)
    episode = with_settings()
    with CaptureQueriesContext(connection) as read_with_it:
        assert settings_of(episode.patient).family_sees_pain
    assert none_yet.captured_queries == read_with_it.captured_queries == []
    with CaptureQueriesContext(connection) as read_alone:
        assert settings_of(Episode.objects.get(pk=running.pk).patient).family_sees_pain
    assert len(read_alone) == 3  # the episode, its child, then the settings
