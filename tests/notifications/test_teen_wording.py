"""In Spanish a teen is spoken to as "tú" and a parent as "usted" (docs/i18n.md): the same
reminder says "Abre BackTo…" on a teen's phone and "Abra BackTo…" on a parent's, by push, text
and email, whoever built the message. English is the same for both."""

import pytest
from django.core import mail

from backto.capabilities.notifications.channels import Notice, Recipient, notify, notify_many
from backto.capabilities.notifications.messages import (
    appointment_tomorrow,
    care_team_message,
    questionnaire_waiting,
)
from tests.conftest import spanish

TEXTS: list[str] = []


class RecordingSMS:
    """Keeps each text's words (the test's SMS provider)."""

    def send(self, *, user_id: int, to: str, text: str) -> None:
        TEXTS.append(text)


@pytest.mark.parametrize(
    ("build", "to_a_teen", "to_a_parent"),
    [
        (
            questionnaire_waiting,
            "Abre BackTo para llenarlo cuando tengas un momento.",
            "Abra BackTo para llenarlo cuando tenga un momento.",
        ),
        (lambda: care_team_message("/m/"), "Abre BackTo para leerlo.", "Abra BackTo para leerlo."),
        (
            lambda: appointment_tomorrow("/week/"),
            "Abre BackTo para ver la hora y el lugar.",
            "Abra BackTo para ver la hora y el lugar.",
        ),
    ],
)
def test_the_same_message_says_tu_to_a_teen_and_usted_to_a_parent(
    db, build, to_a_teen, to_a_parent
):
    message = build()
    assert message.in_language("es", teen=True).body == to_a_teen
    assert message.in_language("es", teen=False).body == to_a_parent
    assert message.in_language("es").body == to_a_parent  # built for a parent: as it was built
    english = message.in_language("en", teen=True)
    assert english.body == message.in_language("en", teen=False).body
    assert english.body.startswith("Open BackTo")


def test_a_spanish_teen_reads_abre_and_a_spanish_parent_abra_by_text_and_email(
    gina, maya_teen, settings
):
    settings.BACKTO_SMS_BACKEND = f"{__name__}.RecordingSMS"
    from backto.capabilities.notifications.actions import channels_set

    for user, phone in ((spanish(maya_teen), "+15551230003"), (spanish(gina), "+15551230001")):
        channels_set(by=user, email_enabled=True, sms_enabled=True, phone=phone)
    TEXTS.clear()
    mail.outbox.clear()

    message = questionnaire_waiting()  # built once, for whoever reads it
    for user in (maya_teen, gina):
        assert notify(user, message).reached == ("sms", "email")

    teen_text, parent_text = TEXTS
    assert "Abre BackTo para llenarlo cuando tengas un momento." in teen_text
    assert "Abra BackTo para llenarlo cuando tenga un momento." in parent_text
    emails = {m.to[0]: m.body for m in mail.outbox}
    assert "Abre BackTo para llenarlo" in emails[maya_teen.email]
    assert "Abra BackTo para llenarlo" in emails[gina.email]
    for text in (teen_text, parent_text, *emails.values()):
        assert "Maya" not in text  # never the child's name


def test_a_recipient_says_whether_it_is_a_teen_and_unknown_keeps_the_builders_choice(gina):
    mail.outbox.clear()
    notify_many(
        [
            Notice(
                Recipient(gina.pk, "teen@example.org", "es", is_teen=True), care_team_message("/m/")
            ),
            Notice(Recipient(gina.pk, "parent@example.org", "es"), care_team_message("/m/")),
            Notice(
                Recipient(gina.pk, "built@example.org", "es"),
                care_team_message("/m/", teen=True),
            ),
        ]
    )
    emails = {m.to[0]: m.body for m in mail.outbox}
    assert emails["teen@example.org"].startswith("Abre BackTo para leerlo.")
    assert emails["parent@example.org"].startswith("Abra BackTo para leerlo.")
    assert emails["built@example.org"].startswith("Abre BackTo para leerlo.")
