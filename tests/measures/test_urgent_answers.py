"""An answer an instrument marks urgent (the ASQ's acute positive) raises its safety alert marked
urgent: first on the care team's lists, said first on its page and in its email; an acute answer
is never dropped and must be given to finish."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.instruments.actions import instrument_pack_install
from backto.capabilities.instruments.models import InstrumentPack
from backto.capabilities.measures import actions
from backto.capabilities.measures.models import Administration
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


def test_an_urgent_alert_comes_first_even_when_raised_before_a_plain_one(
    as_user, pat, maya, active, instrument_files
):
    instrument_files("fdi-child", "1.0.1", mark(urgent_item=2))
    instrument_files("fdi-parent", "1.0.1", mark(urgent_item=2))
    install_test_wording(maya.clinic)
    first, second = baseline(active, "fdi-child"), baseline(active, "fdi-parent")
    actions.administration_answer(by=pat, administration=first, answers={"2": 4}, finish=False)
    actions.administration_answer(by=pat, administration=second, answers={"1": 4}, finish=False)
    urgent = SafetyAlert.objects.get(source_id=first.pk)
    plain = SafetyAlert.objects.get(source_id=second.pk)
    assert urgent.urgent and not plain.urgent and urgent.raised_at <= plain.raised_at
    client = as_user(pat)
    for page in (reverse("clinician_home"), reverse("patient_overview", args=[maya.pk])):
        text = client.get(page).content.decode()
        assert text.index(reverse("safety_alert", args=[urgent.pk])) < text.index(
            reverse("safety_alert", args=[plain.pk])
        ), page


def asq_in_clinic(active):
    return Administration.objects.create(
        episode=active,
        instrument_id="asq",
        respondent="child",
        timepoint="program",
        label="Week 2",
        due_on=baseline(active, "fdi-child").due_on,
        state="due",
    )


def test_an_acute_yes_after_four_nos_is_kept_and_alerts_at_once(pat, maya, active):
    asq = asq_in_clinic(active)
    no = {"1": 0, "2": 0, "3": 0, "4": 0}
    actions.administration_answer(by=pat, administration=asq, answers=no | {"5": 1}, finish=True)
    asq.refresh_from_db()
    assert asq.answers["5"] == 1 and asq.result["urgent"] == ["5"]
    assert SafetyAlert.objects.get(source_id=asq.pk).urgent


def test_a_positive_asq_is_not_finished_without_the_acuity_question(pat, maya, active):
    asq = asq_in_clinic(active)
    with pytest.raises(ValidationError) as refused:
        actions.administration_answer(
            by=pat, administration=asq, answers={"1": 1, "2": 0, "3": 0, "4": 0}, finish=True
        )
    assert "Answer question 5 before finishing" in str(refused.value)
    asq.refresh_from_db()
    assert asq.state == "due" and asq.answers == {}
    # the alert of the positive screen is not lost when the form is saved to finish later
    actions.administration_answer(
        by=pat, administration=asq, answers={"1": 1, "2": 0, "3": 0, "4": 0}, finish=False
    )
    assert SafetyAlert.objects.get(source_id=asq.pk).urgent is False


def test_the_alert_page_shows_the_wording_the_answer_was_given_with(
    as_user, pat, gina, maya, active, instrument_files
):
    instrument_files("fdi-parent", "1.0.1", mark(urgent_item=2))
    install_test_wording(maya.clinic)
    fdi = baseline(active, "fdi-parent")
    as_user(gina).post(reverse("administration", args=[fdi.pk]), {"1": "4", "nav": "save"})
    alert = SafetyAlert.objects.get(source_id=fdi.pk)
    pack = InstrumentPack.objects.get(instrument_id="fdi-parent").pack()
    revised = pack.model_copy(update={"items": {n: f"Revised {n}" for n in ALL}})
    instrument_pack_install(clinic=maya.clinic, pack=revised, source_name="r", username="t")
    page = as_user(pat).get(reverse("safety_alert", args=[alert.pk])).content.decode()
    assert "Test wording of fdi-parent item 1" in page and "Revised 1" not in page
