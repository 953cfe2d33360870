"""The school plan page: the care team writes what the school letter says; a guardian approves it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import get_episode_for
from backto.capabilities.schoolplan.actions import school_plan_approve, school_plan_save
from backto.capabilities.schoolplan.forms import SchoolPlanForm
from backto.capabilities.schoolplan.queries import school_plan_of, wording_token


@require_http_methods(["GET", "POST"])
def school_plan(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """The care team writes what the school letter says; a guardian approves it."""
    user = request.user
    episode = get_episode_for(
        request,
        episode_id,
        Permission.REPORT_EXPORT if user.is_staff_member else Permission.PATIENT_VIEW,
    )
    if user.is_teen:
        raise PermissionDenied("A parent or guardian approves the school letter.")
    plan = school_plan_of(episode)
    form = SchoolPlanForm(request.POST or None, instance=plan) if user.is_staff_member else None
    if request.method == "POST":
        if form is not None:
            if form.is_valid():
                school_plan_save(by=user, episode=episode, **form.cleaned_data)
                messages.success(
                    request, "School plan saved. A parent or guardian approves it next."
                )
                return redirect("school_plan", episode_id=episode.pk)
        elif plan is None:
            raise Http404("No school plan yet.")
        else:
            try:
                school_plan_approve(by=user, plan=plan, shown=request.POST.get("shown", ""))
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request, "Thank you. The care team can now print the school letter."
                )
            return redirect("school_plan", episode_id=episode.pk)
    return render(
        request,
        "schoolplan/school_plan.html",
        {
            "episode": episode,
            "patient": episode.patient,
            "plan": plan,
            "form": form,
            "shown": wording_token(plan) if plan else "",
        },
    )
