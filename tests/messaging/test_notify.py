"""Who hears of a new message, and that no notification carries its words, the child's name or
its photo: push payloads decrypted on the device's side, texts as Twilio receives them (a local
stand-in for it), and emails as sent."""

import json
import re
import uuid
from datetime import datetime, time, timedelta
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import http_ece
import pytest
from django.core import mail
from django.urls import reverse

from backto.capabilities.messaging import notify
from backto.capabilities.messaging.actions import conversation_read
from backto.capabilities.messaging.models import StaffDelivery
from backto.capabilities.notifications.actions import channels_set
from backto.capabilities.notifications.models import PushSubscription
from tests.conftest import PINNED_AT, TODAY, audited, make_user
from tests.messaging.conftest import picture
from tests.notifications import conftest as stand_ins

# The push service and Twilio stand-ins, and a device's keys, of the notifications tests.
stub_server = stand_ins.stub_server
device = stand_ins.device
vapid_settings = stand_ins.vapid_settings

SECRET = "my ankle went purple and I think about dying"
TWILIO = "backto.capabilities.notifications.sms.TwilioSMSBackend"


@pytest.fixture
def sent(send, django_capture_on_commit_callbacks):
    """sent(by, conversation, body) -> the message, its notifications sent (on commit)."""

    def sending(by, conversation, body="Her ankle is swollen", **more):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return send(by, conversation, body, **more)

    return sending


def _to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_a_care_team_reply_tells_the_guardians_and_the_teen_not_its_author(
    sent, family, gina, maya_teen, pat
):
    message = sent(pat, family, "Ice it for 10 minutes and rest it tonight.")
    link = reverse("conversation", args=[family.pk])
    for person in (gina, maya_teen):
        [email] = _to(person)
        assert email.subject == "A message from your care team"
        assert link in email.body and "Ice" not in email.body
    assert _to(pat) == []
    assert message.pk


def test_a_reply_in_the_teens_own_conversation_tells_the_teen_alone(
    sent, teen_conversation, gina, maya_teen, pat
):
    sent(pat, teen_conversation, "Thanks for telling us. Let's talk on Tuesday.")
    assert len(_to(maya_teen)) == 1
    assert _to(gina) == []


def test_a_familys_message_emails_the_care_team_who_chose_each_message(
    sent, family, gina, pat, olive, episode, cora
):
    from backto.access.patients import actions as patients
    from backto.access.patients.models import Discipline

    patients.care_team_add(by=cora, episode=episode, clinician=olive, discipline=Discipline.OT)
    notify.message_preference_set(by=olive, delivery=StaffDelivery.DIGEST)
    sent(gina, family)
    [email] = _to(pat)  # no preference saved: an email for each message
    assert email.subject == "A family wrote to the care team"
    assert reverse("conversation", args=[family.pk]) in email.body
    assert reverse("message_preferences") in email.body
    assert _to(olive) == []  # the digest tomorrow morning instead
    assert _to(gina) == [] and _to(cora) == []  # the author; off the care team


def test_no_email_for_those_who_chose_none_or_are_inactive(sent, family, gina, pat, olive, cora):
    from backto.access.patients import actions as patients
    from backto.access.patients.models import Discipline

    episode = family.patient.episodes.first()
    patients.care_team_add(by=cora, episode=episode, clinician=olive, discipline=Discipline.OT)
    notify.message_preference_set(by=pat, delivery=StaffDelivery.NONE)
    olive.is_active = False
    olive.save()
    sent(gina, family)
    assert mail.outbox == []


def test_a_family_message_about_a_child_without_an_episode_tells_nobody(
    sent, leo, otto, django_capture_on_commit_callbacks
):
    from backto.capabilities.messaging.actions import conversation_for, message_send

    conversation = conversation_for(patient=leo, kind="family")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_send(by=otto, conversation=conversation, body="Hello", idempotency_key=uuid.uuid4())
    assert mail.outbox == []


def test_a_message_withdrawn_before_the_task_ran_tells_nobody(send, family, gina):
    from backto.capabilities.messaging.actions import message_withdraw

    message = send(gina, family)
    message_withdraw(by=gina, message=message)
    mail.outbox.clear()
    assert notify.send_message_notices.call(message.pk) == 0
    assert mail.outbox == []


def test_no_notification_carries_the_words_the_name_or_the_photo(
    sent, family, gina, maya_teen, pat, settings, stub_server, device, vapid_settings
):
    """Every channel at once: the guardian by push and text, the teen by email, the team by
    email; a flagged message with a photo, and the reply."""
    settings.BACKTO_SMS_BACKEND = TWILIO
    settings.BACKTO_TWILIO_ACCOUNT_SID = "AC123"
    settings.BACKTO_TWILIO_AUTH_TOKEN = "secret-token"
    settings.BACKTO_TWILIO_FROM = "+15550001111"
    settings.BACKTO_TWILIO_API_URL = stub_server.url
    channels_set(by=gina, email_enabled=True, sms_enabled=True, phone="+15551234567")
    PushSubscription.objects.create(
        user=gina,
        endpoint=f"{stub_server.url}/push/gina",
        p256dh=device.p256dh,
        auth=device.auth,
        created=PINNED_AT,
    )
    question = sent(maya_teen, family, SECRET, photo=picture(name="maya-ankle.jpg"))
    team_emails = list(mail.outbox)
    reply = sent(pat, family, "Maya, rest the ankle; we will call about dying thoughts.")
    family_emails = list(mail.outbox)
    assert team_emails and family_emails
    pushes = [
        json.loads(
            http_ece.decrypt(r.body, private_key=device.private_key, auth_secret=device.auth_secret)
        )
        for r in stub_server.requests
        if r.path.startswith("/push/")
    ]
    texts = [
        parse_qs(r.body.decode())["Body"][0]
        for r in stub_server.requests
        if r.path.endswith("/Messages.json")
    ]
    assert len(pushes) == 1 and len(texts) == 1  # the reply reached Gina's phone both ways
    assert pushes[0]["url"] == reverse("conversation", args=[family.pk])
    said = [json.dumps(p) for p in pushes] + texts
    said += [f"{m.subject}\n{m.body}" for m in team_emails + family_emails]
    photo_name = question.photo.name
    for words in said:
        for secret in ("purple", "dying", "ankle", "Maya", "Lindqvist", "rest the", photo_name):
            assert secret not in words, (secret, words)
        assert reverse("message_photo", args=[question.pk]) not in words
    assert reply.pk


