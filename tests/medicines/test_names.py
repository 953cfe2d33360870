"""The clinic's short list of medicine names: the clinic admin keeps it; it starts with a few
common names and is written only when the clinic first changes it."""

from django.urls import reverse

from backto.capabilities.medicines.models import MedicineName
from backto.capabilities.medicines.vocabulary import STARTER_NAMES
from tests.conftest import audited


def test_a_clinic_starts_with_the_starter_names_and_nothing_written(as_user, ada):
    page = as_user(ada).get(reverse("medicine_names")).content.decode()
    assert all(name in page for name in STARTER_NAMES)
    assert not MedicineName.objects.exists()
    assert audited("view", object_type="page", object_id="medicine_names")


def test_adding_a_name_keeps_the_starter_ones_too(as_user, ada, clinic):
    response = as_user(ada).post(reverse("medicine_names"), {"name": "  Duloxetine "})
    assert response.status_code == 302
    names = set(MedicineName.objects.filter(clinic=clinic).values_list("name", flat=True))
    assert names == {*STARTER_NAMES, "Duloxetine"}
    assert audited("create", object_type="medicinename")


def test_a_name_twice_or_empty_is_sent_back(as_user, ada):
    client = as_user(ada)
    response = client.post(reverse("medicine_names"), {"name": "ibuprofen"})
    assert response.status_code == 400
    assert "on the list already" in str(response.context["form"].errors["name"])
    assert client.post(reverse("medicine_names"), {"name": " "}).status_code == 400


def test_a_hidden_name_is_no_longer_offered_but_a_childs_entry_keeps_it(
    as_user, ada, gina, maya, episode, clinic
):
    client = as_user(ada)
    client.post(reverse("medicine_names_start"))
    row = MedicineName.objects.get(clinic=clinic, name="Gabapentin")
    prefix = f"n{row.pk}"
    as_user(gina).post(
        reverse("medicine_list", args=[maya.pk]), {"listed_name": "Gabapentin", "other_name": ""}
    )
    response = as_user(ada).post(
        reverse("medicine_name_save", args=[row.pk]), {f"{prefix}-new_name": "Gabapentin"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert not row.active
    assert audited("update", object_type="medicinename", detail="hidden")
    page = as_user(gina).get(reverse("medicine_list", args=[maya.pk])).content.decode()
    assert '<option value="Gabapentin"' not in page
    assert "Gabapentin" in page  # still on Maya's list


def test_only_those_who_keep_names_open_the_page(as_user, pat, gina, cora):
    assert as_user(pat).get(reverse("medicine_names")).status_code == 403
    assert as_user(gina).get(reverse("medicine_names")).status_code == 403
    assert as_user(cora).get(reverse("medicine_names")).status_code == 200


def test_another_clinics_name_is_not_found(as_user, ada, elsa, other_clinic):
    theirs = MedicineName.objects.create(clinic=other_clinic, name="Ibuprofen", changed_by=elsa)
    response = as_user(ada).post(
        reverse("medicine_name_save", args=[theirs.pk]), {f"n{theirs.pk}-new_name": "Mine"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Ibuprofen"
