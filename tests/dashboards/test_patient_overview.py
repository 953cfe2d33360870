from datetime import timedelta

from django.urls import reverse

from tests.conftest import TODAY, audited


def url(patient):
    return reverse("patient_overview", args=[patient.pk])


def test_it_shows_the_record_to_a_pt_on_the_care_team(as_user, pat, maya, episode):
    response = as_user(pat).get(url(maya))
    assert response.status_code == 200
    assert b"Maya Lindqvist" in response.content
    assert b"Start intake" in response.content
    assert audited("view", actor_id=pat.pk, patient_id=maya.pk, object_type="patient")


def test_it_returns_404_to_a_pt_off_the_care_team(as_user, olive, maya, episode):
    response = as_user(olive).get(url(maya))
    assert response.status_code == 404
    assert b"Maya" not in response.content
    assert audited(
        "permission_denied", actor_id=olive.pk, patient_id=maya.pk, detail__startswith="404"
    )
    assert not audited("view", actor_id=olive.pk)


def test_it_returns_404_to_a_pt_at_another_clinic(as_user, elsa, maya, episode):
    assert as_user(elsa).get(url(maya)).status_code == 404
    assert audited("permission_denied", actor_id=elsa.pk)


def test_it_returns_404_for_a_record_that_does_not_exist(as_user, pat):
    assert as_user(pat).get("/patients/999999/").status_code == 404


def test_it_shows_the_whole_clinic_to_the_coordinator(as_user, cora, maya):
    assert as_user(cora).get(url(maya)).status_code == 200


def test_it_shows_a_child_to_their_guardian_without_staff_controls(as_user, gina, maya, episode):
    response = as_user(gina).get(url(maya))
    assert response.status_code == 200
    assert b"Start intake" not in response.content
    assert b"Episode history" not in response.content
    assert audited("view", actor_id=gina.pk, patient_id=maya.pk)


def test_it_returns_404_to_another_familys_guardian(as_user, otto, maya):
    assert as_user(otto).get(url(maya)).status_code == 404


def test_it_shows_a_teen_their_own_record(as_user, maya_teen, maya):
    assert as_user(maya_teen).get(url(maya)).status_code == 200


def test_it_returns_404_to_a_teen_for_another_child(as_user, maya_teen, leo):
    assert as_user(maya_teen).get(url(leo)).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, maya):
    response = client.get(url(maya))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_keeps_its_query_count_fixed_however_many_episodes(
    as_user, cora, maya, pat, django_assert_max_num_queries
):
    from backto.access.patients import actions

    client = as_user(cora)
    for n in range(3):
        ep = actions.episode_open(
            by=cora,
            patient=maya,
            referral_date=maya.date_of_birth + timedelta(days=365 * (10 + n)),
        )
        actions.care_team_add(by=cora, episode=ep, clinician=pat, discipline="pt")
        actions.episode_transition(by=cora, episode=ep, target="withdrawn", note="test")
    # a fixed number, one more for each capability's card (the exam's functional tests, body map
    # and sensory exam, the child's conversations and next appointments, the medicine list: 22)
    with django_assert_max_num_queries(22):
        assert client.get(url(maya)).status_code == 200


def test_it_shows_the_program_at_a_glance(as_user, client, pat, gina, maya_teen, maya, episode):
    import uuid

    from backto.capabilities.diary.models import DiaryEntry
    from backto.capabilities.goals import actions as goal_actions
    from backto.capabilities.wins.models import Win
    from tests.goals.conftest import LEVELS

    goal_actions.goal_create(
        by=pat, episode=episode, title="Walk to class", discipline="pt", **LEVELS
    )
    Win.objects.create(patient=maya, text="Went to practice", happened_on=TODAY, added_by=gina)
    DiaryEntry.objects.create(
        patient=maya,
        day=TODAY,
        respondent="child",
        author=maya_teen,
        answers={"mood": 0},
        instrument_id="daily-diary",
        instrument_version="1.0.0",
        safety_alert=True,
        idempotency_key=uuid.uuid4(),
    )
    staff_page = as_user(pat).get(url(maya)).content.decode()
    assert "Walk to class" in staff_page and "Went to practice" in staff_page
    assert "safety answer" in staff_page
    client.logout()
    family_page = as_user(gina).get(url(maya)).content.decode()
    assert "Went to practice" in family_page
    assert "safety answer" not in family_page
