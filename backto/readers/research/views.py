"""The research export for a coordinator: name a study, choose a cohort, download the zip
(behind re-authentication, audited)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.accounts.sudo import sudo_required
from backto.access.patients.access import require_permission
from backto.core.forms import apply_errors
from backto.readers.research.actions import research_study_create
from backto.readers.research.deidentify import SMALL_CELL, TooFewToExport
from backto.readers.research.export import research_export
from backto.readers.research.forms import ExportForm, StudyForm
from backto.readers.research.models import ResearchStudy


def _page(
    request: AuthenticatedHttpRequest,
    *,
    form: ExportForm | None = None,
    study_form: StudyForm | None = None,
    status: int = 200,
    refused: str = "",
) -> HttpResponse:
    today = timezone.localdate()
    initial: dict[str, object] = {"start": today - timedelta(days=365), "end": today}
    if "study" in request.GET:
        initial["study"] = request.GET["study"]
    return render(
        request,
        "research/research.html",
        {
            "form": form or ExportForm(initial=initial, clinic=request.user.clinic),
            "study_form": study_form or StudyForm(),
            "studies": ResearchStudy.objects.filter(clinic=request.user.clinic),
            "small": SMALL_CELL,
            "refused": refused,
        },
        status=status,
    )


@require_safe
def research(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.RESEARCH_EXPORT)
    return _page(request)


@require_POST
@sudo_required
def research_study_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.RESEARCH_EXPORT)
    form = StudyForm(request.POST)
    if form.is_valid():
        try:
            study = research_study_create(by=request.user, code=form.cleaned_data["study"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return HttpResponseRedirect(f"{reverse('research')}?study={study.code}")
    return _page(request, study_form=form, status=400)


@require_safe
@sudo_required
def research_export_zip(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.RESEARCH_EXPORT)
    form = ExportForm(request.GET, clinic=request.user.clinic)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    study = form.cleaned_data["study"]
    try:
        export = research_export(by=request.user, study=study, cohort_filter=form.cohort_filter())
    except TooFewToExport as reason:
        return _page(request, form=form, status=409, refused=str(reason))
    response = HttpResponse(export.archive, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="backto-research-{study.code}-{stamp}.zip"'
    )
    response["Cache-Control"] = "no-store"
    return response
