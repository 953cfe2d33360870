"""Messages in Spanish: the family's pages for a Spanish reader, a team member's reply box that
names the family's language, canned replies per language with the family's first, Spanish safety
words whatever the account's language, and each notification in its reader's language."""

import re

from django.core import mail
from django.urls import reverse

from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.messaging.actions import canned_reply_save
from backto.capabilities.messaging.models import CannedReply
from tests.conftest import spanish


def test_a_spanish_parent_reads_the_messages_pages_in_spanish(as_user, gina, family, send, pat):
    spanish(gina)
    send(pat, family, "Hola, ¿cómo sigue el tobillo?")
    client = as_user(gina)
    home = client.get(reverse("family_home")).content.decode()
    assert "Una respuesta nueva del equipo de atención." in home
    listing = client.get(reverse("messages_family")).content.decode()
    assert '<html lang="es"' in listing
    assert "Los mensajes no son para emergencias" in listing
    assert "llame al 911" in listing
    assert "Respondemos en un plazo de 2 días hábiles." in listing
    assert "Escribir al equipo de atención" in listing or "Respuesta nueva" in listing
    page = client.get(reverse("conversation", args=[family.pk])).content.decode()
    assert "El equipo de atención de Maya" in page
    assert "(equipo de atención)" in page
    assert "Su mensaje" in page and "Enviar" in page
    assert "Messages are not for emergencies" not in page


def test_an_english_parent_still_reads_english(as_user, gina, family):
    page = as_user(gina).get(reverse("conversation", args=[family.pk])).content.decode()
    assert "Messages are not for emergencies" in page and "We reply within 2 working days." in page


def test_a_message_too_long_is_refused_in_spanish(as_user, gina, family):
    spanish(gina)
    response = as_user(gina).post(
        reverse("conversation_send", args=[family.pk]),
        {"body": "", "idempotency_key": "8b0f1c9e-9f5e-4a4c-9d8c-7f0f1c9e9f5e"},
    )
    assert response.status_code == 400
    assert "Escriba un mensaje o agregue una foto." in response.content.decode()


def test_the_reply_box_says_the_family_reads_spanish_and_carries_its_lang(
    as_user, pat, maya, family, episode
):
    maya.family_language = "es"
    maya.save(update_fields=["family_language"])
    page = as_user(pat).get(reverse("conversation", args=[family.pk])).content.decode()
    assert "This family reads BackTo in Spanish: write your reply in Spanish." in page
    box = re.search(r"<textarea[^>]*>", page)
    assert box is not None and 'name="body"' in box.group() and 'lang="es"' in box.group()


def test_an_english_familys_reply_box_says_nothing_of_language(as_user, pat, family, episode):
    page = as_user(pat).get(reverse("conversation", args=[family.pk])).content.decode()
    assert "This family reads BackTo in" not in page


def test_canned_replies_in_the_familys_language_come_first(
    as_user, cora, pat, maya, family, episode
):
    canned_reply_save(by=cora, clinic=cora.clinic, title="A swelling", body="Rest it.", active=True)
    canned_reply_save(
        by=cora,
        clinic=cora.clinic,
        title="Hinchazón",
        body="Descanse el pie.",
        active=True,
        language="es",
    )
    maya.family_language = "es"
    maya.save(update_fields=["family_language"])
    page = as_user(pat).get(reverse("conversation", args=[family.pk])).content.decode()
    assert page.index("Hinchazón") < page.index("A swelling")
    assert 'lang="es" data-body="Descanse el pie."' in page
    maya.family_language = "en"
    maya.save(update_fields=["family_language"])
    page = as_user(pat).get(reverse("conversation", args=[family.pk])).content.decode()
    assert page.index("A swelling") < page.index("Hinchazón")


def test_a_canned_reply_is_written_in_a_language_and_a_title_is_one_per_language(as_user, cora):
    client = as_user(cora)
    data = {"title": "Swelling", "body": "Rest.", "active": "on"}
    assert client.post(reverse("canned_reply_save"), data).status_code == 302
    spanish = {**data, "body": "Descanse.", "language": "es"}
    assert client.post(reverse("canned_reply_save"), spanish).status_code == 302
    assert sorted(CannedReply.objects.values_list("language", "body")) == [
        ("en", "Rest."),
        ("es", "Descanse."),
    ]
    edited = CannedReply.objects.get(language="es")
    # A post that leaves out the language keeps the reply's own.
    client.post(reverse("canned_reply_save"), {**data, "reply": edited.pk, "title": "Hinchazón"})
    edited.refresh_from_db()
    assert (edited.language, edited.title) == ("es", "Hinchazón")


def test_spanish_safety_words_raise_the_alert_whatever_the_account_language(
    send, family, gina, episode
):
    message = send(gina, family, "Ya no puedo más, me quiero morir")  # gina reads English
    message.refresh_from_db()
    assert message.safety_words
    assert SafetyAlert.objects.get().items == ["want to die", "can't go on"]


def test_everyday_spanish_raises_no_alert(send, family, gina, episode):
    spanish(gina)
    message = send(gina, family, "Me muero de risa con el video, pero la tarea la mata")
    message.refresh_from_db()
    assert not message.safety_words and not SafetyAlert.objects.exists()


def test_the_care_teams_message_reaches_each_family_member_in_their_language(
    send, family, gina, maya_teen, pat, django_capture_on_commit_callbacks
):
    spanish(gina)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(pat, family, "Nos vemos el martes.")
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[gina.email] == "Un mensaje del equipo de atención"
    assert subjects[maya_teen.email] == "A message from your care team"


def test_a_team_members_email_of_a_family_message_is_in_their_language(
    send, family, gina, pat, django_capture_on_commit_callbacks
):
    spanish(pat)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(gina, family, "Her ankle is swollen")
    [email] = [m for m in mail.outbox if m.to == [pat.email]]
    assert email.subject == "Una familia escribió al equipo de atención"
    assert "Abra la conversación para leer y responder" in email.body


def test_the_reply_box_in_the_teen_s_conversation_follows_the_teen_s_language(
    as_user, pat, maya, maya_teen, episode
):
    """A Spanish-speaking family whose teen reads BackTo in English: the team answers the teen in
    English in the teen's own conversation, and the family in Spanish in theirs."""
    maya.family_language = "es"
    maya.save(update_fields=["family_language"])
    family = (
        as_user(pat).get(reverse("conversation_start", args=[maya.pk, "family"])).content.decode()
    )
    teen = as_user(pat).get(reverse("conversation_start", args=[maya.pk, "teen"])).content.decode()
    assert 'lang="es"' in family and 'lang="es"' not in teen


def test_a_reply_time_the_clinic_wrote_in_english_is_marked_english_to_a_spanish_reader(
    as_user, gina, cora, clinic
):
    from backto.capabilities.messaging import actions

    spanish(gina)
    page = as_user(gina).get(reverse("messages_family")).content.decode()
    assert "Respondemos" in page or "respondemos" in page  # BackTo's own default, in Spanish
    actions.reply_time_set(by=cora, clinic=clinic, text="We reply within one working day.")
    page = as_user(gina).get(reverse("messages_family")).content.decode()
    assert '<span lang="en">We reply within one working day.</span>' in page
