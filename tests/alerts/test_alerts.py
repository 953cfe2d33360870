"""Safety alerts: raised with the answer, emailed to the care team without names, shown first on
their home page, and closed only by an acknowledgement with a note."""

import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from backto.capabilities.alerts import actions
from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.alerts.queries import newly_given
from backto.capabilities.diary.models import DiaryEntry
from tests.conftest import audited
from tests.diary.conftest import CHILD, today_url


@pytest.fixture
def alert(as_user, client, maya_teen, maya, episode):
    mail.outbox.clear()
    as_user(maya_teen).post(
        today_url(maya), dict(CHILD, mood="0", idempotency_key=str(uuid.uuid4()))
    )
    client.logout()
    return SafetyAlert.objects.get()


def test_the_lowest_diary_mood_raises_one_alert_and_emails_the_team(alert, maya, pat):
    entry = DiaryEntry.objects.get()
    assert (alert.source, alert.source_id, alert.items) == ("diary", entry.pk, ["How I felt"])
    assert alert.patient == maya and alert.is_open
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [pat.email]
    body = mail.outbox[0].body
    assert reverse("safety_alert", args=[alert.pk]) in body
    assert "Maya" not in body and "Lindqvist" not in body and "sad" not in body
    assert audited("create", object_type="safetyalert", patient_id=maya.pk)


def test_editing_the_entry_again_raises_nothing_new(alert, as_user, maya_teen, maya):
    as_user(maya_teen).post(
        today_url(maya), dict(CHILD, mood="0", idempotency_key=str(uuid.uuid4()))
    )
    assert SafetyAlert.objects.count() == 1


def test_a_safety_answer_given_again_after_the_alert_was_closed_alerts_again(
    alert, as_user, pat, maya_teen, maya
):
    def edit(**answers):
        as_user(maya_teen).post(
            today_url(maya), dict(CHILD, **answers, idempotency_key=str(uuid.uuid4()))
        )

    actions.safety_alert_acknowledge(by=pat, alert=alert, note="Called Maya's mother.")
    edit(mood="0", win="Read a chapter")  # the same answer kept: the team has been told
    assert SafetyAlert.objects.count() == 1
    edit(mood="2")
    edit(mood="0")  # said again, later in the day
    again = SafetyAlert.objects.exclude(pk=alert.pk).get()
    assert again.is_open and again.source_id == alert.source_id and again.items == ["How I felt"]
    edit(mood="2")
    edit(mood="0")  # while that one is open, the team has been told
    assert SafetyAlert.objects.count() == 2


def test_newly_given_keeps_only_answers_this_save_changed():
    before = {"mood": 0, "sleep": 1}
    assert newly_given(["mood"], before=before, after={"mood": 0}) == []
    assert newly_given(["mood"], before={}, after={"mood": 0}) == ["mood"]
    assert newly_given(["mood"], before={"mood": 2}, after={"mood": 0}) == ["mood"]


def test_the_alert_comes_first_on_the_care_teams_home_and_the_patient_page(
    alert, as_user, pat, maya
):
    home = as_user(pat).get(reverse("clinician_home")).content.decode()
    assert "Safety alerts to acknowledge (1)" in home
    assert home.index("Safety alerts to acknowledge") < home.index('id="caseload"')
    assert ">Safety answer<" in home  # also flagged on the caseload row
    overview = as_user(pat).get(reverse("patient_overview", args=[maya.pk])).content.decode()
    assert reverse("safety_alert", args=[alert.pk]) in overview


def test_the_alert_page_shows_the_answer_its_day_and_how_to_reach_the_family(
    alert, as_user, pat, gina, maya
):
    page = as_user(pat).get(reverse("safety_alert", args=[alert.pk])).content.decode()
    assert "How did you feel today?" in page  # the question
    assert "Very sad, scared or upset" in page  # and the answer given
    day = DiaryEntry.objects.get().day
    assert "Diary day" in page and f"{day:%A} {day.day} {day:%B %Y}" in page
    assert "Gina Lindqvist (mother)" in page and f"mailto:{gina.email}" in page
    assert "tel:" not in page.split('id="reach"')[1].split("</section>")[0]


def test_the_alert_page_gives_the_mobile_number_a_parent_gave_for_reminders(
    alert, as_user, pat, gina
):
    from backto.capabilities.notifications.models import NotificationSettings

    NotificationSettings.objects.create(user=gina, sms_enabled=True, phone="+15551234567")
    page = as_user(pat).get(reverse("safety_alert", args=[alert.pk])).content.decode()
    reach = page.split('id="reach"')[1].split("</section>")[0]
    assert 'href="tel:+15551234567"' in reach and f"mailto:{gina.email}" in reach


def test_the_alert_page_says_when_the_answer_was_changed_since(
    alert, as_user, pat, maya_teen, maya
):
    as_user(maya_teen).post(
        today_url(maya), dict(CHILD, mood="2", idempotency_key=str(uuid.uuid4()))
    )
    page = as_user(pat).get(reverse("safety_alert", args=[alert.pk])).content.decode()
    assert "Okay" in page and "changed since the alert was raised" in page


def test_acknowledging_needs_a_note_and_closes_the_alert(alert, as_user, pat, maya):
    client = as_user(pat)
    url = reverse("safety_alert", args=[alert.pk])
    assert client.get(url).status_code == 200
    page = client.post(url, {"note": "  "}).content.decode()
    assert "This field is required" in page
    alert.refresh_from_db()
    assert alert.is_open
    response = client.post(url, {"note": "Called Maya's mother; safety plan reviewed."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert not alert.is_open and alert.acknowledged_by == pat
    assert audited("update", object_type="safetyalert", detail="acknowledged")
    with pytest.raises(ValidationError, match="already acknowledged"):
        actions.safety_alert_acknowledge(by=pat, alert=alert, note="again")
    assert (
        "Safety alerts to acknowledge" not in client.get(reverse("clinician_home")).content.decode()
    )


def test_only_the_care_team_opens_an_alert(
    alert, as_user, client, gina, olive, elsa, ada, maya_teen
):
    url = reverse("safety_alert", args=[alert.pk])
    assert as_user(olive).get(url).status_code == 404
    assert as_user(elsa).get(url).status_code == 404
    assert as_user(ada).get(url).status_code == 403
    assert as_user(gina).get(url).status_code == 403
    assert as_user(maya_teen).get(url).status_code == 403
    assert audited("permission_denied", object_type="safetyalert")


@pytest.mark.django_db(transaction=True)
def test_an_alert_is_raised_only_inside_the_answers_transaction(maya, maya_teen):
    with pytest.raises(RuntimeError):
        actions.safety_alert_raise(
            by=maya_teen,
            patient=maya,
            episode=None,
            source="diary",
            source_id=1,
            respondent="child",
            items=["Mood"],
        )
