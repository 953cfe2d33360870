"""The appointment pages: a child's appointments (book, change, record whether they took place),
the clinician's week, and the family's week. Times are the clinic's (the middleware sets its
zone for the request; the pages compute days in it too)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import (
    audit_page_view,
    can,
    filters_detail,
    get_patient_for,
    has_permission,
    require_permission,
)
from backto.access.patients.models import Patient
from backto.capabilities.appointments import actions
from backto.capabilities.appointments.actions import TRANSITIONS
from backto.capabilities.appointments.feeds import build_feed
from backto.capabilities.appointments.forms import (
    AppointmentIdForm,
    BookForm,
    ChangeForm,
    StatusForm,
    WeekForm,
    initial_for,
)
from backto.capabilities.appointments.models import Appointment, AppointmentStatus, CalendarFeed
from backto.capabilities.appointments.queries import (
    child_appointments,
    clinic_clinicians,
    family_appointments,
    family_children,
    monday_of,
    span,
    staff_week,
    week_days,
    zone_of,
)
from backto.core.forms import apply_errors

# The buttons each status offers, in order, with their words.
STATUS_BUTTONS = {
    AppointmentStatus.ATTENDED: "Took place",
    AppointmentStatus.MISSED: "Did not come",
    AppointmentStatus.CANCELLED: "Cancel",
    AppointmentStatus.BOOKED: "Book again",
}


def _page(
    request: AuthenticatedHttpRequest,
    patient: Patient,
    *,
    book: BookForm | None = None,
    change: ChangeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    zone = zone_of(user.clinic)
    now = timezone.now()
    clinicians = clinic_clinicians(user.clinic_id)
    found = child_appointments(patient, now=now)
    permissions = can(user, patient)
    rows = []
    for appointment in found.upcoming:
        form = None
        if permissions["appointment_edit"] and appointment.status == AppointmentStatus.BOOKED:
            if change is not None and change.cleaned_data.get("appointment") == appointment.pk:
                form = change
            else:
                form = ChangeForm(
                    initial=initial_for(appointment, zone),
                    zone=zone,
                    clinicians=clinicians,
                    auto_id=f"a{appointment.pk}_%s",
                )
        rows.append((appointment, form, _buttons(appointment, now)))
    past = [(a, None, _buttons(a, now)) for a in found.past]
    return render(
        request,
        "appointments/appointments.html",
        {
            "patient": patient,
            "upcoming": rows,
            "past": past,
            "form": book or BookForm(zone=zone, clinicians=clinicians),
            "can": permissions,
        },
        status=status,
    )


def _buttons(appointment: Appointment, now: Any) -> list[tuple[str, str]]:
    allowed = TRANSITIONS[appointment.status]
    return [
        (value, words)
        for value, words in STATUS_BUTTONS.items()
        if value in allowed
        and (value not in actions.AFTER_THE_START or appointment.starts_at <= now)
    ]


@require_safe
def appointments(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request, patient_id, Permission.APPOINTMENT_VIEW)
    return _page(request, patient)


@require_POST
def appointment_book(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(
        request, patient_id, Permission.APPOINTMENT_VIEW, write=Permission.APPOINTMENT_EDIT
    )
    zone = zone_of(request.user.clinic)
    form = BookForm(request.POST, zone=zone, clinicians=clinic_clinicians(request.user.clinic_id))
    if form.is_valid():
        data = form.cleaned_data
        booking = {
            "by": request.user,
            "patient": patient,
            "kind": data["kind"],
            "starts_at": data["starts_at"],
            "minutes": data["minutes"],
            "place": data["place"],
            "video_link": data["video_link"],
            "clinician": data["clinician"],
            "note_for_family": data["note_for_family"],
        }
        try:
            if data["weeks"] > 1:
                actions.appointment_book_weekly(weeks=data["weeks"], **booking)
            else:
                actions.appointment_book(**booking)
        except ValidationError as error:
            apply_errors(form, error, lambda name, _: "start" if name == "starts_at" else name)
        else:
            weeks = data["weeks"]
            messages.success(
                request, "Appointment booked." if weeks == 1 else f"{weeks} appointments booked."
            )
            return redirect("appointments", patient_id=patient.pk)
    return _page(request, patient, book=form, status=400)


def _appointment_of(patient: Patient, appointment_id: int) -> Appointment:
    try:
        return Appointment.objects.select_related("patient").get(pk=appointment_id, patient=patient)
    except Appointment.DoesNotExist:
        raise Http404("No such appointment.") from None


@require_POST
def appointment_change(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(
        request, patient_id, Permission.APPOINTMENT_VIEW, write=Permission.APPOINTMENT_EDIT
    )
    appointment = _appointment_of(patient, AppointmentIdForm(request.POST).checked()["appointment"])
    zone = zone_of(request.user.clinic)
    form = ChangeForm(
        request.POST,
        zone=zone,
        clinicians=clinic_clinicians(request.user.clinic_id),
        auto_id=f"a{appointment.pk}_%s",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.appointment_change(
                by=request.user,
                appointment=appointment,
                starts_at=data["starts_at"],
                minutes=data["minutes"],
                place=data["place"],
                video_link=data["video_link"],
                clinician=data["clinician"],
                note_for_family=data["note_for_family"],
            )
        except ValidationError as error:
            apply_errors(form, error, lambda name, _: "start" if name == "starts_at" else name)
        else:
            messages.success(request, "Appointment changed.")
            return redirect("appointments", patient_id=patient.pk)
    return _page(request, patient, change=form, status=400)


@require_POST
def appointment_status(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(
        request, patient_id, Permission.APPOINTMENT_VIEW, write=Permission.APPOINTMENT_EDIT
    )
    checked = StatusForm(request.POST).checked()
    appointment = _appointment_of(patient, checked["appointment"])
    try:
        actions.appointment_status_set(
            by=request.user, appointment=appointment, status=checked["status"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Saved: {AppointmentStatus(checked['status']).label.lower()}.")
    return redirect("appointments", patient_id=patient.pk)


@require_safe
def week(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A clinician's week, Monday to Sunday; with the clinic's caseload, anyone's or everyone's."""
    require_permission(request, Permission.APPOINTMENT_VIEW)
    user = request.user
    if not user.is_staff_member:
        return redirect("family_week")
    checked = WeekForm(request.GET).checked()
    zone = zone_of(user.clinic)
    today = timezone.localdate(timezone=zone)
    monday = monday_of(checked["start"] or today)
    whose = checked["clinician"]
    sees_clinic = has_permission(user, Permission.CASELOAD_VIEW_CLINIC)
    if whose not in (None, user.pk):
        require_permission(request, Permission.CASELOAD_VIEW_CLINIC)
    clinicians = clinic_clinicians(user.clinic_id) if sees_clinic else []
    if isinstance(whose, int) and whose != user.pk and whose not in {c.pk for c in clinicians}:
        raise Http404("No such clinician.")
    clinician_id = None if whose == "all" else (whose or user.pk)
    rows = staff_week(viewer=user, monday=monday, clinician_id=clinician_id, zone=zone)
    audit_page_view(request, detail=filters_detail(start=monday.isoformat(), clinician=whose or ""))
    chosen = next((c for c in clinicians if c.pk == clinician_id), None)
    return render(
        request,
        "appointments/week.html",
        {
            "days": week_days(monday, rows, zone),
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "today": today,
            "whose": whose,
            "mine": clinician_id == user.pk,
            "everyone": clinician_id is None,
            "chosen": chosen,
            "clinicians": clinicians,
            "count": len(rows),
        },
    )


