"""An answer an instrument marks urgent (the ASQ's acute positive) raises its safety alert marked
urgent: first on the care team's list, said first on its page and in its email. And a question
about change is not asked at baseline."""

from datetime import date

from django.core import mail
from django.urls import reverse

from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.measures import actions
from backto.capabilities.measures.schedule import TemplateRow, program_schedule
from tests.conftest import install_test_wording
from tests.measures.conftest import baseline

ALL = [str(n) for n in range(1, 16)]


def mark(urgent_item: int):
    def change(data):
        for number, item in enumerate(data["items"], start=1):
            option = item["answerOption"][4]
            option["safety_alert"] = number in (1, urgent_item)
            option["urgent"] = number == urgent_item

    return change


def test_an_urgent_answer_raises_an_urgent_alert_listed_first(
    as_user, pat, maya, active, instrument_files
):
    instrument_files("fdi-parent", "1.0.1", mark(urgent_item=2))
    install_test_wording(maya.clinic)
    fdi = baseline(active, "fdi-parent")
    actions.administration_answer(by=pat, administration=fdi, answers={"1": 4}, finish=False)
    plain = SafetyAlert.objects.get()
    assert not plain.urgent
    other = baseline(active, "fdi-child")
    instrument_files("fdi-child", "1.0.1", mark(urgent_item=2))
    install_test_wording(maya.clinic)
    mail.outbox.clear()
    actions.administration_answer(by=pat, administration=other, answers={"2": 4}, finish=False)
    urgent = SafetyAlert.objects.get(source_id=other.pk)
    assert urgent.urgent
    client = as_user(pat)
    home = client.get(reverse("clinician_home")).content.decode()
    assert home.index("Urgent:") < home.index(reverse("safety_alert", args=[plain.pk]))
    assert home.index(reverse("safety_alert", args=[urgent.pk])) < home.index(
        reverse("safety_alert", args=[plain.pk])
    )
    page = client.get(reverse("safety_alert", args=[urgent.pk])).content.decode()
    assert "Urgent safety alert" in page and "Act on it now" in page
    assert mail.outbox[0].subject.startswith("BackTo URGENT") and "Maya" not in mail.outbox[0].body
    # a plain safety answer joining the urgent alert keeps it urgent; an urgent one joining a
    # plain alert makes it urgent
    actions.administration_answer(by=pat, administration=fdi, answers={"2": 4}, finish=False)
    plain.refresh_from_db()
    assert plain.urgent and plain.items == ["FDI item 1", "FDI item 2"]


def test_a_question_about_change_is_not_asked_at_baseline():
    template = [TemplateRow("fdi-child", "child", 2), TemplateRow("pgic", "child", 2, False)]
    planned = program_schedule(date(2026, 2, 2), 4, template)
    asked = {(p.instrument_id, p.label) for p in planned}
    assert ("fdi-child", "Baseline") in asked and ("pgic", "Baseline") not in asked
    assert ("pgic", "Week 2") in asked
