"""`backto clinic create`: a real clinic from nothing, its first admin by a one-time link,
idempotent on the slug, bad input named, and no Django superuser."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.test import override_settings

from backto.access.accounts.models import Clinic, Invitation, PaperSize, User
from backto.audit.models import AuditEvent
from backto.capabilities.homeprogram.models import Exercise
from tests.conftest import PASSWORD


class DeliveringBackend(EmailBackend):
    """Stands for SMTP: not one of Django's print-only backends, and keeps mail in the outbox."""


def create(*args: str) -> str:
    out = StringIO()
    call_command("clinic", "create", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def link_in(output: str) -> str:
    return re.search(r"https?://\S+/invite/\S+/", output).group(0)


def accept(client, link: str, username: str = "ada") -> int:
    path = link.split("8000", 1)[1]
    return client.post(
        path,
        {
            "username": username,
            "display_name": "Ada",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    ).status_code


ARGS = ("--name", "Lakeside Pain Program", "--admin-email", "ada@lakeside.org")


def test_it_creates_a_clinic_with_its_defaults_and_a_link_for_its_first_admin(db, client):
    output = create(*ARGS, "--time-zone", "America/Chicago")
    clinic = Clinic.objects.get()
    assert (clinic.slug, clinic.time_zone, clinic.paper_size) == (
        "lakeside-pain-program",
        "America/Chicago",
        PaperSize.LETTER,
    )
    assert Exercise.objects.filter(clinic=clinic).count() > 5  # the starter library
    assert accept(client, link_in(output)) == 302
    admin = User.objects.get(username="ada")
    assert admin.clinic == clinic and admin.role_keys == {"clinic_admin"}
    assert client.get("/manage/staff/").status_code == 200  # signed in, and an admin
    events = AuditEvent.objects.filter(clinic_id=clinic.pk, actor_username="backto clinic create")
    assert {e.detail for e in events} >= {"clinic created", "invited the first clinic admin"}


def test_a_clinic_outside_the_united_states_prints_on_a4(db):
    create(*ARGS, "--time-zone", "Europe/Stockholm", "--slug", "lakeside")
    assert Clinic.objects.get(slug="lakeside").paper_size == PaperSize.A4


def test_it_is_idempotent_on_the_slug_and_only_the_newest_link_works(db, client):
    first = create(*ARGS)
    again = create(*ARGS, "--time-zone", "Europe/London")
    assert "already exists; nothing in it was changed" in again
    assert Clinic.objects.count() == 1 and Clinic.objects.get().time_zone == "America/New_York"
    assert Invitation.objects.count() == 1
    assert Exercise.objects.count() == Exercise.objects.values("name").distinct().count()
    assert accept(client, link_in(first)) == 404  # replaced by the second link
    assert accept(client, link_in(again)) == 302
    assert "already has an account" in create(*ARGS)


@override_settings(EMAIL_BACKEND="tests.core.test_clinic_create.DeliveringBackend")
def test_with_working_email_the_admin_is_sent_the_link(db, client):
    output = create(*ARGS)
    assert "/invite/" not in output and "on its way to ada@lakeside.org" in output
    (message,) = mail.outbox
    assert message.to == ["ada@lakeside.org"]
    assert accept(client, link_in(message.body)) == 302


def test_bad_input_names_each_field_and_writes_nothing(db):
    with pytest.raises(CommandError) as error:
        create("--name", "Lakeside", "--admin-email", "not-an-email", "--time-zone", "Mars/Base")
    assert "--admin-email:" in str(error.value) and "--time-zone: 'Mars/Base'" in str(error.value)
    assert not Clinic.objects.exists() and not AuditEvent.objects.exists()


def test_createsuperuser_points_to_clinic_create(db):
    with pytest.raises(CommandError, match="backto clinic create"):
        call_command("createsuperuser", "--noinput", "--username", "root", stdout=StringIO())
    assert not User.objects.exists()
