"""The learning pages as families and staff read them, the pain-cycle explainer, and the pages
a care team suggests to a family."""

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import (
    audit_page_view,
    can,
    filters_detail,
    get_patient_for,
    get_record_for,
    has_permission,
    patients_for,
)
from backto.capabilities.learning import actions
from backto.capabilities.learning.content import content_language
from backto.capabilities.learning.explainer import explainer_context
from backto.capabilities.learning.forms import (
    AudienceForm,
    ExplainerForm,
    PresetForm,
    SuggestForm,
)
from backto.capabilities.learning.models import Audience, PageAssignment
from backto.capabilities.learning.queries import (
    clinic_page,
    clinic_pages,
    other_version,
    suggestions_for,
)
from backto.clinical import pain_cycle
from backto.core.forms import apply_errors


def reader_language() -> str:
    """The language of the pages for this request: the reader's, where BackTo ships it."""
    return content_language(get_language())


def _default_audience(request: AuthenticatedHttpRequest) -> str:
    return Audience.KIDS if request.user.is_teen else Audience.PARENTS


@require_safe
def learning_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    audience = AudienceForm(request.GET, default=_default_audience(request)).audience()
    language = reader_language()
    pages = [p for p in clinic_pages(request.user.clinic_id, language) if p.audience == audience]
    audit_page_view(request, detail=filters_detail(audience=audience))
    return render(
        request,
        "learning/index.html",
        {"pages": pages, "audience": audience, "audiences": Audience.choices, "language": language},
    )


@require_safe
def learning_page(request: AuthenticatedHttpRequest, audience: str, slug: str) -> HttpResponse:
    language = reader_language()
    page = clinic_page(request.user.clinic_id, audience, slug, language)
    if page is None or page.hidden:
        raise Http404("No such page.")
    unread = []
    if has_permission(request.user, Permission.LEARNING_MARK_READ):
        unread = list(
            PageAssignment.objects.filter(
                patient__in=patients_for(request.user),
                audience=audience,
                slug=slug,
                read_at__isnull=True,
            ).select_related("patient")
        )
    # The page, and the suggestions of it to the reader's children it lists (by id).
    audit_page_view(
        request,
        detail=f"{audience}/{slug}"
        + (
            " suggested to patients " + ",".join(str(a.patient_id) for a in unread)
            if unread
            else ""
        ),
    )
    return render(
        request,
        "learning/page.html",
        {
            "page": page,
            "other": other_version(request.user.clinic_id, page, language),
            "unread": unread,
            "language": language,
        },
    )


@require_safe
def explainer(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A preset, or the sliders sent as a form (the page without its script)."""
    preset = PresetForm(request.GET).chosen()
    form = ExplainerForm(request.GET if preset is None and request.GET else None)
    settings = preset or pain_cycle.PRESETS["normal"]
    if form.is_bound and form.is_valid():
        chosen = {k: v for k, v in form.cleaned_data.items() if v is not None}
        settings = replace(settings, **chosen)
    if not form.errors:
        form = ExplainerForm(initial=vars(settings))  # the sliders show the state drawn
    return render(
        request,
        "learning/explainer.html",
        {"form": form, **explainer_context(settings)},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def suggestions(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    """The pages suggested to a child's family; a POST suggests one more."""
    patient = get_patient_for(
        request, patient_id, Permission.PATIENT_VIEW, write=Permission.LEARNING_SUGGEST
    )
    pages = clinic_pages(patient.clinic_id, reader_language())
    form = SuggestForm(request.POST or None, pages=pages)
    if request.method == "POST" and form.is_valid():
        audience, slug = form.cleaned_data["page"].split("/", 1)
        try:
            actions.learning_page_suggest(
                by=request.user,
                patient=patient,
                audience=audience,
                slug=slug,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Suggested. The family sees it on their home page."))
            return redirect("learning_suggestions", patient_id=patient.pk)
    return render(
        request,
        "learning/suggestions.html",
        {
            "patient": patient,
            "form": form,
            "suggested": suggestions_for(patient.clinic_id, [patient.pk], pages).get(
                patient.pk, []
            ),
            "can": can(request.user, patient),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def suggestion_withdraw(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_record_for(
        request,
        PageAssignment.objects.all(),
        assignment_id,
        Permission.LEARNING_SUGGEST,
        patient_path="patient",
    )
    actions.learning_page_withdraw(by=request.user, assignment=assignment)
    messages.success(request, _("The suggestion is withdrawn."))
    return redirect("learning_suggestions", patient_id=assignment.patient_id)


@require_POST
def suggestion_read(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_record_for(
        request,
        PageAssignment.objects.all(),
        assignment_id,
        Permission.LEARNING_MARK_READ,
        patient_path="patient",
    )
    actions.learning_page_mark_read(by=request.user, assignment=assignment)
    messages.success(request, _("Thank you for reading. Well done!"))
    return redirect("learning_page", audience=assignment.audience, slug=assignment.slug)
