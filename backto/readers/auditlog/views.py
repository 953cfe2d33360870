from datetime import datetime, time

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import (
    audit_page_view,
    filters_detail,
    get_patient_for,
    require_permission,
)
from backto.access.patients.record_parts import action_words, record_part
from backto.audit.models import Action, AuditEvent
from backto.capabilities.alerts.queries import alerts_kept_from
from backto.capabilities.messaging.queries import teen_events_kept_from
from backto.core.forms import BoundedDateField


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, label="Username", max_length=150)
    action = forms.ChoiceField(choices=[("", "Any"), *Action.choices], required=False)
    patient = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, label="Patient id"
    )
    since = BoundedDateField(required=False)
    until = BoundedDateField(required=False)


@require_safe
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.AUDIT_VIEW)
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.filter(clinic_id=request.user.clinic_id)
    if form.is_bound and not form.is_valid():
        events = events.none()  # a filter with a mistake shows its message, not every event
    elif form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor_username__iexact=data["actor"].strip())
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["patient"]:
            events = events.filter(patient_id=data["patient"])
        tz = timezone.get_current_timezone()
        if data["since"]:
            events = events.filter(at__gte=datetime.combine(data["since"], time.min, tz))
        if data["until"]:
            events = events.filter(at__lte=datetime.combine(data["until"], time.max, tz))
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    response = render(
        request,
        "audit/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )
    # Reading the log is in the log, after the page it is not listed on.
    audit_page_view(request, detail=_filters(form, page.number, request.user.clinic_id))
    return response


def _filters(form: AuditFilterForm, page: int, clinic_id: int) -> str:
    """The filters the log was read with; the username looked up as its account's id."""
    if not form.is_valid():
        return filters_detail(invalid="yes" if form.is_bound else "", page=page)
    data = form.cleaned_data
    actor = data["actor"].strip()
    if actor:
        found = (
            User.objects.filter(clinic_id=clinic_id, username__iexact=actor)
            .values_list("pk", flat=True)
            .first()
        )
        actor = f"#{found}" if found is not None else "no account"
    return filters_detail(
        actor=actor,
        action=data["action"],
        patient=data["patient"],
        since=data["since"],
        until=data["until"],
        page=page,
    )


@require_safe
def access_log(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    """Who has opened or changed this child's record: for the family and the care team."""
    patient = get_patient_for(request, patient_id, Permission.ACCESS_LOG_VIEW)
    # An event on a safety alert tells that a safety answer was given: not listed to whoever
    # may not know of the alert (a teen's private answer: the care team only).
    # Nor, to a guardian, anything about the teen's own conversation (not even that it exists).
    events = (
        AuditEvent.objects.for_patient(patient.pk)
        .exclude(object_type="safetyalert", object_id__in=alerts_kept_from(request.user, patient))
        .exclude(teen_events_kept_from(request.user, patient))
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page:
        event.part = record_part(event)  # type: ignore[attr-defined]
        event.what = action_words(event)  # type: ignore[attr-defined]
    return render(request, "audit/access_log.html", {"patient": patient, "page": page})
