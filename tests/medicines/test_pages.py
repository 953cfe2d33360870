"""The medicine list's pages: the family and the care team keep it, a physician confirms it;
403 for a role that may not, 404 outside the circle; every page says "talk with your doctor"."""

import re
from datetime import timedelta

from django.urls import reverse

from backto.capabilities.medicines.models import Medicine
from backto.capabilities.medicines.queries import list_token, medicines_of
from tests.conftest import TODAY, audited

DOCTOR = "talk with your doctor"


def list_url(patient):
    return reverse("medicine_list", args=[patient.pk])


def entry(**fields):
    return {
        "listed_name": "",
        "other_name": "",
        "purpose": "",
        "how_often": "",
        "started_on": "",
        "stopped_on": "",
        "helped": "",
        **fields,
    }


def test_a_pt_adds_a_medicine_from_the_clinics_list(as_user, pat, maya, episode):
    client = as_user(pat)
    page = client.get(list_url(maya)).content.decode()
    assert DOCTOR in page and "Ibuprofen" in page
    assert "dose" not in re.sub(r"(no|a) doses?", "", page, flags=re.I)  # no dose field
    response = client.post(
        list_url(maya),
        entry(
            listed_name="Ibuprofen",
            purpose="Foot pain",
            how_often="On bad days",
            started_on=(TODAY - timedelta(days=40)).isoformat(),
            started_month_only="on",
        ),
    )
    assert response.status_code == 302
    medicine = Medicine.objects.get()
    assert (medicine.name, medicine.from_list, medicine.started_precision) == (
        "Ibuprofen",
        True,
        "month",
    )
    assert audited("create", object_type="medicine", patient_id=maya.pk)
    assert "Not confirmed yet" in client.get(list_url(maya)).content.decode()


def test_a_guardian_writes_one_not_on_the_list_in_her_words(as_user, gina, maya, episode):
    client = as_user(gina)
    response = client.post(
        list_url(maya), entry(other_name="Magnesium", helped="Not really, she says")
    )
    assert response.status_code == 302
    page = client.get(list_url(maya)).content.decode()
    assert "Magnesium" in page and "Not really, she says" in page and DOCTOR in page
    assert Medicine.objects.get().from_list is False


def test_an_empty_name_is_sent_back_naming_the_field(as_user, gina, maya, episode):
    response = as_user(gina).post(list_url(maya), entry(purpose="Sleep"))
    assert response.status_code == 400
    assert response.context["form"].errors["other_name"]
    assert not Medicine.objects.exists()


def test_a_future_start_is_sent_back(as_user, gina, maya, episode):
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = as_user(gina).post(list_url(maya), entry(other_name="Iron", started_on=tomorrow))
    assert response.status_code == 400
    assert "today or a day before" in str(response.context["form"].errors["started_on"])


def test_a_teen_keeps_her_own_list(as_user, maya_teen, maya, episode):
    client = as_user(maya_teen)
    page = client.get(list_url(maya)).content.decode()
    assert "My medicines" in page and "Your parents or guardians see this list too" in page
    assert client.post(list_url(maya), entry(other_name="Melatonin")).status_code == 302


def test_a_physician_confirms_the_list(as_user, team_phil, melatonin, maya):
    client = as_user(team_phil)
    page = client.get(list_url(maya)).content.decode()
    assert "Confirm the list as shown" in page
    response = client.post(
        reverse("medicines_confirm", args=[maya.pk]), {"shown": list_token(medicines_of(maya))}
    )
    assert response.status_code == 302
    melatonin.refresh_from_db()
    assert melatonin.confirmed_by == team_phil
    page = client.get(list_url(maya)).content.decode()
    assert "confirmed the whole list" in page and "Confirm the list as shown" not in page


def test_a_pt_has_no_confirm_button_and_is_refused_it(as_user, pat, melatonin, maya):
    client = as_user(pat)
    assert "Confirm the list as shown" not in client.get(list_url(maya)).content.decode()
    response = client.post(
        reverse("medicines_confirm", args=[maya.pk]), {"shown": list_token(medicines_of(maya))}
    )
    assert response.status_code == 403
    assert audited("permission_denied", detail="403 medicine_list_confirm")


def test_an_edit_clears_the_confirmation(as_user, team_phil, pat, melatonin, maya):
    as_user(team_phil).post(
        reverse("medicines_confirm", args=[maya.pk]), {"shown": list_token(medicines_of(maya))}
    )
    client = as_user(pat)
    page = client.get(reverse("medicine_edit", args=[melatonin.pk])).content.decode()
    assert "Saving a change asks them to confirm it again" in page and DOCTOR in page
    response = client.post(
        reverse("medicine_edit", args=[melatonin.pk]),
        entry(listed_name="Melatonin", purpose="Sleep", how_often="Some evenings"),
    )
    assert response.status_code == 302
    melatonin.refresh_from_db()
    assert melatonin.how_often == "Some evenings" and not melatonin.confirmed


def test_a_pt_marks_one_stopped(as_user, pat, melatonin, maya):
    response = as_user(pat).post(
        reverse("medicine_stop", args=[melatonin.pk]), {"stopped_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    melatonin.refresh_from_db()
    assert melatonin.stopped_on == TODAY
    assert audited("update", object_type="medicine", detail="stopped_on")


def test_the_clinic_admin_reads_but_may_not_change_it(as_user, ada, melatonin, maya):
    client = as_user(ada)
    assert client.get(list_url(maya)).status_code == 200
    assert client.post(list_url(maya), entry(other_name="Iron")).status_code == 403
    assert client.get(reverse("medicine_edit", args=[melatonin.pk])).status_code == 403
    assert not Medicine.objects.filter(name="Iron").exists()


def test_it_returns_404_outside_the_circle(as_user, otto, olive, elsa, melatonin, maya):
    for outsider in (otto, olive, elsa):
        client = as_user(outsider)
        assert client.get(list_url(maya)).status_code == 404
        assert client.post(list_url(maya), entry(other_name="Iron")).status_code == 404
        assert client.get(reverse("medicine_edit", args=[melatonin.pk])).status_code == 404
        assert (
            client.post(
                reverse("medicine_stop", args=[melatonin.pk]), {"stopped_on": TODAY.isoformat()}
            ).status_code
            == 404
        )
    assert Medicine.objects.count() == 1 and not Medicine.objects.get().stopped


def test_the_record_and_the_family_home_lead_to_the_list(as_user, gina, pat, melatonin, maya):
    url = list_url(maya)
    assert url in as_user(pat).get(reverse("patient_overview", args=[maya.pk])).content.decode()
    home = as_user(gina).get(reverse("family_home")).content.decode()
    assert url in home and DOCTOR in home


def test_reading_the_list_is_audited(as_user, gina, maya, episode):
    as_user(gina).get(list_url(maya))
    assert audited("view", object_type="patient", patient_id=maya.pk, detail="medicine_list")
