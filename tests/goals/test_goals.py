from datetime import timedelta
from decimal import Decimal

from django.urls import reverse

from backto.capabilities.goals import actions
from backto.capabilities.goals.models import Goal, GoalRating
from backto.capabilities.goals.queries import gas_history
from tests.conftest import TODAY, audited
from tests.goals.conftest import LEVELS


def new_goal(**overrides):
    data = {
        "title": "Sleep through the night",
        "discipline": "counseling",
        "baseline_level": "-1",
        "steps": "Same bedtime every night\nNo screens after 9",
        **LEVELS,
    }
    data.update(overrides)
    return data


def test_the_care_team_adds_a_goal_in_the_familys_words(as_user, pat, episode):
    response = as_user(pat).post(reverse("goal_list", args=[episode.pk]), new_goal())
    assert response.status_code == 302
    goal = Goal.objects.get(title="Sleep through the night")
    assert [s.text for s in goal.steps.all()] == ["Same bedtime every night", "No screens after 9"]
    assert goal.weight == 1
    assert audited("create", object_type="goal", patient_id=episode.patient_id)


def test_it_names_the_field_for_a_half_weight(as_user, pat, episode):
    response = as_user(pat).post(reverse("goal_list", args=[episode.pk]), new_goal(importance="2"))
    assert b"Rate both importance and difficulty" in response.content
    assert not Goal.objects.exists()


def test_it_refuses_a_weight_factor_above_three(as_user, pat, episode):
    response = as_user(pat).post(
        reverse("goal_list", args=[episode.pk]), new_goal(importance="4", difficulty="2")
    )
    assert b"less than or equal to 3" in response.content


def test_a_weighted_goal_uses_importance_times_difficulty(goal):
    goal.importance, goal.difficulty = 2, 3
    assert goal.weight == 6


def test_it_returns_403_to_a_guardian_adding_a_goal(as_user, gina, episode):
    assert (
        as_user(gina).post(reverse("goal_list", args=[episode.pk]), new_goal()).status_code == 403
    )


def test_it_returns_404_to_a_pt_off_the_team(as_user, olive, episode, goal):
    assert as_user(olive).get(reverse("goal_list", args=[episode.pk])).status_code == 404
    assert as_user(olive).get(reverse("goal_detail", args=[goal.pk])).status_code == 404


def test_the_family_sees_the_goal_and_its_next_step_at_home(as_user, gina, goal):
    response = as_user(gina).get(reverse("family_home"))
    assert b"Walk to class with my friends" in response.content
    assert b"Next step: Walk to the mailbox" in response.content


