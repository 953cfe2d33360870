"""The questionnaire reminder in Spanish speaks to a teen as "tú" and to a parent as "usted", in
its subject as in its body (issue 22)."""

from django.core import mail
from django.utils import translation
from django.utils.translation import npgettext

from backto.capabilities.notifications.channels import Recipient
from backto.capabilities.questionnairereminders.reminders import _notice
from tests.conftest import spanish
from tests.questionnairereminders.conftest import sweep


def reads_spanish(*people) -> None:
    for person in people:
        spanish(person)


def test_a_spanish_teen_is_spoken_to_as_tu_and_her_mother_as_usted(
    clinic, gina, maya, maya_teen, active
):
    reads_spanish(gina, maya_teen)
    mail.outbox.clear()
    assert sweep(clinic) == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    teen, parent = by_address[maya_teen.email], by_address[gina.email]
    assert teen.subject == "Un cuestionario de BackTo te espera"
    assert "Tienes un cuestionario corto en BackTo" in teen.body
    # her mother's: school attendance and the health care visits
    assert parent.subject == "Hay cuestionarios de BackTo esperándole"
    assert "Tiene 2 cuestionarios esperando en BackTo" in parent.body


def test_an_english_teen_reads_the_same_subject_as_before(clinic, maya, maya_teen, active):
    mail.outbox.clear()
    sweep(clinic)
    teen = next(m for m in mail.outbox if m.to == [maya_teen.email])
    assert teen.subject == "A BackTo questionnaire is waiting for you"


def test_the_teens_plural_is_tu_too():
    with translation.override("es"):
        subject = npgettext(
            "to a teen",
            "A BackTo questionnaire is waiting for you",
            "BackTo questionnaires are waiting for you",
            3,
        )
    assert subject == "Hay cuestionarios de BackTo esperándote"


def test_the_phone_reminder_says_tu_to_a_teen_and_usted_to_a_parent(clinic):
    words = {}
    for teen in (True, False):
        notice = _notice(
            Recipient(1, "x@example.org", "es"),
            clinic=clinic,
            teen=teen,
            waiting=1,
            opened=1,
            closing=0,
        )
        with translation.override("es"):
            words[teen] = notice.message.in_language("es").body
    assert words[True].startswith("Abre") and words[False].startswith("Abra")
