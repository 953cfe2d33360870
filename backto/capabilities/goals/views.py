"""Goals and their GAS ratings: thin views over backto.capabilities.goals.actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import can, get_episode_for, get_record_for, has_permission
from backto.capabilities.goals import actions
from backto.capabilities.goals.forms import (
    GoalEditForm,
    GoalForm,
    RatingForm,
    StepForm,
    StepMarkForm,
)
from backto.capabilities.goals.models import Goal, GoalRating, GoalStep, RaterKind
from backto.capabilities.goals.queries import episode_goals, gas_history
from backto.core.forms import apply_errors
from backto.core.languages import language_name


def _goals(episode_id: int) -> list[Goal]:
    return episode_goals(episode_id, steps=True)


@require_http_methods(["GET", "POST"])
def goal_list(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(
        request, episode_id, Permission.PATIENT_VIEW, write=Permission.GOAL_EDIT
    )
    form = GoalForm(request.POST or None).for_family(episode.patient.family_language)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        steps = data.pop("steps").splitlines()
        try:
            goal = actions.goal_create(by=request.user, episode=episode, steps=steps, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Goal saved: {goal.title}")
            return redirect("goal_list", episode_id=episode.pk)
    goals = _goals(episode.pk)
    return render(
        request,
        "goals/goal_list.html",
        {
            "episode": episode,
            "patient": episode.patient,
            "goals": goals,
            "history": gas_history(goals),
            "family_history": gas_history(goals, rater_kind=RaterKind.FAMILY),
            # presentation, not access: a family reads the same ratings in its own words, the care
            # team as levels with their T-score
            "family_view": not request.user.is_staff_member,
            "form": form,
            "family_language": _language_name(episode.patient.family_language),
            "can": can(request.user, episode.patient),
        },
    )


def _load_goal(
    request: AuthenticatedHttpRequest,
    goal_id: int,
    read: Permission,
    *,
    write: Permission | None = None,
) -> Goal:
    return get_record_for(
        request,
        Goal.objects.select_related("episode__patient__clinic"),
        goal_id,
        read,
        write=write,
        patient_path="episode__patient",
    )


@require_http_methods(["GET", "POST"])
def goal_detail(request: AuthenticatedHttpRequest, goal_id: int) -> HttpResponse:
    """The goal's levels, steps and ratings; a POST rates it."""
    goal = _load_goal(request, goal_id, Permission.PATIENT_VIEW, write=Permission.GOAL_RATE)
    patient = goal.episode.patient
    family_may_rate = patient.clinic.family_rates_goals
    # Those who write goals always rate them; the clinic's setting decides for families.
    may_rate = family_may_rate or has_permission(request.user, Permission.GOAL_EDIT)
    family_view = not request.user.is_staff_member  # presentation, not access (see goal_list)
    form = RatingForm(request.POST or None, family_goal=goal if family_view else None)
    if request.method == "POST":
        if not may_rate:
            raise PermissionDenied("This clinic has the care team rate goals.")
        if form.is_valid():
            try:
                actions.goal_rate(by=request.user, goal=goal, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Rating saved. Thank you."))
                return redirect("goal_detail", goal_id=goal.pk)
    ratings = GoalRating.objects.filter(goal=goal).select_related("rater")
    return render(
        request,
        "goals/goal_detail.html",
        {
            "goal": goal,
            "patient": patient,
            "steps": goal.steps.all(),
            "ratings": ratings,
            "form": form,
            "step_form": StepForm(language=patient.family_language),
            "may_rate": may_rate,
            "family_view": family_view,
            "can": can(request.user, patient),
        },
    )


@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthenticatedHttpRequest, goal_id: int) -> HttpResponse:
    goal = _load_goal(request, goal_id, Permission.GOAL_EDIT)
    form = GoalEditForm(request.POST or None, instance=goal, initial={"steps": ""})
    form.fields.pop("steps")
    language = goal.episode.patient.family_language
    form.for_family(language)
    if request.method == "POST" and form.is_valid():
        actions.goal_update(by=request.user, goal=goal, **form.cleaned_data)
        messages.success(request, "Goal saved.")
        return redirect("goal_detail", goal_id=goal.pk)
    return render(
        request,
        "goals/goal_edit.html",
        {"goal": goal, "form": form, "family_language": _language_name(language)},
    )


def _language_name(language: str) -> str:
    """The family's language in English words ("Spanish") for the care team's note, or "" for
    English (nothing to say)."""
    return "" if language == "en" else language_name(language)


@require_POST
def goal_step_add(request: AuthenticatedHttpRequest, goal_id: int) -> HttpResponse:
    goal = _load_goal(request, goal_id, Permission.GOAL_EDIT)
    form = StepForm(request.POST)
    if form.is_valid():
        actions.goal_step_add(by=request.user, goal=goal, text=form.cleaned_data["text"])
        messages.success(request, "Step added.")
    else:
        messages.error(request, "Write the step in 1 to 200 characters.")
    return redirect("goal_detail", goal_id=goal.pk)


@require_POST
def goal_step_mark(request: AuthenticatedHttpRequest, goal_id: int, step_id: int) -> HttpResponse:
    goal = _load_goal(request, goal_id, Permission.GOAL_EDIT)
    step = get_object_or_404(GoalStep, pk=step_id, goal=goal)
    done = StepMarkForm(request.POST).checked()["done"]
    actions.goal_step_mark(by=request.user, step=step, done=done)
    messages.success(request, f"“{step.text}” marked {'done — well done' if done else 'not done'}.")
    return redirect("goal_detail", goal_id=goal.pk)
