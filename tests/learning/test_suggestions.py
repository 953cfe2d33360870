"""The care team suggests pages to a family; the family reads them and says so."""

from django.urls import reverse

from backto.capabilities.learning.models import PageAssignment
from tests.conftest import audited

PAGE = {"page": "parents/pain-cycle", "note": "Before Thursday"}


def url(patient):
    return reverse("learning_suggestions", args=[patient.pk])


def test_a_pt_suggests_a_page_and_the_family_sees_it_at_home(as_user, pat, gina, maya, episode):
    response = as_user(pat).post(url(maya), PAGE)
    assert response.status_code == 302
    assignment = PageAssignment.objects.get()
    assert (assignment.patient, assignment.slug, assignment.assigned_by) == (
        maya,
        "pain-cycle",
        pat,
    )
    assert audited("create", object_type="pageassignment", patient_id=maya.pk)
    home = as_user(gina).get(reverse("family_home")).content.decode()
    assert "Pages the care team suggests" in home and "Before Thursday" in home


def test_suggesting_again_changes_only_the_note(as_user, pat, maya, episode):
    as_user(pat).post(url(maya), PAGE)
    as_user(pat).post(url(maya), {**PAGE, "note": "Any time"})
    assert PageAssignment.objects.get().note == "Any time"


def test_the_family_says_it_has_read_the_page(as_user, pat, gina, maya, episode):
    as_user(pat).post(url(maya), PAGE)
    assignment = PageAssignment.objects.get()
    client = as_user(gina)
    page = client.get(reverse("learning_page", args=["parents", "pain-cycle"])).content.decode()
    assert "I have read it" in page
    read = reverse("learning_suggestion_read", args=[assignment.pk])
    assert client.post(read).status_code == 302
    assignment.refresh_from_db()
    assert assignment.read_at is not None
    assert audited("update", object_type="pageassignment", detail="parents/pain-cycle read")
    assert "Pages the care team suggests" not in client.get(reverse("family_home")).content.decode()
    status = as_user(pat).get(url(maya)).content.decode()
    assert "read " in status and "not read yet" not in status


def test_the_family_cannot_suggest_and_the_care_team_cannot_mark_read(
    as_user, pat, gina, maya, episode
):
    assert as_user(gina).post(url(maya), PAGE).status_code == 403
    as_user(pat).post(url(maya), PAGE)
    read = reverse("learning_suggestion_read", args=[PageAssignment.objects.get().pk])
    assert as_user(pat).post(read).status_code == 403


def test_outside_the_circle_it_is_not_found(as_user, olive, elsa, otto, pat, maya, episode):
    assert as_user(olive).get(url(maya)).status_code == 404
    assert as_user(elsa).post(url(maya), PAGE).status_code == 404
    as_user(pat).post(url(maya), PAGE)
    assignment = PageAssignment.objects.get()
    read = reverse("learning_suggestion_read", args=[assignment.pk])
    assert as_user(otto).post(read).status_code == 404
    withdraw = reverse("learning_suggestion_withdraw", args=[assignment.pk])
    assert as_user(olive).post(withdraw).status_code == 404
    assert PageAssignment.objects.get().read_at is None


def test_a_hidden_or_unknown_page_cannot_be_suggested(as_user, pat, ada, maya, episode):
    as_user(ada).post(
        reverse("learning_page_visibility", args=["parents", "pain-cycle"]), {"hidden": "1"}
    )
    response = as_user(pat).post(url(maya), PAGE)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not PageAssignment.objects.exists()


def test_a_suggestion_is_withdrawn(as_user, pat, maya, episode):
    as_user(pat).post(url(maya), PAGE)
    assignment = PageAssignment.objects.get()
    as_user(pat).post(reverse("learning_suggestion_withdraw", args=[assignment.pk]))
    assert not PageAssignment.objects.exists()
    assert audited("delete", object_type="pageassignment", patient_id=maya.pk)
