"""A teen's private answers go to the care team only, on every surface that could show them.

Maya (a teen with her own account) keeps her mood, what she did and her win private on a day her
mood was the lowest, a safety answer. The care team (Pat, and Cora once she is on the team as its
coordinator) reads them; Gina (her mother), Cora reaching Maya through the clinic alone and Ada
(the clinic admin) read none of it, nor that a safety answer was given: not on the calendar, the
child's page, the caseload, the alert's page, the access log, the progress page, a PDF or the
export. Olive (a PT off the team) does not reach Maya's record at all.
"""

import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from backto.access.patients import actions as patient_actions
from backto.access.patients.access import sees_teen_private
from backto.access.patients.models import Discipline
from backto.access.patients.record_parts import OBJECT_LABELS
from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.diary import actions
from backto.capabilities.diary.models import PRIVATE_ABLE

NOTE = "Told nobody about the bus 7f3"
WIN = "Finished the drawing 7f3"
LOWEST_MOOD = "Very sad, scared or upset"
SECRETS = (NOTE, WIN, LOWEST_MOOD)

ANSWERS = {
    "activity": 2,
    "activity_note": NOTE,
    "school": 9,
    "sleep_hours": 8,
    "sleep_quality": 2,
    "mood": 0,
    "home_program": 1,
    "win": WIN,
}

SEES = {"pat": True, "cora_on_team": True, "cora": False, "ada": False, "gina": False}
PERSONAS = [*SEES, "maya_teen", "olive"]
# The access log's name for a diary entry (in English, the suite's language).
DIARY_PART = str(OBJECT_LABELS["diaryentry"])


@pytest.fixture
def kept(maya_teen, maya, episode):
    """Today's entry by Maya with every answer she can keep private kept private, and the
    safety alert its lowest mood raised."""
    actions.diary_entry_submit(
        by=maya_teen,
        patient=maya,
        day=timezone.localdate(),
        respondent="child",
        answers=ANSWERS,
        private_fields=list(PRIVATE_ABLE),
        idempotency_key=uuid.uuid4(),
    )
    return SafetyAlert.objects.get()


def persona(request: Any, name: str) -> Any:
    if name == "cora_on_team":
        cora = request.getfixturevalue("cora")
        episode = request.getfixturevalue("episode")
        patient_actions.care_team_add(
            by=cora, episode=episode, clinician=cora, discipline=Discipline.COORDINATION
        )
        return cora
    return request.getfixturevalue(name)


