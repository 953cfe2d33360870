"""Questionnaire reminders by email: one when a questionnaire opens for a family member and one a
week before its last day, each sent once, to whoever answers it, never naming the child."""

import uuid
from datetime import timedelta

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backto.access.patients.models import Episode
from backto.capabilities.careplan.actions import episode_discharge
from backto.capabilities.careplan.models import FollowUp
from backto.capabilities.measures import actions as measures
from backto.capabilities.measures.actions import mark_due
from backto.capabilities.measures.models import MISSED_AFTER_DAYS, Administration
from backto.capabilities.questionnairereminders.models import (
    QuestionnaireEmails,
    QuestionnaireReminder,
)
from backto.capabilities.questionnairereminders.queries import CLOSING_NOTICE_DAYS
from tests.conftest import PINNED_AT, TODAY
from tests.questionnairereminders.conftest import PARENT_FORMS, SENT_TO_FAMILIES, family, sweep

CLOSING_DAY = TODAY + timedelta(days=MISSED_AFTER_DAYS - CLOSING_NOTICE_DAYS)


def reminded(user, kind="opened"):
    """The instruments this person has been reminded of."""
    return set(
        QuestionnaireReminder.objects.filter(user=user, kind=kind).values_list(
            "administration__instrument_id", flat=True
        )
    )


def baseline(episode, instrument_id):
    return Administration.objects.get(
        episode=episode, instrument_id=instrument_id, timepoint="baseline"
    )


def test_a_family_is_reminded_once_when_questionnaires_open(clinic, gina, maya, active, settings):
    mail.outbox.clear()
    assert sweep(clinic) == 1
    assert sweep(clinic) == 0  # the next sweep sends nothing more
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [gina.email]
    # Maya has no account of her own: her mother fills in Maya's pain rating with her, and her
    # own forms (school attendance, health care visits): one email for all three.
    assert "3 questionnaires are waiting for you in BackTo." in message.body
    assert settings.SITE_URL + reverse("family_home") in message.body
    assert reminded(gina) == SENT_TO_FAMILIES


def test_questionnaires_opening_later_are_reminded_with_those_still_waiting(
    clinic, gina, maya, active
):
    sweep(clinic)
    week_2 = TODAY + timedelta(weeks=2)
    mark_due(week_2)
    mail.outbox.clear()
    assert sweep(clinic, week_2) == 1
    # The baseline ones are still open; the week 2 ones are new.
    assert "5 questionnaires are waiting for you in BackTo (2 of them new)." in mail.outbox[0].body
    assert mail.outbox[0].subject == "BackTo questionnaires are waiting for you"


def test_the_closing_reminder_goes_out_once_a_week_before_the_last_day(clinic, gina, maya, active):
    sweep(clinic)
    mail.outbox.clear()
    assert sweep(clinic, CLOSING_DAY - timedelta(days=1)) == 0
    assert sweep(clinic, CLOSING_DAY) == 1
    assert sweep(clinic, CLOSING_DAY + timedelta(days=1)) == 0
    assert reminded(gina, "closing") == SENT_TO_FAMILIES
    body = mail.outbox[0].body
    assert "3 questionnaires are waiting" in body and "3 of them close in a week or less" in body
    assert "new" not in body
    assert mail.outbox[0].subject == "A BackTo questionnaire closes soon"


def test_a_questionnaire_first_seen_in_its_last_week_gets_both_reminders_in_one_email(
    clinic, gina, maya, active
):
    mail.outbox.clear()
    assert sweep(clinic, CLOSING_DAY + timedelta(days=2)) == 1
    assert reminded(gina) == reminded(gina, "closing") == SENT_TO_FAMILIES
    assert "close in a week or less" in mail.outbox[0].body
    # After its last day (before the measures sweep marks it missed) nothing is sent.
    QuestionnaireReminder.objects.all().delete()
    last_day = TODAY + timedelta(days=MISSED_AFTER_DAYS)
    assert sweep(clinic, last_day) == 1
    QuestionnaireReminder.objects.all().delete()
    assert sweep(clinic, last_day + timedelta(days=1)) == 0


def test_no_closing_reminder_for_a_questionnaire_done_in_time(clinic, gina, maya, active):
    sweep(clinic)
    measures.administration_answer(
        by=gina,
        administration=baseline(active, "nrs-pain"),
        answers={"current": 3, "usual_week": 3, "worst_week": 5},
        finish=True,
    )
    mail.outbox.clear()
    assert sweep(clinic, CLOSING_DAY) == 1
    assert reminded(gina, "closing") == PARENT_FORMS
    assert "2 questionnaires are waiting" in mail.outbox[0].body
    assert "2 of them close in a week or less" in mail.outbox[0].body


def test_nothing_for_a_completed_cancelled_or_at_visit_questionnaire(
    clinic, pat, gina, maya, active
):
    measures.administration_answer(
        by=gina,
        administration=baseline(active, "nrs-pain"),
        answers={"current": 3, "usual_week": 3, "worst_week": 5},
        finish=True,
    )
    assert sweep(clinic) == 1
    # The FDI and the others wait for the next visit (no licensed wording at this clinic).
    assert reminded(gina) == PARENT_FORMS
    measures.administrations_cancel_open(by=pat, episode=active, note="moved away")
    QuestionnaireReminder.objects.all().delete()
    assert sweep(clinic) == 0
    assert sweep(clinic, CLOSING_DAY) == 0