def test_a_clinician_rates_a_goal_and_the_t_score_follows(as_user, pat, goal):
    client = as_user(pat)
    response = client.post(
        reverse("goal_detail", args=[goal.pk]), {"level": "1", "rated_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    rating = GoalRating.objects.get()
    assert (rating.level, rating.rater_kind) == (1, "clinician")
    history = gas_history(list(Goal.objects.prefetch_related("ratings", "steps")))
    assert history[-1].t_score == Decimal("60.0")  # one goal at +1: T = 50 + 10
    assert audited("create", object_type="goalrating")


def test_a_second_rating_on_the_same_day_replaces_the_first(pat, goal):
    today = TODAY
    actions.goal_rate(by=pat, goal=goal, level=0, rated_on=today)
    actions.goal_rate(by=pat, goal=goal, level=1, rated_on=today)
    assert list(GoalRating.objects.values_list("level", flat=True)) == [1]


def test_a_family_rates_where_the_clinic_allows(as_user, gina, goal):
    client = as_user(gina)
    client.post(
        reverse("goal_detail", args=[goal.pk]), {"level": "0", "rated_on": TODAY.isoformat()}
    )
    assert GoalRating.objects.get().rater_kind == "family"
    clinic = goal.episode.patient.clinic
    clinic.family_rates_goals = False
    clinic.save()
    response = client.post(
        reverse("goal_detail", args=[goal.pk]), {"level": "1", "rated_on": TODAY.isoformat()}
    )
    assert response.status_code == 403


def test_it_refuses_a_future_review_date(as_user, pat, goal):
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = as_user(pat).post(
        reverse("goal_detail", args=[goal.pk]), {"level": "1", "rated_on": tomorrow}
    )
    assert b"cannot be in the future" in response.content
    assert not GoalRating.objects.exists()


def test_it_refuses_a_level_outside_the_scale(as_user, pat, goal):
    response = as_user(pat).post(
        reverse("goal_detail", args=[goal.pk]), {"level": "3", "rated_on": TODAY.isoformat()}
    )
    assert b"Select a valid choice" in response.content


def test_gas_history_counts_unrated_goals_at_baseline(pat, episode, goal):
    other = actions.goal_create(
        by=pat, episode=episode, title="Play a full soccer game", discipline="pt", **LEVELS
    )
    day1, day2 = TODAY - timedelta(days=14), TODAY
    GoalRating.objects.create(goal=goal, rated_on=day1, level=0, rater=pat, rater_kind="clinician")
    GoalRating.objects.create(goal=goal, rated_on=day2, level=1, rater=pat, rater_kind="clinician")
    GoalRating.objects.create(goal=other, rated_on=day2, level=1, rater=pat, rater_kind="clinician")
    history = gas_history(list(Goal.objects.prefetch_related("ratings")))
    # day 1: goal at 0, other at its baseline -1; day 2: both at +1.
    assert [p.day for p in history] == [day1, day2]
    assert history[0].levels == {goal.pk: 0, other.pk: -1}
    assert history[1].t_score == Decimal("62.4")  # 50 + 10*2/sqrt(0.7*2 + 0.3*4)


def test_steps_are_marked_done(as_user, pat, goal):
    step = goal.steps.first()
    as_user(pat).post(reverse("goal_step_mark", args=[goal.pk, step.pk]), {"done": "1"})
    step.refresh_from_db()
    assert step.done_on == TODAY
    response = as_user(pat).get(reverse("family_home"))
    assert response.status_code == 302  # staff go to their own home


def test_the_goal_page_keeps_a_fixed_query_count(
    as_user, pat, episode, goal, django_assert_max_num_queries
):
    client = as_user(pat)
    for n in range(5):
        actions.goal_create(by=pat, episode=episode, title=f"Goal {n}", discipline="ot", **LEVELS)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("goal_list", args=[episode.pk])).status_code == 200


def test_a_family_reads_goals_in_plain_words_and_only_staff_see_the_t_score(
    as_user, client, pat, gina, maya_teen, goal
):
    actions.goal_rate(by=pat, goal=goal, level=1, rated_on=TODAY)
    episode, maya = goal.episode, goal.episode.patient
    pages = [
        reverse("goal_list", args=[episode.pk]),
        reverse("goal_detail", args=[goal.pk]),
        reverse("patient_overview", args=[maya.pk]),
        reverse("progress", args=[episode.pk]),
    ]
    for family in (gina, maya_teen):
        for url in pages:
            page = as_user(family).get(url).content.decode()
            client.logout()
            assert "T-score" not in page, url
            assert "than expected" not in page and "expected outcome" not in page, url
            assert "+1" not in page and "+0" not in page, url
            assert "Better than we hoped" in page, url
    staff = {url: as_user(pat).get(url).content.decode() for url in pages}
    assert "T-score" in staff[pages[0]] and "+1: somewhat more than expected" in staff[pages[0]]
    assert "+1: somewhat more than expected" in staff[pages[1]]


def test_a_family_rates_a_goal_from_plain_words_with_the_goals_own_levels(as_user, gina, goal):
    page = as_user(gina).get(reverse("goal_detail", args=[goal.pk])).content.decode()
    assert "On track: Walks to every class with friends" in page
    assert "Far better than we hoped: Walks to school and to every class" in page
    assert "expected outcome" not in page
