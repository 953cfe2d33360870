"""The clinic admin's first-run checklist, the test email, and where clinic-wide roles land."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from backto.access.accounts.models import Clinic
from backto.capabilities.backup.models import BackupRecord
from backto.capabilities.clinicsetup.first_run import first_run_checklist
from tests.conftest import audited, make_user

HOME = reverse("clinician_home")


def _checklist(page: str) -> str:
    return page.split('id="first-run"')[1].split("</section>")[0] if "first-run" in page else ""


def test_a_new_clinics_admin_sees_every_step_until_it_is_done(as_user, ada, clinic):
    client = as_user(ada)
    steps = _checklist(client.get(HOME).content.decode())
    assert "Invite your staff" in steps and "Send me a test email" in steps
    assert "Our backups are set up" in steps and "phone, hours" in steps
    assert "No <code>backto backup</code> has been recorded yet" in steps

    response = client.post(
        reverse("clinic_settings"),
        {
            "name": clinic.name,
            "phone": "555-0100",
            "hours": "Mon–Fri 8am–5pm",
            "crisis_line": "988",
            "address": "1 Lake Road",
            "when_to_call": "Call us if pain stops your child going to school for two days.",
            "help_message": clinic.help_message,
            "time_zone": "America/Chicago",
            "paper_size": "letter",
            "language": "en",
            "family_rates_goals": "on",
        },
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert (clinic.phone, clinic.time_zone) == ("555-0100", "America/Chicago")

    client.post(reverse("clinic_test_email"))
    (message,) = mail.outbox
    assert message.to == [ada.email] and clinic.name in message.subject
    link = re.search(r"https?://\S+(/manage/clinic/email-works/\S+/)", message.body).group(1)
    assert client.get(link).status_code == 302
    client.post(reverse("clinic_backups_confirm"))
    make_user(clinic, "pat2", roles=("physical_therapist",))
    steps = _checklist(client.get(HOME).content.decode())
    # Only the licensed wording is left (no clinic holds it by default).
    assert steps.count("(done)") == 4 and "Send me a test email" not in steps
    assert "Install the wording of the questionnaires" in steps
    # each questionnaire without wording, with the two ways to install it
    assert 'href="/manage/questionnaires/fdi-child/wording/"' in steps
    assert "a FHIR Questionnaire" in steps
    assert audited("update", object_type="clinic", detail="email delivery confirmed")
    assert audited("update", object_type="clinic", detail="backups confirmed")


def test_the_test_email_link_works_only_for_who_asked_for_it(as_user, ada, clinic, other_clinic):
    as_user(ada).post(reverse("clinic_test_email"))
    link = re.search(r"(/manage/clinic/email-works/\S+/)", mail.outbox[0].body).group(1)
    other_admin = make_user(clinic, "ada2", roles=("clinic_admin",))
    assert as_user(other_admin).get(link).status_code == 404
    assert as_user(ada).get(link.replace("email-works/", "email-works/x")).status_code == 404
    assert Clinic.objects.get(pk=clinic.pk).email_confirmed_at is None


def test_the_checklist_steps_are_for_admins_only(as_user, pat, cora):
    assert as_user(pat).post(reverse("clinic_test_email")).status_code == 403
    assert as_user(cora).post(reverse("clinic_backups_confirm")).status_code == 403
    assert "first-run" not in as_user(cora).get(HOME).content.decode()


def test_a_bad_time_zone_is_named(as_user, ada, clinic):
    response = as_user(ada).post(
        reverse("clinic_settings"),
        {"name": clinic.name, "help_message": "Call 988.", "time_zone": "Mars/Base"},
    )
    assert "Mars/Base is not one of the available choices" in response.content.decode()


def test_coordinators_and_admins_start_on_the_whole_clinic(as_user, cora, ada, maya, episode):
    for user in (cora, ada):
        page = as_user(user).get(HOME).content.decode()
        assert "All patients at" in page and "Maya" in page
    mine = as_user(cora).get(HOME, {"show": "mine"}).content.decode()
    assert "My patients" in mine and "Maya" not in mine


def a_backup(hours_ago: float) -> BackupRecord:
    return BackupRecord.objects.create(
        made_at=timezone.now() - timedelta(hours=hours_ago),
        host="clinic-server",
        location="/var/backups/backto/nightly",
        size_bytes=52_000_000,
        database_vendor="sqlite",
        media_files=14,
    )


def test_a_recent_backup_ticks_the_backups_step_and_says_when_and_where(as_user, ada, clinic):
    made = a_backup(hours_ago=3)
    steps = _checklist(as_user(ada).get(HOME).content.decode())
    backups = steps.split("backed up every day")[1]
    assert "(done)" in backups and "Our backups are set up" not in steps
    local = timezone.localtime(made.made_at, ZoneInfo(clinic.time_zone))
    assert f"Last <code>backto backup</code>: {local:%-d %b %Y}" in backups
    assert "3\xa0hours ago" in backups and "49.6\xa0MB" in backups
    assert "<code>clinic-server:/var/backups/backto/nightly</code>" in backups


def test_a_backup_older_than_two_days_is_shown_but_does_not_count(as_user, ada, clinic):
    a_backup(hours_ago=60)
    steps = _checklist(as_user(ada).get(HOME).content.decode())
    assert "Our backups are set up" in steps
    assert "2\xa0days, 12\xa0hours ago" in steps and "when one ran in the last two days" in steps


@pytest.mark.parametrize(("hours_ago", "done"), [(47.9, True), (48.1, False), (500, False)])
def test_a_backup_counts_for_two_days(ada, clinic, hours_ago, done):
    a_backup(hours_ago=hours_ago)
    (backups,) = [
        item
        for item in first_run_checklist(clinic, by=ada, wording_missing=[("fdi-child", "FDI")])
        if item.key == "backups"
    ]
    assert backups.done is done and backups.last_backup is not None


def test_the_admins_word_still_counts_without_a_backup_command(ada, clinic):
    clinic.backups_confirmed_at = timezone.now() - timedelta(days=90)
    clinic.save()
    a_backup(hours_ago=24 * 30)  # an old `backto backup` from before the clinic moved host
    (backups,) = [
        item
        for item in first_run_checklist(clinic, by=ada, wording_missing=[("fdi-child", "FDI")])
        if item.key == "backups"
    ]
    assert backups.done
