"""Thin views over the children's records: load through access.py, call one action, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.models import User, UserKind
from backto.access.accounts.roles import Permission
from backto.access.patients import actions
from backto.access.patients.access import (
    audit_page_view,
    can,
    filters_detail,
    get_episode_for,
    get_patient_for,
    has_permission,
    patients_for,
    require_permission,
    sees_teen_private,
)
from backto.access.patients.caseload_signals import FLAG_LABELS
from backto.access.patients.forms import CareTeamAddForm, PatientForm, ReferralForm, TransitionForm
from backto.access.patients.lifecycle import EpisodeState, transitions_from
from backto.access.patients.models import CareTeamMember, Episode, EpisodeTransition, Guardianship
from backto.access.patients.queries import SORT_LABELS, SORTS, caseload, latest_episodes_prefetch
from backto.access.patients.record_parts import record_part
from backto.access.patients.summary import program_summary
from backto.audit.models import AuditEvent
from backto.capabilities.alerts.help import help_message
from backto.capabilities.alerts.queries import alerts_kept_from, open_alerts_for
from backto.capabilities.clinicsetup.first_run import first_run_checklist
from backto.capabilities.diary.queries import streaks_for
from backto.capabilities.goals.queries import goals_for_family
from backto.capabilities.instruments.queries import missing_wording
from backto.capabilities.learning.queries import suggestions_for
from backto.capabilities.measures.charts import series_chart
from backto.capabilities.measures.queries import due_for_family
from backto.capabilities.wins.queries import recent_wins
from backto.core.forms import apply_errors


@require_safe
@vary_on_headers("HX-Request")
def clinician_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_staff_member:
        raise PermissionDenied("This page is for the care team.")
    clinic_wide = has_permission(user, Permission.CASELOAD_VIEW_CLINIC)
    # Coordinators and admins look after the whole clinic: they start there.
    everyone = clinic_wide and request.GET.get("show", "clinic") == "clinic"
    state = request.GET.get("state", "open")
    if state not in ("", "open", *EpisodeState.values):
        state = "open"
    flag = request.GET.get("flag", "")
    flag = flag if flag in FLAG_LABELS else ""
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    # No name search here: a child's name must never travel in a URL or an access log.
    listing = caseload(user, everyone=everyone, state=state, flag=flag, sort=sort, page=page)
    query = request.GET.copy()
    query.pop("page", None)
    wording = (
        missing_wording(user.clinic)
        if has_permission(user, Permission.INSTRUMENT_MANAGE) and not request.htmx
        else []
    )
    context = {
        "rows": listing.rows,
        "listing": listing,
        "page_query": query.urlencode(),
        "alerts": open_alerts_for(user, everyone=everyone)
        if has_permission(user, Permission.ALERT_ACKNOWLEDGE)
        else [],
        "clinic_wide": clinic_wide,
        "everyone": everyone,
        "state": state,
        "states": EpisodeState.choices,
        "flag": flag,
        "flags": FLAG_LABELS.items(),
        "sort": sort,
        "sorts": SORT_LABELS.items(),
        "can": can(user),
        "missing_wording": wording,
        "first_run": first_run_checklist(user.clinic, by=user, wording_missing=bool(wording))
        if has_permission(user, Permission.CLINIC_SETTINGS) and not request.htmx
        else [],
    }
    audit_page_view(
        request,
        detail=filters_detail(
            show="clinic" if everyone else "mine",
            state=state,
            flag=flag,
            sort=sort,
            page=listing.page,
        ),
    )
    template = "patients/_caseload_table.html" if request.htmx else "patients/clinician_home.html"
    return render(request, template, context)


@require_safe
def family_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.is_staff_member:
        return redirect("clinician_home")
    children = list(
        patients_for(user).prefetch_related(latest_episodes_prefetch()).order_by("date_of_birth")
    )
    for child in children:
        child.current_episode = child.episode_list[0] if child.episode_list else None  # type: ignore[attr-defined]
    goals = goals_for_family(
        [child.current_episode for child in children if child.current_episode]  # type: ignore[attr-defined]
    )
    wins = recent_wins([child.pk for child in children])
    streaks = streaks_for([child.pk for child in children], today=timezone.localdate())
    questionnaires = due_for_family(user, [child.pk for child in children])
    suggested = suggestions_for(user.clinic_id, [child.pk for child in children])
    for child in children:
        episode = child.current_episode  # type: ignore[attr-defined]
        child.goals = goals.get(episode.pk, []) if episode else []  # type: ignore[attr-defined]
        child.recent_wins = wins.get(child.pk, [])  # type: ignore[attr-defined]
        child.streak = streaks[child.pk]  # type: ignore[attr-defined]
        child.questionnaires = questionnaires.get(child.pk, [])  # type: ignore[attr-defined]
        child.reading = [  # type: ignore[attr-defined]
            s for s in suggested.get(child.pk, []) if s.assignment.read_at is None
        ]
        child.help_message = help_message(request, child)  # type: ignore[attr-defined]
    # One event for the page: which children's program it showed, by id.
    audit_page_view(request, detail="patients " + ",".join(str(c.pk) for c in children))
    return render(request, "patients/family_home.html", {"children": children})


@require_safe
def patient_overview(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request, patient_id, Permission.PATIENT_VIEW)
    episodes = list(
        Episode.objects.filter(patient=patient).prefetch_related(
            Prefetch("care_team", queryset=CareTeamMember.objects.select_related("clinician")),
            Prefetch("transitions", queryset=EpisodeTransition.objects.select_related("by")),
        )
    )
    current = episodes[0] if episodes else None
    guardians = Guardianship.objects.filter(patient=patient).select_related("guardian")
    program = program_summary(
        patient,
        current,
        viewer=request.user,
        see_results=has_permission(request.user, Permission.MEASURE_VIEW, patient),
        see_alerts=has_permission(request.user, Permission.ALERT_ACKNOWLEDGE, patient),
    )
    return render(
        request,
        "patients/patient_overview.html",
        {
            "patient": patient,
            "episodes": episodes,
            "current": current,
            "transitions": transitions_from(current.state) if current else [],
            "guardians": guardians,
            "can": can(request.user, patient),
            "family_view": not request.user.is_staff_member,
            "sees_private": sees_teen_private(request.user, patient),
            "program": program,
            "series": [(s, series_chart(s)) for s in program.series],
        },
    )


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


@require_POST
def care_team_member(
    request: AuthenticatedHttpRequest, episode_id: int, member_id: int
) -> HttpResponse:
    episode = get_episode_for(request, episode_id, Permission.CARE_TEAM_MANAGE)
    member = get_object_or_404(
        CareTeamMember.objects.select_related("clinician", "episode"), pk=member_id, episode=episode
    )
    if request.POST.get("do") == "lead":
        actions.care_team_set_lead(by=request.user, member=member)
        messages.success(request, f"{member.clinician.name} now leads this care team.")
    elif request.POST.get("do") == "remove":
        actions.care_team_remove(by=request.user, member=member)
        messages.success(request, f"{member.clinician.name} left the care team.")
    else:
        messages.error(request, "Choose to make lead or to remove.")
    return redirect("care_team", episode_id=episode.pk)


@require_safe
def access_log(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    """Who has opened or changed this child's record: for the family and the care team."""
    patient = get_patient_for(request, patient_id, Permission.ACCESS_LOG_VIEW)
    # An event on a safety alert tells that a safety answer was given: not listed to whoever
    # may not know of the alert (a teen's private answer: the care team only).
    events = AuditEvent.objects.for_patient(patient.pk).exclude(
        object_type="safetyalert", object_id__in=alerts_kept_from(request.user, patient)
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page:
        event.part = record_part(event)  # type: ignore[attr-defined]
    return render(request, "patients/access_log.html", {"patient": patient, "page": page})
