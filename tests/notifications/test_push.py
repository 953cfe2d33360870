"""Web Push against a local push service: the payload arrives encrypted for the device and
decrypts to the title, body, link and tag the service worker shows; the request carries a TTL,
an urgency and a VAPID signature; a 404 or 410 deletes the device, another failure counts it."""

import base64
import json

import http_ece
import pytest

from tests.conftest import PINNED_AT
from tests.notifications.conftest import Device, Stub


def _subscribe(user, stub: Stub, device: Device, name: str = "abc"):
    from backto.capabilities.notifications.models import PushSubscription

    return PushSubscription.objects.create(
        user=user,
        endpoint=f"{stub.url}/push/{name}",
        p256dh=device.p256dh,
        auth=device.auth,
        created=PINNED_AT,
    )


def test_a_push_arrives_encrypted_for_the_device_with_ttl_and_urgency(
    gina, maya, stub_server, device, vapid_settings
):
    from backto.capabilities.notifications import push
    from backto.capabilities.notifications.channels import notify
    from backto.capabilities.notifications.messages import diary_reminder
    from backto.capabilities.notifications.models import PushSubscription

    subscription = _subscribe(gina, stub_server, device)
    gina.email = ""  # push only
    delivery = notify(gina, diary_reminder(maya.pk))
    assert delivery.reached == ("push",) and delivery.failed == ()
    (request,) = stub_server.requests
    assert request.path == "/push/abc"
    assert request.headers["ttl"] == str(push.TTL)
    assert request.headers["urgency"] == "normal"
    assert request.headers["content-encoding"] == "aes128gcm"
    # The body is ciphertext; the device's own keys open it.
    assert b"diary" not in request.body
    plain = http_ece.decrypt(
        request.body, private_key=device.private_key, auth_secret=device.auth_secret
    )
    assert json.loads(plain) == {
        "title": "Time for today's BackTo diary",
        "body": "A minute or two, whenever suits you.",
        "url": f"/patients/{maya.pk}/diary/",
        "tag": "diary",
    }
    # Signed with the server's VAPID key, for this push service, by this clinic.
    scheme, _, rest = request.headers["authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in rest.split(","))
    assert fields["k"] == vapid_settings.BACKTO_VAPID_PUBLIC_KEY
    middle = fields["t"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(middle + "=" * (-len(middle) % 4)))
    assert claims["aud"] == stub_server.url and claims["sub"] == "mailto:clinic@example.org"
    subscription.refresh_from_db()
    assert subscription.last_success is not None and subscription.failures == 0
    assert PushSubscription.objects.count() == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_device_the_push_service_says_is_gone_is_deleted(
    gina, maya, stub_server, device, vapid_settings, status
):
    from backto.capabilities.notifications.channels import notify
    from backto.capabilities.notifications.messages import diary_reminder
    from backto.capabilities.notifications.models import PushSubscription

    _subscribe(gina, stub_server, device)
    stub_server.status = status
    gina.email = ""
    delivery = notify(gina, diary_reminder(maya.pk))
    assert delivery.reached == () and delivery.failed == ("push",)
    assert not PushSubscription.objects.exists()


def test_a_push_service_error_counts_a_failure_and_another_device_still_gets_it(
    gina, maya, stub_server, device, vapid_settings
):
    from backto.capabilities.notifications.channels import notify
    from backto.capabilities.notifications.messages import diary_reminder
    from backto.capabilities.notifications.models import PushSubscription

    broken = _subscribe(gina, stub_server, device, "broken")
    broken.endpoint = "http://127.0.0.1:9/nothing-listens-here"
    broken.save()
    working = _subscribe(gina, stub_server, device, "phone")
    delivery = notify(gina, diary_reminder(maya.pk))
    assert "push" in delivery.reached
    broken.refresh_from_db()
    working.refresh_from_db()
    assert broken.failures == 1 and working.failures == 0 and working.last_success
    assert PushSubscription.objects.count() == 2  # a failure is not a goodbye


def test_the_daily_reminder_goes_to_the_phone_with_no_name_in_it(
    gina, maya, stub_server, device, vapid_settings
):
    from datetime import datetime, time

    from django.core import mail

    from backto.capabilities.diary.models import Reminder
    from backto.capabilities.diary.reminders import send_due_reminders
    from backto.capabilities.notifications.actions import channels_set
    from tests.conftest import TODAY, ZONE

    _subscribe(gina, stub_server, device)
    channels_set(by=gina, email_enabled=False, sms_enabled=False, phone="")
    Reminder.objects.create(user=gina, patient=maya, time_of_day=time(18, 0))
    mail.outbox.clear()
    assert send_due_reminders(datetime.combine(TODAY, time(18, 5), ZONE)) == 1
    assert mail.outbox == []  # email turned off
    (request,) = stub_server.requests
    plain = http_ece.decrypt(
        request.body, private_key=device.private_key, auth_secret=device.auth_secret
    ).decode()
    assert "Maya" not in plain and "Lindqvist" not in plain
    assert json.loads(plain)["tag"] == "diary"


def test_a_questionnaire_due_goes_to_the_phone_too(
    worded, gina, maya, active, stub_server, device, vapid_settings
):
    from datetime import datetime, time

    from backto.capabilities.questionnairereminders.reminders import send_questionnaire_reminders
    from tests.conftest import TODAY, ZONE

    _subscribe(gina, stub_server, device)
    assert send_questionnaire_reminders(datetime.combine(TODAY, time(10, 0), ZONE)) == 1
    (request,) = stub_server.requests
    plain = json.loads(
        http_ece.decrypt(
            request.body, private_key=device.private_key, auth_secret=device.auth_secret
        )
    )
    assert plain["title"] == "A questionnaire is waiting in BackTo"
    from django.urls import reverse

    assert plain["url"] == reverse("family_home")  # the home lists it: no name, no questionnaire


def test_vapid_keys_are_generated_once_into_var_when_not_set(settings, tmp_path):
    from backto.capabilities.notifications import vapid

    settings.BACKTO_VAPID_PUBLIC_KEY = ""
    settings.BACKTO_VAPID_PRIVATE_KEY = ""
    settings.VAR_DIR = tmp_path
    first = vapid.keys()
    assert (tmp_path / vapid.KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert vapid.keys() == first  # kept: subscribed devices depend on it
    assert len(vapid._b64(b"x" * 65)) == len(first.public)


def test_the_vapid_keys_command_prints_a_pair_that_signs(capsys):
    from django.core.management import call_command
    from py_vapid import Vapid

    call_command("vapid_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    assert set(lines) == {"BACKTO_VAPID_PUBLIC_KEY", "BACKTO_VAPID_PRIVATE_KEY"}
    key = Vapid.from_string(lines["BACKTO_VAPID_PRIVATE_KEY"])
    headers = key.sign({"aud": "https://push.example", "sub": "mailto:a@example.org"})
    assert lines["BACKTO_VAPID_PUBLIC_KEY"] in headers["Authorization"]


def test_a_questionnaire_reminder_waits_through_quiet_hours(worded, gina, maya, active):
    from datetime import datetime, time

    from django.core import mail

    from backto.capabilities.notifications.actions import quiet_hours_set
    from backto.capabilities.questionnairereminders.reminders import send_questionnaire_reminders
    from tests.conftest import TODAY, ZONE

    quiet_hours_set(by=gina, quiet_from=time(9, 0), quiet_until=time(11, 0))
    mail.outbox.clear()
    assert send_questionnaire_reminders(datetime.combine(TODAY, time(10, 0), ZONE)) == 0
    assert mail.outbox == []
    assert send_questionnaire_reminders(datetime.combine(TODAY, time(11, 0), ZONE)) == 1
    assert [m.to for m in mail.outbox] == [[gina.email]]
