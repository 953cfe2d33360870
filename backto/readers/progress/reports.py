"""The PDF reports of an episode, rendered with WeasyPrint from HTML templates.

Each report has its own template and its context is built here (tests read the context and the
HTML; a PDF test renders the pages to images). Every number carries its source: the instrument,
its version and the rule, or the diary instrument and how it was summarized.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backto.access.accounts.models import Clinic, PaperSize, User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import Asks, asked_of, has_permission
from backto.access.patients.models import Episode
from backto.access.patients.program import RUNNING_STATES
from backto.capabilities.careplan.models import CarePlan, Discharge, FollowUp, PlanState
from backto.capabilities.diary.models import DiarySettings
from backto.capabilities.homeprogram.models import HomeProgramItem
from backto.capabilities.homeprogram.queries import checklist
from backto.capabilities.intake.models import Intake
from backto.capabilities.intake.summary import intake_summary
from backto.capabilities.measures.healthcare import HEALTHCARE_USE, before_after
from backto.capabilities.measures.models import Administration, Timepoint
from backto.capabilities.measures.queries import MeasureSeries
from backto.capabilities.schoolplan.queries import school_plan_approved, school_plan_of
from backto.readers.progress.body_map import body_map_report
from backto.readers.progress.charts import fdi_chart, function_vs_pain, gas_chart, school_chart
from backto.readers.progress.functional import function_tests
from backto.readers.progress.medicines import letter_medicines
from backto.readers.progress.queries import Progress, episode_progress


@dataclass(frozen=True)
class Part:
    """What one kind of report adds to the common context: the day its period ends (today, or
    the discharge for a discharge summary) and its own entries, built from the progress."""

    until: date
    build: Callable[[Progress], dict[str, Any]]


@dataclass(frozen=True)
class Report:
    kind: str
    title: str | Promise  # in the language the report is written in, when rendered
    template: str
    # Refuses (ReportNotReady) before any work when the report cannot be written yet.
    part: Callable[[Episode, date], Part]
    for_family: bool = False  # also printed with report_family_print (a guardian's own child)


class ReportNotReady(Exception):
    """The report cannot be written yet; the message says why and what to do."""


def report_permission(report: Report) -> Asks:
    """What printing this report asks: an export by the care team, and for the family report
    also a guardian's print of their own child's (the first of these the person holds)."""
    if report.for_family:
        return (Permission.REPORT_EXPORT, Permission.REPORT_FAMILY_PRINT)
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
        if has_permission(user, asked_of(user, report_permission(r)), episode.patient)
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


def clinic_contact(clinic: Clinic) -> list[tuple[str, Any]]:
    """How to reach the clinic, as every report prints it: only what the clinic filled in."""
    address = ", ".join(line.strip() for line in clinic.address.splitlines() if line.strip())
    lines = [
        (_("Address"), address),
        (_("Phone"), clinic.phone.strip()),
        # The clinic's own words, in the report's language where the clinic wrote them in it.
        # (ClinicText: an English text the clinic has not translated keeps its lang="en")
        (_("Phone answered"), clinic.text_for_reader("hours")),
        (_("Out of hours or in a crisis"), clinic.text_for_reader("crisis_line")),
    ]
    return [(label, value) for label, value in lines if str(value).strip()]


def standardized(progress: Progress) -> list[MeasureSeries]:
    """The measures a letter tables with their baseline, latest and reliable change: all but the
    healthcare-use form, whose counts per 3 months have their own before-and-after table."""
    return [s for s in progress.measures if s.instrument_id != HEALTHCARE_USE]


def _family_part(episode: Episode, today: date) -> Part:
    def build(progress: Progress) -> dict[str, Any]:
        pain = DiarySettings.objects.filter(patient=episode.patient, family_sees_pain=True)
        charts = (
            function_vs_pain(progress, with_pain=pain.exists()),
            school_chart(progress),
            gas_chart(progress),
        )
        return {
            "charts": [c for c in charts if c is not None],
            "home_program": _home_program(episode, today),
        }

    return Part(today, build)


def _physician_part(episode: Episode, today: date) -> Part:
    def build(progress: Progress) -> dict[str, Any]:
        intake = Intake.objects.filter(episode=episode).first()
        charts = (fdi_chart(progress), function_vs_pain(progress, with_pain=True))
        return {
            "screening": intake_summary(intake) if intake else None,
            "healthcare": before_after([episode.pk], until=today).get(episode.pk),
            "medicines": letter_medicines(episode, start=progress.start, until=today),
            "plan": CarePlan.objects.filter(episode=episode, state=PlanState.ACTIVE).first(),
            "charts": [c for c in charts if c],
            "function_tests": function_tests(progress.functional),
            "body_map": body_map_report(progress),
        }

    return Part(today, build)


def _school_part(episode: Episode, today: date) -> Part:
    plan = school_plan_of(episode)
    if plan is None or not plan.approved:
        raise ReportNotReady(
            _(
                "The school letter needs a school plan that a parent or guardian has approved. "
                "Write it on the School plan page; the family approves it from their record."
            )
        )
    return Part(today, lambda progress: {"plan": plan})


def _discharge_part(episode: Episode, today: date) -> Part:
    discharge = Discharge.objects.filter(episode=episode).select_related("by").first()
    if discharge is None:
        raise ReportNotReady(_("The episode has not been discharged yet."))

    def build(progress: Progress) -> dict[str, Any]:
        at_discharge = []
        for series in standardized(progress):
            at = next((p for p in series.scored if p.administration.timepoint == "discharge"), None)
            base = series.baseline
            change = at.total - base.total if at and base and at is not base else None  # type: ignore[operator]
            at_discharge.append((series, at, change))
        return {
            "discharge": discharge,
            "follow_ups": list(FollowUp.objects.filter(episode=episode)),
            "follow_up_forms": Administration.objects.filter(
                episode=episode, timepoint="follow_up"
            ).count(),
            "home_program": _home_program(episode, discharge.discharged_on),
            "at_discharge": at_discharge,
            "healthcare": before_after([episode.pk], after_at=[Timepoint.DISCHARGE]).get(
                episode.pk
            ),
            "medicines": letter_medicines(
                episode, start=progress.start, until=discharge.discharged_on
            ),
            "function_tests": function_tests(progress.functional),
            "body_map": body_map_report(progress),
        }

    # A discharge summary covers the program up to the discharge, whenever it is printed.
    return Part(discharge.discharged_on, build)


REPORTS = {
    r.kind: r
    for r in (
        Report(
            "family",
            gettext_lazy("Progress report for the family"),
            "progress/reports/family.html",
            _family_part,
            for_family=True,
        ),
        Report(
            "physician",
            gettext_lazy("Letter to the child's physician"),
            "progress/reports/physician.html",
            _physician_part,
        ),
        Report(
            "school",
            gettext_lazy("Letter to the school"),
            "progress/reports/school.html",
            _school_part,
        ),
        Report(
            "discharge",
            gettext_lazy("Discharge summary"),
            "progress/reports/discharge.html",
            _discharge_part,
        ),
    )
}


def report_language(report: Report, episode: Episode, reader: User | None = None) -> str:
    """The language a report is written in. The family report speaks the family's: a family
    member printing it reads it in their own account's language; made by the care team (or with
    no one named), it is in the patient's family language. A letter (to the physician, the
    school, the discharge summary) is in the clinic's language, whoever prints it."""
    patient = episode.patient
    if report.for_family:
        return patient.language_for(reader)
    return patient.clinic.language or settings.LANGUAGE_CODE


