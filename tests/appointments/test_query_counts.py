"""The appointment pages cost the same queries for a few appointments or many: a child's page,
the clinician's week, the coordinator's clinic week, the family's week and their home."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.access.patients import actions as patients
from backto.access.patients.models import Guardianship
from tests.appointments.conftest import at, book
from tests.conftest import TODAY, years_ago


def queries(client, url, data=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(captured)


def fill(pat, patient, count, start_days=1):
    for n in range(count):
        day = TODAY + timedelta(days=start_days + n % 6)
        book(pat, patient, starts_at=at(day, 8 + n % 9, 5 * (n // 9)), clinician=pat)


def test_the_childs_page(as_user, pat, maya, episode):
    client = as_user(pat)
    url = reverse("appointments", args=[maya.pk])
    fill(pat, maya, 2)
    few = queries(client, url)
    fill(pat, maya, 20)
    book(pat, maya, starts_at=at(TODAY - timedelta(days=3), 9))
    assert queries(client, url) == few


def test_the_week(as_user, pat, cora, clinic, maya, episode):
    client = as_user(pat)
    start = {"start": TODAY.isoformat()}
    fill(pat, maya, 2, start_days=0)
    few = queries(client, reverse("week"), start)
    others = []
    for n in range(5):
        child = patients.patient_register(
            by=cora, clinic=clinic, legal_name=f"Child {n}", date_of_birth=years_ago(9)
        )
        episode = patients.episode_open(by=cora, patient=child, referral_date=TODAY)
        patients.care_team_add(by=cora, episode=episode, clinician=pat, discipline="pt")
        others.append(child)
        fill(pat, child, 4, start_days=0)
    assert queries(client, reverse("week"), start) == few
    coordinator = as_user(cora)
    everyone = queries(coordinator, reverse("week"), {**start, "clinician": "all"})
    for child in others:
        fill(pat, child, 3, start_days=0)
    assert queries(coordinator, reverse("week"), {**start, "clinician": "all"}) == everyone


def test_the_family_week(as_user, gina, pat, cora, clinic, maya, episode):
    client = as_user(gina)
    fill(pat, maya, 1)
    week = queries(client, reverse("family_week"))
    for n in range(3):
        child = patients.patient_register(
            by=cora, clinic=clinic, legal_name=f"Sibling {n}", date_of_birth=years_ago(8)
        )
        patients.episode_open(by=cora, patient=child, referral_date=TODAY)
        Guardianship.objects.create(guardian=gina, patient=child, relationship="mother")
        fill(cora, child, 5)
    fill(pat, maya, 10)
    assert queries(client, reverse("family_week")) == week


def test_this_week_on_the_home_is_one_query_for_every_child(gina, pat, cora, clinic, maya, episode):
    from backto.capabilities.appointments.dashboard import this_week
    from backto.core.dashboard import FamilyChild, FamilyHome

    def asked(children):
        page = FamilyHome(
            request=None,
            viewer=gina,
            children=[FamilyChild(patient=c, episode=None) for c in children],
            today=TODAY,
        )
        with CaptureQueriesContext(connection) as captured:
            found = this_week(page)
        return len(captured), found

    fill(pat, maya, 2)
    one, found = asked([maya])
    assert one == 1 and len(found[maya.pk][0].data["appointments"]) == 2
    siblings = []
    for n in range(3):
        child = patients.patient_register(
            by=cora, clinic=clinic, legal_name=f"Sibling {n}", date_of_birth=years_ago(8)
        )
        patients.episode_open(by=cora, patient=child, referral_date=TODAY)
        fill(cora, child, 4)
        siblings.append(child)
    count, found = asked([maya, *siblings])
    assert count == 1 and set(found) == {maya.pk, *(c.pk for c in siblings)}
