from django.urls import reverse

from backto.access.patients.models import CareTeamMember
from tests.conftest import audited


def url(episode):
    return reverse("care_team", args=[episode.pk])


def test_it_lists_the_care_team(as_user, pat, episode):
    response = as_user(pat).get(url(episode))
    assert response.status_code == 200
    assert b"Pat PT" in response.content
    assert audited("view", object_type="episode", actor_id=pat.pk)


def test_it_adds_a_clinician_who_then_sees_the_child(as_user, pat, olive, maya, episode):
    response = as_user(pat).post(url(episode), {"clinician": olive.pk, "discipline": "pt"})
    assert response.status_code == 302
    assert CareTeamMember.objects.filter(episode=episode, clinician=olive).exists()
    assert audited("create", object_type="careteammember", patient_id=maya.pk)
    assert as_user(olive).get(reverse("patient_overview", args=[maya.pk])).status_code == 200


def test_it_refuses_staff_of_another_clinic(as_user, pat, elsa, episode):
    response = as_user(pat).post(url(episode), {"clinician": elsa.pk, "discipline": "pt"})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not CareTeamMember.objects.filter(clinician=elsa).exists()


def test_it_keeps_one_lead(as_user, pat, olive, episode):
    client = as_user(pat)
    client.post(url(episode), {"clinician": olive.pk, "discipline": "ot", "lead": "on"})
    assert list(CareTeamMember.objects.filter(episode=episode, is_lead=True)) == [
        CareTeamMember.objects.get(clinician=olive)
    ]
    pat_member = CareTeamMember.objects.get(clinician=pat)
    client.post(reverse("care_team_lead", args=[episode.pk, pat_member.pk]))
    assert CareTeamMember.objects.get(is_lead=True).clinician == pat


def test_it_removes_a_member(as_user, pat, olive, cora, episode):
    member = CareTeamMember.objects.create(episode=episode, clinician=olive, discipline="ot")
    as_user(cora).post(reverse("care_team_remove", args=[episode.pk, member.pk]))
    assert not CareTeamMember.objects.filter(pk=member.pk).exists()
    assert audited("delete", object_type="careteammember", detail="removed olive")


def test_it_returns_403_to_the_admin_managing_the_team(as_user, ada, olive, episode):
    assert (
        as_user(ada).post(url(episode), {"clinician": olive.pk, "discipline": "pt"}).status_code
        == 403
    )
    assert as_user(ada).get(url(episode)).status_code == 200


def test_it_returns_404_to_a_pt_off_the_care_team(as_user, olive, episode):
    assert as_user(olive).get(url(episode)).status_code == 404
    assert (
        as_user(olive).post(url(episode), {"clinician": olive.pk, "discipline": "pt"}).status_code
        == 404
    )
    assert not CareTeamMember.objects.filter(clinician=olive).exists()
