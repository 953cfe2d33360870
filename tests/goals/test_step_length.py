"""A goal's small steps are held to what a step stores (200 characters) by the form and the
action, on both databases: PostgreSQL refused a longer step (a 500) while SQLite stored a
megabyte; nothing of the goal is written when a step is too long."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from backto.capabilities.goals import actions
from backto.capabilities.goals.models import Goal, GoalStep
from tests.goals.conftest import LEVELS
from tests.goals.test_goals import new_goal


@pytest.mark.parametrize("long_step", ["x" * 201, "x" * 1_000_000])
def test_a_step_longer_than_200_characters_is_named_and_nothing_is_written(
    as_user, pat, episode, long_step
):
    steps = f"Walk to the mailbox\n{long_step}"
    response = as_user(pat).post(reverse("goal_list", args=[episode.pk]), new_goal(steps=steps))
    assert response.status_code == 200
    assert (
        f"Step 2 has {len(long_step)} characters: a step has at most 200."
        in response.content.decode()
    )
    assert not Goal.objects.exists() and not GoalStep.objects.exists()


def test_a_step_of_exactly_200_characters_is_kept_whole(as_user, pat, episode):
    step = "y" * 200
    as_user(pat).post(reverse("goal_list", args=[episode.pk]), new_goal(steps=f"  {step}  \n\n"))
    assert list(GoalStep.objects.values_list("text", flat=True)) == [step]


def test_more_than_twenty_steps_at_once_are_refused(as_user, pat, episode):
    steps = "\n".join(f"Step {n}" for n in range(21))
    response = as_user(pat).post(reverse("goal_list", args=[episode.pk]), new_goal(steps=steps))
    assert "Write at most 20 steps with a new goal" in response.content.decode()
    assert not Goal.objects.exists()


def test_the_action_refuses_a_long_step_itself(pat, episode, goal):
    with pytest.raises(ValidationError, match="a step has at most 200"):
        actions.goal_create(
            by=pat, episode=episode, title="T", discipline="pt", steps=["x" * 201], **LEVELS
        )
    with pytest.raises(ValidationError, match="A step has at most 200 characters"):
        actions.goal_step_add(by=pat, goal=goal, text="x" * 201)  # it was cut to 200 silently
    assert Goal.objects.count() == 1 and GoalStep.objects.filter(goal=goal).count() == 2


def test_a_step_added_on_the_goal_page_over_the_limit_is_refused_with_the_limit_named(
    as_user, pat, goal
):
    response = as_user(pat).post(
        reverse("goal_step_add", args=[goal.pk]), {"text": "x" * 201}, follow=True
    )
    assert "Write the step in 1 to 200 characters." in response.content.decode()
    assert GoalStep.objects.filter(goal=goal).count() == 2
