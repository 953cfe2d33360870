"""The diary in Spanish (issue 22): a child's and a parent's diary worded from the instrument's
Spanish, the page's own words, the calendar, the reminders page and the reminder email, for a
family member whose account reads Spanish. English stays the default for everyone else."""

import re
from datetime import time, timedelta

from django.core import mail
from django.urls import reverse

from backto.capabilities.diary.models import DiaryEntry, Reminder
from backto.capabilities.diary.reminders import send_due_reminders
from tests.conftest import TODAY, spanish
from tests.diary.conftest import CHILD, post, today_url
from tests.i18n.test_family_pages_in_spanish import english_left

# What people wrote is theirs: the family writes in Spanish here.
SPANISH_CHILD = dict(CHILD, activity_note="Saqué a pasear al perro", win="Fui a la escuela")


def _english_in_main(html):
    """English words on the page's own part (the clinic's name in the header is its own)."""
    main = re.search(r"<main.*?</main>", html, re.S)
    assert main
    return english_left(main[0])


def _celebration(html):
    found = re.search(r'<div id="saved".*?</div>', html, re.S)
    assert found, "the family home celebrates the save"
    return found[0]


def test_a_spanish_teen_writes_the_diary_in_spanish(as_user, maya_teen, maya, episode):
    client = as_user(spanish(maya_teen))
    page = client.get(today_url(maya)).content.decode()
    assert '<html lang="es"' in page
    assert "<h1>Mi día</h1>" in page
    assert "¿Cuánto de tu día normal hiciste hoy?" in page  # the instrument's Spanish
    assert 'tabindex="-1">Lo que hice</h2>' in page and "Guardar mi día" in page
    assert "Dejar estas respuestas solo entre mi equipo de atención y yo" in page
    assert 'data-text-step="Paso {n} de {total}: {title}"' in page
    assert _english_in_main(page) == []
    assert post(client, maya, SPANISH_CHILD, day="yesterday").status_code == 302
    response = post(client, maya, dict(SPANISH_CHILD, private_fields=["mood"]))
    assert response.status_code == 302
    entry = DiaryEntry.objects.get(day=TODAY)
    assert entry.answers["activity"] == 3 and entry.private_fields == ["mood"]
    home = client.get(response.url).content.decode()
    assert english_left(_celebration(home)) == []


def test_a_spanish_parent_writes_the_parent_diary_in_spanish(as_user, gina, maya, episode):
    client = as_user(spanish(gina))
    page = client.get(today_url(maya, **{"as": "parent"})).content.decode()
    assert "El día de Maya: el diario de la madre, el padre o el tutor" in page
    assert 'tabindex="-1">Sueño y ánimo</h2>' in page
    assert "Llenar juntos el diario de Maya" in page
    assert _english_in_main(page) == []
    response = post(client, maya, SPANISH_CHILD, **{"as": "parent"})
    assert response.status_code == 302
    assert DiaryEntry.objects.get().respondent == "parent"
    home = client.get(response.url).content.decode()
    assert english_left(_celebration(home)) == []


def test_the_english_reader_keeps_the_english_form(as_user, gina, maya, episode):
    """The form classes are kept per language: a Spanish page first does not word the next."""
    as_user(spanish(gina)).get(today_url(maya, **{"as": "parent"}))
    gina.language = "en"
    gina.save(update_fields=["language"])
    page = as_user(gina).get(today_url(maya, **{"as": "parent"})).content.decode()
    assert "Sleep and mood" in page and "Sueño y ánimo" not in page


def test_the_calendar_reads_a_day_in_spanish(as_user, gina, maya, episode):
    client = as_user(spanish(gina))
    post(client, maya, SPANISH_CHILD, **{"as": "parent"})
    url = reverse("diary_calendar", args=[maya.pk])
    page = client.get(url).content.decode()
    assert "<h1>Diario de Maya</h1>" in page
    assert f'<h2 id="month-name">{TODAY.strftime("%m")}' not in page  # words, not numbers
    assert "Lo que hizo mi hijo o hija hoy:" in page  # the short label
    assert "Casi todo" in page  # the instrument's Spanish answer (activity 3)
    empty = client.get(url + f"?day={(TODAY - timedelta(days=3)):%Y-%m-%d}").content.decode()
    assert "Este día no hay nada escrito. No pasa nada." in empty
    assert _english_in_main(page) == []


