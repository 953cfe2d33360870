"""RelatedPerson (guardians) and Practitioner (staff)."""

from backto.audit.models import AuditEvent
from tests.conftest import make_user


def test_a_childs_guardians_are_related_persons(fhir, pat, maya, gina, episode):
    answer = fhir(pat, f"/fhir/RelatedPerson?patient={maya.pk}")
    assert len(answer.resources) == 1
    guardian = answer.resources[0]
    assert guardian["patient"] == {"reference": f"Patient/{maya.pk}"}
    assert guardian["relationship"][0]["coding"][0]["code"] == "MTH"
    assert guardian["name"][0]["text"] == "Gina Lindqvist"
    assert fhir(pat, f"/fhir/RelatedPerson/{guardian['id']}").status == 200
    event = AuditEvent.objects.filter(action="view", object_type="RelatedPerson").first()
    assert event is not None and event.patient_id == maya.pk


def test_guardians_are_hidden_outside_the_circle(fhir, ada, olive, elsa, maya, gina, otto, episode):
    link = gina.guardianships.get().pk
    assert fhir(olive, f"/fhir/RelatedPerson/{link}").status == 404
    assert fhir(elsa, f"/fhir/RelatedPerson/{link}").status == 404
    assert fhir(olive, "/fhir/RelatedPerson").ids == []
    assert fhir(ada, f"/fhir/RelatedPerson/{link}").status == 200  # family_manage, clinic-wide
    assert len(fhir(ada, "/fhir/RelatedPerson").ids) == 2


def test_staff_are_practitioners_of_their_own_clinic_only(fhir, pat, cora, elsa, clinic):
    retired = make_user(
        clinic, "rita", roles=("occupational_therapist",), display_name="Rita OT", is_active=False
    )
    answer = fhir(pat, "/fhir/Practitioner")
    assert set(answer.ids) == {str(pat.pk), str(cora.pk), str(retired.pk)}
    rita = fhir(pat, f"/fhir/Practitioner/{retired.pk}").body
    assert rita["active"] is False
    assert rita["qualification"] == [{"code": {"text": "Occupational therapist"}}]
    assert fhir(pat, f"/fhir/Practitioner/{elsa.pk}").status == 404
    assert fhir(elsa, f"/fhir/Practitioner/{pat.pk}").status == 404


def test_a_guardian_is_no_practitioner(fhir, pat, gina):
    assert fhir(pat, f"/fhir/Practitioner/{gina.pk}").status == 404
