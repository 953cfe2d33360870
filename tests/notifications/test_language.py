"""Every notification in its reader's language (User.language): a Spanish parent's diary reminder
arrives in Spanish by push, text and email, an English parent's in English, in the same sweep;
a care team member's in theirs; and the words still never name the child."""

import json
import os
from datetime import datetime, time
from urllib.parse import parse_qs

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import PINNED_AT, TODAY, spanish
from tests.notifications.conftest import Device, Stub, b64

TWILIO = "backto.capabilities.notifications.sms.TwilioSMSBackend"


def _device() -> Device:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    secret = os.urandom(16)
    return Device(key, b64(public), secret, b64(secret))


def _everything_on(user, stub: Stub, device: Device, phone: str) -> None:
    from backto.capabilities.notifications.actions import channels_set
    from backto.capabilities.notifications.models import PushSubscription

    channels_set(by=user, email_enabled=True, sms_enabled=True, phone=phone)
    PushSubscription.objects.create(
        user=user,
        endpoint=f"{stub.url}/push/{user.pk}",
        p256dh=device.p256dh,
        auth=device.auth,
        created=PINNED_AT,
    )


def _twilio(settings, stub: Stub) -> None:
    settings.BACKTO_SMS_BACKEND = TWILIO
    settings.BACKTO_TWILIO_ACCOUNT_SID = "AC123"
    settings.BACKTO_TWILIO_AUTH_TOKEN = "secret-token"
    settings.BACKTO_TWILIO_FROM = "+15550001111"
    settings.BACKTO_TWILIO_API_URL = stub.url


def test_a_spanish_parent_and_an_english_parent_each_get_the_diary_reminder_in_their_language(
    as_user, gina, maya, otto, leo, settings, stub_server, vapid_settings
):
    from backto.capabilities.diary.reminders import send_due_reminders

    _twilio(settings, stub_server)
    spanish(gina)
    devices = {gina.pk: _device(), otto.pk: _device()}
    _everything_on(gina, stub_server, devices[gina.pk], "+15551230001")
    _everything_on(otto, stub_server, devices[otto.pk], "+15551230002")
    as_user(gina).post(reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "18:00"})
    as_user(otto).post(reverse("diary_reminder", args=[leo.pk]), {"time_of_day": "18:00"})
    mail.outbox.clear()
    stub_server.requests.clear()
    after = datetime.combine(TODAY, time(18, 5), timezone.get_current_timezone())

    assert send_due_reminders(after) == 2  # one sweep, both parents

    pushes = {
        r.path: json.loads(
            http_ece.decrypt(
                r.body,
                private_key=devices[int(r.path.rsplit("/", 1)[1])].private_key,
                auth_secret=devices[int(r.path.rsplit("/", 1)[1])].auth_secret,
            )
        )
        for r in stub_server.requests
        if r.path.startswith("/push/")
    }
    assert pushes[f"/push/{gina.pk}"]["title"] == "Es hora del diario del día en BackTo"
    assert pushes[f"/push/{gina.pk}"]["body"] == (
        "Solo uno o dos minutos, a la hora que mejor convenga."
    )
    assert pushes[f"/push/{otto.pk}"]["title"] == "Time for today's BackTo diary"
    assert pushes[f"/push/{otto.pk}"]["body"] == "A minute or two, whenever suits you."

    texts = {
        form["To"]: form["Body"]
        for form in (
            {k: v[0] for k, v in parse_qs(r.body.decode()).items()}
            for r in stub_server.requests
            if r.path.endswith("/Messages.json")
        )
    }
    assert texts["+15551230001"].startswith("BackTo: Es hora del diario del día en BackTo.")
    assert texts["+15551230002"].startswith("BackTo: Time for today's BackTo diary.")
    assert "Maya" not in texts["+15551230001"] and "Leo" not in texts["+15551230002"]

    emails = {m.to[0]: m for m in mail.outbox}
    in_spanish, english = emails[gina.email], emails[otto.email]
    assert in_spanish.subject != english.subject
    assert "diario" in (in_spanish.subject + in_spanish.body).lower()
    assert "Today's BackTo diary" in english.subject
    assert "Maya" not in in_spanish.body and "Leo" not in english.body


def test_each_builder_speaks_spanish_and_keeps_the_lock_screen_rules(db, maya):
    from backto.capabilities.notifications.messages import BUILDERS

    for name, build in BUILDERS.items():
        english = build()
        spanish = english.in_language("es")
        assert spanish.title != english.title, name
        assert spanish.body != english.body, name
        assert (spanish.url, spanish.tag) == (english.url, english.tag)
        assert len(spanish.title) <= 50 and len(spanish.body) <= 120, name  # a lock screen
        assert maya.first_name.lower() not in (spanish.title + spanish.body).lower()


def test_a_message_built_in_spanish_is_sent_in_english_to_an_english_reader(gina, maya):
    from backto.capabilities.notifications.channels import notify
    from backto.capabilities.notifications.messages import appointment_tomorrow

    with translation.override("es"):
        message = appointment_tomorrow("/week/")
    assert message.title == "Una cita mañana"
    mail.outbox.clear()
    notify(gina, message)
    assert mail.outbox[0].subject == "An appointment tomorrow"


def test_the_count_in_the_digest_follows_spanish_plurals(db):
    from backto.capabilities.notifications.messages import messages_digest

    assert messages_digest(1, "/m/").in_language("es").body == "1 conversación espera respuesta."
    assert messages_digest(3, "/m/").in_language("es").body == (
        "3 conversaciones esperan respuesta."
    )


@pytest.mark.parametrize(
    ("language", "said"),
    [("es", "Guardado: sin horas de silencio."), ("en", "Saved: no quiet hours.")],
)
def test_the_reminder_settings_answer_in_the_readers_language(as_user, gina, language, said):
    gina.language = language
    gina.save(update_fields=["language"])
    client = as_user(gina)
    response = client.post(
        reverse("notification_quiet_hours"),
        {"quiet_from": "21:00", "quiet_until": "21:00"},
        follow=True,
    )
    assert said in response.content.decode()
    refused = client.post(
        reverse("notification_channels"), {"sms_enabled": "on", "phone": ""}, follow=True
    )
    if language == "es":
        assert "escriba un número de celular" in refused.content.decode()