@require_safe
def family_week(request: AuthenticatedHttpRequest) -> HttpResponse:
    """This week and next for each of the family's children (a teen: their own)."""
    require_permission(request, Permission.APPOINTMENT_VIEW)
    user = request.user
    if user.is_staff_member:
        return redirect("week")
    zone = zone_of(user.clinic)
    today = timezone.localdate(timezone=zone)
    monday = monday_of(today)
    children = family_children(user)
    start, end = span(monday, 14, zone)
    found = family_appointments([c.pk for c in children], start=start, end=end)
    audit_page_view(request, detail=filters_detail(start=monday.isoformat()))
    next_monday = span(monday + timedelta(days=7), 1, zone)[0]
    rows = [
        {
            "child": child,
            "weeks": [
                (_("This week"), [a for a in found[child.pk] if a.starts_at < next_monday]),
                (_("Next week"), [a for a in found[child.pk] if a.starts_at >= next_monday]),
            ],
            "any": bool(found[child.pk]),
        }
        for child in children
    ]
    return render(
        request,
        "appointments/family_week.html",
        {"rows": rows, "today": today, "several": len(children) > 1},
    )


def _feed_page(
    request: AuthenticatedHttpRequest, *, address: str = "", status: int = 200
) -> HttpResponse:
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "appointments/calendar_feed.html",
        {"feed": feed, "address": address, "webcal": address.replace("https://", "webcal://", 1)},
        status=status,
    )


@require_safe
def calendar_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's calendar address: whether they have one, and a button to make or reset it."""
    require_permission(request, Permission.APPOINTMENT_VIEW)
    audit_page_view(request)
    return _feed_page(request)


@require_POST
def calendar_feed_reset(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make a new secret address (the old one stops working) and show it, this once."""
    require_permission(request, Permission.APPOINTMENT_VIEW)
    token = actions.calendar_feed_reset(by=request.user)
    address = settings.SITE_URL + reverse("calendar_ics", kwargs={"token": token})
    return _feed_page(request, address=address)


@login_not_required
@require_safe
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself, fetched by a calendar without signing in: the secret address is the key.
    An address never made, reset since, or of an account closed: 404."""
    feed = (
        CalendarFeed.objects.select_related("user__clinic")
        .filter(token_hash=actions.token_hash(token))
        .first()
    )
    if feed is None or not has_permission(feed.user, Permission.APPOINTMENT_VIEW):
        raise Http404("No such calendar.")
    built = build_feed(feed.user, now=timezone.now())
    actions.calendar_feed_fetched(feed=feed, events=built.events)
    response = HttpResponse(built.body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="backto.ics"'
    return response
