from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import can, get_patient_for, get_record_for
from backto.capabilities.goals.models import Goal, GoalStatus
from backto.capabilities.wins import actions
from backto.capabilities.wins.forms import ReactionForm, WinForm
from backto.capabilities.wins.models import Win, WinReaction
from backto.core.forms import apply_errors


@require_http_methods(["GET", "POST"])
def win_list(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    """The wins timeline; a POST adds a win."""
    patient = get_patient_for(
        request, patient_id, Permission.PATIENT_VIEW, write=Permission.WIN_ADD
    )
    goals = Goal.objects.filter(episode__patient=patient, status=GoalStatus.ACTIVE)
    # A win is in the family's words: their own language as they type it, the family's
    # language when the care team writes it down.
    user = request.user
    language = patient.family_language if user.is_staff_member else user.language
    form = WinForm(request.POST or None, goals=goals, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            actions.win_add(by=request.user, patient=patient, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Win saved. Every small step counts!"))
            return redirect("win_list", patient_id=patient.pk)
    wins = (
        Win.objects.filter(patient=patient)
        .select_related("added_by", "goal")
        .prefetch_related(Prefetch("reactions", queryset=WinReaction.objects.select_related("by")))
    )
    return render(
        request,
        "wins/win_list.html",
        {
            "patient": patient,
            "wins": wins[:200],
            "form": form,
            "can": can(request.user, patient),
            "family_language": patient.family_language,
        },
    )


@require_POST
def win_react(request: AuthenticatedHttpRequest, win_id: int) -> HttpResponse:
    win = get_record_for(
        request, Win.objects.all(), win_id, Permission.WIN_REACT, patient_path="patient"
    )
    form = ReactionForm(request.POST)
    if form.is_valid():
        try:
            actions.win_react(by=request.user, win=win, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Sent to the family.")
    else:
        messages.error(request, "Choose a cheer, or write a note of up to 200 characters.")
    return redirect("win_list", patient_id=win.patient_id)
