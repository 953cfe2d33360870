"""`care_team_patients`: a person's own caseload, the children on their care teams (of any episode)
among those they may open, whatever the reach of their role (the caseload's "mine" and the safety
alerts of its notices read it)."""

from datetime import timedelta

import pytest

from backto.access.patients import actions
from backto.access.patients.access import care_team_patients
from backto.access.patients.models import CareTeamMember, Discipline
from tests.conftest import TODAY, make_user


def ids(user):
    return set(care_team_patients(user).values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_clinician_has_the_children_of_their_care_teams_once_each(
    clinic, cora, pat, olive, maya, leo, episode
):
    assert ids(pat) == {maya.pk}
    assert ids(olive) == set()
    # A second episode with the same clinician, and one with another clinician: each child once.
    actions.episode_transition(by=cora, episode=episode, target="withdrawn", note="moved away")
    again = actions.episode_open(
        by=cora, patient=maya, referral_date=TODAY + timedelta(days=1), referral_reason="Back"
    )
    actions.care_team_add(by=cora, episode=again, clinician=pat, discipline=Discipline.PT)
    other = actions.episode_open(by=cora, patient=leo, referral_date=TODAY, referral_reason="Knee")
    actions.care_team_add(by=cora, episode=other, clinician=olive, discipline=Discipline.PT)
    assert list(care_team_patients(pat).values_list("pk", flat=True)) == [maya.pk]
    assert ids(olive) == {leo.pk}


@pytest.mark.django_db
def test_a_clinic_wide_role_has_only_the_teams_it_is_on(clinic, cora, ada, maya, leo, episode):
    assert ids(cora) == set() and ids(ada) == set()  # they reach both children, on no team
    other = actions.episode_open(by=cora, patient=leo, referral_date=TODAY, referral_reason="Knee")
    actions.care_team_add(by=cora, episode=other, clinician=cora, discipline="coordination")
    assert ids(cora) == {leo.pk}


@pytest.mark.django_db
def test_never_a_child_of_another_clinic_nor_for_a_family(
    clinic, other_clinic, cora, pat, gina, maya, episode
):
    elsewhere = make_user(other_clinic, "erin", roles=("coordinator",))
    child = actions.patient_register(
        by=elsewhere,
        clinic=other_clinic,
        legal_name="Noor Haddad",
        date_of_birth=TODAY,
        sex="female",
    )
    there = actions.episode_open(
        by=elsewhere, patient=child, referral_date=TODAY, referral_reason="x"
    )
    # A row that should never exist (a clinician on another clinic's team) still gives nothing.
    CareTeamMember.objects.create(episode=there, clinician=pat, discipline=Discipline.PT)
    assert ids(pat) == {maya.pk}
    assert ids(gina) == set()
