from datetime import timedelta

from django.urls import reverse

from backto.access.patients.models import Episode
from tests.conftest import TODAY, audited


def url(patient):
    return reverse("episode_open", args=[patient.pk])


def referral(**overrides):
    data = {
        "referral_date": TODAY.isoformat(),
        "referral_source": "Rheumatology",
        "referral_reason": "Knee pain",
        "painful_region_count": "1",
        "pain_pattern": "constant",
    }
    data.update(overrides)
    return data


def test_it_records_a_referral(as_user, cora, maya):
    response = as_user(cora).post(url(maya), referral())
    assert response.status_code == 302
    episode = Episode.objects.get(patient=maya)
    assert episode.state == "referred"
    assert audited("create", object_type="episode", patient_id=maya.pk)


def test_it_refuses_a_second_open_episode(as_user, cora, maya, episode):
    response = as_user(cora).post(url(maya), referral())
    assert response.status_code == 200
    assert b"already has an open episode" in response.content
    assert Episode.objects.filter(patient=maya).count() == 1


def test_it_links_a_relapse_to_the_last_episode(as_user, cora, maya, episode):
    from backto.access.patients.actions import episode_transition

    episode_transition(by=cora, episode=episode, target="withdrawn", note="Moved")
    as_user(cora).post(url(maya), referral())
    newest = Episode.objects.filter(patient=maya).order_by("-id").first()
    assert newest.previous_episode == episode
    assert newest.is_relapse


def test_it_names_the_field_for_bad_input(as_user, cora, maya):
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = as_user(cora).post(
        url(maya), referral(referral_date=tomorrow, painful_region_count="40")
    )
    assert response.status_code == 200
    assert b"cannot be in the future" in response.content
    assert b"less than or equal to 30" in response.content
    assert not Episode.objects.filter(patient=maya).exists()


def test_it_returns_403_to_a_guardian(as_user, gina, maya):
    assert as_user(gina).get(url(maya)).status_code == 403


def test_it_returns_404_to_a_pt_off_the_care_team(as_user, olive, maya):
    assert as_user(olive).get(url(maya)).status_code == 404
