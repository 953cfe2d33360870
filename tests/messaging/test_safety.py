"""A family's message with words that suggest self-harm raises the diary's safety alert (private
in the teen's own conversation), the family sees the clinic's help message and never a reply,
and the alert's page shows the message's words to the care team."""

import uuid

from django.core import mail
from django.db import transaction
from django.urls import reverse

from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.alerts.queries import open_alerts_for
from backto.capabilities.messaging.actions import message_send
from backto.capabilities.messaging.models import Message
from backto.capabilities.messaging.safety import after_send_help, raise_alert_if_needed
from tests.conftest import ZONE, audited

FLAGGED = "I can't do this anymore, I want to kill myself"


def test_a_guardians_flagged_message_raises_the_alert_with_the_phrases_found(
    send, family, gina, maya, episode, pat
):
    mail.outbox.clear()
    message = send(gina, family, FLAGGED)
    message.refresh_from_db()
    assert message.safety_words
    alert = SafetyAlert.objects.get()
    assert (alert.source, alert.source_id, alert.respondent) == ("message", message.pk, "parent")
    assert alert.items == ["kill myself", "can't go on"]
    assert alert.patient == maya and alert.episode == episode and not alert.private
    assert audited("create", object_type="safetyalert", patient_id=maya.pk)
    # The care team is emailed at once, with a link and no words or name.
    [email] = [m for m in mail.outbox if m.to == [pat.email] and "alert" in m.body]
    assert reverse("safety_alert", args=[alert.pk]) in email.body
    for secret in ("kill", "Maya", "Lindqvist", "anymore"):
        assert secret not in email.body and secret not in email.subject


def test_the_teens_own_conversation_raises_a_private_alert(
    send, teen_conversation, maya_teen, gina, pat, cora, episode
):
    send(maya_teen, teen_conversation, "sometimes i think about suicide")
    alert = SafetyAlert.objects.get()
    assert alert.private and alert.respondent == "child" and alert.items == ["suicide"]
    assert list(SafetyAlert.objects.visible_to(gina)) == []
    assert list(SafetyAlert.objects.visible_to(cora)) == []  # a coordinator off the team
    assert [a.pk for a in open_alerts_for(pat)] == [alert.pk]


def test_a_teen_in_the_familys_conversation_raises_an_alert_the_family_may_know_of(
    send, family, maya_teen, episode
):
    send(maya_teen, family, "I want to die")
    alert = SafetyAlert.objects.get()
    assert not alert.private and alert.respondent == "child"


def test_ordinary_words_and_pain_talk_raise_nothing(send, family, gina, maya_teen):
    message = send(gina, family, "This pain is killing her. Can we move PT to Thursday?")
    assert not Message.objects.get(pk=message.pk).safety_words
    assert not SafetyAlert.objects.exists()
    assert after_send_help(message) is None


def test_the_care_teams_words_are_never_checked(send, family, pat):
    message = send(pat, family, "If she ever says she wants to kill herself, call 988.")
    assert not Message.objects.get(pk=message.pk).safety_words
    assert not SafetyAlert.objects.exists()
    assert after_send_help(message) is None


def test_each_flagged_message_raises_its_own_alert(send, family, gina, episode):
    send(gina, family, "she said she wants to die")
    send(gina, family, "she said it again: she wants to die")
    assert SafetyAlert.objects.count() == 2


def test_a_message_sent_again_on_a_flaky_connection_raises_one_alert(send, family, gina):
    key = uuid.uuid4()
    send(gina, family, FLAGGED, idempotency_key=key)
    again, created = message_send(by=gina, conversation=family, body=FLAGGED, idempotency_key=key)
    assert not created and again.safety_words
    assert Message.objects.count() == 1 and SafetyAlert.objects.count() == 1


def test_called_on_its_own_it_says_whether_it_raised_an_alert(send, family, gina, pat):
    message = send(gina, family, "Thank you!")
    with transaction.atomic():
        assert not raise_alert_if_needed(by=gina, message=message)
        message.body = "i wanna die"
        assert raise_alert_if_needed(by=gina, message=message)
    assert Message.objects.get(pk=message.pk).safety_words
    reply = send(pat, family, "i wanna die")  # quoted by the team: not checked
    with transaction.atomic():
        assert not raise_alert_if_needed(by=pat, message=reply)


def test_the_family_sees_the_clinics_help_message_with_its_numbers_not_a_reply(
    send, family, gina, clinic
):
    clinic.phone = "(555) 010-0100"
    clinic.crisis_line = "Children's hospital on-call line, (555) 010-0999"
    clinic.save()
    message = send(gina, family, FLAGGED)
    message.refresh_from_db()
    help = after_send_help(message)
    assert help is not None and str(help) == clinic.help_message and help.clinic == clinic
    # Nothing was written into the conversation in anyone's name.
    assert list(Message.objects.values_list("author_id", flat=True)) == [gina.pk]


def test_the_alert_page_shows_the_message_its_time_and_the_conversation(
    as_user, send, family, gina, pat, maya
):
    message = send(gina, family, FLAGGED)
    alert = SafetyAlert.objects.get()
    page = as_user(pat).get(reverse("safety_alert", args=[alert.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "What was written" in html and "A message to the care team" in html
    assert "I can&#x27;t do this anymore, I want to kill myself" in html
    assert reverse("conversation", args=[family.pk]) in html
    assert "kill myself, can&#x27;t go on" in html
    assert "diary calendar" not in html and "the questionnaire" not in html
    written = message.created_at.astimezone(ZONE)  # the clinic's time
    assert f"{written:%A} {written.day} {written:%B %Y, %H:%M}" in html


def test_a_withdrawn_message_still_shows_its_words_to_the_team_marked_withdrawn(
    as_user, send, family, gina, pat
):
    from backto.capabilities.messaging.actions import message_withdraw

    message = send(gina, family, FLAGGED)
    message_withdraw(by=gina, message=message)
    alert = SafetyAlert.objects.get()
    assert alert.is_open  # withdrawing the words does not close the alert
    html = as_user(pat).get(reverse("safety_alert", args=[alert.pk])).content.decode()
    assert "want to kill myself" in html and "Withdrawn by its author" in html


def test_the_teens_private_alert_page_is_not_found_for_the_guardian_and_coordinator(
    as_user, send, teen_conversation, maya_teen, gina, cora, pat, episode
):
    send(maya_teen, teen_conversation, "I hurt myself again")
    alert = SafetyAlert.objects.get()
    url = reverse("safety_alert", args=[alert.pk])
    assert as_user(gina).get(url).status_code == 404
    assert as_user(cora).get(url).status_code == 404
    assert as_user(pat).get(url).status_code == 200


def test_the_clinicians_home_lists_the_message_alert(as_user, send, family, gina, pat):
    send(gina, family, FLAGGED)
    home = as_user(pat).get(reverse("clinician_home")).content.decode()
    assert "Safety alerts to acknowledge (1)" in home
    assert "message to the care team" in home