def report_context(
    report: Report,
    episode: Episode,
    *,
    today: date | None = None,
    signer: User | None = None,
) -> dict[str, Any]:
    """What a report's template reads: what every report prints, and its kind's own part. A
    letter is signed by `signer`, the clinician printing it; without one (or when a guardian
    prints), by the care team's lead. Everything in it is in the report's language
    (report_language), which render_report writes it in too."""
    today = today or timezone.localdate()
    language = report_language(report, episode, signer)
    part = report.part(episode, today)  # a refusal speaks to the person asking, in their language
    with translation.override(language):
        return _report_context(report, episode, part, language=language, signer=signer)


def _report_context(
    report: Report, episode: Episode, part: Part, *, language: str, signer: User | None
) -> dict[str, Any]:
    patient = episode.patient
    progress = episode_progress(episode, until=part.until)
    team = list(episode.care_team.select_related("clinician"))
    if signer is None or not signer.is_staff_member:
        signer = next((m.clinician for m in team if m.is_lead), None)
    return {
        "report": report,
        "language": language,
        "clinic": patient.clinic,
        "page_size": page_size(patient.clinic),
        "contact": clinic_contact(patient.clinic),
        "signer": signer,
        "logo": Path(patient.clinic.logo.path).as_uri() if patient.clinic.logo else "",
        "patient": patient,
        "episode": episode,
        "progress": progress,
        # From the referral: a report shows results from before the program started (the intake's
        # exam, the baseline questionnaires), so the period starts where the episode does.
        "period": (min(episode.referral_date, progress.start), part.until),
        "program_start": progress.start,
        "generated_at": timezone.localtime(),
        "team": team,
        "measures": standardized(progress),
        **part.build(progress),
    }


def render_report(report: Report, context: dict[str, Any]) -> tuple[str, bytes]:
    """The report's HTML and its PDF, in the language of its context (report_context)."""
    with translation.override(context.get("language", settings.LANGUAGE_CODE)):
        html = render_to_string(report.template, context)
    from backto.readers.progress.pdf import html_to_pdf  # WeasyPrint loads when a report is printed

    return html, html_to_pdf(html)