def test_the_reminders_page_and_email_in_spanish(as_user, gina, maya, episode, settings):
    client = as_user(spanish(gina))
    page = client.get(reverse("reminders")).content.decode()
    assert "<h1>Recordatorios</h1>" in page and "Recordarme cada día a las" in page
    response = client.post(reverse("diary_reminder", args=[maya.pk]), {"time_of_day": "18:00"})
    assert response.status_code == 302
    saved = client.get(reverse("reminders")).content.decode()
    assert "Guardado: un recordatorio cada día a las 18:00." in saved
    assert Reminder.objects.get().time_of_day == time(18, 0)
    Reminder.objects.update(started_on=TODAY)
    from tests.diary.test_reminders import _at

    send_due_reminders(_at(TODAY, 18, 5))
    (email,) = mail.outbox
    assert email.subject == "El diario de hoy en BackTo"
    assert "Este es su recordatorio diario del diario de BackTo" in email.body


class _RecordingSMS:
    """The test's SMS provider: keeps each text by number."""

    sent: dict[str, str] = {}

    def send(self, *, user_id: int, to: str, text: str) -> None:
        self.sent[to] = text


def test_a_spanish_teens_reminder_says_tu_and_her_mothers_usted(
    as_user, worded, gina, maya, maya_teen, active, settings
):
    from backto.capabilities.notifications.actions import channels_set
    from tests.diary.test_reminders import _at

    settings.BACKTO_SMS_BACKEND = f"{__name__}._RecordingSMS"
    _RecordingSMS.sent.clear()
    phones = {maya_teen.pk: "+15551230003", gina.pk: "+15551230001"}
    for user in (spanish(maya_teen), spanish(gina)):
        channels_set(by=user, email_enabled=True, sms_enabled=True, phone=phones[user.pk])
        Reminder.objects.create(user=user, patient=maya, time_of_day=time(7, 0))
    mail.outbox.clear()

    assert send_due_reminders(_at(TODAY, 18, 5)) == 2

    emails = {m.to[0]: m.body for m in mail.outbox}
    teen, parent = emails[maya_teen.email], emails[gina.email]
    assert "Este es tu recordatorio diario del diario de BackTo" in teen
    assert "Puedes cambiar la hora del recordatorio, cómo te llega" in teen
    assert "Tienes" in teen and "puedes parar" in teen  # the questionnaires waiting for her
    assert " su " not in teen and "Puede " not in teen
    assert "Este es su recordatorio diario del diario de BackTo" in parent
    assert "Puede cambiar la hora del recordatorio, cómo le llega" in parent
    assert _RecordingSMS.sent[phones[maya_teen.pk]].endswith(
        "Solo uno o dos minutos, cuando mejor te venga. " + settings.SITE_URL + today_url(maya)
    )
    assert "a la hora que mejor convenga." in _RecordingSMS.sent[phones[gina.pk]]
    for text in (*_RecordingSMS.sent.values(), teen, parent):
        assert "Maya" not in text


def test_a_spanish_teen_who_wrote_today_is_told_abre_for_the_questionnaires(
    as_user, worded, gina, maya, maya_teen, active, settings
):
    from backto.capabilities.notifications.actions import channels_set
    from tests.diary.test_reminders import _at

    settings.BACKTO_SMS_BACKEND = f"{__name__}._RecordingSMS"
    _RecordingSMS.sent.clear()
    client = as_user(spanish(maya_teen))
    channels_set(by=maya_teen, email_enabled=False, sms_enabled=True, phone="+15551230003")
    Reminder.objects.create(user=maya_teen, patient=maya, time_of_day=time(7, 0))
    assert post(client, maya, SPANISH_CHILD).status_code == 302

    assert send_due_reminders(_at(TODAY, 18, 5)) == 1

    (text,) = _RecordingSMS.sent.values()
    assert "Abre BackTo para llenarlo cuando tengas un momento." in text
    assert "Maya" not in text
