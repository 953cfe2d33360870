"""The intake page: the screening summary first (red flags before anything else), then the form
for whoever may fill it: the family from home, or the clinician at the visit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import can, get_episode_for, refuse
from backto.access.patients.models import Episode
from backto.capabilities.intake import actions
from backto.capabilities.intake.forms import CriteriaForm, IntakeForm
from backto.capabilities.intake.models import Intake
from backto.capabilities.intake.queries import (
    TallySources,
    baseline_map_due_for,
    family_may_answer,
    intake_for,
    records_intake,
    tally_sources,
)
from backto.capabilities.intake.summary import intake_summary
from backto.clinical.screening import ScreeningConfig
from backto.core.forms import apply_errors

SAVED_CLINICIAN = "Saved."
# Marked for translation; said with gettext(SAVED_FAMILY) in the family's language.
SAVED_FAMILY = gettext_noop(
    "Thank you. The care team will go through your answers with you at the first visit."
)


def _forms(
    request: AuthenticatedHttpRequest,
    episode: Episode,
    intake: Intake,
    config: ScreeningConfig,
    sources: TallySources,
    map_due_for: str | None,
) -> tuple[bool, IntakeForm | None, CriteriaForm | None]:
    """Whether the care team is recording, and the forms this person may fill: the clinician's
    with the criteria, the family's plain-words one, or none for a reader."""
    clinician = records_intake(request.user, episode)
    if not clinician and not family_may_answer(request.user, episode):
        return clinician, None, None
    data = request.POST or None
    form = IntakeForm(
        data,
        instance=intake,
        for_family=not clinician,
        months=config.min_duration_months,
        sources=sources,
        map_due=map_due_for is not None,
    )
    criteria = CriteriaForm(data, intake=intake, sources=sources) if clinician else None
    return clinician, form, criteria


# The intake is read with the record; it is written by the care team (intake_edit) or by the
# family from home (intake_family), the first of these the person holds.
WRITE = (Permission.INTAKE_EDIT, Permission.INTAKE_FAMILY)


@require_http_methods(["GET", "POST"])
def intake_page(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request, episode_id, Permission.PATIENT_VIEW, write=WRITE)
    user, patient = request.user, episode.patient
    intake = intake_for(episode)
    config = ScreeningConfig()
    sources = tally_sources(episode.pk)  # the exam's body map and signs, read once
    # A family member whose baseline body map is due marks it there instead of counting areas.
    map_due_for = None
    if sources.pain_map is None and family_may_answer(user, episode):
        map_due_for = baseline_map_due_for(user, episode)
    clinician, form, criteria = _forms(request, episode, intake, config, sources, map_due_for)
    can_do = can(user, patient)
    if request.method == "POST":
        if form is None:  # a family once the program runs: the stage rule (family_may_answer)
            refuse(request, episode, patient.pk, Permission.INTAKE_FAMILY)
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
                messages.success(request, SAVED_CLINICIAN if clinician else _(SAVED_FAMILY))
                return redirect("intake", episode_id=episode.pk)
    return render(
        request,
        "intake/intake.html",
        {
            "episode": episode,
            "patient": patient,
            "intake": intake,
            "summary": intake_summary(intake, config, sources) if intake.pk else None,
            "sources": sources,
            # The care team's body map page, for those who may see the exam.
            "body_map_url": reverse("pain_map_episode", args=[episode.pk])
            if sources.pain_map and can_do[Permission.EXAM_VIEW.value]
            else None,
            "map_due_url": f"{reverse('pain_map_mark', args=[episode.pk])}?for={map_due_for}"
            if map_due_for
            else None,
            "form": form,
            "criteria": criteria,
            "clinician": clinician,
            "family_view": not user.is_staff_member,  # presentation, not access
            "can": can_do,
        },
    )


@require_POST
def intake_confirm(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    """A clinician confirms the intake they reviewed (the action refuses anyone else too)."""
    episode = get_episode_for(request, episode_id, Permission.INTAKE_EDIT)
    actions.intake_confirm(by=request.user, intake=intake_for(episode))
    messages.success(request, "Intake confirmed.")
    return redirect("intake", episode_id=episode.pk)