def test_nothing_for_someone_who_turned_the_emails_off_or_cannot_receive_them(
    clinic, gina, maya, active
):
    QuestionnaireEmails.objects.create(user=gina, patient=maya, enabled=False)
    assert sweep(clinic) == 0
    QuestionnaireEmails.objects.filter(user=gina).update(enabled=True)
    gina.is_active = False
    gina.save()
    assert sweep(clinic) == 0
    gina.is_active = True
    gina.email = ""
    gina.save()
    assert sweep(clinic) == 0
    gina.email = "gina@example.org"
    gina.save()
    assert sweep(clinic) == 1


def test_a_teen_is_reminded_of_her_own_forms_and_her_mother_of_hers(
    clinic, gina, maya, maya_teen, active
):
    mail.outbox.clear()
    assert sweep(clinic) == 2
    assert reminded(maya_teen) == {"nrs-pain"}  # the child's form is hers
    assert reminded(gina) == PARENT_FORMS  # not Maya's: she has her own account
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "A short questionnaire is waiting for you" in by_address[maya_teen.email]
    assert "2 questionnaires are waiting for you" in by_address[gina.email]


def test_the_follow_ups_after_discharge_are_reminded(clinic, pat, gina, maya, active):
    episode_discharge(
        by=pat, episode=active, discharged_on=TODAY, reason="goals_met", summary="Back at school."
    )
    mark_due(TODAY)
    sweep(clinic)
    assert Episode.objects.get(pk=active.pk).state == "discharged"
    for follow_up in FollowUp.objects.filter(episode=active).order_by("months"):
        mark_due(follow_up.due_on)
        before = set(QuestionnaireReminder.objects.values_list("pk", flat=True))
        mail.outbox.clear()
        assert sweep(clinic, follow_up.due_on) == 1, follow_up.months
        new = QuestionnaireReminder.objects.exclude(pk__in=before).filter(kind="opened")
        assert set(new.values_list("administration__timepoint", flat=True)) == {"follow_up"}
        assert set(new.values_list("administration__instrument_id", flat=True)) == (
            SENT_TO_FAMILIES
        )
        assert mail.outbox[0].to == [gina.email]


def test_the_email_names_neither_the_child_nor_the_questionnaires(
    clinic, gina, maya, maya_teen, active
):
    clinic.phone = "555-0100"
    clinic.hours = "Mon-Fri 8am-5pm"
    clinic.save()
    mail.outbox.clear()
    sweep(clinic)
    sweep(clinic, CLOSING_DAY)
    assert len(mail.outbox) == 4
    titles = {a.instrument_title for a in Administration.objects.filter(episode=active)}
    for message in mail.outbox:
        text = message.subject + message.body
        for word in (*maya.legal_name.split(), maya.first_name, *titles):
            assert word not in text
        assert "Lakeside Pain Program" in message.body
        assert "Phone: 555-0100 (Mon-Fri 8am-5pm)" in message.body


def test_a_refused_email_is_retried_by_the_next_sweep_and_costs_no_one_else_theirs(
    clinic, cora, pat, gina, maya, active, settings
):
    _, other, _ = family(clinic, cora, pat, "Noor")
    settings.EMAIL_BACKEND = "tests.diary.mail_server.RefusingEmailBackend"
    settings.TEST_REFUSED_RECIPIENTS = [gina.email]
    mail.outbox.clear()
    assert sweep(clinic) == 1
    assert [m.to for m in mail.outbox] == [[other.email]]
    assert reminded(gina) == set()  # put back for the next sweep
    settings.TEST_REFUSED_RECIPIENTS = []  # the server takes her mail again
    assert sweep(clinic) == 1
    assert mail.outbox[-1].to == [gina.email]
    assert reminded(gina) == SENT_TO_FAMILIES


def test_a_reminder_another_worker_claimed_is_not_sent_again(clinic, gina, maya, active):
    for administration in Administration.objects.filter(
        episode=active, instrument_id__in=SENT_TO_FAMILIES
    ):
        QuestionnaireReminder.objects.create(
            administration=administration,
            user=gina,
            kind="opened",
            sent_at=PINNED_AT,
            claim=uuid.uuid4(),
        )
    mail.outbox.clear()
    assert sweep(clinic) == 0
    assert mail.outbox == []


def test_no_email_at_night_in_the_clinics_time_zone(clinic, gina, maya, active):
    assert sweep(clinic, hour=6) == 0
    assert sweep(clinic, hour=21) == 0
    assert sweep(clinic, hour=8) == 1


def test_a_sweep_costs_the_same_queries_however_many_questionnaires_wait(
    clinic, cora, pat, gina, maya, active
):
    def queries() -> int:
        QuestionnaireReminder.objects.all().delete()
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as captured:
            sent = sweep(clinic)
        assert sent == len({m.to[0] for m in mail.outbox}) == len(mail.outbox)
        return len(captured)

    one = queries()
    for name in ("Noor", "Ivo", "Ines"):
        family(clinic, cora, pat, name)
    # And Maya's later questionnaires all open at once.
    Administration.objects.filter(episode=active, state="scheduled").update(state="due")
    many = queries()
    assert len(mail.outbox) == 4
    assert many == one, (one, many)
