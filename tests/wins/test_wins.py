from datetime import timedelta

from django.urls import reverse

from backto.capabilities.wins.models import Win, WinReaction
from tests.conftest import TODAY, audited


def url(patient):
    return reverse("win_list", args=[patient.pk])


def test_a_teen_adds_a_win_that_celebrates_at_home(as_user, maya_teen, maya, episode):
    client = as_user(maya_teen)
    response = client.post(
        url(maya), {"text": "Walked to the mailbox", "happened_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    win = Win.objects.get()
    assert (win.patient, win.episode, win.added_by) == (maya, episode, maya_teen)
    assert audited("create", object_type="win", patient_id=maya.pk)
    assert b"Walked to the mailbox" in client.get(reverse("family_home")).content


def test_a_win_can_count_toward_a_goal(as_user, gina, maya, goal):
    as_user(gina).post(
        url(maya),
        {"text": "Walked to two classes", "happened_on": TODAY.isoformat(), "goal": goal.pk},
    )
    assert Win.objects.get().goal == goal


def test_it_refuses_another_childs_goal(as_user, gina, maya, leo, cora, goal):
    from backto.access.patients import actions
    from backto.capabilities.goals import actions as goal_actions
    from tests.goals.conftest import LEVELS

    leo_episode = actions.episode_open(by=cora, patient=leo, referral_date=TODAY)
    leos = goal_actions.goal_create(
        by=cora, episode=leo_episode, title="Ride a bike", discipline="pt", **LEVELS
    )
    response = as_user(gina).post(
        url(maya), {"text": "x", "happened_on": TODAY.isoformat(), "goal": leos.pk}
    )
    assert b"Select a valid choice" in response.content
    assert not Win.objects.exists()


def test_it_refuses_a_win_in_the_future(as_user, gina, maya):
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = as_user(gina).post(url(maya), {"text": "Tomorrow", "happened_on": tomorrow})
    assert b"today or before" in response.content


def test_the_care_team_cheers_and_notes_a_win(as_user, pat, gina, maya, episode):
    win = Win.objects.create(patient=maya, text="School all day", happened_on=TODAY, added_by=gina)
    client = as_user(pat)
    client.post(reverse("win_react", args=[win.pk]), {"kind": "cheer"})
    client.post(reverse("win_react", args=[win.pk]), {"kind": "cheer"})
    client.post(reverse("win_react", args=[win.pk]), {"kind": "note", "note": "So proud of you!"})
    assert list(WinReaction.objects.values_list("kind", flat=True)) == ["cheer", "note"]
    response = as_user(gina).get(url(maya))
    assert b"So proud of you!" in response.content


def test_a_note_needs_words(as_user, pat, gina, maya, episode):
    win = Win.objects.create(patient=maya, text="School", happened_on=TODAY, added_by=gina)
    as_user(pat).post(reverse("win_react", args=[win.pk]), {"kind": "note", "note": " "})
    assert not WinReaction.objects.exists()


def test_it_returns_403_to_a_guardian_reacting(as_user, gina, maya):
    win = Win.objects.create(patient=maya, text="School", happened_on=TODAY, added_by=gina)
    assert (
        as_user(gina).post(reverse("win_react", args=[win.pk]), {"kind": "cheer"}).status_code
        == 403
    )


def test_it_returns_404_to_another_family(as_user, otto, gina, maya):
    win = Win.objects.create(patient=maya, text="School", happened_on=TODAY, added_by=gina)
    assert as_user(otto).get(url(maya)).status_code == 404
    assert (
        as_user(otto).post(url(maya), {"text": "x", "happened_on": TODAY.isoformat()}).status_code
        == 404
    )
    assert (
        as_user(otto).post(reverse("win_react", args=[win.pk]), {"kind": "cheer"}).status_code
        == 404
    )


def test_it_returns_403_to_the_admin_adding_a_win(as_user, ada, maya):
    assert (
        as_user(ada).post(url(maya), {"text": "x", "happened_on": TODAY.isoformat()}).status_code
        == 403
    )
