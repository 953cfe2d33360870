"""The intake page: the screening summary first (red flags before anything else), then the form
for whoever may fill it: the family from home, or the clinician at the visit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import can, get_episode_for, has_permission
from backto.access.patients.lifecycle import EpisodeState
from backto.capabilities.intake import actions
from backto.capabilities.intake.forms import CriteriaForm, IntakeForm
from backto.capabilities.intake.summary import intake_summary
from backto.clinical.screening import ScreeningConfig
from backto.core.forms import apply_errors

FAMILY_STAGES = (EpisodeState.REFERRED, EpisodeState.INTAKE)


@require_http_methods(["GET", "POST"])
def intake_page(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request, episode_id, Permission.PATIENT_VIEW)
    user, patient = request.user, episode.patient
    intake = actions.intake_for(episode)
    clinician = has_permission(user, Permission.INTAKE_EDIT, patient)
    family = (
        has_permission(user, Permission.INTAKE_FAMILY, patient) and episode.state in FAMILY_STAGES
    )
    config = ScreeningConfig()
    form = criteria = None
    if clinician or family:
        form = IntakeForm(
            request.POST or None,
            instance=intake,
            for_family=not clinician,
            months=config.min_duration_months,
        )
        if clinician:
            criteria = CriteriaForm(request.POST or None, intake=intake)
    if request.method == "POST":
        if request.POST.get("do") == "confirm":
            if not clinician or intake.pk is None:
                raise PermissionDenied("Only the care team confirms an intake.")
            actions.intake_confirm(by=user, intake=intake)
            messages.success(request, "Intake confirmed.")
            return redirect("intake", episode_id=episode.pk)
        if form is None:
            raise PermissionDenied("Your role does not allow this.")
        if form.is_valid() and (criteria is None or criteria.is_valid()):
            try:
                actions.intake_save(
                    by=user,
                    episode=episode,
                    history=form.history_data(),
                    screening=form.screening_data(),
                    red_flags=form.red_flag_data(),
                    budapest=criteria.budapest_data() if criteria else None,
                    acr=criteria.acr_data() if criteria else None,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    "Saved."
                    if clinician
                    else "Thank you. The care team will go through your "
                    "answers with you at the first visit.",
                )
                return redirect("intake", episode_id=episode.pk)
    summary = intake_summary(intake, config) if intake.pk else None
    return render(
        request,
        "intake/intake.html",
        {
            "episode": episode,
            "patient": patient,
            "intake": intake,
            "summary": summary,
            "form": form,
            "criteria": criteria,
            "clinician": clinician,
            "family_view": not user.is_staff_member,
            "can": can(user, patient),
        },
    )
