"""The daily diary pages: today's entry for the family, the calendar for everyone in the circle."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backto.access.accounts.http import AuthenticatedHttpRequest
from backto.access.accounts.roles import Permission
from backto.access.patients.access import (
    can,
    get_patient_for,
    get_record_for,
)
from backto.access.patients.models import Patient
from backto.access.patients.respondents import Respondent, allowed_respondent
from backto.capabilities.alerts.help import help_message, remember_help
from backto.capabilities.diary import actions
from backto.capabilities.diary.actions import DiarySubmission
from backto.capabilities.diary.forms import (
    DiaryPageForm,
    FamilySeesPainForm,
    PainQuestionForm,
    PainSettingForm,
    diary_form,
    diary_steps,
)
from backto.capabilities.diary.models import INSTRUMENT_FOR
from backto.capabilities.diary.queries import (
    diary_page_extras,
    written_entry,
)
from backto.core.forms import apply_errors


def _saved_url(patient: Patient, result: DiarySubmission) -> str:
    """The family's home, saying what the save did (its celebration, role=status id=saved): a
    replay (the same form again, e.g. a retry on a flaky connection) changed nothing, and says
    so rather than "your changes are in"."""
    outcome = "created" if result.created else "already" if result.replayed else "edited"
    return reverse("family_home") + f"?diary={patient.pk}&saved={outcome}#saved"


@require_http_methods(["GET", "POST"])
def diary_today(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    patient = get_record_for(
        request,
        Patient,
        patient_id,
        Permission.DIARY_WRITE,
        patient_path="",
        related=("diary_settings",),
    )
    user = request.user
    default = Respondent.CHILD if user.is_teen else Respondent.PARENT
    page = DiaryPageForm([request.POST, request.GET], default_respondent=default)
    respondent = page.respondent()
    if respondent not in INSTRUMENT_FOR or not allowed_respondent(user, patient, respondent):
        raise PermissionDenied("This diary is written by someone else.")
    day = page.chosen_day()
    # A POST does not need the stored answers to prefill the form.
    existing = None if request.method == "POST" else written_entry(patient, day, respondent, user)
    form = diary_form(
        patient, respondent, teen=user.is_teen, data=request.POST or None, existing=existing
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.diary_entry_submit(
                by=user, patient=patient, day=day, respondent=respondent, **form.submission()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            # The page we redirect to says "saved"; no message cookie on this hot path. After a
            # safety answer (rare) it shows the clinic's help message, flagged in the session.
            if result.entry.safety_alert:
                remember_help(request, patient.pk)
            return redirect(_saved_url(patient, result))
    extras = diary_page_extras(user, patient, day)
    return render(
        request,
        "diary/diary_today.html",
        {
            "reminder": extras.reminder,
            "episode": extras.episode,
            "rows": extras.exercises,
            "done": extras.done,
            "can": can(user, patient),
            "help_message": help_message(request, patient),
            "patient": patient,
            "form": form,
            "steps": diary_steps(form, respondent),
            "day": day,
            "respondent": respondent,
            "existing": existing,
            "is_today": day == timezone.localdate(),
            # Who may switch between the parent diary and the child's: whoever may write both.
            "can_fill_child": all(
                allowed_respondent(user, patient, r) for r in (Respondent.PARENT, Respondent.CHILD)
            ),
        },
    )


@require_POST
def diary_pain_question(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    """Turn the diary's pain question on or off for this child."""
    patient = get_patient_for(request, patient_id, Permission.DIARY_SETTINGS)
    form = PainQuestionForm(request.POST)
    enabled = form.checked()["pain_enabled"]
    actions.diary_pain_set(by=request.user, patient=patient, enabled=enabled)
    words = (
        _("The pain question is now on for %(name)s.")
        if enabled
        else _("The pain question is now off for %(name)s.")
    )
    messages.success(request, words % {"name": patient.first_name})
    return _after_pain_setting(patient, form)


@require_POST
def diary_pain_family(request: AuthenticatedHttpRequest, patient_id: int) -> HttpResponse:
    """Show the child's pain to the guardians on the progress page, or stop showing it."""
    patient = get_patient_for(request, patient_id, Permission.DIARY_SETTINGS)
    form = FamilySeesPainForm(request.POST)
    shown = form.checked()["family_sees_pain"]
    actions.diary_pain_set(by=request.user, patient=patient, family_sees=shown)
    words = (
        _("%(name)s's guardians now see pain on the progress page.")
        if shown
        else _("%(name)s's guardians no longer see pain on the progress page.")
    )
    messages.success(request, words % {"name": patient.first_name})
    return _after_pain_setting(patient, form)


def _after_pain_setting(patient: Patient, form: PainSettingForm) -> HttpResponse:
    episode = patient.episodes.first() if form.back_to_progress() else None
    if episode is not None:
        return redirect("progress", episode_id=episode.pk)
    return redirect("diary_calendar", patient_id=patient.pk)
