"""The PDF reports of an episode, rendered with WeasyPrint from HTML templates.

Each report has its own template and its context is built here (tests read the context and the
HTML; a PDF test renders the pages to images). Every number carries its source: the instrument,
its version and the rule, or the diary instrument and how it was summarized.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from backto.access.accounts.models import Clinic, PaperSize, User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import has_permission
from backto.access.patients.models import Episode
from backto.access.patients.program import RUNNING_STATES
from backto.capabilities.careplan.models import CarePlan, Discharge, FollowUp, PlanState
from backto.capabilities.diary.models import DiarySettings
from backto.capabilities.homeprogram.models import HomeProgramItem
from backto.capabilities.homeprogram.queries import checklist
from backto.capabilities.intake.models import Intake
from backto.capabilities.intake.summary import intake_summary
from backto.capabilities.measures.models import Administration
from backto.capabilities.schoolplan.queries import school_plan_approved, school_plan_of
from backto.readers.progress.charts import fdi_chart, function_vs_pain, gas_chart, school_chart
from backto.readers.progress.queries import episode_progress


@dataclass(frozen=True)
class Report:
    kind: str
    title: str
    template: str
    for_family: bool = False  # guardians may print it from their child's record


REPORTS = {
    r.kind: r
    for r in (
        Report("family", "Progress report for the family", "progress/reports/family.html", True),
        Report("physician", "Letter to the child's physician", "progress/reports/physician.html"),
        Report("school", "Letter to the school", "progress/reports/school.html"),
        Report("discharge", "Discharge summary", "progress/reports/discharge.html"),
    )
}


class ReportNotReady(Exception):
    """The report cannot be written yet; the message says why and what to do."""


def report_permission(report: Report, user: User) -> Permission:
    """What printing this report asks of this person: a guardian prints the family report as
    part of their child's record; every other printing is an export by the care team."""
    if report.for_family and user.is_guardian:
        return Permission.PATIENT_VIEW
    return Permission.REPORT_EXPORT


def reports_ready(episode: Episode) -> set[str]:
    """The kinds of report that can be written now (report_context refuses the others): the
    school letter once a guardian approved the school plan, the discharge summary once the
    episode is discharged. At most two queries."""
    ready = {"family", "physician"}
    if school_plan_approved(episode):
        ready.add("school")
    if episode.state not in RUNNING_STATES and Discharge.objects.filter(episode=episode).exists():
        ready.add("discharge")
    return ready


def printable_reports(user: User, episode: Episode) -> list[Report]:
    """The reports to offer this person for this episode: those their role lets them print,
    once they are ready. A link to anything else would only lead to a refusal."""
    allowed = [
        r
        for r in REPORTS.values()
        if has_permission(user, report_permission(r, user), episode.patient)
    ]
    if not allowed:
        return []
    ready = reports_ready(episode)
    return [r for r in allowed if r.kind in ready]


def _home_program(episode: Episode, day: date) -> list[tuple[HomeProgramItem, str]]:
    """The exercises in the program on `day` with their dose, held at the discharge dose."""
    return [(row.item, row.dose) for row in checklist(episode, day)]


# The CSS @page size of each paper size a clinic may choose.
PAGE_SIZES = {PaperSize.LETTER: "letter", PaperSize.A4: "A4"}


def page_size(clinic: Clinic) -> str:
    """The clinic's paper size for @page; the default for its time zone if it has none."""
    paper = clinic.paper_size
    if paper not in PAGE_SIZES:
        paper = PaperSize.for_time_zone(clinic.time_zone)
    return PAGE_SIZES[PaperSize(paper)]


def clinic_contact(clinic: Clinic) -> list[tuple[str, str]]:
    """How to reach the clinic, as every report prints it: only what the clinic filled in."""
    address = ", ".join(line.strip() for line in clinic.address.splitlines() if line.strip())
    lines = [
        ("Address", address),
        ("Phone", clinic.phone.strip()),
        ("Phone answered", clinic.hours.strip()),
        ("Out of hours or in a crisis", clinic.crisis_line.strip()),
    ]
    return [(label, value) for label, value in lines if value]


def report_context(
    report: Report,
    episode: Episode,
    *,
    today: date | None = None,
    signer: User | None = None,
) -> dict[str, Any]:
    """What a report's template reads. A letter is signed by `signer`, the clinician printing
    it; without one (or when a guardian prints), by the care team's lead."""
    today = today or timezone.localdate()
    patient = episode.patient
    # Refuse before any work when the report cannot be written yet.
    plan = discharge = None
    if report.kind == "school":
        plan = school_plan_of(episode)
        if plan is None or not plan.approved:
            raise ReportNotReady(
                "The school letter needs a school plan that a parent or guardian has approved. "
                "Write it on the School plan page; the family approves it from their record."
            )
    elif report.kind == "discharge":
        discharge = Discharge.objects.filter(episode=episode).select_related("by").first()
        if discharge is None:
            raise ReportNotReady("The episode has not been discharged yet.")
    # A discharge summary covers the program up to the discharge, whenever it is printed.
    until = discharge.discharged_on if discharge is not None else today
    progress = episode_progress(episode, until=until)
    team = list(episode.care_team.select_related("clinician"))
    if signer is None or not signer.is_staff_member:
        signer = next((m.clinician for m in team if m.is_lead), None)
    context: dict[str, Any] = {
        "report": report,
        "clinic": patient.clinic,
        "page_size": page_size(patient.clinic),
        "contact": clinic_contact(patient.clinic),
        "signer": signer,
        "logo": Path(patient.clinic.logo.path).as_uri() if patient.clinic.logo else "",
        "patient": patient,
        "episode": episode,
        "progress": progress,
        "period": (progress.start, until),
        "generated_at": timezone.localtime(),
        "team": team,
    }
    if report.kind == "family":
        pain = DiarySettings.objects.filter(patient=patient, family_sees_pain=True).exists()
        context["charts"] = [
            c
            for c in (
                function_vs_pain(progress, with_pain=pain),
                school_chart(progress),
                gas_chart(progress),
            )
            if c is not None
        ]
        context["home_program"] = _home_program(episode, today)
    elif report.kind == "physician":
        intake = Intake.objects.filter(episode=episode).first()
        context["screening"] = intake_summary(intake) if intake else None
        context["plan"] = CarePlan.objects.filter(episode=episode, state=PlanState.ACTIVE).first()
        context["charts"] = [
            c for c in (fdi_chart(progress), function_vs_pain(progress, with_pain=True)) if c
        ]
    elif plan is not None:
        context["plan"] = plan
    elif discharge is not None:
        context["discharge"] = discharge
        context["follow_ups"] = list(FollowUp.objects.filter(episode=episode))
        context["follow_up_forms"] = Administration.objects.filter(
            episode=episode, timepoint="follow_up"
        ).count()
        context["home_program"] = _home_program(episode, discharge.discharged_on)
        context["at_discharge"] = []
        for series in progress.measures:
            at = next((p for p in series.scored if p.administration.timepoint == "discharge"), None)
            base = series.baseline
            change = at.total - base.total if at and base and at is not base else None  # type: ignore[operator]
            context["at_discharge"].append((series, at, change))
    return context


def render_report(report: Report, context: dict[str, Any]) -> tuple[str, bytes]:
    """The report's HTML and its PDF."""
    html = render_to_string(report.template, context)
    from backto.readers.progress.pdf import html_to_pdf  # WeasyPrint loads when a report is printed

    return html, html_to_pdf(html)
