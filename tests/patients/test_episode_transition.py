from django.urls import reverse

from backto.access.patients.models import EpisodeTransition
from tests.conftest import TODAY, audited


def url(episode):
    return reverse("episode_transition", args=[episode.pk])


def test_it_moves_an_episode_to_the_next_stage(as_user, pat, episode):
    response = as_user(pat).post(url(episode), {"target": "intake"})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.state == "intake"
    step = EpisodeTransition.objects.get(episode=episode, target="intake")
    assert (step.source, step.by) == ("referred", pat)
    assert audited(
        "update", actor_id=pat.pk, object_type="episode", detail="state referred → intake"
    )


def test_it_refuses_a_move_the_table_does_not_allow(as_user, pat, episode):
    response = as_user(pat).post(url(episode), {"target": "follow_up"}, follow=True)
    episode.refresh_from_db()
    assert episode.state == "referred"
    assert b"cannot move to follow-up" in response.content


def test_it_refuses_an_unknown_stage(as_user, pat, episode):
    response = as_user(pat).post(url(episode), {"target": "finished"}, follow=True)
    assert b"is not a stage" in response.content


def test_it_needs_a_reason_to_withdraw(as_user, pat, episode):
    response = as_user(pat).post(url(episode), {"target": "withdrawn"}, follow=True)
    episode.refresh_from_db()
    assert episode.state == "referred"
    assert b"Say why" in response.content
    as_user(pat).post(url(episode), {"target": "withdrawn", "note": "Family moved away"})
    episode.refresh_from_db()
    assert episode.state == "withdrawn"


def test_it_returns_403_to_the_clinic_admin(as_user, ada, episode):
    assert as_user(ada).post(url(episode), {"target": "intake"}).status_code == 403
    episode.refresh_from_db()
    assert episode.state == "referred"
    assert audited("permission_denied", actor_id=ada.pk, detail="403 episode_transition")


def test_it_returns_403_to_a_guardian(as_user, gina, episode):
    assert as_user(gina).post(url(episode), {"target": "intake"}).status_code == 403


def test_it_returns_404_to_a_pt_off_the_care_team(as_user, olive, episode):
    assert as_user(olive).post(url(episode), {"target": "intake"}).status_code == 404


def test_it_only_accepts_post(as_user, pat, episode):
    assert as_user(pat).get(url(episode)).status_code == 405


def test_it_walks_the_whole_lifecycle(as_user, pat, episode):

    client = as_user(pat)
    client.post(url(episode), {"target": "intake"})
    client.post(url(episode), {"target": "active"})
    assert client.post(url(episode), {"target": "discharged"})["Location"] == reverse(
        "discharge", args=[episode.pk]
    )
    client.post(
        reverse("discharge", args=[episode.pk]),
        {
            "discharged_on": TODAY.isoformat(),
            "reason": "goals_met",
            "summary": "Back at school full time; keep walking daily.",
        },
    )
    for target in ("follow_up", "closed"):
        client.post(url(episode), {"target": target})
    episode.refresh_from_db()
    assert episode.state == "closed"
    assert EpisodeTransition.objects.filter(episode=episode).count() == 6


def test_starting_the_program_asks_for_goals(as_user, pat, episode):
    client = as_user(pat)
    client.post(url(episode), {"target": "intake"})
    response = client.post(url(episode), {"target": "active"})
    assert response["Location"] == reverse("goal_list", args=[episode.pk])
