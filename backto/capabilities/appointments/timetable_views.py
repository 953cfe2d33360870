"""The coordinator's template-week pages: the clinic's list, making and changing one,
deactivating it, and applying one to a child's program (a preview, then booking it all)."""

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import (
    audit_page_view,
    deny,
    get_episode_for,
    require_permission,
)
from backto.access.patients.models import Episode
from backto.access.patients.program import RUNNING_STATES
from backto.audit.log import audit
from backto.audit.models import Action
from backto.capabilities.appointments import timetable_actions as actions
from backto.capabilities.appointments.actions import MAX_WEEKS
from backto.capabilities.appointments.models import TimetableTemplate
from backto.capabilities.appointments.timetable import (
    DEFAULT_WEEKS,
    NoSuchTime,
    Planned,
    active_timetables,
    care_team_clinicians,
    clashes,
    clinic_timetables,
    plan,
    slots_of,
)
from backto.capabilities.appointments.timetable_forms import (
    ApplyForm,
    SlotFormSet,
    TimetableForm,
    clinic_staff,
    next_monday,
    slot_initial,
)
from backto.core.forms import ParameterForm, RecordIdField, SwitchField, apply_errors


@require_http_methods(["GET"])
def timetables(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The clinic's template weeks."""
    require_permission(request, Permission.TIMETABLE_MANAGE)
    audit_page_view(request)
    return render(
        request,
        "appointments/timetables.html",
        {"timetables": clinic_timetables(request.user.clinic)},
    )


def _timetable_for(request: AuthenticatedHttpRequest, timetable_id: int) -> TimetableTemplate:
    """One of the clinic's template weeks (404 for another clinic's), for a coordinator."""
    require_permission(request, Permission.TIMETABLE_MANAGE)
    timetable = TimetableTemplate.objects.filter(
        pk=timetable_id, clinic_id=request.user.clinic_id
    ).first()
    if timetable is None:
        deny(
            request,
            status=404,
            object_type="timetabletemplate",
            object_id=timetable_id,
            patient_id=None,
            permission=Permission.TIMETABLE_MANAGE,
        )
        raise Http404("No such template week.")
    return timetable


def _edit_page(
    request: AuthenticatedHttpRequest,
    timetable: TimetableTemplate | None,
) -> HttpResponse:
    """The form for a new template week or one to change; a POST saves it."""
    if request.method == "POST":
        form = TimetableForm(request.POST)
        slots = SlotFormSet(request.POST, prefix="slots")
        if form.is_valid() and slots.is_valid():
            try:
                saved = actions.timetable_save(
                    by=request.user,
                    clinic=request.user.clinic,
                    timetable=timetable,
                    name=form.cleaned_data["name"],
                    slots=slots.slots(),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"“{saved.name}” saved.")
                return redirect("timetable_edit", timetable_id=saved.pk)
    elif timetable is not None:
        form = TimetableForm(initial={"name": timetable.name})
        slots = SlotFormSet(prefix="slots", initial=slot_initial(slots_of(timetable)))
        audit(by=request.user, action=Action.VIEW, obj=timetable, detail="timetable_edit")
    else:
        form, slots = TimetableForm(), SlotFormSet(prefix="slots")
    return render(
        request,
        "appointments/timetable_form.html",
        {"timetable": timetable, "form": form, "slots": slots},
    )


@require_http_methods(["GET", "POST"])
def timetable_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.TIMETABLE_MANAGE)
    if request.method == "GET":
        audit_page_view(request)
    return _edit_page(request, None)


@require_http_methods(["GET", "POST"])
def timetable_edit(request: AuthenticatedHttpRequest, timetable_id: int) -> HttpResponse:
    return _edit_page(request, _timetable_for(request, timetable_id))


class ActiveForm(ParameterForm):
    active = SwitchField()  # 1: make it active again, 0: deactivate


@require_POST
def timetable_active(request: AuthenticatedHttpRequest, timetable_id: int) -> HttpResponse:
    """Deactivate a template week (it is kept, and no longer offered), or reactivate it."""
    timetable = _timetable_for(request, timetable_id)
    active = ActiveForm(request.POST).checked()["active"]
    actions.timetable_set_active(by=request.user, timetable=timetable, active=active)
    messages.success(
        request, f"“{timetable.name}” is {'active again' if active else 'deactivated'}."
    )
    return redirect("timetables")


def _preview(episode: Episode, form: ApplyForm) -> tuple[list[Planned], list[str]]:
    """The appointments the chosen week would book, and what stops it (overlaps, a time the
    clocks skip)."""
    data = form.cleaned_data
    try:
        planned = plan(
            slots_of(data["timetable"]),
            first_monday=data["first_monday"],
            weeks=data["weeks"],
            zone=ZoneInfo(episode.patient.clinic.time_zone),
            clinicians=form.clinicians(),
        )
    except NoSuchTime as error:
        return [], [str(error)]
    return planned, [str(c) for c in clashes(episode, planned)]


class WeeksForm(ParameterForm):
    """The program's length the care plan page links with (?weeks=), for the default."""

    weeks = RecordIdField(required=False)


@require_http_methods(["GET", "POST"])
def timetable_apply(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """Apply a template week to the child's program: the choices (GET) show the appointments it
    will book; the booking (POST) books them all in one transaction, or none."""
    episode = get_episode_for(request, episode_id, Permission.TIMETABLE_MANAGE)
    clinic = episode.patient.clinic

    def apply_form(*args: Any, **kwargs: Any) -> ApplyForm:
        return ApplyForm(
            *args, timetables=active_timetables(clinic), staff=clinic_staff(clinic.pk), **kwargs
        )

    planned: list[Planned] = []
    problems: list[str] = []
    if request.method == "POST":
        form = apply_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                booked = actions.timetable_apply(
                    by=request.user,
                    episode=episode,
                    timetable=data["timetable"],
                    first_monday=data["first_monday"],
                    weeks=data["weeks"],
                    clinicians=form.clinicians(),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{len(booked)} appointment{'' if len(booked) == 1 else 's'} booked "
                    f"from “{data['timetable'].name}”.",
                )
                return redirect("patient_overview", patient_id=episode.patient_id)
    elif "timetable" in request.GET:
        form = apply_form(request.GET)
        if form.is_valid():
            planned, problems = _preview(episode, form)
    else:
        weeks = WeeksForm(request.GET).checked()["weeks"]
        initial: dict[str, object] = {
            "first_monday": next_monday(timezone.localdate()),
            "weeks": weeks if weeks and 1 <= weeks <= MAX_WEEKS else DEFAULT_WEEKS,
        }
        initial.update({f"clinician_{k}": u.pk for k, u in care_team_clinicians(episode).items()})
        form = apply_form(initial=initial)
    return render(
        request,
        "appointments/timetable_apply.html",
        {
            "episode": episode,
            "patient": episode.patient,
            "running": episode.state in RUNNING_STATES,
            "form": form,
            "planned": planned,
            "problems": problems,
        },
    )
