"""Therapy sessions and their notes: thin views over backto.capabilities.careplan.actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import can, get_episode_for, get_record_for, refuse
from backto.access.patients.models import Episode
from backto.access.patients.program import RUNNING_STATES
from backto.capabilities.careplan import actions
from backto.capabilities.careplan.attendance import appointments_to_record, took_place_without_note
from backto.capabilities.careplan.forms import (
    AddendumForm,
    DischargeForm,
    PlanForm,
    SessionForm,
    SessionRecordForm,
)
from backto.capabilities.careplan.models import PlanState, TherapySession
from backto.capabilities.careplan.queries import (
    care_plans,
    draft_plan,
    goals_by_discipline,
    plan_leads,
    program_dose,
    signs,
)
from backto.core.forms import ParameterForm, RecordIdField, apply_errors


class FromAppointmentForm(ParameterForm):
    """The appointment a "record its session" link starts the form from (?appointment=)."""

    appointment = RecordIdField(required=False)


def _record_form(request: AuthenticatedHttpRequest, episode: Episode) -> SessionRecordForm:
    appointments = appointments_to_record(episode)
    if request.method == "POST":
        return SessionRecordForm(request.POST, appointments=appointments)
    chosen = FromAppointmentForm(request.GET).checked()["appointment"]
    start = next((a for a in appointments if a.pk == chosen), None)
    # Today and an hour for a session outside the schedule; left empty when there are
    # appointments to choose from, so that choosing one without JavaScript fills them from it.
    initial: dict[str, object] = (
        {} if appointments else {"date": timezone.localdate(), "minutes": 60}
    )
    if start is not None:
        initial = {
            "appointment": str(start.pk),
            "date": timezone.localtime(start.starts_at).date(),
            "discipline": start.kind,
            "minutes": start.minutes,
        }
    return SessionRecordForm(initial=initial, appointments=appointments)


@require_http_methods(["GET", "POST"])
def session_list(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """The child's sessions and the form that records one, from an appointment or not."""
    episode = get_episode_for(
        request, episode_id, Permission.SESSION_VIEW, write=Permission.SESSION_WRITE
    )
    form = _record_form(request, episode)
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.session_record(
                by=request.user, episode=episode, **form.session_fields()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Session recorded. Sign the note when it is complete.")
            return redirect("session_detail", session_id=session.pk)
    sessions = TherapySession.objects.filter(episode=episode).select_related(
        "clinician", "signed_by", "appointment"
    )
    return render(
        request,
        "careplan/session_list.html",
        {
            "episode": episode,
            "patient": episode.patient,
            "sessions": sessions,
            "form": form,
            "dose": program_dose(episode),
            "can": can(request.user, episode.patient),
        },
    )


def _session_for(request: AuthenticatedHttpRequest, session_id: int) -> TherapySession:
    return get_record_for(
        request,
        TherapySession.objects.select_related("clinician", "signed_by", "appointment"),
        session_id,
        Permission.SESSION_VIEW,
        write=Permission.SESSION_WRITE,
        patient_path="episode__patient",
    )


def _session_page(
    request: AuthenticatedHttpRequest,
    session: TherapySession,
    *,
    form: SessionForm | None = None,
    addendum_form: AddendumForm | None = None,
) -> HttpResponse:
    """The note, with the form it takes now: the note's own until signed, an addendum after."""
    if session.is_signed:
        addendum_form = addendum_form or AddendumForm()
    else:
        form = form or SessionForm(instance=session)
    return render(
        request,
        "careplan/session_detail.html",
        {
            "session": session,
            "patient": session.episode.patient,
            "form": None if session.is_signed else form,
            "addendum_form": addendum_form if session.is_signed else None,
            "addenda": session.addenda.select_related("by"),
        },
    )


@require_http_methods(["GET", "POST"])
def session_detail(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """The note; a POST saves changes to it while it is unsigned."""
    session = _session_for(request, session_id)
    if request.method == "POST" and not session.is_signed:
        form = SessionForm(request.POST, instance=session)
        if form.is_valid():
            try:
                actions.session_update(by=request.user, session=session, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Note saved.")
                return redirect("session_detail", session_id=session.pk)
        return _session_page(request, session, form=form)
    return _session_page(request, session)


@require_POST
def session_sign(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = _session_for(request, session_id)
    if not signs(request.user, session):  # session_write, of the note's own discipline only
        refuse(request, session, session.episode.patient_id, Permission.SESSION_WRITE)
    try:
        actions.session_sign(by=request.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Note signed.")
    return redirect("session_detail", session_id=session.pk)


@require_POST
def session_addendum(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """A signed note is corrected only by an addendum (an unsigned one is simply edited)."""
    session = _session_for(request, session_id)
    if not session.is_signed:
        return redirect("session_detail", session_id=session.pk)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            actions.session_addendum(
                by=request.user, session=session, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Addendum added.")
            return redirect("session_detail", session_id=session.pk)
    return _session_page(request, session, addendum_form=form)


def _episode_for_plan(request: AuthenticatedHttpRequest, episode_id: int) -> Episode:
    return get_episode_for(
        request, episode_id, Permission.SESSION_VIEW, write=Permission.CARE_PLAN_EDIT
    )


@require_http_methods(["GET", "POST"])
def care_plan(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """The plan and its versions; a POST saves the draft's doses, setting and notes."""
    episode = _episode_for_plan(request, episode_id)
    plans = care_plans(episode)
    draft = next((p for p in plans if p.state == PlanState.DRAFT), None)
    form = None
    if draft is not None:
        form = PlanForm(request.POST or None, staff=plan_leads(episode), plan=draft)
    if request.method == "POST" and draft is not None and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            actions.care_plan_update(
                by=request.user,
                plan=draft,
                doses=form.doses(),
                setting=data["setting"],
                program_weeks=data["program_weeks"],
                notes=data["notes"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Draft saved.")
            return redirect("care_plan", episode_id=episode.pk)
    return render(
        request,
        "careplan/care_plan.html",
        {
            "goals_by_discipline": goals_by_discipline(episode),
            "dose": program_dose(episode),
            "without_note": took_place_without_note(episode),
            "running": episode.state in RUNNING_STATES,
            "episode": episode,
            "patient": episode.patient,
            "plans": plans,
            "active": next((p for p in plans if p.state == PlanState.ACTIVE), None),
            "draft": draft,
            "form": form,
            "can": can(request.user, episode.patient),
        },
    )


@require_POST
def care_plan_draft(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """Start the plan, or a revision of the active one, as a draft."""
    episode = _episode_for_plan(request, episode_id)
    try:
        actions.care_plan_draft(by=request.user, episode=episode)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("care_plan", episode_id=episode.pk)


@require_POST
def care_plan_activate(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """Make the draft the plan; the version it replaces is kept as revised."""
    episode = _episode_for_plan(request, episode_id)
    draft = draft_plan(episode)
    if draft is not None:
        try:
            actions.care_plan_activate(by=request.user, plan=draft)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Version {draft.version} is now the plan.")
    return redirect("care_plan", episode_id=episode.pk)


@require_http_methods(["GET", "POST"])
def discharge(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request, episode_id, Permission.EPISODE_TRANSITION)
    if episode.state != "active":
        messages.error(request, "Only an episode in the program can be discharged.")
        return redirect("patient_overview", patient_id=episode.patient_id)
    form = DischargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.episode_discharge(by=request.user, episode=episode, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, "Discharged. Follow-up is scheduled at 1, 3, 6 and 12 months."
            )
            return redirect("patient_overview", patient_id=episode.patient_id)
    return render(
        request,
        "careplan/discharge.html",
        {"episode": episode, "patient": episode.patient, "form": form},
    )
