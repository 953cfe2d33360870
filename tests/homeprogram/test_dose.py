"""A home-program dose: it progresses each week up to the most the PT sets, stops with the
episode (no progression and no adherence after discharge), and a PT can change it."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from backto.access.patients.actions import episode_transition
from backto.access.patients.models import EpisodeTransition
from backto.capabilities.careplan.actions import episode_discharge
from backto.capabilities.careplan.queries import program_end
from backto.capabilities.homeprogram import actions
from backto.capabilities.homeprogram.models import Exercise, ExerciseLog, HomeProgramItem
from backto.capabilities.homeprogram.queries import adherence_by_week, checklist
from backto.readers.progress.reports import REPORTS, render_report, report_context
from tests.conftest import audited


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def bike(clinic):
    return Exercise.objects.create(
        clinic=clinic, name="Stationary bike", category="aerobic", instructions="Pedal easy."
    )


def add(pat, episode, exercise, *, weeks_ago: int, **dose):
    return actions.home_program_add(
        by=pat,
        episode=episode,
        exercise=exercise,
        start_date=today() - timedelta(weeks=weeks_ago),
        times_per_day=1,
        days_per_week=7,
        **dose,
    )


@pytest.fixture
def discharged_bike(pat, episode, bike, gina):
    """Stationary bike, 10 minutes and 5 more each week, in a program that started 69 weeks
    ago and was discharged after 8 weeks; the family kept ticking it after discharge."""
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    start = today() - timedelta(weeks=69)
    EpisodeTransition.objects.filter(episode=episode, target="active").update(
        at=timezone.make_aware(datetime.combine(start, time(9)))
    )
    item = add(pat, episode, bike, weeks_ago=69, minutes=10, add_minutes_per_week=5)
    ended = start + timedelta(weeks=8, days=2)  # a Wednesday when `start` is a Monday
    ExerciseLog.objects.bulk_create(
        ExerciseLog(item=item, day=ended + timedelta(days=n), by=gina) for n in range(-6, 10)
    )
    episode_discharge(
        by=pat, episode=episode, discharged_on=ended, reason="goals_met", summary="Well done."
    )
    episode.refresh_from_db()
    return item


def test_a_dose_stops_progressing_at_discharge(as_user, pat, gina, discharged_bike):
    episode = discharged_bike.episode
    episode.refresh_from_db()
    ended = program_end(episode)
    assert ended == episode.discharge.discharged_on
    assert discharged_bike.minutes_on(today(), program_end=ended) == 50  # 10 + 8 weeks x 5
    assert [row.dose for row in checklist(episode, today())] == ["50 minutes"]
    page = as_user(pat).get(reverse("home_program", args=[episode.pk])).content.decode()
    assert "<td>50 minutes</td>" in page and "The program ended on" in page
    assert "minutes each week" not in page  # no progression is promised any more
    assert "Add an exercise" not in page and "Change the dose" not in page
    for kind in ("family", "discharge"):
        html, _ = render_report(REPORTS[kind], report_context(REPORTS[kind], episode))
        assert "Stationary bike: 50 minutes" in html, kind
    sheet = as_user(gina).get(reverse("home_program_sheet", args=[episode.pk])).content.decode()
    assert "50 minutes" in sheet and "each week" not in sheet


def test_adherence_counts_no_day_after_discharge(discharged_bike):
    episode = discharged_bike.episode
    ended = program_end(episode)
    assert ended is not None
    weeks = adherence_by_week(episode, until=today())
    last = weeks[-1]
    assert last.week_start == ended - timedelta(days=ended.weekday())
    # The discharge week counts its days up to the discharge (a Monday start: three days),
    # all ticked; the ticks after discharge count nowhere.
    days = ended.weekday() + 1
    assert (last.done, last.planned, last.percent) == (days, days, 100)
    assert all(w.week_start <= ended for w in weeks)


def test_the_weekly_progression_stops_at_the_most_the_pt_sets(pat, episode, bike):
    item = add(pat, episode, bike, weeks_ago=10, minutes=10, add_minutes_per_week=5, max_minutes=30)
    assert item.minutes_on(today(), program_end=None) == 30
    assert item.minutes_on(today() - timedelta(weeks=7), program_end=None) == 25
    uncapped = add(pat, episode, bike, weeks_ago=60, minutes=10, add_minutes_per_week=5)
    assert uncapped.minutes_on(today(), program_end=None) == 240  # never past any dose's most


@pytest.mark.parametrize(
    ("dose", "field", "message"),
    [
        ({"minutes": 20, "max_minutes": 15}, "max_minutes", "cannot be below the dose"),
        ({"reps": 10, "max_minutes": 15}, "max_minutes", "needs the minutes"),
        ({"reps": 10, "add_minutes_per_week": 5}, "add_minutes_per_week", "needs the minutes"),
        ({"minutes": 10, "max_minutes": 300}, "max_minutes", "less than or equal to 240"),
    ],
)
def test_a_most_that_makes_no_sense_is_refused_naming_the_field(
    pat, episode, bike, dose, field, message
):
    with pytest.raises(ValidationError) as refused:
        add(pat, episode, bike, weeks_ago=0, **dose)
    assert message in " ".join(refused.value.message_dict[field])


def test_the_add_form_names_the_field_of_a_bad_most(as_user, pat, episode, bike):
    response = as_user(pat).post(
        reverse("home_program_add", args=[episode.pk]),
        {
            "exercise": bike.pk,
            "minutes": "20",
            "max_minutes": "15",
            "times_per_day": "1",
            "days_per_week": "7",
            "add_minutes_per_week": "5",
            "start_date": today().isoformat(),
        },
    )
    page = response.content.decode()
    assert 'id="id_max_minutes_error"' in page and "cannot be below the dose of 20" in page
    assert not HomeProgramItem.objects.exists()


@pytest.fixture
def walk3(pat, episode, bike):
    """Three weeks into 10 minutes with 5 more each week: 25 minutes today."""
    return add(pat, episode, bike, weeks_ago=3, minutes=10, add_minutes_per_week=5)


def edit_url(item):
    return reverse("home_program", args=[item.episode_id])


def dose_url(item):
    return reverse("home_program_dose", args=[item.episode_id])


def test_a_pt_changes_the_dose_from_today(as_user, pat, walk3):
    client = as_user(pat)
    page = client.get(edit_url(walk3), {"edit": walk3.pk}).content.decode()
    assert "Change the dose of Stationary bike" in page
    assert 'name="edit-minutes" value="25"' in page  # the form starts from today's dose
    response = client.post(
        dose_url(walk3),
        {
            "edit": walk3.pk,
            "edit-minutes": "20",
            "edit-times_per_day": "1",
            "edit-days_per_week": "5",
            "edit-add_minutes_per_week": "5",
            "edit-max_minutes": "30",
        },
    )
    assert response.status_code == 302
    walk3.refresh_from_db()
    assert walk3.dose_on(today(), program_end=None) == "20 minutes, 5 days a week"
    assert walk3.minutes_on(today() + timedelta(weeks=1), program_end=None) == 25
    assert walk3.minutes_on(today() + timedelta(weeks=5), program_end=None) == 30
    assert audited("update", object_type="homeprogramitem", object_id=str(walk3.pk))
    page = client.get(edit_url(walk3)).content.decode()
    assert "+5 minutes each week, up to 30 minutes" in page


def test_changing_only_the_progression_goes_on_from_todays_dose(pat, walk3):
    actions.home_program_edit(by=pat, item=walk3, on=today(), add_minutes_per_week=2)
    walk3.refresh_from_db()
    assert (walk3.minutes, walk3.dose_from) == (25, today())
    assert walk3.minutes_on(today() + timedelta(weeks=2), program_end=None) == 29
    actions.home_program_edit(by=pat, item=walk3, on=today(), max_minutes=20)
    walk3.refresh_from_db()
    assert walk3.minutes_on(today(), program_end=None) == 20  # a lower most caps it at once


def test_changing_something_else_leaves_the_progression_alone(as_user, pat, walk3):
    as_user(pat).post(
        dose_url(walk3),
        {
            "edit": walk3.pk,
            "edit-minutes": "25",  # as shown
            "edit-times_per_day": "2",
            "edit-days_per_week": "7",
            "edit-add_minutes_per_week": "5",
        },
    )
    walk3.refresh_from_db()
    assert (walk3.times_per_day, walk3.minutes, walk3.dose_from) == (2, 10, None)
    assert audited("update", object_type="homeprogramitem", detail__contains="times_per_day 1→2")


def test_a_bad_change_names_the_field_and_changes_nothing(as_user, pat, walk3):
    page = (
        as_user(pat)
        .post(
            dose_url(walk3),
            {
                "edit": walk3.pk,
                "edit-minutes": "",
                "edit-reps": "",
                "edit-times_per_day": "1",
                "edit-days_per_week": "7",
                "edit-add_minutes_per_week": "0",
            },
        )
        .content.decode()
    )
    assert 'id="id_edit-minutes_error"' in page and "Give a dose" in page
    walk3.refresh_from_db()
    assert walk3.minutes == 10


def test_a_stopped_exercise_keeps_its_dose(pat, walk3):
    actions.home_program_stop(by=pat, item=walk3)
    with pytest.raises(ValidationError, match="was stopped on"):
        actions.home_program_edit(by=pat, item=walk3, minutes=5)


def test_an_ended_program_keeps_its_home_program(pat, discharged_bike):
    with pytest.raises(ValidationError, match="program ended on"):
        actions.home_program_edit(by=pat, item=discharged_bike, minutes=5)
    episode = discharged_bike.episode
    episode_transition(by=pat, episode=episode, target="withdrawn", note="Moved away.")
    with pytest.raises(ValidationError, match="program ended on"):
        actions.home_program_edit(by=pat, item=discharged_bike, minutes=5)
    with pytest.raises(ValidationError, match="program ended on"):
        add(pat, episode, discharged_bike.exercise, weeks_ago=0, minutes=5)


def test_only_the_care_team_changes_a_dose(as_user, client, gina, olive, otto, walk3):
    data = {"edit": walk3.pk, "edit-minutes": "5", "edit-times_per_day": "1"}
    data |= {"edit-days_per_week": "7", "edit-add_minutes_per_week": "0"}
    assert as_user(gina).post(dose_url(walk3), data).status_code == 403
    assert "Change the dose" not in as_user(gina).get(edit_url(walk3)).content.decode()
    for outsider in (olive, otto):
        client.logout()
        assert as_user(outsider).post(dose_url(walk3), data).status_code == 404
    walk3.refresh_from_db()
    assert walk3.minutes == 10


def test_an_unknown_exercise_to_change_is_not_found(as_user, pat, walk3, leo, cora):
    client = as_user(pat)
    assert client.get(edit_url(walk3), {"edit": "abc"}).status_code == 400  # test_bad_input.py
    assert client.get(edit_url(walk3), {"edit": walk3.pk + 99}).status_code == 404
