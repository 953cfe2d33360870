"""The progress page offers a report only to someone who may print it, and only once it is
ready: every report link a person sees opens, and every report they can open is linked."""

import pytest
from django.urls import reverse

from backto.capabilities.careplan.actions import episode_discharge
from backto.capabilities.schoolplan.actions import school_plan_approve, school_plan_save
from backto.capabilities.schoolplan.queries import wording_token
from backto.readers.progress.reports import REPORTS, printable_reports
from tests.conftest import TODAY


def linked(page: str, episode) -> set[str]:
    return {k for k in REPORTS if reverse("report_pdf", args=[episode.pk, k]) in page}


def opens(client, episode) -> set[str]:
    return {
        kind
        for kind in REPORTS
        if client.get(reverse("report_pdf", args=[episode.pk, kind])).status_code == 200
    }


def approve_school_plan(pat, gina, episode):
    plan = school_plan_save(
        by=pat, episode=episode, attendance_plan="Mornings.", accommodations="", share_goals=False
    )
    school_plan_approve(by=gina, plan=plan, shown=wording_token(plan))


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["running", "school plan approved", "discharged"])
def test_every_report_link_opens_and_every_report_that_opens_is_linked(
    as_user, client, running, pat, cora, ada, gina, maya_teen, stage
):
    if stage != "running":
        approve_school_plan(pat, gina, running)
    if stage == "discharged":
        episode_discharge(
            by=pat, episode=running, discharged_on=TODAY, reason="goals_met", summary="Ok."
        )
        running.refresh_from_db()
    expected = {
        "running": {"family", "physician"},
        "school plan approved": {"family", "physician", "school"},
        "discharged": {"family", "physician", "school", "discharge"},
    }[stage]
    for person, offered in (
        (pat, expected),
        (cora, expected),
        (gina, {"family"}),
        (ada, set()),
        (maya_teen, set()),
    ):
        client.logout()
        signed_in = as_user(person)
        page = signed_in.get(reverse("progress", args=[running.pk])).content.decode()
        assert linked(page, running) == offered, person
        assert {r.kind for r in printable_reports(person, running)} == offered, person
        if person != cora:  # the coordinator prints as the PT does: one PDF run less per kind
            assert opens(signed_in, running) == offered, person


def test_a_clinic_admin_sees_no_reports_section_and_no_school_plan_link(as_user, ada, running):
    client = as_user(ada)
    page = client.get(reverse("progress", args=[running.pk])).content.decode()
    assert "Reports to print" not in page
    assert reverse("school_plan", args=[running.pk]) not in page
    assert client.get(reverse("school_plan", args=[running.pk])).status_code == 403


def test_the_discharge_summary_is_offered_only_after_discharge(as_user, pat, running):
    page = as_user(pat).get(reverse("progress", args=[running.pk])).content.decode()
    assert "Discharge summary" not in page and "Progress report for the family (PDF)" in page
    assert "School plan and letter" in page  # where the care team writes it


def test_a_guardian_is_offered_the_family_report_and_the_school_plan(as_user, gina, running):
    page = as_user(gina).get(reverse("progress", args=[running.pk])).content.decode()
    assert "Progress report for the family (PDF)" in page
    assert "What the school letter will say" in page and "Letter to the school" not in page
