"""The school plan page: the care team writes what the school letter says; a guardian approves it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import get_episode_for, has_permission
from backto.capabilities.schoolplan.actions import school_plan_approve, school_plan_save
from backto.capabilities.schoolplan.forms import SchoolPlanForm
from backto.capabilities.schoolplan.queries import school_plan_of, wording_token

# The page is read by those who write the plan and by those who approve it.
READ = (Permission.SCHOOL_PLAN_EDIT, Permission.SCHOOL_PLAN_APPROVE)


@require_http_methods(["GET", "POST"])
def school_plan(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """The care team writes what the school letter says; a guardian reads it to approve it."""
    user = request.user
    episode = get_episode_for(request, episode_id, READ, write=Permission.SCHOOL_PLAN_EDIT)
    plan = school_plan_of(episode)
    form = None
    if has_permission(user, Permission.SCHOOL_PLAN_EDIT, episode.patient):
        form = SchoolPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form is not None and form.is_valid():
        school_plan_save(by=user, episode=episode, **form.cleaned_data)
        messages.success(request, "School plan saved. A parent or guardian approves it next.")
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


@require_POST
def school_plan_approval(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """A guardian agrees to the words they were shown (`shown`, their wording token)."""
    episode = get_episode_for(request, episode_id, Permission.SCHOOL_PLAN_APPROVE)
    plan = school_plan_of(episode)
    if plan is None:
        raise Http404("No school plan yet.")
    try:
        school_plan_approve(by=request.user, plan=plan, shown=request.POST.get("shown", ""))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Thank you. The care team can now print the school letter."))
    return redirect("school_plan", episode_id=episode.pk)