def page(client: Any, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.content.decode()


def assert_kept(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_the_alert_is_marked_private(kept):
    assert kept.private


@pytest.mark.parametrize("name", PERSONAS)
def test_the_diary_calendar(request, as_user, kept, maya, name):
    status, text = page(as_user(persona(request, name)), reverse("diary_calendar", args=[maya.pk]))
    if name == "olive":
        assert status == 404
        return
    assert status == 200
    if name == "maya_teen":  # her own answers, all of them
        assert all(secret in text for secret in SECRETS)
        assert "Safety answer:" not in text
    elif SEES[name]:
        assert all(secret in text for secret in SECRETS)
        assert "private from guardians" in text and "Safety answer:" in text
    else:
        assert_kept(text)
        assert "Safety answer:" not in text and "the lowest mood" not in text
        assert "kept between Maya and the care team" in text


@pytest.mark.parametrize("name", PERSONAS)
def test_the_childs_page(request, as_user, kept, maya, name):
    status, text = page(
        as_user(persona(request, name)), reverse("patient_overview", args=[maya.pk])
    )
    if name == "olive":
        assert status == 404
        return
    assert status == 200
    alert_link = reverse("safety_alert", args=[kept.pk])
    if SEES.get(name):
        assert alert_link in text and "safety answer</span>" in text
    else:
        assert alert_link not in text and "safety answer</span>" not in text
        assert_kept(text)


@pytest.mark.parametrize("name", ["pat", "cora_on_team", "cora", "ada"])
def test_the_caseload_lists_and_flags_the_alert_for_the_care_team_only(
    request, as_user, kept, name
):
    client = as_user(persona(request, name))
    url = reverse("clinician_home")
    status, text = page(client, url + "?show=clinic")
    assert status == 200
    assert (reverse("safety_alert", args=[kept.pk]) in text) == SEES[name]
    _, flagged = page(client, url + "?show=clinic&flag=safety")
    assert ("Maya Lindqvist" in flagged) == SEES[name]
    assert_kept(text + flagged)


@pytest.mark.parametrize("name", PERSONAS)
def test_the_alerts_page(request, as_user, kept, name):
    status, text = page(as_user(persona(request, name)), reverse("safety_alert", args=[kept.pk]))
    if SEES.get(name):
        assert status == 200 and LOWEST_MOOD in text
    else:
        assert status == 404  # for them there is no such alert


def test_a_coordinator_opens_a_private_alert_when_nobody_on_the_team_can_be_told(
    as_user, kept, cora, pat, episode
):
    """The coordinators are emailed when the episode has no one to tell (alerts.tasks): they
    are the ones who must be able to open it."""
    assert as_user(cora).get(reverse("safety_alert", args=[kept.pk])).status_code == 404
    pat.is_active = False
    pat.save()
    assert as_user(cora).get(reverse("safety_alert", args=[kept.pk])).status_code == 200


@pytest.mark.parametrize("name", PERSONAS)
def test_the_access_log_shown_to_families_and_staff(request, as_user, client, kept, maya, name):
    # The care team opened the alert, and acknowledged it: more events on it.
    as_user(request.getfixturevalue("pat")).get(reverse("safety_alert", args=[kept.pk]))
    client.logout()
    status, text = page(as_user(persona(request, name)), reverse("access_log", args=[maya.pk]))
    if name == "olive":
        assert status == 404
    elif name == "maya_teen":
        assert status == 403
    else:
        assert status == 200
        assert DIARY_PART in text  # that Maya wrote her diary is no secret
        assert ("Safety alert" in text) == SEES[name]


def test_a_guardian_does_not_see_an_alert_raised_by_the_teens_own_answers_in_the_log(
    as_user, maya_teen, maya, episode, gina
):
    """Even an answer Maya did not keep private: her guardians read it on the calendar, but the
    log leaves out every alert raised by her own answers (her questionnaires, which guardians
    do not read, raise them too)."""
    actions.diary_entry_submit(
        by=maya_teen,
        patient=maya,
        day=timezone.localdate(),
        respondent="child",
        answers=ANSWERS,
        idempotency_key=uuid.uuid4(),
    )
    alert = SafetyAlert.objects.get()
    assert not alert.private
    text = as_user(gina).get(reverse("access_log", args=[maya.pk])).content.decode()
    assert DIARY_PART in text and "Safety alert" not in text


@pytest.mark.parametrize("name", PERSONAS)
def test_the_progress_page_and_the_family_home(request, as_user, kept, episode, name):
    client = as_user(persona(request, name))
    status, text = page(client, reverse("progress", args=[episode.pk]))
    assert status == (404 if name == "olive" else 200)
    assert_kept(text)
    home = client.get(reverse("family_home"), follow=True).content.decode()
    assert_kept(home)
    if not SEES.get(name):
        assert reverse("safety_alert", args=[kept.pk]) not in home


@pytest.mark.parametrize("name", PERSONAS)
def test_the_wins_log(request, as_user, kept, maya, name):
    """The diary's win is an answer, not an entry in the wins log: it stays in the diary."""
    status, text = page(as_user(persona(request, name)), reverse("win_list", args=[maya.pk]))
    assert status == (404 if name == "olive" else 200)
    assert_kept(text)


def test_every_report_leaves_private_answers_out(kept, episode, pat):
    from backto.readers.progress.reports import (
        REPORTS,
        ReportNotReady,
        render_report,
        report_context,
    )

    rendered = set()
    for report in REPORTS.values():
        try:
            html, _ = render_report(report, report_context(report, episode, signer=pat))
        except ReportNotReady:  # the school letter and the discharge summary, not yet
            continue
        assert_kept(html)
        assert "safety" not in html.lower()
        rendered.add(report.kind)
    assert {"family", "physician"} <= rendered


@pytest.mark.parametrize("name", ["gina", "pat"])
def test_the_family_report_pdf_leaves_private_answers_out(request, as_user, kept, episode, name):
    import pypdfium2

    response = as_user(persona(request, name)).get(
        reverse("report_pdf", args=[episode.pk, "family"])
    )
    assert response.status_code == 200
    document = pypdfium2.PdfDocument(response.content)
    assert_kept(" ".join(p.get_textpage().get_text_range() for p in document))


def test_the_outcomes_export_has_no_column_from_an_answer_a_teen_can_keep_private():
    from datetime import date

    from backto.readers.outcomes.export import de_identify
    from backto.readers.outcomes.queries import EpisodeOutcome

    common = {"age_band": "12-14", "sex": "female", "setting": "outpatient", "disciplines": {"pt"}}
    rows = [
        EpisodeOutcome(i, started_on=date(2026, 1, 5), discharged_on=None, relapse=False, **common)
        for i in range(1, 7)
    ]
    columns = set(de_identify(rows).records[0])
    assert not {c for c in columns for item in (*PRIVATE_ABLE, "note") if item in c}


@pytest.mark.parametrize("name", PERSONAS)
def test_sees_teen_private_is_the_care_team_and_the_teen(request, kept, maya, name):
    user = persona(request, name)
    assert sees_teen_private(user, maya) == SEES.get(name, name == "maya_teen")


def test_the_alert_follows_when_the_teen_changes_what_she_keeps_private(
    kept, maya_teen, maya, as_user, cora
):
    def resubmit(private):
        actions.diary_entry_submit(
            by=maya_teen,
            patient=maya,
            day=timezone.localdate(),
            respondent="child",
            answers=ANSWERS,
            private_fields=private,
            idempotency_key=uuid.uuid4(),
        )
        kept.refresh_from_db()

    resubmit(["win"])  # the mood no longer private: the alert tells nothing kept
    assert not kept.private
    assert as_user(cora).get(reverse("safety_alert", args=[kept.pk])).status_code == 200
    resubmit(["mood"])
    assert kept.private
    assert as_user(cora).get(reverse("safety_alert", args=[kept.pk])).status_code == 404
