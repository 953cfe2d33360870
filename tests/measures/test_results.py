"""Results with change, the clinic's questionnaire template, removal while pending, rescoring."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from backto.capabilities.alerts.models import SafetyAlert
from backto.capabilities.measures import actions
from backto.capabilities.measures.models import Administration, ClinicMeasure
from backto.capabilities.measures.queries import clinic_template, measure_series
from backto.capabilities.measures.schedule import DEFAULT_TEMPLATE, TemplateRow
from tests.conftest import TODAY, audited, install_test_wording
from tests.measures.conftest import baseline

ALL = [str(n) for n in range(1, 16)]


def complete(by, administration, answers):
    return actions.administration_answer(
        by=by, administration=administration, answers=answers, finish=True
    )


def week(episode, instrument_id, label="Week 2"):
    administration = Administration.objects.get(
        episode=episode, instrument_id=instrument_id, label=label
    )
    Administration.objects.filter(pk=administration.pk).update(state="due")
    administration.refresh_from_db()
    return administration


def test_the_patient_page_shows_change_and_reliable_change_with_its_parameters(
    as_user, pat, maya, active
):
    complete(pat, baseline(active, "fdi-child"), dict.fromkeys(ALL, 2))  # 30, severe
    complete(pat, week(active, "fdi-child"), {**dict.fromkeys(ALL, 1), "1": 0, "2": 0, "3": 0})
    complete(pat, baseline(active, "nrs-pain"), {"current": 6, "usual_week": 6, "worst_week": 8})
    complete(pat, week(active, "nrs-pain"), {"current": 5, "usual_week": 5, "worst_week": 7})
    page = as_user(pat).get(reverse("patient_overview", args=[maya.pk])).content.decode()
    assert "Questionnaire results" in page
    assert "reliably improved" in page and "from SD 11.0 and r 0.9" in page
    assert "-18" in page  # 30 -> 12
    assert "meaningful change: improved" in page and "17%" in page  # 6 -> 5 is 1 point, 16.7%
    assert '<svg viewBox="0 0 320 140" class="chart" role="img"' in page
    assert "<title id=" in page and "<desc id=" in page


def test_series_compare_baseline_with_the_latest_score(pat, active):
    complete(pat, baseline(active, "fdi-child"), dict.fromkeys(ALL, 2))
    complete(pat, week(active, "fdi-child"), dict.fromkeys(ALL, 2))
    series = measure_series(Administration.objects.filter(episode=active))
    fdi = next(s for s in series if s.instrument_id == "fdi-child")
    assert fdi.change == 0 and fdi.assessment.reliable_change.classification == "no reliable change"
    assert fdi.assessment.recovered is False


def test_a_clinic_without_a_template_uses_the_default(clinic):
    assert clinic_template(clinic) == list(DEFAULT_TEMPLATE)


def test_taking_a_questionnaire_out_cancels_its_pending_ones(
    worded, as_user, ada, gina, maya, active
):
    rows = [r for r in DEFAULT_TEMPLATE if r.instrument_id != "fdi-parent"]
    cancelled = actions.clinic_template_set(by=ada, clinic=maya.clinic, rows=rows)
    assert (
        cancelled
        == Administration.objects.filter(episode=active, instrument_id="fdi-parent").count()
    )
    assert ClinicMeasure.objects.filter(clinic=maya.clinic).count() == len(rows)
    fdi = baseline(active, "fdi-parent")
    assert fdi.state == "cancelled" and fdi.note == "taken out of the clinic's questionnaires"
    client = as_user(gina)
    page = client.get(reverse("administration", args=[fdi.pk])).content.decode()
    assert "was cancelled (taken out of the clinic&#x27;s questionnaires)" in page
    post = client.post(reverse("administration", args=[fdi.pk]), {"1": "1", "nav": "finish"})
    assert post.status_code == 409
    assert audited("update", object_type="clinic")


def test_the_template_refuses_what_the_clinic_cannot_use(ada, clinic):
    with pytest.raises(Exception, match="not an instrument the clinic can use"):
        actions.clinic_template_set(by=ada, clinic=clinic, rows=[TemplateRow("ppst", "child")])
    with pytest.raises(Exception, match="Choose at least one"):
        actions.clinic_template_set(by=ada, clinic=clinic, rows=[])


def test_the_clinic_template_shapes_the_schedule(ada, pat, clinic, episode):
    from backto.access.patients.actions import episode_transition

    actions.clinic_template_set(by=ada, clinic=clinic, rows=[TemplateRow("fdi-child", "child", 1)])
    episode_transition(by=pat, episode=episode, target="intake")
    episode_transition(by=pat, episode=episode, target="active")
    labels = list(
        Administration.objects.filter(episode=episode).values_list("instrument_id", "label")
    )
    assert labels[:3] == [
        ("fdi-child", "Baseline"),
        ("fdi-child", "Week 1"),
        ("fdi-child", "Week 2"),
    ]
    assert {i for i, _ in labels} == {"fdi-child"}


def test_an_instrument_removed_from_the_software_while_pending(
    as_user, gina, maya, active, instrument_files
):
    fdi = baseline(active, "fdi-parent")
    instrument_files.remove("fdi-parent")
    page = as_user(gina).get(reverse("administration", args=[fdi.pk])).content.decode()
    assert "no longer offered by the clinic" in page
    with pytest.raises(Exception, match="no longer offered"):
        actions.administration_answer(by=gina, administration=fdi, answers={}, finish=True)


def rescore(*args):
    out = io.StringIO()
    call_command("rescore", *args, stdout=out)
    return out.getvalue()


def test_rescoring_reports_and_applies_a_new_instrument_version(pat, active, instrument_files):
    fdi = baseline(active, "fdi-child")
    complete(pat, fdi, dict.fromkeys(ALL, 1))  # 15: moderate in 1.0.0

    def stricter_bands(data):
        data["scoring"]["bands"][0]["upper"] = 16
        data["scoring"]["bands"][1]["lower"] = 16

    instrument_files("fdi-child", "1.1.0", stricter_bands)
    assert "0 differ" in rescore()  # on the version it was answered on: the same
    report = rescore("--latest")
    assert f"administration {fdi.pk} fdi-child:" in report
    assert "instrument_version: '1.0.0' -> '1.1.0'" in report
    assert "band: 'moderate' -> 'none/minimal'" in report and "1 differ (would change)" in report
    with pytest.raises(CommandError):
        rescore("--latest", "--check")
    fdi.refresh_from_db()
    assert fdi.result["band"] == "moderate"
    assert "1 differ (updated)" in rescore("--latest", "--apply")
    fdi.refresh_from_db()
    assert fdi.result["band"] == "none/minimal" and fdi.instrument_version == "1.0.0"
    assert fdi.result["instrument_version"] == "1.1.0"
    assert audited("update", object_type="administration", detail__startswith="rescored")
    assert "0 differ" in rescore("--latest") and "0 differ" in rescore("--check")


def test_a_safety_answer_in_a_clinic_instrument_alerts_the_team(
    as_user, gina, maya, active, instrument_files
):
    def mark_item_one(data):
        data["items"][0]["answerOption"][4]["safety_alert"] = True

    instrument_files("fdi-parent", "1.0.1", mark_item_one)
    install_test_wording(maya.clinic)
    fdi = baseline(active, "fdi-parent")
    mail.outbox.clear()
    response = as_user(gina).post(
        reverse("administration", args=[fdi.pk]),
        {**dict.fromkeys(ALL, "0"), "1": "4", "nav": "finish"},
        follow=True,
    )
    assert "Crisis Lifeline" in response.content.decode()  # the clinic's help message
    alert = SafetyAlert.objects.get()
    assert (alert.source, alert.source_id, alert.items) == ("questionnaire", fdi.pk, ["FDI item 1"])
    assert len(mail.outbox) == 1 and "Maya" not in mail.outbox[0].body
    assert mail.outbox[0].to == ["pat@example.org"]


def test_the_sweep_marks_long_unfinished_questionnaires_missed(active):
    fdi = baseline(active, "fdi-child")
    today = timezone.localdate()
    actions.mark_due(today + timedelta(days=29))
    fdi.refresh_from_db()
    assert fdi.state == "missed" and "28 days" in fdi.note


def test_overdue_questionnaires_show_on_the_caseload(as_user, pat, active):
    Administration.objects.filter(episode=active, timepoint="baseline").update(
        due_on=TODAY - timedelta(days=8)
    )
    page = as_user(pat).get(reverse("clinician_home")).content.decode()
    # late for the family: the pain ratings, the school week and the health care visits; the five
    # licensed forms without wording are the care team's to enter at the next visit, not the
    # family's lateness
    assert "3 questionnaires overdue" in page
    assert "5 questionnaires to enter at the next visit" in page


def test_a_safety_answer_alerts_even_when_the_form_is_only_saved(
    as_user, gina, maya, active, instrument_files
):
    def mark_item_one(data):
        data["items"][0]["answerOption"][4]["safety_alert"] = True

    instrument_files("fdi-parent", "1.0.1", mark_item_one)
    install_test_wording(maya.clinic)
    fdi = baseline(active, "fdi-parent")
    client = as_user(gina)
    response = client.post(reverse("administration", args=[fdi.pk]), {"1": "4", "nav": "save"})
    assert "help" not in response.url  # the address never tells that a safety answer was given
    assert SafetyAlert.objects.filter(source_id=fdi.pk).exists()
    # Finishing the form later keeps that answer: the team has been told once.
    client.post(reverse("administration", args=[fdi.pk]), {"1": "4", "2": "1", "nav": "save"})
    assert SafetyAlert.objects.filter(source_id=fdi.pk).count() == 1
    home = client.get(response.url, follow=True).content.decode()
    assert "Crisis Lifeline" in home
    # The help message, not "988": an id in a link on PostgreSQL can contain those digits.
    assert "Crisis Lifeline" not in client.get(reverse("family_home")).content.decode()


def test_a_second_safety_answer_joins_the_open_alert_and_the_team_is_told_again(
    as_user, gina, maya, active, instrument_files
):
    def mark_items_one_and_two(data):
        for item in data["items"][:2]:
            item["answerOption"][4]["safety_alert"] = True

    instrument_files("fdi-parent", "1.0.1", mark_items_one_and_two)
    install_test_wording(maya.clinic)
    fdi = baseline(active, "fdi-parent")
    client = as_user(gina)
    mail.outbox.clear()
    client.post(reverse("administration", args=[fdi.pk]), {"1": "4", "nav": "save"})
    client.post(reverse("administration", args=[fdi.pk]), {"2": "4", "nav": "save"})
    alert = SafetyAlert.objects.get(source_id=fdi.pk)
    assert alert.is_open and len(alert.items) == 2
    assert len(mail.outbox) == 2
    assert audited("update", object_type="safetyalert", detail="answer added")


def test_a_paper_baseline_entered_late_is_still_the_baseline(pat, active):
    complete(pat, week(active, "fdi-child"), dict.fromkeys(ALL, 1))  # 15, entered first
    complete(pat, baseline(active, "fdi-child"), dict.fromkeys(ALL, 3))  # 45, typed in later
    fdi = next(
        s for s in measure_series(Administration.objects.all()) if s.instrument_id == "fdi-child"
    )
    assert fdi.baseline.total == 45 and fdi.latest.total == 15 and fdi.change == -30
    assert not fdi.baseline_is_substitute
    assert fdi.assessment.reliable_change.classification == "reliably improved"


def test_the_clinic_admin_sees_no_safety_alert_or_results_on_a_childs_page(
    as_user, ada, gina, pat, maya, active
):
    from django.db import transaction

    from backto.capabilities.alerts.actions import safety_alert_raise

    with transaction.atomic():
        safety_alert_raise(
            by=gina,
            patient=maya,
            episode=active,
            source="diary",
            source_id=99,
            respondent="parent",
            items=["How my child seemed"],
        )
    page = as_user(ada).get(reverse("patient_overview", args=[maya.pk])).content.decode()
    assert "Safety alert" not in page and "Questionnaire results" not in page


def test_the_sweep_is_audited_on_each_childs_record(maya, active):
    from backto.audit.models import AuditEvent

    before = AuditEvent.objects.filter(patient_id=maya.pk, detail__contains="missed").count()
    actions.mark_due(timezone.localdate() + timedelta(days=29))
    assert (
        AuditEvent.objects.filter(patient_id=maya.pk, detail__contains="missed").count()
        == before + 1
    )


def test_the_score_columns_always_match_the_stored_result(pat, active, instrument_files):
    complete(pat, baseline(active, "fdi-child"), dict.fromkeys(ALL, 1))
    fdi = baseline(active, "fdi-child")
    assert str(fdi.score_total) == fdi.result["total"] and fdi.score_band == fdi.result["band"]

    def stricter_bands(data):
        data["scoring"]["bands"][0]["upper"] = 16
        data["scoring"]["bands"][1]["lower"] = 16

    instrument_files("fdi-child", "1.1.0", stricter_bands)
    rescore("--latest", "--apply")
    fdi.refresh_from_db()
    assert fdi.score_band == fdi.result["band"] == "none/minimal"


def test_a_paper_form_with_a_safety_answer_alerts_without_flagging_the_staff_session(
    as_user, pat, maya, active, instrument_files
):
    def mark_item_one(data):
        data["items"][0]["answerOption"][4]["safety_alert"] = True

    instrument_files("fdi-parent", "1.0.1", mark_item_one)
    install_test_wording(maya.clinic)
    fdi = baseline(active, "fdi-parent")
    client = as_user(pat)
    client.post(
        reverse("administration", args=[fdi.pk]),
        {**dict.fromkeys(ALL, "0"), "1": "4", "nav": "finish"},
    )
    assert SafetyAlert.objects.filter(source_id=fdi.pk).exists()
    assert "backto_show_help" not in client.session
