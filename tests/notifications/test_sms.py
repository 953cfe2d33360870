"""Texts: the console backend logs only which user had one (never the number or the words), and
Twilio's Messages API is called as documented, tested against a local stub of it."""

import base64
import logging
from urllib.parse import parse_qs

TWILIO = "backto.capabilities.notifications.sms.TwilioSMSBackend"


def _twilio(settings, stub):
    settings.BACKTO_SMS_BACKEND = TWILIO
    settings.BACKTO_TWILIO_ACCOUNT_SID = "AC123"
    settings.BACKTO_TWILIO_AUTH_TOKEN = "secret-token"
    settings.BACKTO_TWILIO_FROM = "+15550001111"
    settings.BACKTO_TWILIO_API_URL = stub.url


def test_a_text_goes_through_twilios_messages_api(gina, maya, settings, stub_server):
    from backto.capabilities.notifications.actions import channels_set
    from backto.capabilities.notifications.channels import notify
    from backto.capabilities.notifications.messages import diary_reminder

    _twilio(settings, stub_server)
    channels_set(by=gina, email_enabled=False, sms_enabled=True, phone="+15551234567")
    delivery = notify(gina, diary_reminder(maya.pk))
    assert delivery.reached == ("sms",)
    (request,) = stub_server.requests
    assert request.path == "/2010-04-01/Accounts/AC123/Messages.json"
    scheme, _, credentials = request.headers["authorization"].partition(" ")
    assert scheme == "Basic" and base64.b64decode(credentials) == b"AC123:secret-token"
    form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
    assert form["To"] == "+15551234567" and form["From"] == "+15550001111"
    assert form["Body"].startswith("BackTo: Time for today's BackTo diary.")
    assert f"/patients/{maya.pk}/diary/" in form["Body"]
    assert "Maya" not in form["Body"]


def test_a_text_twilio_refuses_is_a_failed_channel_and_email_still_goes(
    gina, maya, settings, stub_server, caplog
):
    from django.core import mail

    from backto.capabilities.notifications.actions import channels_set
    from backto.capabilities.notifications.channels import notify
    from backto.capabilities.notifications.messages import diary_reminder

    _twilio(settings, stub_server)
    stub_server.status = 400
    stub_server.answer = {"code": 21211, "message": "The 'To' number is not valid."}
    channels_set(by=gina, email_enabled=True, sms_enabled=True, phone="+15551234567")
    mail.outbox.clear()
    with caplog.at_level(logging.INFO):
        delivery = notify(gina, diary_reminder(maya.pk))
    assert delivery.reached == ("email",) and delivery.failed == ("sms",)
    assert len(mail.outbox) == 1
    assert "+15551234567" not in caplog.text and "Twilio answered 400" in caplog.text


def test_twilio_without_its_settings_is_a_failed_channel(gina, maya, settings):
    from backto.capabilities.notifications.actions import channels_set
    from backto.capabilities.notifications.channels import notify
    from backto.capabilities.notifications.messages import diary_reminder

    settings.BACKTO_SMS_BACKEND = TWILIO
    channels_set(by=gina, email_enabled=False, sms_enabled=True, phone="+15551234567")
    assert notify(gina, diary_reminder(maya.pk)).failed == ("sms",)


def test_the_console_backend_logs_no_number_and_no_words(gina, maya, settings, caplog):
    from backto.capabilities.notifications.actions import channels_set
    from backto.capabilities.notifications.channels import notify
    from backto.capabilities.notifications.messages import diary_reminder

    settings.BACKTO_SMS_BACKEND = "backto.capabilities.notifications.sms.ConsoleSMSBackend"
    channels_set(by=gina, email_enabled=False, sms_enabled=True, phone="+15551234567")
    with caplog.at_level(logging.DEBUG):
        delivery = notify(gina, diary_reminder(maya.pk))
    assert delivery.reached == ("sms",)
    assert f"SMS to user {gina.pk}" in caplog.text
    assert "+1555" not in caplog.text and "diary" not in caplog.text.lower()


def test_no_text_when_texts_are_off_even_with_a_number(gina, maya, settings, stub_server):
    from backto.capabilities.notifications.actions import channels_set
    from backto.capabilities.notifications.channels import notify
    from backto.capabilities.notifications.messages import diary_reminder

    _twilio(settings, stub_server)
    channels_set(by=gina, email_enabled=False, sms_enabled=False, phone="+15551234567")
    delivery = notify(gina, diary_reminder(maya.pk))
    assert delivery.reached == () and delivery.failed == () and not delivery.held_back
    assert stub_server.requests == []