def test_a_team_member_chooses_how_they_hear_of_messages(as_user, pat):
    url = reverse("message_preferences")
    page = as_user(pat).get(url)
    assert page.status_code == 200
    assert "An email for each new message" in page.content.decode()
    assert audited("view", object_type="page", object_id="message_preferences")
    response = as_user(pat).post(url, {"delivery": "digest"})
    assert response.status_code == 302
    assert notify.delivery_of(pat) == StaffDelivery.DIGEST
    assert audited("update", object_type="staffmessagepreference", detail="delivery digest")
    follow = as_user(pat).get(url).content.decode()
    assert "Saved: one email a day" in follow
    assert re.search(r'<input[^>]*value="digest"[^>]*checked', follow)


def test_a_choice_that_is_not_offered_is_refused_naming_the_field(as_user, pat):
    response = as_user(pat).post(reverse("message_preferences"), {"delivery": "hourly"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose one of the three" in html
    assert notify.delivery_of(pat) == StaffDelivery.EACH
    assert not audited("update", object_type="staffmessagepreference")


@pytest.mark.parametrize("who", ["gina", "ada"])
def test_families_and_the_clinic_admin_have_no_message_emails_page(as_user, who, request):
    person = request.getfixturevalue(who)
    url = reverse("message_preferences")
    assert as_user(person).get(url).status_code == 403
    assert as_user(person).post(url, {"delivery": "none"}).status_code == 403
    assert notify.delivery_of(person) == StaffDelivery.EACH


def test_the_action_refuses_someone_without_the_permission(gina, clinic):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        notify.message_preference_set(by=gina, delivery=StaffDelivery.NONE)
    admin_only = make_user(clinic, "ana", roles=("clinic_admin",))
    with pytest.raises(PermissionDenied):
        notify.message_preference_set(by=admin_only, delivery=StaffDelivery.NONE)


@pytest.fixture
def later_backend(settings):
    """A task backend that keeps what is queued (and when it should run) instead of running it."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return default_task_backend


def test_a_reply_in_a_family_members_quiet_hours_waits_until_they_end(
    send, family, gina, maya_teen, pat, clock, later_backend
):
    from backto.capabilities.notifications.actions import quiet_hours_set

    new_york = ZoneInfo("America/New_York")
    clock.move_to(datetime(TODAY.year, TODAY.month, TODAY.day, 22, 15, tzinfo=new_york))
    quiet_hours_set(by=maya_teen, quiet_from=time(22, 0), quiet_until=time(6, 30))
    message = send(pat, family, "Good news about Tuesday.")
    mail.outbox.clear()
    assert notify.send_message_notices.call(message.pk) == 0  # both in their quiet hours
    assert mail.outbox == []
    waiting = {r.args[1]: r.task.run_after for r in later_backend.results}
    tomorrow = TODAY + timedelta(days=1)
    assert waiting == {
        gina.pk: datetime(tomorrow.year, tomorrow.month, tomorrow.day, 7, 0, tzinfo=new_york),
        maya_teen.pk: datetime(tomorrow.year, tomorrow.month, tomorrow.day, 6, 30, tzinfo=new_york),
    }
    # When they end: told, unless they have read it meanwhile.
    conversation_read(by=maya_teen, conversation=family, up_to=message.created_at)
    assert notify.send_message_notice_later.call(message.pk, maya_teen.pk) == 0
    assert notify.send_message_notice_later.call(message.pk, gina.pk) == 1
    [email] = mail.outbox
    assert email.to == [gina.email] and email.subject == "A message from your care team"


def test_outside_quiet_hours_a_reply_goes_at_once(send, family, gina, pat, clock, later_backend):
    new_york = ZoneInfo("America/New_York")
    clock.move_to(datetime(TODAY.year, TODAY.month, TODAY.day, 10, 30, tzinfo=new_york))
    message = send(pat, family, "See you Tuesday.")
    mail.outbox.clear()
    assert notify.send_message_notices.call(message.pk) == 1
    assert [m.to for m in mail.outbox] == [[gina.email]]
    assert later_backend.results == []


def test_a_message_withdrawn_before_the_quiet_hours_end_is_not_told(send, family, gina, pat):
    from backto.capabilities.messaging.actions import message_withdraw

    message = send(pat, family, "Wrong family, sorry.")
    message_withdraw(by=pat, message=message)
    mail.outbox.clear()
    assert notify.send_message_notice_later.call(message.pk, gina.pk) == 0
    assert mail.outbox == []
