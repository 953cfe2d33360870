"""Therapy sessions and their notes: thin views over backto.capabilities.careplan.actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.models import User
from backto.access.accounts.roles import Permission
from backto.access.patients.access import can, get_episode_for, get_record_for
from backto.capabilities.careplan import actions
from backto.capabilities.careplan.forms import AddendumForm, DischargeForm, PlanForm, SessionForm
from backto.capabilities.careplan.models import CarePlan, PlanState, TherapySession
from backto.capabilities.careplan.queries import program_dose
from backto.capabilities.goals.models import Goal, GoalStatus
from backto.core.forms import apply_errors


@require_http_methods(["GET", "POST"])
def session_list(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(
        request, episode_id, Permission.SESSION_VIEW, write=Permission.SESSION_WRITE
    )
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.session_record(by=request.user, episode=episode, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Session recorded. Sign the note when it is complete.")
            return redirect("session_detail", session_id=session.pk)
    sessions = TherapySession.objects.filter(episode=episode).select_related(
        "clinician", "signed_by"
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


@require_http_methods(["GET", "POST"])
def session_detail(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = get_record_for(
        request,
        TherapySession.objects.select_related("clinician", "signed_by"),
        session_id,
        Permission.SESSION_VIEW,
        write=Permission.SESSION_WRITE,
        patient_path="episode__patient",
    )
    signing = request.POST.get("do") == "sign"
    data = request.POST if request.method == "POST" and not signing else None
    form = None if session.is_signed else SessionForm(data, instance=session)
    addendum_form = AddendumForm(data) if session.is_signed else None
    if signing:
        try:
            actions.session_sign(by=request.user, session=session)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Note signed.")
        return redirect("session_detail", session_id=session.pk)
    editing = addendum_form or form
    if request.method == "POST" and editing is not None and editing.is_valid():
        try:
            if addendum_form is not None:
                text = addendum_form.cleaned_data["text"]
                actions.session_addendum(by=request.user, session=session, text=text)
            else:
                actions.session_update(by=request.user, session=session, **editing.cleaned_data)
        except ValidationError as error:
            apply_errors(editing, error)
        else:
            messages.success(request, "Addendum added." if addendum_form else "Note saved.")
            return redirect("session_detail", session_id=session.pk)
    return render(
        request,
        "careplan/session_detail.html",
        {
            "session": session,
            "patient": session.episode.patient,
            "form": form,
            "addendum_form": addendum_form,
            "addenda": session.addenda.select_related("by"),
        },
    )


@require_http_methods(["GET", "POST"])
def care_plan(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(
        request, episode_id, Permission.SESSION_VIEW, write=Permission.CARE_PLAN_EDIT
    )
    plans = list(
        CarePlan.objects.filter(episode=episode)
        .prefetch_related("doses__lead")
        .select_related("created_by", "changed_by")
    )
    draft = next((p for p in plans if p.state == PlanState.DRAFT), None)
    staff = User.objects.filter(clinic_id=episode.patient.clinic_id, kind="staff", is_active=True)
    form = PlanForm(request.POST or None, staff=staff, plan=draft) if draft else None
    if request.method == "POST":
        try:
            if request.POST.get("do") == "draft":
                actions.care_plan_draft(by=request.user, episode=episode)
                return redirect("care_plan", episode_id=episode.pk)
            if draft and request.POST.get("do") == "activate":
                actions.care_plan_activate(by=request.user, plan=draft)
                messages.success(request, f"Version {draft.version} is now the plan.")
                return redirect("care_plan", episode_id=episode.pk)
            if draft and form is not None and form.is_valid():
                data = dict(form.cleaned_data)
                actions.care_plan_update(
                    by=request.user,
                    plan=draft,
                    doses=form.doses(),
                    setting=data["setting"],
                    program_weeks=data["program_weeks"],
                    notes=data["notes"],
                )
                messages.success(request, "Draft saved.")
                return redirect("care_plan", episode_id=episode.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    active = next((p for p in plans if p.state == PlanState.ACTIVE), None)
    goals_by_discipline: dict[str, list[Goal]] = {}
    for goal in Goal.objects.filter(episode=episode).exclude(status=GoalStatus.STOPPED):
        goals_by_discipline.setdefault(goal.discipline, []).append(goal)
    return render(
        request,
        "careplan/care_plan.html",
        {
            "goals_by_discipline": goals_by_discipline,
            "episode": episode,
            "patient": episode.patient,
            "plans": plans,
            "active": active,
            "draft": draft,
            "form": form,
            "can": can(request.user, episode.patient),
        },
    )


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
