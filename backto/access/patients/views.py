"""Thin views over the children's records: load through access.py, call one action, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.models import User, UserKind
from backto.access.accounts.roles import Permission
from backto.access.patients import actions
from backto.access.patients.access import (
    can,
    get_episode_for,
    get_patient_for,
    require_permission,
)
from backto.access.patients.forms import CareTeamAddForm, PatientForm, ReferralForm, TransitionForm
from backto.access.patients.lifecycle import EpisodeState
from backto.access.patients.models import CareTeamMember, Episode
from backto.core.forms import apply_errors


@require_http_methods(["GET", "POST"])
def patient_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_permission(request, Permission.PATIENT_REGISTER)
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        patient = actions.patient_register(
            by=request.user, clinic=request.user.clinic, **form.cleaned_data
        )
        messages.success(request, f"{patient.name} is registered. Record the referral next.")
        return redirect("episode_open", patient_id=patient.pk)
    return render(request, "patients/patient_form.html", {"form": form, "patient": None})


@require_http_methods(["GET", "POST"])
def patient_edit(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request, patient_id, Permission.PATIENT_EDIT)
    form = PatientForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        actions.patient_update(by=request.user, patient=patient, **form.cleaned_data)
        messages.success(request, "Details saved.")
        return redirect("patient_overview", patient_id=patient.pk)
    # ModelForm validation may have changed the instance; reload for the page header.
    patient.refresh_from_db()
    return render(request, "patients/patient_form.html", {"form": form, "patient": patient})


@require_http_methods(["GET", "POST"])
def episode_open(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request, patient_id, Permission.EPISODE_OPEN)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.episode_open(by=request.user, patient=patient, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Referral recorded. Add the care team next.")
            return redirect("patient_overview", patient_id=patient.pk)
    return render(request, "patients/episode_open.html", {"form": form, "patient": patient})


@require_POST
def episode_transition(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request, episode_id, Permission.EPISODE_TRANSITION)
    form = TransitionForm(request.POST)
    if form.is_valid():
        target = form.cleaned_data["target"]
        try:
            if target not in EpisodeState.values:
                raise ValidationError(f"{target!r} is not a stage of an episode.")
            if target == EpisodeState.DISCHARGED:
                return redirect("discharge", episode_id=episode.pk)  # needs a reason and summary
            actions.episode_transition(
                by=request.user, episode=episode, target=target, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Episode is now: {EpisodeState(target).label}.")
            if target == EpisodeState.ACTIVE:
                messages.info(
                    request,
                    f"The program has started. What does {episode.patient.first_name} want to get "
                    "back to? Write the goals with the family.",
                )
                return redirect("goal_list", episode_id=episode.pk)
    else:
        messages.error(request, "The note is too long (2000 characters at most).")
    return redirect("patient_overview", patient_id=episode.patient_id)


def _staff_choices(episode: Episode) -> QuerySet[User]:
    return (
        User.objects.filter(
            clinic_id=episode.patient.clinic_id, kind=UserKind.STAFF, is_active=True
        )
        .exclude(care_teams__episode=episode)
        .order_by("display_name", "username")
    )


@require_http_methods(["GET", "POST"])
def care_team(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(
        request, episode_id, Permission.PATIENT_VIEW, write=Permission.CARE_TEAM_MANAGE
    )
    form = CareTeamAddForm(request.POST or None, staff=_staff_choices(episode))
    if request.method == "POST" and form.is_valid():
        try:
            actions.care_team_add(by=request.user, episode=episode, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"{form.cleaned_data['clinician'].name} joined the care team."
            )
            return redirect("care_team", episode_id=episode.pk)
    members = episode.care_team.select_related("clinician")
    return render(
        request,
        "patients/care_team.html",
        {
            "episode": episode,
            "patient": episode.patient,
            "members": members,
            "form": form,
            "can": can(request.user, episode.patient),
        },
    )


def _member(request: AuthenticatedHttpRequest, episode_id: int, member_id: int) -> CareTeamMember:
    episode = get_episode_for(request, episode_id, Permission.CARE_TEAM_MANAGE)
    return get_object_or_404(
        CareTeamMember.objects.select_related("clinician", "episode"), pk=member_id, episode=episode
    )


@require_POST
def care_team_lead(
    request: AuthenticatedHttpRequest, episode_id: int, member_id: int
) -> HttpResponse:
    member = _member(request, episode_id, member_id)
    actions.care_team_set_lead(by=request.user, member=member)
    messages.success(request, f"{member.clinician.name} now leads this care team.")
    return redirect("care_team", episode_id=member.episode_id)


@require_POST
def care_team_remove(
    request: AuthenticatedHttpRequest, episode_id: int, member_id: int
) -> HttpResponse:
    member = _member(request, episode_id, member_id)
    actions.care_team_remove(by=request.user, member=member)
    messages.success(request, f"{member.clinician.name} left the care team.")
    return redirect("care_team", episode_id=member.episode_id)
