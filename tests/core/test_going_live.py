"""A clinic's first week, as a new clinic lives it, on whichever database the suite runs on:
`backto clinic create`, the admin's one-time link, a PT and a family invited, the family's
forgotten password reset by email, and the clinic's number on the family's home."""

import re
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from backto.access.accounts.models import Clinic, User
from backto.access.patients.models import Patient
from tests.conftest import PASSWORD, years_ago

NEW_PASSWORD = "a brand new passphrase"


def _path(text: str, pattern: str) -> str:
    match = re.search(rf"https?://[^/\s]+({pattern})", text)
    assert match, text
    return match.group(1)


def _accept(link: str, username: str) -> Client:
    client = Client()
    response = client.post(
        link,
        {"username": username, "password": PASSWORD, "password_again": PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def test_a_new_clinic_goes_live_and_its_first_week_works(db):
    out = StringIO()
    call_command(
        "clinic",
        "create",
        "--name",
        "Lakeside Pain Program",
        "--admin-email",
        "lead@lakeside.example.org",
        "--time-zone",
        "America/Chicago",
        stdout=out,
    )
    admin = _accept(_path(out.getvalue(), r"/invite/\S+/"), "lakeside-lead")
    clinic = Clinic.objects.get(slug="lakeside-pain-program")

    response = admin.post(
        reverse("clinic_settings"),
        {
            "name": clinic.name,
            "phone": "(555) 010-2000",
            "hours": "Mon–Fri 8–5",
            "crisis_line": "988",
            "help_message": "If your child is not safe, call 988 or 911 now.",
            "time_zone": "America/Chicago",
            "paper_size": "letter",
            "language": "en",
        },
    )
    assert response.status_code == 302

    mail.outbox.clear()
    admin.post(
        reverse("staff_list"),
        {
            "email": "pt@lakeside.example.org",
            "display_name": "Robin",
            "roles": "physical_therapist",
        },
    )
    pt = _accept(_path(mail.outbox[-1].body, r"/invite/\S+/"), "robin")
    assert pt.get(reverse("clinician_home")).status_code == 200

    admin.post(
        reverse("patient_register"),
        {
            "legal_name": "Ivy Chen",
            "date_of_birth": years_ago(11).isoformat(),
            "sex": "female",
            "languages": "English",
        },
    )
    ivy = Patient.objects.get(clinic=clinic)
    mail.outbox.clear()
    admin.post(
        reverse("family_list"),
        {
            "email": "mum@example.org",
            "display_name": "Mei Chen",
            "kind": "guardian",
            "patient": ivy.pk,
            "relationship": "mother",
        },
    )
    _accept(_path(mail.outbox[-1].body, r"/invite/\S+/"), "mei")

    # A week later Mei has forgotten her password.
    mail.outbox.clear()
    family = Client()
    family.post(reverse("password_reset"), {"email": "MUM@example.org"})
    link = _path(mail.outbox[-1].body, r"/accounts/reset/\S+/")
    form = family.get(link)["Location"]
    family.post(form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert (
        family.post(reverse("login"), {"username": "mei", "password": NEW_PASSWORD}).status_code
        == 302
    )
    home = family.get(reverse("family_home")).content.decode()
    assert "Ivy" in home and "(555) 010-2000" in home

    assert set(User.objects.filter(clinic=clinic).values_list("username", flat=True)) == {
        "lakeside-lead",
        "robin",
        "mei",
    }
