"""The progress page of an episode: what the child is getting back to, in pictures."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import can, get_episode_for, has_permission
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.diary.queries import pain_shown, settings_of
from backto.capabilities.homeprogram.queries import desensitization_progress
from backto.capabilities.measures.healthcare import before_after
from backto.capabilities.schoolplan.queries import school_plan_part
from backto.readers.progress.body_map import (
    allodynia_area,
    painful_regions,
    touch_practice,
    touch_words,
)
from backto.readers.progress.charts import progress_charts
from backto.readers.progress.functional import function_tests, what_you_can_do
from backto.readers.progress.healthcare_words import family_healthcare
from backto.readers.progress.queries import Progress, episode_progress
from backto.readers.progress.reports import (
    REPORTS,
    ReportNotReady,
    printable_reports,
    render_report,
    report_context,
    report_permission,
)


def headline(progress: Progress) -> dict[str, object]:
    """First and latest week that have a value, for the cards at the top."""

    def first_last(attribute: str) -> tuple[object, object]:
        values = [
            getattr(w, attribute) for w in progress.weeks if getattr(w, attribute) is not None
        ]
        return (
            (values[0], values[-1]) if len(values) >= 2 else (None, values[-1] if values else None)
        )

    return {
        "activity": first_last("activity"),
        "school": first_last("school"),
        "wins": len(progress.wins),
    }


@require_safe
def progress_page(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(
        request, episode_id, Permission.PATIENT_VIEW, related=("patient__diary_settings",)
    )
    patient = episode.patient
    user = request.user
    settings = settings_of(patient)
    with_pain = pain_shown(user, patient, settings)
    child_view = user.is_teen  # presentation, not access: the child's own words and charts
    progress = episode_progress(episode, until=timezone.localdate())
    # The exam's results are for those who see the exam (exam_view: clinical staff). The family
    # (guardians and the teen) reads what the child can do in plain words, under this page's own
    # permission: the walk and the sit-to-stand, never a score, a reference or pain.
    exam_view = has_permission(user, Permission.EXAM_VIEW, patient)
    family_view = not user.is_staff_member
    return render(
        request,
        "progress/progress.html",
        {
            "episode": episode,
            "patient": patient,
            "progress": progress,
            "charts": progress_charts(progress, with_pain=with_pain, child_view=child_view),
            "headline": headline(progress),
            "function_tests": function_tests(progress.functional) if exam_view else [],
            # After the function tests (issue #19): the allodynia area and the painful regions.
            "allodynia": allodynia_area(progress.allodynia) if exam_view else None,
            "painful_regions": painful_regions(progress.pain_maps) if exam_view else None,
            "touch_practice": touch_practice(desensitization_progress(episode.pk))
            if exam_view
            else None,
            "can_do": what_you_can_do(
                progress.functional, name="" if child_view else patient.first_name
            )
            if family_view
            else [],
            # Only when the area got smaller, in plain words; never a number, never worse.
            "touch": touch_words(progress.allodynia, name="" if child_view else patient.first_name)
            if family_view
            else "",
            # The parents' answers about health care, in their words, for the parents.
            "healthcare": family_healthcare(before_after([episode.pk]).get(episode.pk))
            if family_view and not child_view
            else None,
            "child_view": child_view,
            "staff_view": user.is_staff_member,  # presentation, not access: links and wording
            "clinical_view": has_permission(user, Permission.PROGRESS_CLINICAL_VIEW, patient),
            "family_sees_pain": settings is not None and settings.family_sees_pain,
            "series": [(s, "") for s in progress.measures]
            if has_permission(user, Permission.PROGRESS_CLINICAL_VIEW, patient)
            else [],
            "can": can(user, patient),
            "reports": [] if child_view else printable_reports(user, episode),
            "school_plan_part": "" if child_view else school_plan_part(user, episode),
        },
    )


@require_safe
def report_pdf(request: AuthenticatedHttpRequest, episode_id: int, kind: str) -> HttpResponse:
    """A report as PDF: the care team prints any of them; a guardian the family report."""
    report = REPORTS.get(kind)
    if report is None:
        raise Http404("No such report.")
    user = request.user
    episode = get_episode_for(request, episode_id, report_permission(report))
    try:
        context = report_context(report, episode, signer=user)
    except ReportNotReady as reason:
        return render(
            request,
            "progress/report_not_ready.html",
            {"episode": episode, "patient": episode.patient, "reason": str(reason)},
            status=409,
        )
    _, pdf = render_report(report, context)
    audit(
        by=user,
        action=Action.EXPORT,
        obj=episode,
        patient_id=episode.patient_id,
        detail=f"report {report.kind} (pdf)",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    # The file name carries ids only: a download folder must not hold a child's name.
    response["Content-Disposition"] = f'inline; filename="backto-{kind}-{episode.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
